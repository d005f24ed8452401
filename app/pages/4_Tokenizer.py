"""Tokenizer: an SVG as svgtok sees it — original and normalized renders, the tokens by level, what was dropped."""

import re

import streamlit as st

from app.resources import gpt2, tokenizer
from app.ui import read_upload, readable_errors, show_svg
from svgtok.errors import SVGError

st.set_page_config(page_title="Tokenizer · Vectorsmith", page_icon=":material/token:", layout="wide")
st.title("Tokenizer")

EXAMPLE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" fill="#ffcc4d"/>'
    '<path d="M8 14q4 4 8 0" stroke="#664500" stroke-width="1.5" fill="none"/></svg>'
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:$~])")


def chip(token: str, segment: bool) -> str:
    """One token as colored Markdown text (escaped, never HTML): segments orange, atomic tokens blue."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", token)
    return f":{'orange' if segment else 'blue'}-background[{escaped}]"


uploaded = st.file_uploader("Upload an SVG (at most 2 MB)", type=["svg"])
text = st.text_area("…or paste SVG code", value=EXAMPLE, height=140)
with readable_errors("Could not tokenize"):
    svg = read_upload(uploaded) if uploaded is not None else text
    if not svg.strip():
        raise SVGError("there is no SVG: upload a file or paste code")
    tok = tokenizer()
    encoding = tok.encode(svg)
    normalized = tok.decode(encoding.ids)
    segments = [tok.is_segment(i) for i in encoding.ids]
    atomic_count = sum(len(tok.segments.expansions[i]) if s else 1 for i, s in zip(encoding.ids, segments, strict=True))

    left, right = st.columns(2)
    with left:
        st.markdown("**Original**")
        show_svg(svg)
    with right:
        st.markdown("**Normalized** (what the model reads and writes)")
        show_svg(normalized)

    bpe = gpt2()
    cols = st.columns(4)
    cols[0].metric("svgtok tokens", len(encoding.ids), help=f"{sum(segments)} of them segment tokens")
    cols[1].metric("atomic tokens (before merges)", atomic_count)
    if bpe is not None:
        gpt2_count = len(bpe.encode(normalized).ids)
        cols[2].metric("GPT-2 BPE tokens (normalized SVG)", gpt2_count)
        cols[3].metric("ratio", f"{gpt2_count / max(len(encoding.ids), 1):.2f}×")
    else:
        cols[2].info("GPT-2 BPE is not available here (it is fetched by `make run`).")
    if encoding.dropped:
        st.warning("Dropped by normalization (the token language cannot say these): " + ", ".join(encoding.dropped))
    else:
        st.success("Nothing was dropped.")
    st.markdown("**Tokens** — :blue-background[atomic] :orange-background[segment]")
    st.markdown(" ".join(chip(t, s) for t, s in zip(encoding.tokens, segments, strict=True)))
    with st.expander("Normalized SVG code"):
        st.code(normalized, language="xml")

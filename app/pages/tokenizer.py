"""Tokenizer: an SVG → original and normalized renders, its tokens colored by level, and the GPT-2 ratio."""

import streamlit as st

from app import resources
from app.studio import LEVEL_COLORS, read_upload, token_html, token_view
from app.ui import readable_errors
from svgtok.render import render_png

st.title("Tokenizer")
upload = st.file_uploader("SVG file", type=["svg"])
pasted = st.text_area("…or paste SVG", height=120, placeholder='<svg xmlns="http://www.w3.org/2000/svg" …')
bands = st.toggle(
    "Gradients as bands of flat color",
    help="Closer to the original, several times more tokens. Off: each gradient paints one color, its mean over "
    "the shape, as in the programs the model reads and writes.",
)

with readable_errors():
    text = read_upload(upload.getvalue()) if upload is not None else pasted
    if not text.strip():
        st.info("Upload or paste an SVG to see how svgtok writes it.")
        st.stop()
    tok = resources.tokenizer()
    encoding = tok.encode(text, gradients="bands" if bands else "color")
    normalized = tok.decode(encoding.ids)
    left, right = st.columns(2)
    left.image(render_png(text, 256), caption="Original")
    right.image(render_png(normalized, 256), caption=f"Normalized (grid {tok.grid})")
    view = token_view(encoding, tok)
    cols = st.columns(4)
    cols[0].metric("Tokens", len(encoding.ids))
    cols[1].metric("Atomic tokens", view.atomic)
    cols[2].metric("Segment tokens", view.segments)
    gpt2 = resources.gpt2()
    if gpt2 is None:
        cols[3].metric("GPT-2 BPE", "—")
        st.info("GPT-2's tokenizer is not installed here, so there is no ratio; `make gpt2` fetches it (npm).")
    else:
        bpe = len(gpt2.encode(text).ids)
        cols[3].metric("GPT-2 BPE", bpe, f"{bpe / max(len(encoding.ids), 1):.2f}× more", delta_color="off")
    st.caption(
        f"Levels: atomic (background {LEVEL_COLORS['atomic']}) and segment (background {LEVEL_COLORS['segment']}, "
        "one token for a frequent run of commands)"
    )
    st.html(token_html(view))
    if view.dropped:
        st.warning("Dropped by normalization: " + ", ".join(view.dropped))
    else:
        st.success("Nothing was dropped: the normalized drawing keeps every feature.")
    st.code(normalized, language="xml", wrap_lines=True)

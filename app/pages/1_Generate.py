"""Generate: icons from a prompt, as a grid of candidates with their facts, downloads and next steps."""

import streamlit as st

from app.resources import generator
from app.ui import facts, readable_errors, show_svg

st.set_page_config(page_title="Generate · Vectorsmith", page_icon=":material/auto_awesome:", layout="wide")
st.title("Generate")

with st.form("generate"):
    prompt = st.text_input("Prompt", placeholder="e.g. bell, house with a chimney, shopping cart")
    cols = st.columns(5)
    n = cols[0].slider("Candidates", 1, 8, 4)
    temperature = cols[1].slider("Temperature", 0.0, 1.5, 0.8, 0.05)
    guidance = cols[2].slider("Guidance", 1.0, 5.0, 2.0, 0.5, help="classifier-free guidance; 1 turns it off")
    seed = cols[3].number_input("Seed", 0, 2**31 - 1, 0)
    max_tokens = cols[4].number_input("Max tokens", 16, 900, 512, help="the longest program per icon")
    submitted = st.form_submit_button("Generate", type="primary")

if submitted:
    st.session_state.pop("candidates", None)
    with readable_errors("Could not generate"), st.status(f"Generating {n} candidates…") as status:
        result = generator().generate(
            prompt, n=n, temperature=temperature, guidance=guidance, seed=int(seed), max_tokens=int(max_tokens)
        )
        st.session_state["candidates"] = {"prompt": prompt, "svgs": [s.svg for s in result.samples]}
        st.session_state.setdefault("generated", []).extend({"prompt": prompt, "svg": s.svg} for s in result.samples)
        status.update(
            label=f"{n} candidate{'s' * (n > 1)} in {result.seconds:.1f} s ({result.tokens_per_s:.0f} tokens/s)"
        )

candidates = st.session_state.get("candidates")
if candidates:
    st.subheader(f"“{candidates['prompt']}”")
    columns = st.columns(4)
    for i, svg in enumerate(candidates["svgs"]):
        with columns[i % 4], st.container(border=True):
            png = show_svg(svg)
            f = facts(svg)
            st.caption(f.badge)
            st.caption(f"{f.tokens} tokens · {f.paths} paths · {f.bytes:,} bytes")
            name = "-".join(candidates["prompt"].split())[:40] or "icon"
            d1, d2 = st.columns(2)
            d1.download_button("SVG", svg, f"{name}-{i + 1}.svg", "image/svg+xml", key=f"svg{i}")
            d2.download_button("PNG", png, f"{name}-{i + 1}.png", "image/png", key=f"png{i}")
            a1, a2 = st.columns(2)
            if a1.button("Edit this", key=f"edit{i}"):
                st.session_state["edit_source"] = svg
                st.switch_page("pages/2_Edit.py")
            if a2.button("Find similar", key=f"similar{i}"):
                st.session_state["search_query"] = svg
                st.switch_page("pages/3_Search.py")
            with st.expander("Code"):
                st.code(svg, language="xml")

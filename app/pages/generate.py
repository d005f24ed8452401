"""Generate: a prompt and sampling settings → a grid of candidate icons, each validated and downloadable."""

import streamlit as st

from app import resources, state
from app.studio import describe
from app.ui import readable_errors
from svglm.generate import DEFAULT_GUIDANCE, DEFAULT_TEMPERATURE, MAX_CANDIDATES, STYLED_GUIDANCE
from svglm.styles import STYLES

ANY_STYLE = "Any (name no icon set)"

st.title("Generate")
st.session_state.setdefault(state.CANDIDATES, [])
st.session_state.setdefault(state.GENERATIONS, [])

with st.form("generate"):
    prompt = st.text_input("Prompt", placeholder="a house with a chimney")
    style = st.selectbox(
        "Style", [*STYLES, ANY_STYLE],
        help="The icon set to draw like. The model draws one set's look far more cleanly than the average of all.",
    )  # fmt: skip
    cols = st.columns(4)
    n = cols[0].number_input("Icons", 1, 8, 4)
    temperature = cols[1].number_input("Temperature", 0.0, 2.0, DEFAULT_TEMPERATURE, step=0.1)
    guidance = cols[2].number_input(
        "Guidance", 0.0, 8.0, None, step=0.5, placeholder="auto",
        help=f"How strongly to follow the prompt; empty is {STYLED_GUIDANCE} with a style, {DEFAULT_GUIDANCE} without.",
    )  # fmt: skip
    seed = cols[3].number_input("Seed", 0, 2**31 - 1, 0)
    with st.expander("Advanced"):
        max_tokens = st.number_input("Max tokens per icon", 8, 1024, 512, step=8)
        best_of = st.number_input(
            "Best of", 1, MAX_CANDIDATES, 2,
            help="Draw this many icons for each one shown and keep those the model is surest of: "
            "fewer scrambled drawings, about that many times the wait.",
        )  # fmt: skip
    submitted = st.form_submit_button("Generate", type="primary")

if submitted:
    with readable_errors(), st.status("Generating…", expanded=False) as status:
        if not resources.model_lock().acquire(blocking=False):
            status.update(label="Waiting for the model: another session is generating…")
            resources.model_lock().acquire()
        try:
            status.update(label="Generating…")
            result = resources.generator().generate(
                prompt, n=int(n), temperature=temperature, guidance=guidance, seed=int(seed),
                max_tokens=int(max_tokens), candidates=int(best_of), style=None if style == ANY_STYLE else style,
            )  # fmt: skip
        finally:
            resources.model_lock().release()
        st.session_state[state.CANDIDATES] = [s.svg for s in result.samples]
        st.session_state[state.GENERATIONS] += [{"prompt": prompt, "svg": s.svg} for s in result.samples]
        status.update(label=f"{len(result.samples)} icons in {result.seconds:.1f} s", state="complete")

candidates = st.session_state[state.CANDIDATES]
if not candidates:
    st.info("Describe an icon and press Generate. Every candidate is complete, valid SVG.")
grid = st.columns(4)
for i, svg in enumerate(candidates):
    with grid[i % 4], readable_errors():
        c = describe(svg, resources.tokenizer())
        st.image(c.png, caption=f"Candidate {i + 1}", width="stretch")
        st.caption(c.badge)
        st.caption(f"{c.report.tokens} tokens · {c.paths} paths · {c.bytes:,} bytes")
        st.download_button("SVG", svg, f"icon-{i + 1}.svg", "image/svg+xml", key=f"svg{i}")
        st.download_button("PNG", c.png, f"icon-{i + 1}.png", "image/png", key=f"png{i}")
        if st.button("Edit this", key=f"edit{i}"):
            st.session_state[state.EDIT_HISTORY] = [svg]
            st.switch_page("pages/edit.py")
        if st.button("Find similar", key=f"similar{i}"):
            st.session_state[state.SEARCH_QUERY] = c.report.normalized_svg or svg
            st.switch_page("pages/search.py")

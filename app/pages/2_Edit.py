"""Edit: an SVG and an instruction in, the edited SVG out; before and after, their pixel difference, a code diff."""

import streamlit as st

from app.resources import catalog, editor
from app.ui import facts, read_upload, readable_errors, show_svg
from mbat.catalog import fetch_icons
from mbat.errors import MBATError
from svgtok.errors import SVGError
from svgtok.metrics import code_diff, difference_image
from svgtok.render import render

st.set_page_config(page_title="Edit · Vectorsmith", page_icon=":material/brush:", layout="wide")
st.title("Edit")

# The phrasings the edit adapter was trained on: SVGEditBench's sentences, then free ones (training/edits.py).
QUICK = {
    "(type your own)": "",
    "Flip upside down": "Please flip this emoji upside down.",
    "Half transparent": "Please make this emoji transparent by half.",
    "Keep the left half": "Please trim the right half and keep the left half.",
    "Yellow part to red": "Please generate an SVG code that changes the part of the emoji with a #FFCC4D color to red.",
    "Outline the yellow part": "Please generate an SVG code that draws a black line around the part of the emoji "
    "with a #FFCC4D color.",
    "Recolor": "Change the black color to blue.",
    "Outline": "Add a medium black outline.",
    "Scale": "Make it 75% as big.",
    "Rotate": "Rotate it 90 degrees clockwise.",
    "Mirror": "Mirror it horizontally.",
    "Remove a part": "Remove the red part.",
    "Simplify": "Simplify this SVG.",
}

source_kind = st.radio("Start from", ["Upload", "Paste", "Library icon", "This session"], horizontal=True)
source = st.session_state.get("edit_source", "")
with readable_errors("Could not read the SVG"):
    if source_kind == "Upload":
        uploaded = st.file_uploader("SVG file (at most 2 MB)", type=["svg"])
        if uploaded is not None:
            source = read_upload(uploaded)
    elif source_kind == "Paste":
        source = st.text_area("SVG code", value=source, height=160)
    elif source_kind == "Library icon":
        asset_id = st.text_input("Icon id (set:name, as shown on the Search page)", placeholder="e.g. mdi:bell")
        if asset_id.strip():
            found = fetch_icons(catalog(), [asset_id.strip()])
            if not found:
                raise MBATError(f"no icon {asset_id.strip()!r} in the library; copy an id from the Search page")
            row = found[asset_id.strip()]
            source = row["normalized_svg"] or row["svg"]
    else:
        generated = st.session_state.get("generated", [])
        if not generated:
            st.info("Nothing generated in this session yet; the Generate page's 'Edit this' brings a candidate here.")
        else:
            pick = st.selectbox(
                "Generated", range(len(generated)), format_func=lambda i: f"{i + 1}. {generated[i]['prompt']}"
            )
            source = generated[pick]["svg"]

model = editor()
if model is None:
    st.warning(
        "The edit model is not installed (models/svglm-edit is missing), so instructions cannot be applied. "
        "You can still load, view and compare SVGs. Train it with `python -m training.finetune --task edit`."
    )

quick = st.selectbox("Instruction", list(QUICK))
instruction = st.text_input("Say what to change", value=QUICK[quick], placeholder="e.g. Make it red.")
if source.strip() and source != st.session_state.get("edit_base"):  # a new drawing starts a new history
    st.session_state["edit_base"], st.session_state["edit_history"] = source, []
history = st.session_state.setdefault("edit_history", [])
b1, b2 = st.columns([1, 5])
if b1.button("Apply", type="primary", disabled=model is None, key="apply"):
    with readable_errors("Could not edit"), st.spinner("Editing… (tens of seconds on a CPU)"):
        current = history[-1]["after"] if history else source
        if not current.strip():
            raise SVGError("there is no SVG to edit yet: upload, paste or pick one first")
        edited = model.edit(current, instruction).samples[0].svg
        history.append({"before": current, "after": edited, "instruction": instruction})
if b2.button("Undo", disabled=not history, key="undo"):
    history.pop()

if history:
    step = history[-1]
    st.caption(f"{len(history)} edit(s) this session; last: “{step['instruction']}”")
    with readable_errors("Could not show the edit"):
        before, after, diff = st.columns(3)
        with before:
            st.markdown("**Before**")
            show_svg(step["before"])
        with after:
            st.markdown("**After**")
            show_svg(step["after"])
            f = facts(step["after"])
            st.caption(f"{f.badge} · {f.tokens} tokens · {f.bytes:,} bytes")
            st.download_button("Download SVG", step["after"], "edited.svg", "image/svg+xml")
        with diff:
            st.markdown("**Pixel difference**")
            st.image(
                difference_image(render(step["before"], 256), render(step["after"], 256)),
                width=256,
                output_format="PNG",
            )
        st.code(code_diff(step["before"], step["after"]) or "(no change)", language="diff")
elif source.strip():
    with readable_errors("Could not show the SVG"):
        show_svg(source, "the SVG to edit")

"""Edit: pick a drawing (upload, library, this session), give an instruction, compare before and after."""

import streamlit as st

from app import resources, state
from app.studio import code_diff, describe, pixel_diff, read_upload
from app.ui import readable_errors
from mbat.catalog import icon_details

# The phrasings the edit adapter was trained on (training/edits.py): SVGEditBench's sentences, then free ones.
QUICK_PICKS = {
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
INSTRUCTION = "edit_instruction"  # the instruction box's widget key; a quick pick fills it


def use_quick_pick() -> None:
    """Put the chosen quick pick into the instruction box (a widget callback, run before the page)."""
    pick = st.session_state.get("edit_quick_pick")
    if pick:
        st.session_state[INSTRUCTION] = QUICK_PICKS[pick]


st.title("Edit")
history: list[str] = st.session_state.setdefault(state.EDIT_HISTORY, [])
editor = resources.editor(resources.edit_adapter())
if editor is None:
    st.warning(
        f"The edit model is not installed ({resources.edit_adapter()} is missing), so instructions are off. "
        "You can still pick drawings, view them and compare one with the next."
    )

source = st.radio("Drawing from", ["Upload", "Library", "This session"], horizontal=True)
picked = None
with readable_errors():
    if source == "Upload":
        upload = st.file_uploader("SVG file", type=["svg"])
        if upload is not None:
            picked = read_upload(upload.getvalue())
    elif source == "Library":
        asset_id = st.text_input("Asset id", placeholder="mdi:bell")
        if asset_id:
            index, catalog = resources.library()
            found = icon_details(catalog, [asset_id.strip()])
            if not found:
                st.error(f"{asset_id!r} is not in the library; find ids on the Search page (set:name).")
            else:
                picked = found[asset_id.strip()]["svg"]
    else:
        made = st.session_state.get(state.GENERATIONS, [])
        if not made:
            st.info("Nothing generated in this session yet; use the Generate page.")
        else:
            choice = st.selectbox(
                "Generated icon", range(len(made)), format_func=lambda i: f"{i + 1}: {made[i]['prompt']}"
            )
            picked = made[choice]["svg"]
    if picked is not None:
        describe(picked, resources.tokenizer())  # refuses unsafe SVG before it enters the history
        if st.button("Use this drawing"):
            history.append(picked)

if not history:
    st.info("Pick a drawing to start.")
    st.stop()

with readable_errors():
    st.selectbox(
        "Quick picks (what the edit model was trained on)",
        list(QUICK_PICKS),
        index=None,
        placeholder="Choose an instruction, or type your own below",
        key="edit_quick_pick",
        on_change=use_quick_pick,
        disabled=editor is None,
    )
    instruction = st.text_input("Instruction", placeholder="make it red", key=INSTRUCTION, disabled=editor is None)
    cols = st.columns(2)
    if cols[0].button("Apply", type="primary", disabled=editor is None):
        with st.status("Editing…") as status, resources.model_lock():
            result = editor.edit(history[-1], instruction, n=1, temperature=0.0, seed=0)
            history.append(result.samples[0].svg)
            status.update(label=f"Edited in {result.seconds:.1f} s", state="complete")
    if cols[1].button("Undo", disabled=len(history) < 2):
        history.pop()

    after = describe(history[-1], resources.tokenizer())
    before = describe(history[-2], resources.tokenizer()) if len(history) > 1 else after
    left, middle, right = st.columns(3)
    left.image(before.png, caption="Before", width="stretch")
    right.image(after.png, caption="After", width="stretch")
    diff_png, changed = pixel_diff(before.svg, after.svg)
    middle.image(diff_png, caption=f"Changed pixels: {changed:.1%}", width="stretch")
    st.caption(f"Version {len(history)} of this session · {after.badge} · {after.report.tokens} tokens")
    st.download_button("Download SVG", after.svg, "edited.svg", "image/svg+xml")
    st.code(code_diff(before.svg, after.svg) or "(no change in the code)", language="diff")

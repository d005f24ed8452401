"""Vectorsmith studio: the home page (``streamlit run app/Home.py``)."""

import streamlit as st

from app.resources import EDIT_ADAPTER, INDEX, MODEL, catalog_label, gpt2

YES, NO = ":green[:material/check_circle:]", ":red[:material/cancel:]"

st.set_page_config(page_title="Vectorsmith", page_icon=":material/draw:", layout="wide")
st.title("Vectorsmith studio")
st.write(
    "Clean, valid SVG from a language model. Every drawing here is written in svgtok's token language under "
    "its grammar, so it always parses and renders; nothing you upload or generate is ever put on this page "
    "as markup (you see PNG renders and the code as text)."
)
col1, col2 = st.columns(2)
with col1:
    st.page_link("pages/1_Generate.py", label="**Generate** — icons from a few words", icon=":material/auto_awesome:")
    st.page_link("pages/2_Edit.py", label="**Edit** — change an SVG with an instruction", icon=":material/brush:")
with col2:
    st.page_link("pages/3_Search.py", label="**Search** — find icons in the library", icon=":material/search:")
    st.page_link("pages/4_Tokenizer.py", label="**Tokenizer** — see an SVG as tokens", icon=":material/token:")

st.subheader("What is installed")
st.markdown(
    "\n".join(
        [
            f"- Model: `{MODEL.name}` {YES if (MODEL / 'config.json').exists() else f'{NO} missing'}",
            f"- Edit adapter: `{EDIT_ADAPTER.name}` "
            + (
                YES
                if (EDIT_ADAPTER / "adapter_config.json").exists()
                else f"{NO} not installed: Edit shows and compares"
            ),
            f"- Search library: {catalog_label()}; index `{INDEX.name}` "
            + (YES if (INDEX / "manifest.json").exists() else ":material/hourglass_empty: built on the first search"),
            f"- GPT-2 BPE for the Tokenizer comparison: {YES if gpt2() is not None else f'{NO} not fetched (offline)'}",
        ]
    )
)

"""Vectorsmith studio: the router and shared frame (``streamlit run app/Home.py``)."""

import streamlit as st

st.set_page_config(page_title="Vectorsmith studio", page_icon=":material/draw:", layout="wide")

PAGES = [
    st.Page("pages/generate.py", title="Generate", icon=":material/auto_awesome:", default=True),
    st.Page("pages/edit.py", title="Edit", icon=":material/brush:"),
    st.Page("pages/search.py", title="Search", icon=":material/search:"),
    st.Page("pages/tokenizer.py", title="Tokenizer", icon=":material/data_array:"),
]

page = st.navigation(PAGES)
st.sidebar.caption("Vectorsmith — clean, valid SVG from words. Every preview is a PNG render.")
page.run()

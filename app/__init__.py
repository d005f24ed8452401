"""The Streamlit studio: thin pages over svgtok, svglm and mbat (run it with ``make run``)."""

"""The Streamlit studio: Generate, Edit, Search and Tokenizer pages over svgtok, svglm and mbat (thin by design)."""

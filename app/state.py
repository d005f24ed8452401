"""Session-state keys, defined in one place."""

GENERATIONS = "generations"  # list[dict]: this session's generated SVGs, newest last ({"prompt", "svg"})
EDIT_HISTORY = "edit_history"  # list[str]: versions of the drawing being edited; the last is current
SEARCH_QUERY = "search_query"  # str: the Search page's query box
SEARCH_DETAIL = "search_detail"  # str | None: the asset id whose details are open
CANDIDATES = "candidates"  # list[str]: the SVGs of the Generate page's latest batch

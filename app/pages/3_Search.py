"""Search: the icon library by free text, JSON or example, with filters; each result with its license and author."""

import time

import streamlit as st

from app.resources import catalog, ensure_library
from app.ui import readable_errors, show_svg
from mbat.catalog import fetch_icons

st.set_page_config(page_title="Search · Vectorsmith", page_icon=":material/search:", layout="wide")
st.title("Search")

if "search_query" in st.session_state:  # "find similar" from another page, or a result's button below
    st.session_state["query"] = st.session_state.pop("search_query")

index = None
with readable_errors("The library is not available"):
    index = ensure_library()
if index is None:
    st.stop()

query = st.text_area(
    "Query: words, JSON, an icon id (set:name) or SVG code",
    key="query",
    height=90,
    placeholder='e.g. rounded bell   ·   {"palette": "color", "category": "Emoji"}   ·   mdi:bell',
)
c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
sets = c1.text_input("Sets (comma-separated prefixes)", placeholder="e.g. mdi, tabler")
licenses = c2.multiselect("Licenses", index.licenses())
palette = c3.selectbox("Palette", ["any", "mono", "color"])
k = c4.number_input("Results", 1, 60, 12)

if not query.strip():
    st.info("Type words (e.g. `arrow left`), paste JSON or SVG code, or give an icon id to see similar icons.")
else:
    filters = {}
    if sets.strip():
        filters["set"] = [s.strip() for s in sets.split(",") if s.strip()]
    if licenses:
        filters["license"] = licenses
    if palette != "any":
        filters["palette"] = [palette]
    with readable_errors("Could not search"):
        start = time.perf_counter()
        scores, keys = index.search(query, int(k), filters)
        seconds = time.perf_counter() - start
        hits = [(float(s), r) for s, r in zip(scores[0], index.records(keys)[0], strict=True) if r is not None]
        details = fetch_icons(catalog(), [r["asset_id"] for _, r in hits])
        st.caption(f"{len(hits)} results in {seconds * 1000:.0f} ms from {len(index):,} icons")
        if not hits:
            st.info("Nothing matched; loosen the filters or try other words.")
        columns = st.columns(4)
        for i, (score, record) in enumerate(hits):
            row = details.get(record["asset_id"], {})
            with columns[i % 4], st.container(border=True):
                with readable_errors("Cannot draw this icon"):
                    show_svg(row.get("normalized_svg") or row.get("svg", ""), size=96)
                st.markdown(f"**{record['name']}**  \n`{record['asset_id']}`")
                st.caption(
                    f"{row.get('set_title', record['set_prefix'])} · {record['license']} · {row.get('author', '')}"
                )
                st.caption(f"score {score:.3f}")
                s1, s2 = st.columns(2)
                if s1.button("Similar", key=f"similar-{record['asset_id']}"):
                    st.session_state["search_query"] = record["asset_id"]
                    st.rerun()
                if s2.button("Edit", key=f"edit-{record['asset_id']}"):
                    st.session_state["edit_source"] = row.get("normalized_svg") or row.get("svg", "")
                    st.switch_page("pages/2_Edit.py")
                with st.popover("Details"):
                    st.markdown(
                        f"**{record['name']}** from *{row.get('set_title', '')}*  \n"
                        f"License: [{record['license']}]({row.get('license_url', '')})  \n"
                        f"Author: [{row.get('author', '')}]({row.get('author_url', '')})  \n"
                        f"Category: {record['category'] or '—'} · palette {record['palette']}"
                    )
                    st.code(row.get("normalized_svg") or row.get("svg", ""), language="xml")

"""Search: free text, JSON or SVG over the icon library, with set, license and palette filters."""

import time

import streamlit as st

from app import resources, state
from app.ui import readable_errors
from mbat.catalog import icon_details, set_prefixes
from svgtok.render import render_png

COLUMNS = 4

st.title("Search")
index, catalog = resources.library()
st.caption(f"{len(index):,} icons from {catalog}")
st.session_state.setdefault(state.SEARCH_QUERY, "")
st.session_state.setdefault(state.SEARCH_DETAIL, None)

query = st.text_input("Query", key=state.SEARCH_QUERY, placeholder='bell, "two-color food icons under MIT", or JSON')
cols = st.columns([2, 2, 1, 1])
sets = cols[0].multiselect("Sets", set_prefixes(catalog))
licenses = cols[1].multiselect("Licenses", index.licenses())
palette = cols[2].selectbox("Palette", ["any", "mono", "color"])
k = cols[3].number_input("Results", 1, 48, 12)


def show_grid(ids: list[str], scores: list[float], prefix: str) -> None:
    details = icon_details(catalog, ids)
    grid = st.columns(COLUMNS)
    for i, (asset_id, score) in enumerate(zip(ids, scores, strict=True)):
        icon = details.get(asset_id)
        if icon is None:
            continue
        with grid[i % COLUMNS], readable_errors():
            st.image(render_png(icon["svg"], 128), caption=icon["name"])
            st.caption(f"{icon['set_title']} · {icon['license']} · by {icon['author']} · score {score:.2f}")
            if st.button("Details", key=f"{prefix}{asset_id}"):
                st.session_state[state.SEARCH_DETAIL] = asset_id


if query.strip():
    with readable_errors():
        filters = {f: v for f, v in (("set", sets), ("license", licenses)) if v}
        if palette != "any":
            filters["palette"] = [palette]
        start = time.perf_counter()
        scores, keys = index.search(query, int(k), filters)
        seconds = time.perf_counter() - start
        hits = [(r["asset_id"], float(s)) for s, r in zip(scores[0], index.records(keys)[0], strict=True) if r]
        st.caption(f"{len(hits)} results in {seconds * 1000:.1f} ms")
        if not hits:
            st.info("No icons match; loosen the filters or try other words.")
        show_grid([h[0] for h in hits], [h[1] for h in hits], "hit-")
else:
    st.info("Type words, paste JSON or SVG, or give an asset id such as mdi:bell.")

detail = st.session_state[state.SEARCH_DETAIL]
if detail:
    with readable_errors():
        icon = icon_details(catalog, [detail])[detail]
        st.divider()
        st.subheader(f"{icon['id']} — {icon['set_title']}")
        left, right = st.columns([1, 2])
        left.image(render_png(icon["svg"], 256))
        right.markdown(
            f"License: [{icon['license']}]({icon['license_url']}) · Author: [{icon['author']}]({icon['author_url']})"
        )
        right.download_button("Download SVG", icon["svg"], f"{icon['name']}.svg", "image/svg+xml")
        right.code(icon["svg"], language="xml", wrap_lines=True)
        st.markdown("**Similar icons**")
        scores, keys = index.search(detail, 9)
        similar = [(r["asset_id"], float(s)) for s, r in zip(scores[0], index.records(keys)[0], strict=True) if r]
        similar = [h for h in similar if h[0] != detail][:8]
        show_grid([h[0] for h in similar], [h[1] for h in similar], "similar-")

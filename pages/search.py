"""Search: every record and source passage under any of its names; the URL is the query (?q=…&kind=…&page=N)."""
import streamlit as st

from atlas.analysis import search
from atlas.ui import data, widgets
from atlas.ui import search as search_ui
from atlas.views import viewstate

ds = data.require()
state, notices = viewstate.SearchState.parse(st.query_params, ds)
widgets.page_header("Search", "Records of every kind under any side's name, and the sources' own words.", ds, notices)

q = search_ui.query_box(state.q)
index = data.derived(ds, search.build_index)
if not q.strip():
    search_ui.empty_state(ds, index)
else:
    search_ui.results(ds, search.search(index, q), state.kind)

"""Record: one record on its own, with its evidence, the pages that show it, and its JSON and CSV."""
import streamlit as st

from atlas.ui import data, panels, widgets
from atlas.views import viewstate

ds = data.require()
state, notices = viewstate.RecordState.parse(st.query_params, ds)

if state.id is None:
    widgets.title_with_cite("Record")
    widgets.show_notices(notices)
else:
    panels.record_page(ds, ds.records[state.id])

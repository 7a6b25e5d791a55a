"""Record: one record on its own, with its evidence, the pages that show it, and its JSON and CSV."""
import streamlit as st

from atlas.ui import data, panels, widgets
from atlas.views import links

ds = data.require()
parsed = links.parse_record(st.query_params, ds)
rec = parsed.values["record"]

if rec is None:
    widgets.title_with_cite("Record")
    widgets.show_notices(parsed.notices)
else:
    panels.record_page(ds, rec)

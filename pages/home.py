"""Home: what the Atlas is, a picture of where things stand, the brief, and three questions to start from."""
import streamlit as st

from atlas.analysis import tour
from atlas.core import geo
from atlas.ui import data, widgets
from atlas.views import figures, render, staticmap

ds = data.require()
widgets.home_notices(ds)

widgets.title_with_cite(ds.settings.title)
st.html(render.intro(ds))

picture, start = st.columns([3, 2], gap="large")
with picture:
    last = geo.last_month(ds)
    st.image(data.derived(ds, staticmap.png_for, last, figures.default_layers(ds), "international", None),
             caption=f"Corridors, areas and places as of {geo.month_label(last)}: open the map to click any of "
                     "them for its sources.",
             alt=f"Map of the corridors, areas and places as of {geo.month_label(last)}, with its key")
    st.page_link("pages/map.py", label="Open the interactive map", icon=":material/map:")
with start:
    st.link_button("Start the brief", "/brief", type="primary", icon=":material/co_present:",
                   help="A presenter mode for a meeting room: one step at a time, its quote always on screen")
    st.caption(f"{len(ds.brief)} steps for a meeting room, each with its quote on screen." if ds.brief
               else "This corpus has no brief yet.")
    st.header("Start from a question")
    st.html(render.questions(data.derived(ds, tour.starting_questions)))
    cited, total, _ = ds.coverage()
    st.html(render.counts_line(ds, cited, total))

st.header("Who is speaking")
if ds.sources:  # st.html refuses an empty body
    st.html(render.speakers(ds))
else:
    st.info("This corpus has no sources yet.", icon=":material/info:")

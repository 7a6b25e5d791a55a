"""Entry point: page config, navigation over pages/, the shared sidebar."""
import streamlit as st

from atlas.core import paths
from atlas.ui import changes as changes_ui
from atlas.ui import data, shell, widgets
from atlas.ui import search as search_ui
from atlas.views import render

snap = data.snapshot()  # this run's data: the page's data.require() gets the same snapshot
ds = snap.dataset
st.set_page_config(page_title=ds.settings.title, page_icon=str(paths.ASSETS / "icon.png"), layout="wide")
widgets.inject_css()

# Navigation is built on every run, even when the data are broken, and the error page is drawn here
# instead of the page: a page that calls st.stop() loses the navigation (Streamlit then falls back
# to running pages/ bare), so pages never stop.
page = st.navigation([
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/alignments.py", title="Alignments", icon=":material/show_chart:", url_path="alignments"),
    st.Page("pages/events.py", title="Events", icon=":material/event_note:", url_path="events"),
    st.Page("pages/perspectives.py", title="Perspectives", icon=":material/diversity_3:", url_path="perspectives"),
    st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
    st.Page("pages/search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page("pages/brief.py", title="Brief", icon=":material/co_present:", url_path="brief"),
    st.Page("pages/about.py", title="About", icon=":material/info:", url_path="about"),
    st.Page("pages/changes.py", title="What changed", icon=":material/history:", url_path="changes"),
    st.Page("pages/curate.py", title="Curate", icon=":material/edit_note:", url_path="curate"),
    st.Page("pages/record.py", title="Record", icon=":material/article:", url_path="record", visibility="hidden"),
])

with st.sidebar:
    search_ui.sidebar_box()
    st.html(render.tagline(ds))
    if snap.usable:
        st.caption(f"{len(ds.sources)} sources · {len(ds.records)} records · {len(ds.citations)} citations")
        st.caption(f"Data version: {changes_ui.data_version(ds)}")

if not snap.usable:
    widgets.data_error_page(snap.problems, str(ds.data_dir))
else:
    if snap.stale:  # the files on disk are broken: the last valid data are shown, with what is wrong
        shell.stale_data_notice(snap.problems, snap.read_at)
    widgets.begin_citations()
    page.run()
    widgets.fill_citations(ds, page.url_path)  # "Cite this view", from the address as the page left it

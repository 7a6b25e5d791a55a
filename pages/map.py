"""Map: corridors, borders, areas, places and events as of a month, every feature one click from its source."""
import time

import streamlit as st

from atlas.core import geo
from atlas.ui import data, packs, panels, widgets
from atlas.views import cite, export, figures, render, staticmap, viewstate

ds = data.require()
MONTHS = geo.period_months(ds)
state, notices = viewstate.MapState.parse(st.query_params, ds, MONTHS)
view = state.view()  # the controls below update it

widgets.page_header("Map", "Corridors, borders, areas, places and events as of a month. Click any feature to read the "
                    "sources behind it.", ds, notices, compact=True, with_cite=False)

# A click on the map arrives as the deck's selection state: it becomes the focus, once per click.
clicked = widgets.new_pick("map", figures.clicked_record(st.session_state.get("map-deck")))
if clicked in ds.records:
    view.focus = clicked

LAYERS = figures.layer_labels(ds)
PLAY_SECONDS = 1.5


def _step(delta: int) -> None:
    key = "url:date"
    at = MONTHS.index(st.session_state.get(key, view.date))
    st.session_state[key] = MONTHS[max(0, min(len(MONTHS) - 1, at + delta))]


# Play: each run that ends while playing asks for the next month; it is applied here, before the widgets exist.
if st.session_state.pop("map-advance", False):
    _step(1)
if st.session_state.get("map-play") and st.session_state.get("url:date", view.date) == MONTHS[-1]:
    st.session_state["map-play"] = False  # reached the last month

# One compact bar of controls, so the map starts high on a laptop screen.
c_date, c_prev, c_next, c_play, c_more, c_link, c_cite = st.columns([3.1, 1.2, 1.1, 1.0, 1.4, 1.25, 1.1],
                                                                    vertical_alignment="bottom")
with c_date:
    view.date = widgets.url_widget(
        "date", view.date,
        lambda key: st.select_slider("Situation as of", MONTHS, key=key, format_func=geo.month_label),
        default=MONTHS[-1])
    panels.events_histogram(ds, view.date)
c_prev.button("◀ Earlier", key="date-prev", on_click=_step, args=(-1,), width="stretch", help="One month earlier")
c_next.button("Later ▶", key="date-next", on_click=_step, args=(1,), width="stretch", help="One month later")
playing = c_play.toggle("Play", key="map-play")  # steps through the months; any click stops it
with c_more.popover("Layers", icon=":material/layers:", width="stretch", help="Layers and place names"):
    view.names = widgets.url_widget(
        "names", view.names,
        lambda key: st.radio("Place names", list(figures.NAME_USAGES), key=key, format_func=figures.NAME_USAGES.get),
        default="international")
    view.layers = tuple(widgets.url_widget(
        "layers", list(view.layers),
        lambda key: st.pills("Layers", list(LAYERS), key=key, selection_mode="multi", format_func=LAYERS.get),
        default=list(LAYERS), to_url=",".join) or ())
with c_link:
    widgets.copy_link_button()
with c_cite:
    widgets.cite_button()

# The selection lives in the URL: a click on the map, a link of the text alternative (the keyboard's way), or a pasted link.
if st.session_state.pop("map-clear", False):
    view.focus = None
widgets.write_param("focus", view.focus)
c_map, c_panel = st.columns([5, 4])
with c_map, st.container(key="atlas-mapbox"):
    with st.spinner("Drawing the map…"):
        build = data.map_build(ds, view)
    st.pydeck_chart(build.deck, on_select="rerun", selection_mode="single-object", key="map-deck", height=widgets.VISUAL_HEIGHT,
                    alt=f"Map of {geo.the_region(ds)}: corridors, areas, places and events as of the selected month")
    st.html(render.map_legend(build.state))
with c_panel, st.container(key="atlas-panelbox", height=widgets.VISUAL_HEIGHT, border=True):
    if view.focus:
        st.button("Close", key="map-close", icon=":material/close:", help="Clear the selection",
                  on_click=st.session_state.__setitem__, args=("map-clear", True))
        if view.focus not in build.mapped:
            st.info("This feature is not drawn at this date or with these layers.", icon=":material/visibility_off:")
        panels.record_panel(ds, ds.records[view.focus], view.date, view.names)
    else:
        st.html(render.MAP_PANEL_HINT)

d1, d2, _ = st.columns([1.3, 1.6, 2])
with d1.popover("Download", icon=":material/download:", width="stretch", help="This view as an image or as data"):
    png = data.derived(ds, staticmap.png_for, view.date, tuple(view.layers), view.names, view.focus,
                       cite.image_line(widgets.view_citation(ds, "map")))
    st.download_button("Map image (PNG)", png, icon=":material/image:", file_name=f"atlas-map-{view.date}.png",
                       mime="image/png", width="stretch",
                       help="This view with its key, source line and citation, for slides and documents")
    st.download_button("Map data (GeoJSON)", data.derived(ds, export.map_geojson_bytes, view.date, tuple(view.layers), view.names),
                       icon=":material/data_object:", file_name=f"atlas-map-{view.date}.geojson", mime="application/geo+json",
                       width="stretch", help="Every feature of this view with its style and citations, for QGIS or Kepler.gl")
with d2:
    packs.map_view(ds, view)
st.html(render.MAP_ATTRIBUTION + render.map_text_alternative(ds, build.state) + render.OPEN_TARGET,
        unsafe_allow_javascript=True)

if playing and view.date != MONTHS[-1]:
    time.sleep(PLAY_SECONDS)  # a click on any control interrupts the wait and the play rerun
    st.session_state["map-advance"] = True
    st.rerun()

"""Map: corridors, borders, areas, places and events as of a month, every feature one click from its source."""
import time

import streamlit as st

from atlas import figures, geo, links, render, staticmap, tables
from atlas.ui import data, panels, widgets

ds = data.require()
parsed = links.parse_map(st.query_params, ds)
view = parsed.values["view"]

widgets.page_header("Map", "Corridors, borders, areas, places and events as of a month. Click any feature to read the "
                    "sources behind it.", ds, parsed)

# A click on the map arrives as the deck's selection state: it becomes the focus, once per click.
clicked = widgets.new_pick("map", figures.clicked_record(st.session_state.get("map-deck")))
if clicked in ds.records:
    view.focus = clicked

MONTHS = geo.months()
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


c_date, c_names = st.columns([3, 2], vertical_alignment="top")
with c_date:
    view.date = widgets.url_widget(
        "date", view.date,
        lambda key: st.select_slider("Situation as of", MONTHS, key=key, format_func=geo.month_label),
        default=geo.LAST_MONTH)
    c_prev, c_next, c_play = st.columns(3, vertical_alignment="center", gap="small")
    c_prev.button("◀ Month earlier", key="date-prev", on_click=_step, args=(-1,), width="stretch")
    c_next.button("Month later ▶", key="date-next", on_click=_step, args=(1,), width="stretch")
    playing = c_play.toggle("Play", key="map-play", help="Step through the months automatically; any click stops it")
with c_names:
    view.names = widgets.url_widget(
        "names", view.names,
        lambda key: st.radio("Place names", list(figures.NAME_USAGES), key=key, horizontal=True,
                             format_func=figures.NAME_USAGES.get),
        default="international")
view.layers = tuple(widgets.url_widget(
    "layers", list(view.layers),
    lambda key: st.pills("Layers", list(figures.LAYERS), key=key, selection_mode="multi", format_func=figures.LAYERS.get),
    default=list(figures.DEFAULT_LAYERS), to_url=",".join) or ())

mappable = [r.id for r in ds.records.values() if r.kind in figures.MAP_KINDS]
c_map, c_panel = st.columns([3, 2])
with c_panel:
    view.focus = widgets.url_widget(
        "focus", view.focus,
        lambda key: st.selectbox("Selected feature", [None, *mappable], key=key, placeholder="Click the map, or choose here",
                                 format_func=lambda i: panels.feature_label(ds, i)))
with c_map:
    with st.spinner("Drawing the map…"):
        build = data.map_build(ds, view)
    st.pydeck_chart(build.deck, on_select="rerun", selection_mode="single-object", key="map-deck", height=640,
                    alt="Map of the South Caucasus: corridors, areas, places and events as of the selected month")
    st.html(panels.map_legend(ds, view.date))
    st.html("<p class='atlas-attrib'>Basemap: Made with Natural Earth (offline). Routes are schematic: straight lines "
            "between the places each corridor passes, not surveyed alignments.</p>")
    st.download_button("Download this map (PNG)", lambda v=view: staticmap.render_png(ds, v), icon=":material/download:",
                       file_name=f"atlas-map-{view.date}.png", mime="image/png")
    with st.expander("Text alternative: the corridors, areas and places on this map"):
        st.html(render.data_table(data.derived(ds, tables.map_features, view.date), "Corridors, areas and places on this map"))
with c_panel:
    widgets.copy_link_button()
    if view.focus:
        panels.record_panel(ds, ds.records[view.focus], view.date)
        if view.focus not in build.mapped:
            st.info("This feature is not drawn at this date or with these layers.", icon=":material/visibility_off:")
    else:
        st.caption("Click a corridor, place, area or event on the map — or choose one above — to read the sources behind it.")
    if build.unmapped_events:
        with st.expander(f"{len(build.unmapped_events)} events by {geo.month_label(view.date)} happened outside the map"):
            st.html("<ul class='atlas-list'>" + "".join(
                f"<li>{render.esc(ds.records[e].date.label())}: "
                f"<a href='{render.esc(links.href('map', focus=e, date=view.date))}' target='_self'>"
                f"{render.esc(ds.records[e].title)}</a></li>" for e in build.unmapped_events) + "</ul>")

if playing and view.date != MONTHS[-1]:
    time.sleep(PLAY_SECONDS)  # a click on any control interrupts the wait and the play rerun
    st.session_state["map-advance"] = True
    st.rerun()

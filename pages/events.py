"""Events explorer: every event, filtered and searched, each with its evidence; download with citations."""
from dataclasses import replace

import streamlit as st

from atlas.analysis import explore
from atlas.core import geo
from atlas.ui import data, panels, widgets
from atlas.views import viewstate

ds = data.require()
opts = data.derived(ds, explore.options)
MONTHS = data.derived(ds, explore.months)
v, notices = viewstate.EventsState.parse(st.query_params, ds, opts, MONTHS)

widgets.page_header("Events", "Every dated event in the evidence base. Search titles, summaries and the quoted passages; "
                    "filter; select a row to read its sources.", ds, notices, compact=True)

LABELS = {"partner": "Partner", "tag": "Tag", "source": "Source", "actor": "Actor"}
c_q, *cols = st.columns([2.2, 1, 1, 1, 1], vertical_alignment="bottom")
with c_q:
    q = widgets.url_widget("q", v.q, lambda key: st.text_input("Search", key=key, placeholder="e.g. Lachin, CSTO, MI6"),
                           default="")
chosen = {}
for col, name in zip(cols, LABELS, strict=True):
    fmt = (lambda s: ds.sources[s].title) if name == "source" else str
    with col:
        chosen[name] = widgets.url_widget(
            name, list(getattr(v, name)), lambda key, n=name, f=fmt: st.multiselect(LABELS[n], opts[n], key=key, format_func=f,
                                                                      placeholder="any"),
            default=[], to_url=",".join)
c_count, c_period = st.columns([1, 2], vertical_alignment="bottom")
with c_period:
    period = widgets.url_month_range("Period", MONTHS, (v.first, v.last), geo.month_label)

everything = data.derived(ds, explore.table)
filters = explore.Filters(q=q, first=period[0], last=period[1], **chosen)
found = explore.apply(everything, filters)
c_count.header(f"{len(found)} of {len(everything)} events")

if found.empty:
    st.info("No event matches. Clear a filter or shorten the search.", icon=":material/search_off:")
else:
    picked = st.dataframe(
        explore.visible(found), hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
        key="events-table",
        column_config={"date": st.column_config.TextColumn("Date (precision)", width="medium"),
                       "title": st.column_config.TextColumn("Event", width="large"),
                       "actors": st.column_config.TextColumn("Actors"), "partners": st.column_config.TextColumn("Partners"),
                       "tags": st.column_config.TextColumn("Tags"), "sources": st.column_config.TextColumn("Sources"),
                       "reported_by": st.column_config.TextColumn("Whose account"),
                       "id": st.column_config.TextColumn("Id", width="small")})
    rows = picked.selection.rows if picked else []
    chosen_id = widgets.new_pick("events", found.iloc[rows[0]]["id"] if rows else None)
    if chosen_id:
        v = replace(v, focus=chosen_id)
    st.download_button("Download these events with their citations (CSV)",
                       data.derived(ds, explore.events_csv_for, tuple(found["id"])),
                       file_name="atlas-events.csv", mime="text/csv", icon=":material/download:")

widgets.write_param("focus", v.focus)
panels.evidence_dialog(ds, v.focus, geo.last_month(ds))  # over the table, on screen; closing it clears the selection

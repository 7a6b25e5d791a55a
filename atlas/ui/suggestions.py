"""/curate's suggestions for a source: candidates shown with the words they came from; an editor picks rows and puts
them into the event form, where nothing is saved until the editor saves the event."""
from __future__ import annotations

import streamlit as st

from atlas.core.load import Dataset
from atlas.curate.suggest import suggest
from atlas.ui import data
from atlas.views import render
from atlas.views import suggestions as view

_FOR = "curate_suggest_for"  # the source whose suggestions are shown
_PICK = "curate_suggest_pick"
_DONE = "curate_suggest_done"


def show_for(source_id: str) -> None:
    """Ask for the suggestions of `source_id` (after a source is added, its suggestions come up at once)."""
    st.session_state[_FOR] = source_id
    st.session_state.pop(_PICK, None)


def panel(ds: Dataset, source_id: str) -> None:
    if st.session_state.get(_FOR) != source_id:
        st.caption("Dates, places, actors and partners the text mentions, each with the words it came from. Nothing is "
                   "saved: you choose what goes into the event form, and you save the event.")
        st.button(f"Suggest from {render.md(source_id)}", key="curate_suggest", on_click=show_for, args=(source_id,))
        return
    if source_id not in ds.texts:
        st.info("This source is still being loaded; its suggestions show in a moment.")
        st.button("Show the suggestions", key="curate_suggest_again")
        return
    with st.spinner(f"Reading {render.md(source_id)} for dates, places, actors and partners…"):
        found = data.derived(ds, suggest, source_id)
        rows = view.rows(ds, source_id, found)
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done)
    if not rows:
        st.info(f"Nothing to suggest in {render.md(source_id)}: no dated sentence, and no place, actor or partner the data knows.")
        return
    st.caption(f"{len(rows)} suggestions from {render.md(source_id)}, each with the words it came from in their sentence. Check "
               "them, choose the ones you confirm, and put them into the event form (the first date and place chosen, "
               "every actor and partner).")
    st.dataframe([r.as_dict() for r in rows], hide_index=True, width="stretch",
                 height=min(36 * (len(rows) + 1) + 3, 320),
                 column_config={"passage": st.column_config.NumberColumn("passage", width="small"),
                                "in context": st.column_config.TextColumn("in context", width="large")})
    labels = [f"{r.kind}: {r.shown} — “{r.words}” (passage {r.passage})" for r in rows]
    picked = st.multiselect("Suggestions you confirm", range(len(rows)), key=_PICK, format_func=lambda i: labels[i],
                            placeholder="Choose suggestions by typing any part of them")
    st.button("Put them in the event form", key="curate_suggest_use", disabled=not picked, on_click=_use,
              args=([rows[i] for i in picked],))


def _use(chosen: list[view.Row]) -> None:
    """Fill the event form (a callback: it runs before the form's widgets are drawn, so they show the values)."""
    fill = view.event_fill(chosen)
    ss = st.session_state
    ss["curate_kind"] = "event"
    if fill.date:
        ss["curate_event_date"] = fill.date
        ss["curate_event_basis"] = "stated"
    if fill.place:
        ss["curate_event_place"] = fill.place
    if fill.actors:
        ss["curate_event_actors"] = list(dict.fromkeys([*ss.get("curate_event_actors", []), *fill.actors]))
    ss[_PICK] = []
    ss[_DONE] = (f"Put into the event form below: {render.md(fill.describe(), limit=300)}. Check them, write the title "
                 "and summary in your own words, cite the quotes, and save.")

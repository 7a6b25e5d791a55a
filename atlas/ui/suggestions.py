"""/curate's suggestions for a source: candidates shown with the words they came from; an editor picks some and puts
them into the event form, or begins a place record from a Natural Earth town; nothing is saved until the editor saves
the form."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from atlas.core.load import Dataset
from atlas.ui import data, placepicker
from atlas.views import render
from atlas.views import suggestions as view

_FOR = "curate_suggest_for"  # the source whose suggestions are shown
_PICK = "curate_suggest_pick"
_DONE = "curate_suggest_done"


def show_for(source_id: str) -> None:
    """Ask for the suggestions of `source_id` (after a source is added, its suggestions come up at once)."""
    st.session_state[_FOR] = source_id
    st.session_state.pop(_PICK, None)


def panel(ds: Dataset, source_id: str, use_citation: Callable[[dict], None]) -> None:
    """The suggestions for `source_id`; `use_citation` puts a citation among the quotes the record forms can cite."""
    if st.session_state.get(_FOR) != source_id:
        st.caption("Dates, places, actors and partners the text mentions, and towns of Natural Earth not yet in the data, "
                   "each with the words it came from. Nothing is saved: you choose what goes into a form, and you save it.")
        st.button(f"Suggest from {render.md(source_id)}", key="curate_suggest", on_click=show_for, args=(source_id,))
        return
    if source_id not in ds.texts:
        st.info("This source is still being loaded; its suggestions show in a moment.")
        st.button("Show the suggestions", key="curate_suggest_again")
        return
    with st.spinner(f"Reading {render.md(source_id)} for dates, places, actors and partners…"):
        found, problems = data.derived(ds, view.found, source_id)
        rows = view.rows(ds, source_id, found)
    for p in problems:  # the optional Natural Earth file: the suggestions are made without what cannot be read
        st.warning(render.md(str(p), limit=600))
    if not rows:
        st.info(f"Nothing to suggest in {render.md(source_id)}: no dated sentence, and no place, actor or partner the data knows.")
        return
    st.caption(f"{len(rows)} suggestions from {render.md(source_id)}, each with the words it came from in their sentence. Check "
               "them, choose the ones you confirm, and put them into the event form (the first date and place chosen, "
               "every actor and partner), or begin a place record from a new place.")
    st.dataframe([r.as_dict() for r in rows], hide_index=True, width="stretch",
                 height=min(36 * (len(rows) + 1) + 3, 320),
                 column_config={"passage": st.column_config.NumberColumn("passage", width="small"),
                                "in context": st.column_config.TextColumn("in context", width="large"),
                                "also in": st.column_config.TextColumn("also in", width="small",
                                                                       help="other passages giving the same")})
    by_key = {r.key: r for r in rows}  # ticks are kept by what they stand for, not by row number
    if _PICK in st.session_state:  # a tick whose suggestion went (e.g. its place was saved meanwhile) is dropped
        st.session_state[_PICK] = [k for k in st.session_state[_PICK] if k in by_key]
    picked = st.multiselect("Suggestions you confirm", list(by_key), key=_PICK, format_func=lambda k: by_key[k].label,
                            placeholder="Choose suggestions by typing any part of them")
    chosen = [by_key[k] for k in picked if k in by_key]
    c1, c2 = st.columns(2)
    c1.button("Put them in the event form", key="curate_suggest_use", on_click=_use, args=(chosen,),
              disabled=not any(r.kind != "new place" for r in chosen))
    new = [r for r in chosen if r.new_place is not None]
    c2.button("Start a new place from it", key="curate_suggest_place", on_click=_new_place, args=(new[:1], use_citation),
              disabled=len(new) != 1, help="Choose one new place (from Natural Earth) to begin a place record with its "
              "name, coordinates and country")
    done = st.session_state.pop(_DONE, None)
    if done:  # under the buttons, where the eye is after pressing one
        st.success(done)


def _use(chosen: list[view.Row]) -> None:
    """Fill the event form (a callback: it runs before the form's widgets are drawn, so they show the values)."""
    fill = view.event_fill(chosen)
    ss = st.session_state
    ss[_PICK] = []
    ss["curate_kind"] = "event"
    if fill.date:
        ss["curate_event_date"] = fill.date
        ss["curate_event_basis"] = "stated"
    if fill.place:
        ss["curate_event_place"] = fill.place
    if fill.actors:
        ss["curate_event_actors"] = list(dict.fromkeys([*ss.get("curate_event_actors", []), *fill.actors]))
    ss[_DONE] = (f"Put into the event form below: {render.md(fill.describe(), limit=300)}. Check them, write the title "
                 "and summary in your own words, cite the quotes, and save.")


PLACE_FORM = "curate_gen_place_new"  # the keys of the new place form's widgets (atlas.ui.curate.record_form)


def _new_place(chosen: list[view.Row], use_citation: Callable[[dict], None]) -> None:
    """Begin a place record from a Natural Earth suggestion: the form shows it, the editor checks it and saves it."""
    if not chosen:
        return
    row, ss = chosen[0], st.session_state
    fields = view.new_place_fields(row)
    ss["curate_kind"] = "place"
    for key, value in fields.items():
        if key == "names":
            for lang, name in value.items():
                ss[f"{PLACE_FORM}_names_{lang}"] = name
        else:
            ss[f"{PLACE_FORM}_{key}"] = value
    if "lon" in fields and "lat" in fields:  # the place map opens on it, ringed, to refine with a click
        ss[placepicker.state_key(PLACE_FORM)] = {"centre": [fields["lon"], fields["lat"]],
                                                  "chosen": [fields["lon"], fields["lat"]]}
    if row.new_place is not None and row.new_place.citation:
        use_citation(row.new_place.citation)  # where the text names it: the place's first citation
    ss[_PICK] = []
    ss[_DONE] = (f"Began the place {render.md(fields['id'])} below from Natural Earth: check its coordinates and "
                 "country, add its other names, and save it.")

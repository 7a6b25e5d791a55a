"""/curate: a new place's lon/lat picked with two clicks on a map (atlas.views.pickmap draws it), still editable by typing.

The click is read in the chart's on_select callback, which runs before the script: it may write the form's lon/lat
number inputs' session_state keys before those widgets are drawn again.
"""
from __future__ import annotations

from functools import partial

import streamlit as st

from atlas.views import pickmap, render

DECK_KEY = "curate_pickmap_place"  # outside the form's prefixes: a save must not reset the chart's selection state


def state_key(slot: str) -> str:
    """The picker's own state: inside the form's prefix, so a saved place leaves a fresh picker."""
    return f"{slot}_pick"


def apply_pick(ss, slot: str, pick: pickmap.Pick | None) -> None:
    """Carry a click out on the session state `ss`: zoom in, set the form's lon/lat (the `{slot}_lon`/`{slot}_lat`
    number inputs), or name the known place that was clicked. Nothing for a click on nothing."""
    if pick is None:
        return
    state = dict(ss.get(state_key(slot)) or {})
    state.pop("known", None)
    if pick.action == "zoom":
        state["centre"] = [pick.lon, pick.lat]
    elif pick.action == "point":
        state["chosen"] = [pick.lon, pick.lat]
        ss[f"{slot}_lon"], ss[f"{slot}_lat"] = float(pick.lon), float(pick.lat)
    elif pick.action == "known":
        state["known"] = pick.place
    ss[state_key(slot)] = state


def _on_select(ds, slot: str, key: str) -> None:
    apply_pick(st.session_state, slot, pickmap.picked(ds, st.session_state.get(key)))


def _start_over(slot: str) -> None:
    st.session_state[state_key(slot)] = {}


def place_picker(ds, slot: str) -> None:
    """The picking map for the new-place form whose widget keys start with `slot`."""
    state = st.session_state.get(state_key(slot)) or {}
    centre, chosen = state.get("centre"), state.get("chosen")
    st.caption("Pick the place on the map: click the dot nearest to it (scroll to zoom, drag to pan) and the map zooms "
               "in to finer dots; click the one on the place to fill in lon and lat. The dots are "
               f"{pickmap.FINE_STEP:g}° apart, so a pick is good to about {pickmap.PRECISION_M} m; type the numbers to "
               "refine them. The named dark dots are places already in the gazetteer.")
    deck = pickmap.pick_deck(ds, tuple(centre) if centre else None, tuple(chosen) if chosen else None)
    # one chart per view: Streamlit 1.67 kept drawing the old deck into a keyed chart until the next click on it
    key = f"{DECK_KEY}@{centre[0]},{centre[1]}" if centre else DECK_KEY
    st.pydeck_chart(deck, on_select=partial(_on_select, ds, slot, key), selection_mode="single-object", key=key,
                    height=pickmap.MAP_HEIGHT, alt="Map for picking a new place's coordinates: a grid of clickable dots")
    known = state.get("known")
    if known and known in ds.records:
        st.info(f"{render.md(ds.records[known].title)} is already in the gazetteer, as {render.md(known)}: cite it "
                "from the records that need it rather than adding it again.", icon=":material/location_on:")
    if chosen:
        st.caption(f"Picked lon {chosen[0]:.3f}, lat {chosen[1]:.3f} (to about {pickmap.PRECISION_M} m).")
    if centre or chosen or known:
        st.button("Start over", key=f"{slot}_pick_restart", icon=":material/zoom_out_map:", on_click=_start_over,
                  args=(slot,), help="Back to the whole region")

"""The evidence panel: what a record is, its state at a date, who says what about it, and every quote."""
from __future__ import annotations

import streamlit as st

from atlas.analysis import explore
from atlas.analysis.alignment import Move
from atlas.core.load import Dataset
from atlas.core.model import Record
from atlas.ui import data, widgets
from atlas.views import record as record_view
from atlas.views import render


def event_label(ds: Dataset, event_id: str | None) -> str:
    """Plain text for choosing an event in a list: '10 Jan 2023: Armenia pauses CSTO exercises on its soil'."""
    if event_id is None:
        return "—"
    event = ds.records[event_id]
    return f"{event.date.label()}: {event.title}"


def record_panel(ds: Dataset, rec: Record, month: str, usage: str = "international") -> None:
    """The evidence panel, answer first (atlas.views.render builds it, escaped)."""
    st.html(render.panel_html(ds, rec, month, usage))


def evidence_dialog(ds: Dataset, record_id: str | list[str] | None, month: str, params: tuple[str, ...] = ("focus",),
                    note: str | None = None, title: str | None = None) -> None:
    """A selection's evidence in a dialog over the page, on screen wherever the click was; closing it (Escape, the
    close control or a click outside) clears the selection (`params`) from the address."""
    ids = [r for r in ([record_id] if isinstance(record_id, str) else record_id or []) if r in ds.records]
    if not ids:
        return

    def dismissed() -> None:
        for param in params:
            if param in st.query_params:
                del st.query_params[param]
            st.session_state[f"url:{param}"] = None
            st.session_state[f"url-seen:{param}"] = None

    heading = title or f"Evidence · {render.kind_name(ds.records[ids[0]].kind)}"

    @st.dialog(heading, width="large", on_dismiss=dismissed)
    def show() -> None:
        if note:
            st.info(note, icon=":material/visibility_off:")
        for rid in ids:
            record_panel(ds, ds.records[rid], month)

    show()


def record_page(ds: Dataset, rec: Record) -> None:
    """A record alone: heading with *Cite*, its evidence panel, where else it is shown, its JSON and CSV."""
    head, tool = st.columns([8, 1], vertical_alignment="center")
    head.html(render.record_head(rec))
    with tool:
        widgets.cite_button()
    main, side = st.columns([3, 2], gap="large")
    with main:
        record_panel(ds, rec, record_view.panel_month(ds, rec))
    with side:
        st.download_button("This record (JSON)", data.derived(ds, record_view.record_json, rec.id).encode("utf-8"),
                           file_name=f"{rec.id}.json", mime="application/json", icon=":material/download:",
                           help="Its fields, every citation with its selectors and offsets, its sources with their perspectives")
        st.download_button("Its citations (CSV)", data.derived(ds, record_view.record_csv, rec.id).encode("utf-8"),
                           file_name=f"{rec.id}.csv", mime="text/csv", icon=":material/download:",
                           help="One row per citation: quote, selector, offsets into the stored text, passage")
        st.html(render.record_views(record_view.views(ds, rec)))


def events_histogram(ds: Dataset, month: str) -> None:
    """Events per month, a thin strip under the map's time slider (one small element: drawn from a cached count)."""
    st.html(render.month_histogram(data.derived(ds, explore.events_per_month), month))


def partner_moves(ds: Dataset, moves: list[Move], period: str) -> None:
    """Where the shown period moved each partner, with the quote of the event that moved it most."""
    if moves:
        st.html(render.partner_moves(ds, moves, period, {k: st.query_params.get(k) for k in st.query_params}))

"""The evidence panel: what a record is, its state at a date, who says what about it, and every quote."""
from __future__ import annotations

import streamlit as st

from atlas.core.load import Dataset
from atlas.core.model import Record
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

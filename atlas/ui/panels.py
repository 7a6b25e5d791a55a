"""The evidence panel: what a record is, its state at a date, who says what about it, and every quote."""
from __future__ import annotations

import streamlit as st

from atlas.core import geo
from atlas.core.load import Dataset
from atlas.core.model import Record
from atlas.views import links, mapstate, panel
from atlas.views.render import esc

KIND_NAMES = panel.KIND_NAMES


def feature_label(ds: Dataset, record_id: str | None) -> str:
    """Plain text for choosing a record in a list: 'Corridor · Lachin corridor'."""
    if record_id is None:
        return "—"
    rec = ds.records[record_id]
    return f"{KIND_NAMES.get(rec.kind, rec.kind)} · {rec.title}"


def event_label(ds: Dataset, event_id: str | None) -> str:
    """Plain text for choosing an event in a list: '10 Jan 2023: Armenia pauses CSTO exercises on its soil'."""
    if event_id is None:
        return "—"
    event = ds.records[event_id]
    return f"{event.date.label()}: {event.title}"


def record_panel(ds: Dataset, rec: Record, month: str, usage: str = "international") -> None:
    """The evidence panel, answer first (atlas.views.panel builds it, escaped)."""
    st.html(panel.panel_html(ds, rec, month, usage))


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

    heading = title or f"Evidence · {KIND_NAMES.get(ds.records[ids[0]].kind, 'Record')}"

    @st.dialog(heading, width="large", on_dismiss=dismissed)
    def show() -> None:
        if note:
            st.info(note, icon=":material/visibility_off:")
        for rid in ids:
            record_panel(ds, ds.records[rid], month)

    show()


def _legend_item(entry: mapstate.LegendEntry) -> str:
    if entry.swatch == "more":  # a user's large corpus: the key stays readable, the text alternative lists the rest
        return f"<li class='atlas-said'>{esc(entry.label)}</li>"
    if entry.swatch in ("solid", "dashed", "blocked", "faded"):
        mark = f"<span class='atlas-swatch atlas-{entry.swatch}' style='--c:{esc(entry.colour)}'></span>"
    elif entry.swatch.startswith("area"):
        mark = f"<span class='atlas-area{' atlas-area-past' if entry.swatch == 'area-past' else ''}'></span>"
    elif entry.swatch == "fight":
        mark = "<span class='atlas-dot atlas-fight'></span>"
    elif entry.swatch == "ring":
        mark = f"<span class='atlas-dot atlas-ring' style='border-color:{esc(entry.colour)}'></span>"
    else:
        mark = f"<span class='atlas-dot' style='background:{esc(entry.colour)};border-color:{esc(entry.colour)}'></span>"
    note = f" <span class='atlas-said'>{esc(entry.note)}</span>" if entry.note else ""
    return f"<li data-key='{esc(entry.key)}'>{mark}{esc(entry.label)}{note}</li>"


def map_legend(state: mapstate.MapState) -> str:
    """The map's key as HTML, laid over the map's corner, drawn from the map state: each corridor with its status at
    the date, then only the line styles, areas and marks on the map at that date. A disclosure, open at first, so a
    reader can fold it away."""
    groups = [[e for e in state.legend if e.group == g] for g in ("corridors", "lines", "marks")]
    inline = " class='atlas-inline'"
    lists = "".join(f"<ul{inline if i else ''}>{''.join(_legend_item(e) for e in group)}</ul>"
                    for i, group in enumerate(groups) if group)
    return (f"<details class='atlas-legend atlas-legend-overlay' open><summary>Key · {esc(geo.month_label(state.view.date))}"
            f"</summary>{lists}</details>")


def unmapped_events(ds: Dataset, ids: list[str], month: str) -> str:
    """Events of the period that have no place on the map, each a link to its evidence."""
    return "<ul class='atlas-list'>" + "".join(
        f"<li>{esc(ds.records[e].date.label())}: <a href='{esc(links.href('map', focus=e, date=month))}' target='_self'>"
        f"{esc(ds.records[e].title)}</a></li>" for e in ids) + "</ul>"


MAP_ATTRIBUTION = ("<p class='atlas-attrib'>Basemap: Made with Natural Earth (offline). Routes are schematic: straight lines "
                   "between the places each corridor passes, not surveyed alignments.</p>")

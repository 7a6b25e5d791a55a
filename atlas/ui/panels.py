"""The evidence panel: what a record is, its state at a date, who says what about it, and every quote."""
from __future__ import annotations

import streamlit as st

from atlas.core import geo
from atlas.core.load import Dataset
from atlas.core.model import Record
from atlas.views import figures, links, panel
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


LEGEND_CORRIDORS = 12  # corridors named in the map's key; more would push the key off a projector's screen


def map_legend(ds: Dataset, month: str, usage: str = "international") -> str:
    """The map's key as HTML, laid over the map's corner: corridor colours with their status at the date, line styles,
    then marker and event colours. A disclosure, open at first, so a reader can fold it away."""
    when = geo.month_end(month)
    items = []
    corridors = ds.of_kind("corridor")
    for c in corridors[:LEGEND_CORRIDORS]:
        status = geo.status_at(c, when)
        style = figures.STATUS_STYLE.get(status.status if status else None, "solid")
        items.append(f"<li><span class='atlas-swatch atlas-{style}' style='--c:{figures.corridor_colour(ds, c.id)}'></span>"
                     f"{esc(figures.short_name(c, usage))} <span class='atlas-said'>{esc(figures.status_label(status))}</span></li>")
    if len(corridors) > LEGEND_CORRIDORS:  # a user's large corpus: the key stays readable, the list holds the rest
        items.append(f"<li class='atlas-said'>+{len(corridors) - LEGEND_CORRIDORS:,} more corridors</li>")
    lines = (
        "<li><span class='atlas-swatch atlas-solid' style='--c:#444'></span>operating</li>"
        "<li><span class='atlas-swatch atlas-dashed' style='--c:#444'></span>proposed, planned, building, disputed</li>"
        "<li><span class='atlas-swatch atlas-blocked' style='--c:#444'></span>blocked, closed</li>"
        "<li><span class='atlas-swatch atlas-faded' style='--c:#444'></span>moot</li>"
        "<li><span class='atlas-area'></span>area in force</li>"
    )
    dots = (
        "<li><span class='atlas-dot' style='background:#282828'></span>place</li>"
        "<li><span class='atlas-dot atlas-ring'></span>event, date not to the day</li>"
        "<li><span class='atlas-dot atlas-fight'></span>Sept 2022 fighting</li>"
    ) + "".join(f"<li><span class='atlas-dot' style='background:{c};border-color:{c}'></span>{esc(label)}</li>"
                for c, label in figures.EVENT_COLOUR_KEY)
    return (f"<details class='atlas-legend atlas-legend-overlay' open><summary>Key · {esc(geo.month_label(month))}</summary>"
            f"<ul>{''.join(items)}</ul><ul class='atlas-inline'>{lines}</ul><ul class='atlas-inline'>{dots}</ul></details>")


def unmapped_events(ds: Dataset, ids: list[str], month: str) -> str:
    """Events of the period that have no place on the map, each a link to its evidence."""
    return "<ul class='atlas-list'>" + "".join(
        f"<li>{esc(ds.records[e].date.label())}: <a href='{esc(links.href('map', focus=e, date=month))}' target='_self'>"
        f"{esc(ds.records[e].title)}</a></li>" for e in ids) + "</ul>"


MAP_ATTRIBUTION = ("<p class='atlas-attrib'>Basemap: Made with Natural Earth (offline). Routes are schematic: straight lines "
                   "between the places each corridor passes, not surveyed alignments.</p>")


def record_page(ds: Dataset, rec: Record) -> None:
    """A record alone: heading with *Cite*, its evidence panel, where else it is shown, its JSON and CSV."""
    from atlas.ui import data, widgets
    from atlas.views import record as record_view

    head, tool = st.columns([8, 1], vertical_alignment="center")
    head.html(record_view.head_html(rec))
    with tool:
        widgets.cite_button()
    main, side = st.columns([3, 2], gap="large")
    with main:
        record_panel(ds, rec, record_view.panel_month(rec))
    with side:
        st.download_button("This record (JSON)", data.derived(ds, record_view.record_json, rec.id).encode("utf-8"),
                           file_name=f"{rec.id}.json", mime="application/json", icon=":material/download:",
                           help="Its fields, every citation with its selectors and offsets, its sources with their perspectives")
        st.download_button("Its citations (CSV)", data.derived(ds, record_view.record_csv, rec.id).encode("utf-8"),
                           file_name=f"{rec.id}.csv", mime="text/csv", icon=":material/download:",
                           help="One row per citation: quote, selector, offsets into the stored text, passage")
        st.html(record_view.views_html(ds, rec))


def events_histogram(ds: Dataset, month: str) -> None:
    """Events per month, a thin strip under the map's time slider (one small element: drawn from a cached count)."""
    from atlas.analysis import explore
    from atlas.ui import data
    from atlas.views import counts

    st.html(counts.month_histogram(data.derived(ds, explore.events_per_month), month))


def partner_moves(ds: Dataset, moves: list, period: str) -> None:
    """Where the shown period moved each partner, with the quote of the event that moved it most."""
    from atlas.views import counts

    if moves:
        st.html(counts.moves_html(ds, moves, period, {k: st.query_params.get(k) for k in st.query_params}))

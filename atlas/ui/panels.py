"""The evidence panel: what a record is, its state at a date, who says what about it, and every quote."""
from __future__ import annotations

import streamlit as st

from atlas.core import geo
from atlas.core.load import Dataset
from atlas.core.model import Record
from atlas.views import figures, links, mapstate, panel, render, tables
from atlas.views.render import esc

KIND_NAMES = panel.KIND_NAMES


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


def map_href(view, focus: str | None) -> str:
    """This map view (month, layers, names) with another feature selected."""
    return links.href("map", focus=focus, date=None if view.date == geo.LAST_MONTH else view.date,
                      layers=None if tuple(view.layers) == figures.DEFAULT_LAYERS else ",".join(view.layers),
                      names=None if view.names == "international" else view.names)


def map_text_alternative(ds: Dataset, state: mapstate.MapState) -> str:
    """The map as text, and the keyboard's way to a feature: every feature on the map at the month in a table whose
    names are links that select it (this view, with ?focus=), then the events of the period that have no place on the
    map. Plain disclosures in one element: nothing for the browser to lay out until one is opened."""
    table = tables.map_features(state)
    hrefs = [map_href(state.view, f.id) for f in state.features]
    html = ("<details class='atlas-textalt' id='atlas-map-features'><summary>Text alternative: the "
            f"{len(table):,} features on this map (choose one to read its evidence)</summary>"
            f"{render.data_table(table, 'Features on this map', links={'name': hrefs})}</details>")
    if state.unmapped_events:
        n = len(state.unmapped_events)
        html += (f"<details class='atlas-textalt'><summary>{n} event{'s' if n != 1 else ''} by "
                 f"{esc(geo.month_label(state.view.date))} happened outside the map</summary>"
                 f"{unmapped_events(ds, state.unmapped_events, state.view.date)}</details>")
    return html


def unmapped_events(ds: Dataset, ids: list[str], month: str) -> str:
    """Events of the period that have no place on the map, each a link to its evidence."""
    return "<ul class='atlas-list'>" + "".join(
        f"<li>{esc(ds.records[e].date.label())}: <a href='{esc(links.href('map', focus=e, date=month))}' target='_self'>"
        f"{esc(ds.records[e].title)}</a></li>" for e in ids) + "</ul>"


# A link to a closed disclosure on the page (the panel's hint to the feature list) opens it and moves the focus there:
# Chromium does not open a <details> for a fragment link by itself.
OPEN_TARGET_SCRIPT = """<script>
if (!window.atlasOpenTarget) {
  window.atlasOpenTarget = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#"]');
    const target = link && document.getElementById(link.getAttribute('href').slice(1));
    if (!target || target.tagName !== 'DETAILS') return;
    event.preventDefault();
    target.open = true;
    target.scrollIntoView({block: 'start'});
    target.querySelector('summary').focus();
  });
}
</script>"""
MAP_PANEL_HINT = ("<p class='atlas-said'>Click a corridor, place, area or event on the map to read the sources behind it: who "
                  "is for and against it, and the exact passages. Without a mouse: <a href='#atlas-map-features' "
                  "target='_self'>the list of the features on this map</a>, each name a link.</p>")
MAP_ATTRIBUTION = ("<p class='atlas-attrib'>Basemap: Made with Natural Earth (offline). Routes are schematic: straight lines "
                   "between the places each corridor passes, not surveyed alignments.</p>")

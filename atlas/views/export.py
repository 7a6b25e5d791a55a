"""Exports: citations as CSV and as W3C Web Annotations (JSON-LD).

Every CSV the Atlas writes (here, the events explorer's and the alignment table's) goes through `neutralise`: a text
cell starting with = + - @, a tab or a carriage return would be run as a formula by a spreadsheet that opens the file
(CSV injection), so it gets a leading apostrophe, as OWASP's guidance on CSV injection advises. Such a quote then
differs from the source by that first character: strip one leading apostrophe from a cell that starts with one of those
characters after it to get the exact text back. The JSON-LD and GeoJSON exports carry every text exactly.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from atlas.core.load import Dataset
from atlas.core.model import Area, Corridor, Event, Place
from atlas.views.figures import MapView
from atlas.views.mapstate import map_state

if TYPE_CHECKING:
    import pandas as pd

# A contract: scripts rely on exactly these columns in this order.
CITATION_COLUMNS = ["record_id", "record_type", "title", "date", "date_precision", "source_id", "quote", "start", "end"]
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def citation_rows(ds: Dataset) -> list[dict]:
    rows = []
    for c in ds.citations:
        rec = ds.records[c.record_id]
        date = rec.date
        rows.append({
            "record_id": c.record_id, "record_type": c.record_type, "title": rec.title,
            "date": date.text if date else "", "date_precision": date.precision if date else "",
            "source_id": c.source_id, "quote": c.quote, "start": c.start, "end": c.end,
        })
    return rows


# OWASP, CSV injection: cells beginning with these are read as formulas (or, tab and CR, used to smuggle one in)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert by a leading apostrophe; other values unchanged
    (numbers stay numbers: -1.5 in a numeric column is a value, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[dict], columns: list[str]) -> str:
    """Rows as CSV text with every cell neutralised (the header is ours)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def frame_csv(frame: pd.DataFrame) -> str:
    """A table shown on a page, as a CSV download with every text cell neutralised."""
    import pandas as pd

    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\n")


def citations_csv(ds: Dataset) -> str:
    return csv_text(citation_rows(ds), CITATION_COLUMNS)


def source_iri(source_id: str) -> str:
    return f"urn:atlas:source:{source_id}"


def annotations(ds: Dataset) -> dict:
    """An AnnotationPage: one annotation per citation, targeting the stored source text."""
    items = []
    counts: dict[str, int] = {}
    for c in ds.citations:
        rec = ds.records[c.record_id]
        src = ds.sources[c.source_id]
        n = counts[c.record_id] = counts.get(c.record_id, 0) + 1
        prefix, suffix = ds.texts[c.source_id].context(c.start, c.end)
        target = {
            "source": source_iri(c.source_id),
            "selector": [
                {"type": "TextQuoteSelector", "exact": c.quote,
                 "prefix": c.prefix if c.prefix is not None else prefix,
                 "suffix": c.suffix if c.suffix is not None else suffix},
                {"type": "TextPositionSelector", "start": c.start, "end": c.end},
            ],
        }
        if src.url:
            target["scope"] = src.url
        items.append({
            "id": f"urn:atlas:annotation:{c.record_id}:{n}",
            "type": "Annotation",
            "motivation": "describing",
            "body": {
                "id": f"urn:atlas:{c.record_type}:{c.record_id}",
                "type": "TextualBody",
                "value": f"{c.record_type} {c.record_id}: {rec.title}",
                "format": "text/plain",
                "purpose": "describing",
            },
            "target": target,
        })
    return {"@context": ANNO_CONTEXT, "id": "urn:atlas:annotations", "type": "AnnotationPage", "items": items}


def annotations_jsonld(ds: Dataset) -> str:
    return json.dumps(annotations(ds), ensure_ascii=False, indent=1)


def map_geojson(ds: Dataset, view: MapView | None = None) -> dict:
    """The map's features at a month (the latest by default, every layer) as one GeoJSON FeatureCollection, drawn from
    the map state: places, corridors (schematic), areas, events at places, the Sept 2022 fighting sites.

    Every feature carries its record id, kind, layer, title, name in the view's usage, state at the month, style
    (colour, line pattern, width, hollow) and citations (source id, quote, span), so a GIS user keeps the provenance and
    can draw it as the Atlas does."""
    view = view or MapView()
    state = map_state(ds, view)

    def cites(rid: str) -> list[dict]:
        return [{"source_id": c.source_id, "quote": c.quote, "start": c.start, "end": c.end} for c in ds.citations_of(rid)]

    features = []
    for f in state.features:
        rec = ds.records[f.id]
        props = {"id": rec.id, "kind": f.kind, "layer": f.layer, "title": rec.title, "name": f.name, "status": f.status,
                 "state": f.state, "style": {"colour": f.style.colour, "pattern": f.style.pattern, "width": f.style.width,
                                             "hollow": f.style.hollow, "casing": f.style.casing},
                 "citations": cites(rec.id)}
        if isinstance(rec, Place):
            props.update(names=rec.names.variants(), coord_status=rec.coord_status, coord_source=rec.coord_source)
        elif isinstance(rec, Corridor):
            props.update(names=rec.names.variants(), mode=rec.mode, schematic=True, route=rec.route,
                         statuses=[{"since": s.since.text, "status": s.status, "note": s.note} for s in rec.statuses])
        elif isinstance(rec, Area):
            props.update(names=rec.names.variants(), area_type=rec.area_type,
                         valid_from=rec.valid_from.text if rec.valid_from else None,
                         valid_to=rec.valid_to.text if rec.valid_to else None)
        elif isinstance(rec, Event):
            props.update(date=rec.date.text, date_precision=rec.date.precision, date_basis=rec.date_basis,
                         reported_by=rec.reported_by, place=rec.place)
        features.append({"type": "Feature", "geometry": f.geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features, "month": view.date, "layers": list(view.layers),
            "names": view.names,
            "attribution": "South Caucasus Security Atlas; basemap geometry: Natural Earth (public domain)"}


def map_geojson_text(ds: Dataset, view: MapView | None = None) -> str:
    return json.dumps(map_geojson(ds, view), ensure_ascii=False)


def briefing_html(ds: Dataset) -> str:
    """One self-contained HTML file (no CDN, works offline): the brief's steps, each with its own figure (the map at
    the step's month with its feature marked, or the interactive alignment chart for the step's partners), and a
    numbered list of every source and quote cited."""
    import base64
    import html

    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    from atlas.analysis import alignment
    from atlas.core import geo
    from atlas.views import charts, figures, staticmap

    esc = html.escape
    rows, default_partners = alignment.rows_and_defaults(ds, alignment.Options())
    known = set(rows["partner"])

    def figure(step) -> str:
        view = step.view
        if view.kind == "map":
            month = view.date.text if view.date else geo.LAST_MONTH
            png = base64.b64encode(staticmap.render_focus_png(ds, figures.MapView(date=month, focus=view.focus))).decode()
            focus = ds.records.get(view.focus or "")
            alt = f"Map of the South Caucasus corridors and borders as of {geo.month_label(month)}" + (
                f", with {focus.title} marked" if focus else "")
            return f"<img alt='{esc(alt)}' src='data:image/png;base64,{png}'>"
        partners = tuple(p for p in view.partners if p in known) or tuple(default_partners)
        fig = charts.slide_figure(ds, partners, view.focus)
        fig.update_layout(height=560, hovermode="closest")
        return pio.to_html(fig, include_plotlyjs=False, full_html=False,
                           config={"displaylogo": False, "responsive": True})

    notes: list[tuple[str, object]] = []  # (source id, resolved citation), numbered in order of first use

    def ref(cit) -> int:
        key = (cit.source_id, cit.start, cit.end)
        for i, (k, _) in enumerate(notes, start=1):
            if k == key:
                return i
        notes.append((key, cit))
        return len(notes)

    steps_html = []
    for n, (step, cits) in enumerate(ds.brief, start=1):
        marks = "".join(f"<sup><a href='#q{ref(c)}'>[{ref(c)}]</a></sup>" for c in cits)
        quote = esc(cits[0].quote) if cits else ""
        steps_html.append(f"<section class='step'><p class='n'>Step {n}</p><h2>{esc(step.headline)}</h2>"
                          f"<p>{esc(step.text)}{marks}</p><figure>{figure(step)}</figure>"
                          f"<blockquote>“{quote}”</blockquote></section>")
    src_list = "".join(
        f"<li id='q{i}'>“{esc(c.quote)}” — {esc(ds.sources[c.source_id].title)}, {esc(ds.sources[c.source_id].publisher)}"
        f" (¶{c.passage}; characters {c.start}–{c.end}). <em>{esc(ds.sources[c.source_id].perspective)}</em></li>"
        for i, (_, c) in enumerate(notes, start=1))
    catalogue = "".join(
        f"<li><strong>{esc(s.title)}</strong> — {esc(s.author)}; {esc(s.publisher)}; "
        f"{esc(s.date_published.label() if s.date_published else 'date not given')}. {esc(s.perspective)}</li>"
        for s in ds.sources.values())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>South Caucasus Security Atlas — briefing</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1.5rem; color: #111; line-height: 1.5; }}
h1 {{ font-size: 2.2rem; }} h2 {{ font-size: 1.6rem; margin: 0.2rem 0; }} .n {{ color: #4A5560; margin: 0; font-weight: 600; }}
section.step {{ border-top: 2px solid #C9D1DB; padding: 1rem 0; }} blockquote {{ border-left: 4px solid #FFD24D;
margin: 0.5rem 0; padding: 0.2rem 0.8rem; font-style: italic; }} img {{ max-width: 100%; border: 1px solid #C9D1DB; }}
li {{ margin-bottom: 0.5rem; }} figure {{ margin: 0.8rem 0; }}
</style>
<script>{get_plotlyjs()}</script>
</head><body>
<h1>South Caucasus Security Atlas — briefing</h1>
<p>Armenia's shifting security alignments after the 2020 Karabakh war, step by step. Every statement is tied to an exact
quote from one of four sources, listed at the end with each source's perspective.</p>
{''.join(steps_html)}
<h2>Quotes cited</h2><ol>{src_list}</ol>
<h2>Sources</h2><ul>{catalogue}</ul>
<p><small>Generated by the South Caucasus Security Atlas. Basemap: Made with Natural Earth. CAMEO codes and Goldstein
scores: the GDELT Project.</small></p>
</body></html>"""


def map_geojson_bytes(ds: Dataset, date: str | None = None, layers: tuple[str, ...] | None = None,
                      names: str = "international") -> bytes:
    """The map's GeoJSON as a download (the view's month, layers and names; by default the latest month, every layer):
    prepared before the click, so the button never spins."""
    view = MapView(**({"date": date} if date else {}), **({"layers": tuple(layers)} if layers is not None else {}), names=names)
    return map_geojson_text(ds, view).encode("utf-8")


def briefing_bytes(ds: Dataset) -> bytes:
    """The offline briefing as a download, prepared before the click."""
    return briefing_html(ds).encode("utf-8")

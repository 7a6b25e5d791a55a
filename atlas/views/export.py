"""Exports: citations as CSV and as W3C Web Annotations (JSON-LD), the map's layers as GeoJSON, the offline briefing.

The CSV goes through atlas.core.csvio, which neutralises cells a spreadsheet would run as formulas; the JSON-LD and
GeoJSON exports carry every text exactly.
"""
from __future__ import annotations

import base64
import json

import plotly.io as pio
from plotly.offline import get_plotlyjs

from atlas.analysis import alignment
from atlas.core import geo
from atlas.core.csvio import csv_text
from atlas.core.load import Dataset
from atlas.core.model import Area, Corridor, Event, Place
from atlas.views import charts, figures, render, staticmap
from atlas.views.figures import MapView
from atlas.views.mapstate import map_state

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
    the map state: places, corridors (schematic), areas, events at places, the places of atlas.yaml's named layers.

    Every feature carries its record id, kind, layer, title, name in the view's usage, state at the month, style
    (colour, line pattern, width, hollow) and citations (source id, quote, span), so a GIS user keeps the provenance and
    can draw it as the Atlas does."""
    state = map_state(ds, view or MapView())
    view = state.view  # its defaults filled in from the dataset

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
            "attribution": f"{ds.settings.title}; basemap geometry: Natural Earth (public domain)"}


def map_geojson_text(ds: Dataset, view: MapView | None = None) -> str:
    return json.dumps(map_geojson(ds, view), ensure_ascii=False)


def briefing_html(ds: Dataset) -> str:
    """One self-contained HTML file (no CDN, works offline): the brief's steps, each with its own figure (the map at
    the step's month with its feature marked, or the interactive alignment chart for the step's partners), and a
    numbered list of every source and quote cited. The page itself is built, escaped, by atlas.views.render."""
    rows, default_partners = alignment.rows_and_defaults(ds, alignment.Options())
    known = set(rows["partner"])

    def figure(step):
        view = step.view
        if view.kind == "map":
            month = view.date.text if view.date else geo.last_month(ds)
            png = base64.b64encode(staticmap.render_focus_png(ds, figures.MapView(date=month, focus=view.focus))).decode()
            focus = ds.records.get(view.focus or "")
            alt = f"Map of the corridors and borders of {geo.the_region(ds)} as of {geo.month_label(month)}" + (
                f", with {focus.title} marked" if focus else "")
            return render.briefing_image(alt, png)
        partners = tuple(p for p in view.partners if p in known) or tuple(default_partners)
        fig = charts.slide_figure(ds, partners, view.focus)
        fig.update_layout(height=560, hovermode="closest")
        return render.plotly_figure(pio.to_html(fig, include_plotlyjs=False, full_html=False,
                                                config={"displaylogo": False, "responsive": True}))

    steps = [(step, cits, figure(step)) for step, cits in ds.brief]
    return str(render.briefing_document(ds, steps, get_plotlyjs()))


def map_geojson_bytes(ds: Dataset, date: str | None = None, layers: tuple[str, ...] | None = None,
                      names: str = "international") -> bytes:
    """The map's GeoJSON as a download (the view's month, layers and names; by default the latest month, every layer):
    prepared before the click, so the button never spins."""
    view = MapView(date=date or "", layers=None if layers is None else tuple(layers), names=names)
    return map_geojson_text(ds, view).encode("utf-8")


def briefing_bytes(ds: Dataset) -> bytes:
    """The offline briefing as a download, prepared before the click."""
    return briefing_html(ds).encode("utf-8")

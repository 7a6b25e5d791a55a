"""Exports: citations as CSV and as W3C Web Annotations (JSON-LD)."""
from __future__ import annotations

import csv
import io
import json

from atlas.load import Dataset

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
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CITATION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(citation_rows(ds))
    return buf.getvalue()


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

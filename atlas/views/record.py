"""One record on its own: its fields as written in the data, every citation with its selector and its place in the stored
text, the sources with their perspectives, and the pages that can show it. For /record?id=… and
`python -m atlas export record --id ID`."""
from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from atlas.core import geo
from atlas.core.kinds import KINDS
from atlas.core.load import Dataset
from atlas.core.model import Claim, Event, FuzzyDate, Record, Term
from atlas.views import export, links

CSV_COLUMNS = ["record_id", "record_type", "title", "date", "date_precision", "source_id", "quote", "prefix", "suffix",
               "start", "end", "passage", "passage_url"]


def record_href(record_id: str) -> str:
    return links.href("record", id=record_id)


def _plain(value: Any) -> Any:
    """Model values as the data files write them: dates as their text ('2022-Q3'), nested models as mappings under the
    names the files use, absent optional values left out."""
    if isinstance(value, FuzzyDate):
        return value.text
    if isinstance(value, BaseModel):
        out = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if name == "kind" or item is None:
                continue
            out[info.alias or name] = _plain(item)
        return out
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def fields(rec: Record) -> dict:
    """The record's fields under the names the data files use, without the optional values it left out."""
    return _plain(rec)


def views(ds: Dataset, rec: Record) -> list[tuple[str, str]]:
    """Every page that can show the record, as (label, address): its focus on the map, the events explorer, the alignment
    chart, the perspectives or the glossary, then each passage it quotes, with the quoted words highlighted."""
    out: list[tuple[str, str]] = []
    kind = KINDS.get(rec.kind)
    if isinstance(rec, Event):
        start = rec.date.start.strftime("%Y-%m")
        out.append(("On the map", links.href("map", focus=rec.id, date=start if start in geo.period_months(ds) else None)))
        out.append(("In the events explorer", links.href("events", focus=rec.id)))
        if rec.alignment:
            out.append(("On the alignment chart", links.href("alignments", focus=rec.id)))
    elif isinstance(rec, Claim):
        out.append(("Beside the other stances", links.href("perspectives", issue=rec.issue, focus=rec.id)))
    elif isinstance(rec, Term):
        out.append(("In the glossary", links.href("about", focus=rec.id)))
    elif kind is not None and kind.page:  # a map kind, or a kind registered since with a page of its own
        out.append(("On the map" if kind.page == "map" else f"On /{kind.page}", links.href(kind.page, focus=rec.id)))
    seen = set()
    for cit in ds.citations_of(rec.id):  # a quote cited twice (by the record and by one of its statuses) is listed once
        href = links.quote_href(cit.source_id, cit.passage, cit.quote)
        if href not in seen:
            seen.add(href)
            out.append((f"“{cit.quote}” in {ds.sources[cit.source_id].title}, ¶{cit.passage}", href))
    return out


def record_data(ds: Dataset, record_id: str) -> dict:
    """The record as one JSON-ready mapping. KeyError for an unknown id."""
    rec = ds.records[record_id]
    cits = []
    for c in ds.citations_of(record_id):
        text = ds.texts[c.source_id]
        p = text.passages[c.passage - 1]
        prefix, suffix = text.context(c.start, c.end)
        cits.append({
            "source": c.source_id, "quote": c.quote, "prefix": c.prefix, "suffix": c.suffix,
            "selector": [
                {"type": "TextQuoteSelector", "exact": c.quote,
                 "prefix": c.prefix if c.prefix is not None else prefix,
                 "suffix": c.suffix if c.suffix is not None else suffix},
                {"type": "TextPositionSelector", "start": c.start, "end": c.end},
            ],
            "start": c.start, "end": c.end, "passage": c.passage,
            "passage_start": p.start, "passage_end": p.end,
            "url": links.quote_href(c.source_id, c.passage, c.quote),
        })
    source_ids = list(dict.fromkeys(c["source"] for c in cits))
    sources = []
    for sid in source_ids:
        src = ds.sources[sid]
        sources.append({
            "id": sid, "title": src.title, "author": src.author, "publisher": src.publisher,
            "date_published": src.date_published.text if src.date_published else None, "date_basis": src.date_basis,
            "url": src.url, "language": src.language, "source_type": src.source_type, "perspective": src.perspective,
            "sha256": src.sha256, "file": src.file,
        })
    date = rec.date
    return {
        "id": rec.id, "kind": rec.kind, "title": rec.title,
        "date": date.text if date else None, "date_precision": date.precision if date else None,
        "url": record_href(rec.id),
        "fields": fields(rec),
        "citations": cits,
        "sources": sources,
        "views": [{"label": label, "url": href} for label, href in views(ds, rec)],
    }


def record_json(ds: Dataset, record_id: str) -> str:
    return json.dumps(record_data(ds, record_id), ensure_ascii=False, indent=1)


def record_csv(ds: Dataset, record_id: str) -> str:
    """One row per citation of the record: the record, the quote, its selector and its place in the stored text."""
    data = record_data(ds, record_id)
    rows = [{
        "record_id": data["id"], "record_type": data["kind"], "title": data["title"], "date": data["date"] or "",
        "date_precision": data["date_precision"] or "", "source_id": c["source"], "quote": c["quote"],
        "prefix": c["prefix"] or "", "suffix": c["suffix"] or "", "start": c["start"], "end": c["end"],
        "passage": c["passage"], "passage_url": c["url"],
    } for c in data["citations"]]
    return export.csv_text(rows, CSV_COLUMNS)


def unknown_message(ds: Dataset, record_id: str) -> str:
    """What to say about an id that names no record: the id (cut), and how to find one."""
    shown = record_id if len(record_id) <= 80 else record_id[:80] + "…"
    return (f"No record with id '{shown}' in {len(ds.records):,} records. Record ids are the `id` fields of the data "
            "files (events.yaml, places.yaml, …); search for the record at /search to find its id.")


def panel_month(ds: Dataset, rec: Record) -> str:
    """The month the record's panel is drawn at: the event's own month, else the last month of the period."""
    date = rec.date
    month = date.start.strftime("%Y-%m") if date is not None else geo.last_month(ds)
    return month if month in geo.period_months(ds) else geo.last_month(ds)

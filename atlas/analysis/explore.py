"""The events explorer: a table of every event, filters, full-text search over titles, summaries and quotes, CSV."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from atlas.core import geo
from atlas.core.csvio import csv_text
from atlas.core.load import Dataset
from atlas.core.model import Event

# A contract for users' scripts: the columns of the filtered-events download, in this order.
EVENT_CSV_COLUMNS = ["event_id", "date", "date_precision", "date_basis", "date_reference", "title", "summary", "actors",
                     "partners", "tags", "place", "reported_by", "source_id", "quote", "start", "end"]


@dataclass
class Filters:
    q: str = ""
    partner: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    actor: list[str] = field(default_factory=list)
    first: str = "0001-01"  # by default every event (the page passes its period)
    last: str = "9999-12"


def options(ds: Dataset) -> dict[str, list[str]]:
    """The values each filter can take, from the data."""
    events = [e for e in ds.of_kind("event") if isinstance(e, Event)]
    return {
        "partner": sorted({c.partner for e in events for c in e.alignment}),
        "tag": sorted({t for e in events for t in e.tags}),
        "source": list(ds.sources),
        "actor": sorted({a for e in events for a in e.actors}),
    }


def months(ds: Dataset) -> list[str]:
    """The explorer's period: from the earliest event's month (background events included) to the end of the
    dataset's period."""
    starts = [e.date.start for e in ds.of_kind("event") if isinstance(e, Event)]
    first = min(starts).strftime("%Y-%m") if starts else geo.first_month(ds)
    return geo.months(min(first, geo.first_month(ds)), geo.last_month(ds))


def table(ds: Dataset) -> pd.DataFrame:
    """One row per event, in date order, with a lower-cased haystack for search."""
    rows = []
    for e in ds.of_kind("event"):
        assert isinstance(e, Event)
        quotes = [c.quote for c in ds.citations_of(e.id)]
        rows.append({
            "id": e.id, "start": pd.Timestamp(e.date.start), "end": pd.Timestamp(e.date.end), "date": e.date.label(),
            "precision": e.date.precision, "date_basis": e.date_basis, "title": e.title,
            "actors": ", ".join(e.actors), "partners": ", ".join(dict.fromkeys(c.partner for c in e.alignment)),
            "tags": ", ".join(e.tags), "sources": ", ".join(dict.fromkeys(c.source for c in e.citations)),
            "reported_by": e.reported_by or "",
            "_partners": {c.partner for c in e.alignment}, "_tags": set(e.tags), "_actors": set(e.actors),
            "_sources": {c.source for c in e.citations},
            "_text": " ".join([e.title, e.summary, *quotes]).lower(),
        })
    frame = pd.DataFrame(rows)
    return frame.sort_values(["start", "id"]).reset_index(drop=True) if not frame.empty else frame


def apply(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Rows that pass every filter: any of the chosen values per list; every search word somewhere."""
    if frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    for col, chosen in (("_partners", f.partner), ("_tags", f.tag), ("_sources", f.source), ("_actors", f.actor)):
        if chosen:
            wanted = set(chosen)
            keep &= frame[col].map(lambda values, w=wanted: bool(values & w))
    # an event overlaps the window if any day its date may denote falls inside it
    keep &= (frame["end"] >= pd.Timestamp(f"{f.first}-01")) & (frame["start"] <= pd.Timestamp(geo.month_end(f.last)))
    for word in f.q.lower().split():
        keep &= frame["_text"].str.contains(word, regex=False)
    return frame[keep]


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader sees."""
    return frame[["date", "title", "actors", "partners", "tags", "sources", "reported_by", "id"]]


def events_csv(ds: Dataset, event_ids: list[str]) -> str:
    """The chosen events with their citations: one row per citation, every text cell neutralised against formulas."""
    def rows():
        for eid in event_ids:
            e = ds.records[eid]
            assert isinstance(e, Event)
            for c in ds.citations_of(eid):
                yield {
                    "event_id": e.id, "date": e.date.text, "date_precision": e.date.precision, "date_basis": e.date_basis,
                    "date_reference": e.date_reference.url if e.date_reference else "", "title": e.title,
                    "summary": e.summary, "actors": "; ".join(e.actors),
                    "partners": "; ".join(dict.fromkeys(x.partner for x in e.alignment)),
                    "tags": "; ".join(e.tags), "place": e.place or "", "reported_by": e.reported_by or "",
                    "source_id": c.source_id, "quote": c.quote, "start": c.start, "end": c.end,
                }
    return csv_text(rows(), EVENT_CSV_COLUMNS)


def all_events_csv(ds: Dataset) -> str:
    """Every event with its citations, for the downloads on /about."""
    return events_csv(ds, [e.id for e in ds.of_kind("event")])


def events_csv_for(ds: Dataset, event_ids: tuple[str, ...]) -> str:
    """events_csv for a hashable list of ids: prepared with the page and shared, so the download never waits."""
    return events_csv(ds, list(event_ids))


def events_per_month(ds: Dataset) -> dict[str, int]:
    """How many events fall in each month of the map's period, each placed at the middle of the interval its date
    denotes (as the alignment index places it): a month-precision event in its month, a year-precision one mid-year."""
    out = dict.fromkeys(geo.period_months(ds), 0)
    for e in ds.of_kind("event"):
        assert isinstance(e, Event)
        mid = e.date.start + (e.date.end - e.date.start) / 2
        month = mid.strftime("%Y-%m")
        if month in out:
            out[month] += 1
    return out

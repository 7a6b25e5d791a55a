"""The dataset: sources, their texts, records and resolved citations, with lookups built once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from atlas.core.corpus import SUBSTANTIVE_KINDS, Passage, SourceText
from atlas.core.model import AtlasSettings, BriefStep, Citation, Corridor, Event, Record, Source


@dataclass(frozen=True)
class ResolvedCitation:
    record_id: str
    record_type: str
    source_id: str
    quote: str
    prefix: str | None
    suffix: str | None
    start: int
    end: int
    passage: int


@dataclass(frozen=True)
class Period:
    """The months the Atlas shows (the map's slider, the chart's axis): first and last as 'YYYY-MM'."""

    first: str
    last: str


@dataclass
class Dataset:
    data_dir: Path
    version: tuple = ()  # set by whoever caches the dataset: identifies the data files it was read from
    sources: dict[str, Source] = field(default_factory=dict)
    texts: dict[str, SourceText] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    citations: list[ResolvedCitation] = field(default_factory=list)
    cameo: dict[str, tuple[str, float]] = field(default_factory=dict)  # code -> (label, goldstein)
    # (source id, passage number) -> ids of records citing it, in load order
    cited_by: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    # the presenter's steps, each with its resolved citations (kept apart from the records' citations)
    brief: list[tuple[BriefStep, list[ResolvedCitation]]] = field(default_factory=list)
    # GeoJSON files (basemap and area geometries), read and checked with everything else: path -> FeatureCollection
    geojson: dict[str, dict] = field(default_factory=dict)
    readme: str | None = None  # the data directory's README.md (its "Coding rules" are shown on /alignments)
    settings: AtlasSettings = field(default_factory=AtlasSettings)  # atlas.yaml, or its defaults when there is none

    def partner_names(self) -> list[str]:
        """The partners a coding may name: atlas.yaml's list, else (no list: any name goes) those the codings name."""
        listed = self.settings.partner_names()
        if listed:
            return listed
        return sorted({c.partner for r in self.records.values() for c in getattr(r, "alignment", None) or []})

    @property
    def period(self) -> Period:
        """atlas.yaml's period, else the records': from the first to the last month an event begins (or a corridor's
        status changes). A `last` in atlas.yaml is a floor, not a cap: a later event extends the period to its month."""
        if getattr(self, "_period", None) is None or self._period[0] != len(self.records):
            starts = [r.date.start for r in self.records.values() if isinstance(r, Event)]
            starts += [s.since.start for r in self.records.values() if isinstance(r, Corridor) for s in r.statuses]
            dated = sorted(f"{d:%Y-%m}" for d in starts)
            setting = self.settings.period
            first = setting.first or (dated[0] if dated else None) or setting.last or f"{dt.date.today():%Y-%m}"
            last = max([first, *([setting.last] if setting.last else []), *dated[-1:]])
            self._period = (len(self.records), Period(first, last))
        return self._period[1]

    def of_kind(self, kind: str) -> list[Record]:
        """The records of one kind, in load order (a shared list: do not change it)."""
        return self._index()["kind"].get(kind, [])

    def position(self, record_id: str) -> int:
        """Where a record stands among the records of its kind (its colour slot, for example); -1 if unknown."""
        return self._index()["position"].get(record_id, -1)

    def _index(self) -> dict:
        """Lookups by kind, record, selector and passage, built once (the dataset is not changed after loading)."""
        size = (len(self.citations), len(self.records))
        if getattr(self, "_built", None) is None or self._built[0] != size:
            by_kind: dict[str, list[Record]] = {}
            for r in self.records.values():
                by_kind.setdefault(r.kind, []).append(r)
            position = {r.id: i for recs in by_kind.values() for i, r in enumerate(recs)}
            by_record: dict[str, list[ResolvedCitation]] = {}
            by_selector: dict[tuple, ResolvedCitation] = {}
            by_passage: dict[tuple[str, int], list[ResolvedCitation]] = {}
            for c in self.citations:
                by_record.setdefault(c.record_id, []).append(c)
                by_selector.setdefault((c.source_id, c.quote, c.prefix, c.suffix), c)
                by_passage.setdefault((c.source_id, c.passage), []).append(c)
            self._built = (size, {"kind": by_kind, "position": position, "record": by_record,
                                  "selector": by_selector, "passage": by_passage})
        return self._built[1]

    def citations_of(self, record_id: str) -> list[ResolvedCitation]:
        return self._index()["record"].get(record_id, [])

    def resolved(self, cit: Citation) -> ResolvedCitation | None:
        """The resolved form of a citation held inside a record (a corridor status or position)."""
        return self._index()["selector"].get((cit.source, cit.quote, cit.prefix, cit.suffix))

    def citations_in(self, source_id: str, passage: int) -> list[ResolvedCitation]:
        return self._index()["passage"].get((source_id, passage), [])

    def passage_of(self, cit: ResolvedCitation) -> Passage:
        return self.texts[cit.source_id].passages[cit.passage - 1]

    def coverage(self) -> tuple[int, int, list[Passage]]:
        """(cited, substantive, uncited passages) over all sources."""
        substantive = [p for t in self.texts.values() for p in t.passages if p.kind in SUBSTANTIVE_KINDS]
        uncited = [p for p in substantive if (p.source_id, p.number) not in self.cited_by]
        return len(substantive) - len(uncited), len(substantive), uncited


def validation_context(ds: Dataset) -> dict:
    """What record validation needs from atlas.yaml: the partner names (None: any name)."""
    return {"partners": ds.settings.partner_names() or None}


def resolve(ds: Dataset, cit: Citation) -> tuple[int, int, int] | str:
    """(start, end, passage number) of a citation, or why it does not resolve exactly once."""
    text = ds.texts.get(cit.source)
    if text is None:
        return f"cites unknown source '{cit.source}'"
    matches = text.find(cit.quote, cit.prefix, cit.suffix)
    short = cit.quote if len(cit.quote) <= 60 else cit.quote[:57] + "..."
    if not matches:
        return f"quote not found verbatim in {cit.source}: {short!r}"
    if len(matches) > 1:
        return f"quote is ambiguous: {len(matches)} occurrences in {cit.source}: {short!r}"
    m = matches[0]
    first, last = text.passage_at(m.start), text.passage_at(m.end - 1)
    if first is None or last is None or first.number != last.number:
        return f"quote spans more than one passage in {cit.source}: {short!r}"
    return m.start, m.end, first.number

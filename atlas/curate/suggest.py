"""Suggestions for a new source: the dates, places, actors and partners its text mentions, each with the exact words
it came from and a citation anchoring them. Nothing here is saved: an editor confirms each one or leaves it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.core.corpus import SUBSTANTIVE_KINDS, SourceText
from atlas.core.load import Dataset
from atlas.core.model import Claim, Corridor, Event, Place
from atlas.curate.anchor import Anchor, anchor_span

_YEAR = re.compile(r"\b(1[9]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Suggestion:
    kind: str  # date, place, actor, partner
    value: str  # the date as the data writes it, a place id, an actor or partner name
    words: str  # the exact words of the source it came from
    passage: int
    citation: dict | None  # the anchored selector for those words (None if they cannot be anchored alone)
    label: str = ""  # for a place, the name that matched; for a date, its precision

    def as_dict(self) -> dict:
        out = {self.kind: self.value, "words": self.words, "passage": self.passage}
        if self.label:
            out["precision" if self.kind == "date" else "name"] = self.label
        if self.citation:
            out["citation"] = self.citation
        return out


def _cite(st: SourceText, start: int, end: int) -> dict | None:
    """The selector for an exact span (the words where they were found, not an earlier copy inside a longer word)."""
    got = anchor_span(st, start, end)
    return got.as_dict() if isinstance(got, Anchor) else None


def _find_names(st: SourceText, names: dict[str, set[str]], kind: str, label_is_name: bool = False) -> list[Suggestion]:
    """Each value whose names occur in a passage, once per passage, with the first matching words."""
    patterns = []
    for value, forms in names.items():
        for form in sorted(forms, key=len, reverse=True):
            if len(form) >= 2:
                patterns.append((value, form, re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")))
    out = []
    for p in st.passages:
        if p.kind == "boilerplate":
            continue
        text = st.raw(p)
        seen = set()
        for value, form, pattern in patterns:
            if value in seen:
                continue
            m = pattern.search(text)
            if m:
                seen.add(value)
                cite = _cite(st, p.start + m.start(), p.start + m.end())
                out.append(Suggestion(kind, value, form, p.number, cite, form if label_is_name else ""))
    return out


def place_names(ds: Dataset) -> dict[str, set[str]]:
    """Every place id -> its names in every usage; 'Shusha / Shushi' gives both, 'Julfa (Azerbaijan)' gives Julfa."""
    out: dict[str, set[str]] = {}
    for rec in ds.of_kind("place"):
        assert isinstance(rec, Place)
        forms = out.setdefault(rec.id, set())
        for name in rec.names.variants().values():
            for part in name.split(" / "):
                part = part.strip()
                forms.add(part)
                bare = re.sub(r"\s*\([^)]*\)\s*$", "", part)
                if bare:
                    forms.add(bare)
    return out


def actor_names(ds: Dataset) -> set[str]:
    """Every actor named in the data: event actors, claim holders and relays, corridor promoters and opponents."""
    names: set[str] = set()
    for rec in ds.records.values():
        if isinstance(rec, Event):
            names.update(rec.actors)
            if rec.reported_by:
                names.add(rec.reported_by)
        elif isinstance(rec, Claim):
            names.add(rec.actor)
        elif isinstance(rec, Corridor):
            names.update(p.actor for p in rec.promoters + rec.opponents)
    return {n for n in names if len(n) <= 60}


def dates(st: SourceText, language: str = "en") -> list[Suggestion]:
    """Dates the text states with a year (dateparser), at the precision the words give: '3 March 2025' is a day,
    'March 2025' a month, '2025' a year."""
    from dateparser.date import DateDataParser  # loaded only when suggestions are asked for
    from dateparser.search import search_dates

    parser = DateDataParser(languages=[language], settings={"PREFER_DAY_OF_MONTH": "first"})
    out, seen = [], set()
    for p in st.passages:
        if p.kind == "boilerplate":
            continue
        try:
            found = search_dates(st.raw(p), languages=[language], settings={"REQUIRE_PARTS": ["year"]}) or []
        except (ValueError, OverflowError, TypeError):
            continue
        at = 0
        for words, _ in found:
            words = words.strip()
            where = st.raw(p).find(words, at)
            if where < 0:
                continue
            at = where + len(words)
            year = _YEAR.search(words)
            if not year:
                continue
            data = parser.get_date_data(words)
            when, period = data.date_obj, data.period
            if when is None or str(when.year) != year.group(1):
                continue
            trimmed = _trim(parser, words, when, period)
            where += words.find(trimmed)
            words = trimmed
            at = where + len(words)
            text = {"day": f"{when:%Y-%m-%d}", "month": f"{when:%Y-%m}"}.get(period, f"{when:%Y}")
            if period not in ("day", "month"):
                period = "year"
            if (text, p.number) in seen:
                continue
            seen.add((text, p.number))
            cite = _cite(st, p.start + where, p.start + at)
            out.append(Suggestion("date", text, words, p.number, cite, period))
    return out


def _trim(parser, words: str, when, period) -> str:
    """The fewest words that still give the same date: 'On 3 March 2025' -> '3 March 2025', 'April 2025 in' -> 'April 2025'."""
    tokens = words.split(" ")

    def same(candidate: list[str]) -> bool:
        if not candidate or not _YEAR.search(" ".join(candidate)):
            return False
        got = parser.get_date_data(" ".join(candidate))
        return got.date_obj == when and got.period == period

    while len(tokens) > 1 and same(tokens[1:]):
        tokens = tokens[1:]
    while len(tokens) > 1 and same(tokens[:-1]):
        tokens = tokens[:-1]
    out = " ".join(tokens)
    return out if out in words else words


def suggest(ds: Dataset, source_id: str) -> dict[str, list[Suggestion]]:
    st = ds.texts[source_id]
    src = ds.sources.get(source_id)
    language = src.language if src else "en"
    also = {p.name: p.also for p in ds.settings.partners}  # other names news text writes (atlas.yaml partners' `also`)
    partners = {name: {name, *also.get(name, ())} for name in ds.partner_names()}
    return {
        "dates": dates(st, language),
        "places": _find_names(st, place_names(ds), "place", label_is_name=True),
        "actors": _find_names(st, {a: {a} for a in actor_names(ds)}, "actor"),
        "partners": _find_names(st, partners, "partner"),
    }


def draft_events(ds: Dataset, source_id: str, found: dict[str, list[Suggestion]]) -> list[dict]:
    """One candidate event per substantive passage that states a date: its date, places, actors and partners named
    there, and the citation of the date's words. Title and summary are the editor's own words, so they are left out."""
    st = ds.texts[source_id]
    by_passage: dict[int, dict[str, list[Suggestion]]] = {}
    for kind, items in found.items():
        for s in items:
            by_passage.setdefault(s.passage, {}).setdefault(kind, []).append(s)
    drafts = []
    for number, kinds in sorted(by_passage.items()):
        if not kinds.get("dates") or st.passages[number - 1].kind not in SUBSTANTIVE_KINDS:
            continue
        when = kinds["dates"][0]
        draft: dict = {"passage": number, "date": when.value, "date_basis": "stated"}
        places = [s.value for s in kinds.get("places", [])]
        if places:
            draft["place"] = places[0]
            if places[1:]:
                draft["also_at"] = places[1:]
        actors = sorted({s.value for s in kinds.get("actors", [])} | {s.value for s in kinds.get("partners", [])})
        if actors:
            draft["actors"] = actors
        partners = [s.value for s in kinds.get("partners", [])]
        if partners:
            draft["partners_named"] = partners
        if when.citation:
            draft["citations"] = [when.citation]
        drafts.append(draft)
    return drafts

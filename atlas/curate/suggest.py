"""Suggestions for a new source: the dates, places, actors and partners its text mentions, each with the exact words
it came from and a citation anchoring them. Nothing here is saved: an editor confirms each one or leaves it."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from atlas.core.corpus import SUBSTANTIVE_KINDS, SourceText
from atlas.core.load import Dataset
from atlas.core.model import Claim, Corridor, Event, Place
from atlas.core.problems import Problem
from atlas.curate import gazetteer
from atlas.curate.anchor import Anchor, anchor_span

_YEAR = re.compile(r"\b(1[9]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Suggestion:
    kind: str  # date, place, actor, partner, new_place
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


@dataclass(frozen=True)
class NewPlace(Suggestion):
    """A Natural Earth populated place the text names that places.yaml does not hold: what a new place form needs."""

    lon: float = 0.0
    lat: float = 0.0
    country: str | None = None  # ISO alpha-3 (adm0_a3), or None when Natural Earth gives no such code
    country_name: str = ""
    admin1: str = ""
    feature_class: str = ""
    population: int | None = None
    ascii_name: str = ""  # Natural Earth's nameascii ('Seki' for 'Şəki'): for an id

    def as_dict(self) -> dict:
        out = {"new_place": self.value, "words": self.words, "passage": self.passage, "lon": self.lon, "lat": self.lat,
               "country": self.country, "country_name": self.country_name, "admin1": self.admin1,
               "feature_class": self.feature_class, "population": self.population, "gazetteer": "Natural Earth"}
        if self.citation:
            out["citation"] = self.citation
        return out


MAX_NEW_PLACES = 50  # per source: more is a list of every town of a gazetteer, not a suggestion
SAME_PLACE_KM = 2.0  # a Natural Earth place this close to a place of places.yaml is that place


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


def _km(a_lon: float, a_lat: float, b_lon: float, b_lat: float) -> float:
    """Distance on the sphere, equirectangular: exact enough at a few kilometres."""
    x = math.radians(b_lon - a_lon) * math.cos(math.radians((a_lat + b_lat) / 2))
    return 6371.0 * math.hypot(x, math.radians(b_lat - a_lat))


def gazetteer_names(ds: Dataset, known: dict[str, set[str]], places: list[gazetteer.PopulatedPlace],
                    ) -> tuple[dict[str, set[str]], dict[str, list[gazetteer.PopulatedPlace]]]:
    """Natural Earth's names split in two: those of places already in places.yaml (a shared name, or a point within
    SAME_PLACE_KM), added to that place's names; and, for the others inside the region, each name -> its places.
    A name that is already a place name of places.yaml is never a new place's: it is suggested as that place."""
    owner: dict[str, str] = {}  # each known name, case folded -> its place (the first, when places share a name)
    for pid, forms in known.items():
        for form in sorted(forms):
            owner.setdefault(form.casefold(), pid)
    region = ds.settings.region.bounds
    existing = [(rec.id, rec.lon, rec.lat) for rec in ds.of_kind("place") if isinstance(rec, Place)]
    extra: dict[str, set[str]] = {}
    new: dict[str, list[gazetteer.PopulatedPlace]] = {}
    for ne in places:
        same = next((owner[n.casefold()] for n in ne.names if n.casefold() in owner), None)
        same = same or next((pid for pid, lon, lat in existing if _km(lon, lat, ne.lon, ne.lat) <= SAME_PLACE_KM), None)
        fresh = [n for n in ne.names if n.casefold() not in owner]
        if same is not None:
            extra.setdefault(same, set()).update(fresh)
        elif region.contains(ne.lon, ne.lat):
            for name in fresh:
                new.setdefault(name, []).append(ne)
    return extra, new


def new_places(st: SourceText, names: dict[str, list[gazetteer.PopulatedPlace]], limit: int = MAX_NEW_PLACES) -> list[NewPlace]:
    """Each Natural Earth place whose name the text uses, once, where it is first named (whole words, as for places)."""
    if not names:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)")
    out: list[NewPlace] = []
    seen: set[gazetteer.PopulatedPlace] = set()
    for p in st.passages:
        if p.kind == "boilerplate":
            continue
        for m in pattern.finditer(st.raw(p)):
            for ne in names[m.group(0)]:
                if ne in seen:
                    continue
                seen.add(ne)
                cite = _cite(st, p.start + m.start(), p.start + m.end())
                out.append(NewPlace("new_place", ne.name, m.group(0), p.number, cite, lon=ne.lon, lat=ne.lat,
                                    country=ne.country, country_name=ne.country_name, admin1=ne.admin1,
                                    feature_class=ne.feature_class, population=ne.population,
                                    ascii_name=str(ne.properties.get("nameascii") or "")))
                if len(out) >= limit:
                    return out
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


def suggest(ds: Dataset, source_id: str, problems: list[Problem] | None = None) -> dict[str, list[Suggestion]]:
    """Every kind of suggestion for a source. The Natural Earth populated places of the data directory (optional) add
    new places and other names of known places; a problem with that file is appended to `problems`, and the
    suggestions are made without it (or without its unusable features)."""
    st = ds.texts[source_id]
    src = ds.sources.get(source_id)
    language = src.language if src else "en"
    aliases = {p.name: p.aliases for p in ds.settings.partners}  # other names, from atlas.yaml
    partners = {name: {name, *aliases.get(name, ())} for name in ds.partner_names()}
    known = place_names(ds)
    reference, trouble = gazetteer.read_reference(ds.data_dir)
    if problems is not None:
        problems.extend(trouble)
    extra, new = gazetteer_names(ds, known, reference)
    names = {pid: forms | extra.get(pid, set()) for pid, forms in known.items()}
    return {
        "dates": dates(st, language),
        "places": _find_names(st, names, "place", label_is_name=True),
        "actors": _find_names(st, {a: {a} for a in actor_names(ds)}, "actor"),
        "partners": _find_names(st, partners, "partner"),
        "new_places": new_places(st, new),
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

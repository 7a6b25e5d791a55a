"""Suggestions for a new source as /curate shows them: one row per candidate with the exact words it came from and those
words in their sentence, and what an editor's confirmation puts into the event form. Nothing here saves anything."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from atlas.core.corpus import SourceText, display_text
from atlas.core.load import Dataset
from atlas.core.problems import Problem
from atlas.curate.suggest import NewPlace, Suggestion, suggest

KIND_LABELS = {"dates": "date", "places": "place", "actors": "actor", "partners": "partner", "new_places": "new place"}
NEW_PLACE_SOURCE = "Natural Earth populated places"
CONTEXT = 50  # characters of the passage shown each side of the words


@dataclass(frozen=True)
class Row:
    kind: str  # date, place, actor, partner, new place
    value: str  # what the event form gets: the date as written in the data, a place id, a name
    shown: str  # the value for a reader: a place by its name and id, a date with its precision
    words: str  # the exact words of the source
    context: str  # the words in their passage, cut to a few words each side
    passage: int  # where the text first gives it
    new_place: NewPlace | None = None  # for a new place: what Natural Earth says of it
    also: tuple[int, ...] = ()  # the other passages giving the same suggestion

    def as_dict(self) -> dict:
        return {"kind": self.kind, "suggestion": self.shown, "words": self.words, "in context": self.context,
                "passage": self.passage, "also in": ", ".join(map(str, self.also))}

    @property
    def key(self) -> str:
        """What the row stands for, stable while other rows come and go: kind and value, and where for a new place (two
        Natural Earth towns may share a name)."""
        ne = self.new_place
        return f"{self.kind}|{self.value}" + (f"|{ne.lon:.5f}|{ne.lat:.5f}" if ne is not None else "")

    @property
    def label(self) -> str:
        """One line for a picker: the suggestion, the words and where they are."""
        where = f"passage {self.passage}" + (f"; also {', '.join(map(str, self.also))}" if self.also else "")
        return f"{self.kind}: {self.shown} — “{self.words}” ({where})"


def in_context(text: SourceText, passage: int, words: str, width: int = CONTEXT) -> str:
    """The words with up to `width` characters of their passage each side, cut between words, on one line (… where the
    passage goes on)."""
    if not 1 <= passage <= len(text.passages):
        return words
    raw = display_text(text.raw(text.passages[passage - 1]))
    at = raw.find(words)
    if at < 0:
        return words
    start, end = max(0, at - width), min(len(raw), at + len(words) + width)
    head, tail = raw[start:at], raw[at + len(words):end]
    if start > 0:  # cut at a space, not inside a word
        head = "…" + (head.split(" ", 1)[1] if " " in head else head)
    if end < len(raw):
        tail = (tail.rsplit(" ", 1)[0] if " " in tail else tail) + "…"
    return " ".join(f"{head}{words}{tail}".split())


def found(ds: Dataset, source_id: str) -> tuple[dict[str, list[Suggestion]], list[Problem]]:
    """The suggestions for a source, and the problems of the optional Natural Earth file (made without it if broken)."""
    problems: list[Problem] = []
    return suggest(ds, source_id, problems), problems


def _shown(ds: Dataset, kind: str, s: Suggestion) -> str:
    if isinstance(s, NewPlace):
        where = ", ".join(part for part in (s.admin1, s.country_name) if part)
        return f"{s.value}{f', {where}' if where else ''} ({s.lat:.4f} N, {s.lon:.4f} E), from {NEW_PLACE_SOURCE}"
    if kind == "place":
        rec = ds.records.get(s.value)
        return f"{rec.title} ({s.value})" if rec is not None else s.value
    if kind == "date":
        return f"{s.value} ({s.label})" if s.label else s.value
    return s.value


def rows(ds: Dataset, source_id: str, found: dict[str, list[Suggestion]]) -> list[Row]:
    """One row per distinct suggestion, dates first, then places, actors, partners and new places, each in the order
    the text first gives it: its first words and passage, and the other passages giving it again."""
    text = ds.texts[source_id]
    out = []
    for key, kind in KIND_LABELS.items():
        first: dict[tuple, Suggestion] = {}
        also: dict[tuple, list[int]] = {}
        for s in sorted(found.get(key, []), key=lambda s: s.passage):
            same = (s.value, s.lon, s.lat) if isinstance(s, NewPlace) else (s.value,)  # namesakes stay apart
            if same in first:
                if s.passage != first[same].passage and s.passage not in also[same]:
                    also[same].append(s.passage)
                continue
            first[same], also[same] = s, []
        for same, s in first.items():
            out.append(Row(kind, s.value, _shown(ds, kind, s), s.words, in_context(text, s.passage, s.words), s.passage,
                           s if isinstance(s, NewPlace) else None, tuple(also[same])))
    return out


@dataclass
class EventFill:
    """What the chosen suggestions put into the event form: the first date and place chosen, every actor and partner."""
    date: str | None = None
    place: str | None = None
    actors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = ([f"date {self.date}"] if self.date else []) + ([f"place {self.place}"] if self.place else [])
        if self.actors:
            parts.append("actors " + ", ".join(self.actors))
        return "; ".join(parts)


def event_fill(chosen: list[Row]) -> EventFill:
    fill = EventFill()
    for row in chosen:
        if row.kind == "date" and fill.date is None:
            fill.date = row.value
        elif row.kind == "place" and fill.place is None:
            fill.place = row.value
        elif row.kind in ("actor", "partner") and row.value not in fill.actors:
            fill.actors.append(row.value)
    return fill


def slug(name: str) -> str:
    """A lower-case id from a name: 'Kapan' -> 'kapan', 'Ararat (town)' -> 'ararat-town', 'Gyümri' -> 'gyumri' (ASCII
    letters and digits; accents dropped, letters without an ASCII form left out)."""
    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


def new_place_fields(row: Row) -> dict:
    """A place record begun from a Natural Earth suggestion, as the place form's fields hold it; the editor checks it,
    adds the other names, and saves it (the citation is where the text names the place)."""
    ne = row.new_place
    if ne is None:
        return {}
    rid = slug(ne.ascii_name) or slug(ne.value) or slug(f"place {ne.lat:.3f} {ne.lon:.3f}")
    out = {"id": rid, "names": {"international": ne.value}, "lon": round(ne.lon, 5), "lat": round(ne.lat, 5),
           "coord_status": "approx", "coord_source": f"{NEW_PLACE_SOURCE}: {ne.value}"
           + (f" ({ne.feature_class})" if ne.feature_class else "")}
    if ne.country:
        out["country"] = ne.country
    return out

"""Global search: every record kind under any of its names, and the sources' passages, case- and accent-blind.

The index is built once per dataset (`build_index`): each record or passage becomes one folded string (its
searchable fields, folded, joined by a separator), so a query is a scan of pre-folded strings with `in`.
Folding is NFKD with combining marks dropped, casefolded, plus the letters NFKD leaves whole (ə, ı, ø, ł…)
and dash and apostrophe variants, so "xankendi" finds "Xankəndi" and "north-south" finds "North–South".

Names by usage: when the whole query is one of a record's names (any side's, or a term's alias), each of that
record's other names is searched too, so "Berdzor" also finds what is written "Lachin" or "Laçın". The
names come from the data (`names` of places, corridors, areas; `term` and `aliases` of terms); nothing else
is guessed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from atlas.core.corpus import display_text, heading_text
from atlas.core.load import Dataset
from atlas.views import links
from atlas.views.render import KIND_LABELS

# Kinds in the order their groups are shown: things looked up by name first, then what mentions them.
KINDS = ("place", "corridor", "area", "term", "event", "claim", "passage")
HEADINGS = {"event": "Events", "place": "Places", "corridor": "Corridors", "area": "Areas", "claim": "Claims",
            "term": "Terms", "passage": "Passages"}
NOUNS = {"event": ("event", "events"), "place": ("place", "places"), "corridor": ("corridor", "corridors"),
         "area": ("area", "areas"), "claim": ("claim", "claims"), "term": ("term", "terms"),
         "passage": ("passage", "passages")}
USAGE_LABELS = {"international": "name", "armenian": "Armenian name", "azerbaijani": "Azerbaijani name",
                "russian": "Russian name"}
SEP = "\x1f"  # between a record's fields in its folded string: no query can match across two fields
SNIPPET = 220  # characters of a long field shown around its first match

# Letters NFKD does not decompose, and typographic variants people do not type.
_EXTRA = {
    "ə": "e", "ı": "i", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k",
    "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss", "ſ": "s",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "‘": "'", "’": "'", "ʼ": "'", "‛": "'", "′": "'",
}


def _fold_char(ch: str) -> str:
    out = []
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(part):
            continue
        # casefold can itself give decomposable text (İ -> i + combining dot): decompose and drop marks again
        for low in unicodedata.normalize("NFKD", part.casefold()):
            if not unicodedata.combining(low):
                out.append(_EXTRA.get(low, low))
    return "".join(out)


class _FoldTable(dict):
    """A str.translate table that folds each character the first time it is met, then remembers it."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Text as search compares it: lower case, accents dropped, ə→e, ı→i, dashes and apostrophes unified."""
    if text.isascii():
        return text.lower()  # ASCII casefolds to lower case, and nothing else in ASCII folds
    return text.translate(_TABLE)


def fold_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the character of `text` it came from
    (plus len(text) at the end), so a match in folded text maps back to a span of the original."""
    folded, origin = [], []
    for i, ch in enumerate(text):
        f = ch.lower() if ch.isascii() else _TABLE[ord(ch)]
        folded.append(f)
        origin.extend([i] * len(f))
    origin.append(len(text))
    return "".join(folded), origin


def spans(text: str, terms: tuple[str, ...] | list[str]) -> list[tuple[int, int]]:
    """Every occurrence of each (folded) term in `text`, as merged [start, end) spans of the original text."""
    terms = [t for t in terms if t]
    if not terms:
        return []
    folded, origin = fold_map(text)
    found = []
    for term in terms:
        at = folded.find(term)
        while at != -1:
            found.append((origin[at], origin[at + len(term) - 1] + 1))
            at = folded.find(term, at + 1)
    merged: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


# --- what is searched ----------------------------------------------------------------------------------------

def _name_parts(name: str) -> list[str]:
    """A name and, for 'Lachin (Berdzor)' or a two-form label 'Lachin / Berdzor', each part: 'Lachin' and 'Berdzor'."""
    parts = [name]
    m = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", name)
    if m:
        parts += [m.group(1), m.group(2)]
    if " / " in name:
        parts += [form.strip() for form in name.split(" / ") if form.strip()]
    return parts


def names_of(rec) -> list[tuple[str, str]]:
    """(usage label, name) for every name a record goes by."""
    if rec.kind in ("place", "corridor", "area"):
        return [(USAGE_LABELS.get(usage, usage), name) for usage, name in rec.names.variants().items()]
    if rec.kind == "term":
        return [("term", rec.term)] + [("also called", a) for a in rec.aliases]
    return []


def fields(ds: Dataset, kind: str, key: str) -> list[tuple[str, str]]:
    """(label, text) of what is searched in one record or passage; the first is its title."""
    if kind == "passage":
        source_id, number = passage_key(key)
        text = ds.texts[source_id]
        p = text.passages[number - 1]
        raw = text.raw(p)
        return [("source", ds.sources[source_id].title),
                ("passage", heading_text(raw) if p.kind == "heading" else display_text(raw))]
    rec = ds.records[key]
    out = [("title", rec.title)]
    others = [name for _, name in names_of(rec) if name != rec.title]
    if others:
        out.append(("also called" if kind == "term" else "other names", " · ".join(others)))
    if kind == "event":
        out += [("summary", rec.summary), ("actors", ", ".join(rec.actors))]
        if rec.reported_by:
            out.append(("reported by", rec.reported_by))
    elif kind == "place":
        if rec.summary:
            out.append(("summary", rec.summary))
    elif kind == "corridor":
        out.append(("summary", rec.summary))
        out += [("promoted by", f"{p.actor}: {p.reason}") for p in rec.promoters]
        out += [("opposed by", f"{p.actor}: {p.reason}") for p in rec.opponents]
    elif kind == "area":
        out += [("summary", rec.summary), ("kind of area", rec.area_type)]
    elif kind == "claim":
        out += [("summary", rec.summary), ("actor", rec.actor)]
        if rec.reported_by:
            out.append(("reported by", rec.reported_by))
    elif kind == "term":
        out.append(("definition", rec.definition))
    out.append(("id", rec.id))
    return out


def passage_key(key: str) -> tuple[str, int]:
    source_id, _, number = key.rpartition("#")
    return source_id, int(number)


@dataclass
class Index:
    """Per kind: the keys (record ids, or 'source#n' for passages), their folded strings, their folded names
    (for ranking), in display order; and every folded name with the names of the records that bear it."""

    keys: dict[str, list[str]] = field(default_factory=dict)
    hays: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    synonyms: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)  # folded name -> [(title, names)]

    @property
    def size(self) -> int:
        return sum(len(k) for k in self.keys.values())


def build_index(ds: Dataset) -> Index:
    index = Index(keys={k: [] for k in KINDS}, hays={k: [] for k in KINDS}, names={k: [] for k in KINDS})
    events = sorted(ds.of_kind("event"), key=lambda e: e.date.start)  # events in date order, the others as loaded
    for kind in KINDS[:-1]:
        for rec in (events if kind == "event" else ds.of_kind(kind)):
            index.keys[kind].append(rec.id)
            index.hays[kind].append(SEP.join(fold(text) for _, text in fields(ds, kind, rec.id)))
            own = [part for _, name in names_of(rec) for part in _name_parts(name)] or [rec.title]
            folded = tuple(dict.fromkeys(_squash(fold(name)) for name in own))
            index.names[kind].append(folded)
            if len(folded) > 1:
                for name in folded:
                    index.synonyms.setdefault(name, []).append((rec.title, own))
    for source_id, text in ds.texts.items():
        for p in text.passages:
            key = f"{source_id}#{p.number}"
            index.keys["passage"].append(key)
            index.hays["passage"].append(fold(fields(ds, "passage", key)[1][1]))
            index.names["passage"].append(())
    return index


# --- the query -------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def _squash(text: str) -> str:
    return " ".join(text.split())


def terms_of(query: str) -> tuple[str, ...]:
    """Folded words of a query, a "quoted phrase" kept whole; every one must occur for a match."""
    out = []
    for phrase, word in _TOKEN.findall(fold(query)):
        term = _squash(phrase) if phrase else word
        if term and term not in out:
            out.append(term)
    return tuple(out)


@dataclass(frozen=True)
class Expansion:
    """The query is a name of these records: their other names are searched too."""

    title: str
    names: tuple[str, ...]


@dataclass
class Results:
    query: str
    alternatives: list[tuple[str, ...]]  # the query's terms first, then each other name of a record it names
    expansions: list[Expansion]
    found: dict[str, list[str]]  # kind -> keys, best first
    written: dict[str, str] = field(default_factory=dict)  # an added alternative -> the name as the data writes it

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.found.values())

    def count(self, kind: str) -> int:
        return len(self.found.get(kind, []))


def alternatives(index: Index, query: str) -> tuple[list[tuple[str, ...]], list[Expansion], dict[str, str]]:
    """The query's terms, then each other name of every record the whole query names; the expansions made; and the
    name as written for each added alternative."""
    terms = terms_of(query)
    if not terms:
        return [], [], {}
    alts, expansions, written = [terms], [], {}
    whole = _squash(fold(query).replace('"', " "))
    for title, names in index.synonyms.get(whole, []):
        others = []
        for name in names:
            folded = _squash(fold(name))
            if folded != whole and (folded,) not in alts:
                alts.append((folded,))
                written[folded] = name
            # said to the reader: the names that are not the query
            # (a name that is two names, "Khankendi (Stepanakert)", is said as its parts, which follow it)
            parts = _name_parts(name)
            if len(parts) == 1 and _squash(fold(name)) != whole and name not in others:
                others.append(name)
        expansions.append(Expansion(title, tuple(others)))
    return alts, expansions, written


def _matches(hays: list[str], alt: tuple[str, ...]) -> list[int]:
    ordered = sorted(alt, key=len, reverse=True)  # the longest term first: the fewest candidates
    first = ordered[0]
    found = [i for i, h in enumerate(hays) if first in h]
    for term in ordered[1:]:
        found = [i for i in found if term in hays[i]]
    return found


def _tier(names: tuple[str, ...], alts: list[tuple[str, ...]]) -> int:
    """0: a name is exactly the query (or another name of what it names); 1: a name holds it; 2: found elsewhere."""
    best = 2
    for alt in alts:
        phrase = " ".join(alt)
        for name in names:
            if name == phrase:
                return 0
            if all(t in name for t in alt):
                best = 1
    return best


def search(index: Index, query: str) -> Results:
    """Every record and passage holding every term of the query (or another name of a record it names)."""
    alts, expansions, written = alternatives(index, query)
    found: dict[str, list[str]] = {}
    for kind in KINDS:
        hays, names, keys = index.hays[kind], index.names[kind], index.keys[kind]
        hit: set[int] = set()
        for alt in alts:
            hit.update(_matches(hays, alt))
        ranked = sorted(hit, key=lambda i: (_tier(names[i], alts), i)) if kind != "passage" else sorted(hit)
        found[kind] = [keys[i] for i in ranked]
    return Results(query, alts, expansions, found, written)


# --- one result, ready to show -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    title: str
    href: str
    title_marks: tuple[tuple[int, int], ...]
    label: str  # which field the snippet comes from ("" when none is shown)
    snippet: str
    snippet_marks: tuple[tuple[int, int], ...]
    found_as: str | None  # another name of the thing searched for, when the match is under that name
    context: str = ""  # a short line under the title (a passage's source, an event's date)


def _window(text: str, marks: list[tuple[int, int]], width: int = SNIPPET) -> tuple[str, list[tuple[int, int]]]:
    """Up to `width` characters of text around its first mark, cut at spaces, with the marks moved along."""
    if len(text) <= width:
        return text, marks
    first = marks[0][0] if marks else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(start, (marks[0][1] if marks else start)), end)
        end = space if space > start else end
    lead = "…" if start else ""
    shown = lead + text[start:end].strip() + ("…" if end < len(text) else "")
    shift = len(lead) - start - (len(text[start:end]) - len(text[start:end].lstrip()))
    moved = [(max(s + shift, len(lead)), min(e + shift, len(shown))) for s, e in marks if s < end and e > start]
    return shown, [(s, e) for s, e in moved if e > s]


def hit(ds: Dataset, results: Results, kind: str, key: str) -> Hit:
    """A result with its matched words marked: in its title, and in the field that best shows why it matched."""
    parts = fields(ds, kind, key)
    hay = SEP.join(fold(text) for _, text in parts)
    alts = [alt for alt in results.alternatives if all(t in hay for t in alt)]
    terms = tuple(dict.fromkeys(t for alt in alts for t in alt))
    found_as = None
    if alts and results.alternatives and alts[0] != results.alternatives[0]:
        found_as = results.written.get(alts[0][0])
    if kind == "passage":
        source_id, number = passage_key(key)
        p = ds.texts[source_id].passages[number - 1]
        snippet, marks = _window(parts[1][1], spans(parts[1][1], terms))
        return Hit(kind, key, f"{parts[0][1]} ¶{number}", links.sources_href(source_id, number), (), "passage",
                   snippet, tuple(marks), found_as, KIND_LABELS.get(p.kind, p.kind))
    rec = ds.records[key]
    title_marks = spans(parts[0][1], terms)
    in_title = {t for t in terms if t in fold(parts[0][1])}
    asked = set(alts[0]) if alts else set()  # the terms of the first alternative it matches: the query itself if it can
    best = None  # (score, label, text, marks) of the first field that shows most of what the title does not
    for label, text in parts[1:]:
        marks = spans(text, terms)
        here = {t for t in terms if t in fold(text)} - in_title
        score = (len(here & asked), len(here))
        if marks and (best is None or score > best[0]):
            best = (score, label, text, marks)
    label, snippet, marks = "", "", []
    if best and (best[0][1] or not title_marks):
        label, (snippet, marks) = best[1], _window(best[2], best[3])
    else:  # the title says why it matched: show what the record is
        describe = next(((n, t) for n, t in parts[1:] if n in ("summary", "definition")), None)
        if describe:
            label, (snippet, marks) = describe[0], _window(describe[1], spans(describe[1], terms))
    context = rec.date.label() if kind == "event" else ""
    return Hit(kind, key, rec.title, links.record_href(rec, ds), tuple(title_marks), label, snippet, tuple(marks),
               found_as, context)


# --- the URL -------------------------------------------------------------------------------------------------------

def search_href(query: str, kind: str | None = None) -> str:
    return links.href("search", q=query, kind=kind)


def examples(ds: Dataset, limit: int = 6) -> list[str]:
    """Searches that show what the search can do on this data: a name as each side writes it, a corridor, a term."""
    out: list[str] = []
    # places whose international name carries the other side's name, "Khankendi (Stepanakert)": one side's name each
    contested = [p for p in ds.of_kind("place") if len(_name_parts(p.names.international)) > 1]
    for rec, usage in zip(sorted(contested, key=lambda p: -p.importance)[:2], ("azerbaijani", "armenian"), strict=False):
        name = rec.names.variants().get(usage)
        if name:
            out.append(name)
    out += [c.names.international for c in ds.of_kind("corridor")[:1]]
    out += [t.term for t in ds.of_kind("term")[:2]]
    return list(dict.fromkeys(out))[:limit]

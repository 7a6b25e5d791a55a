"""Who holds which stance on which issue, how each source tells an issue, and who uses which name."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from atlas.core.load import Dataset
from atlas.core.model import Claim

# Stance → (symbol, colour): Okabe–Ito colours, and a distinct symbol so colour is never the only carrier.
STANCES = {
    "supports": ("✔", "#0072B2"), "opposes": ("✖", "#D55E00"), "conditional": ("◐", "#E69F00"),
    "concerned": ("⚠", "#CC79A7"), "neutral": ("○", "#6B6B6B"),
}
MIXED = ("⇄", "#333333")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def badge_style(background: str) -> str:
    """CSS for a stance badge: black or white text, whichever contrasts more with the colour (WCAG)."""
    lum = _luminance(background)
    black, white = (lum + 0.05) / 0.05, 1.05 / (lum + 0.05)
    return f"background:{background};color:{'#000000' if black >= white else '#FFFFFF'}"


def issue_label(ds: Dataset, issue: str) -> str:
    """How pages name a claim issue: its label in atlas.yaml's issues, else the slug in words."""
    return ds.settings.issues.get(issue) or issue.replace("-", " ").capitalize()


def claims(ds: Dataset) -> list[Claim]:
    return [c for c in ds.of_kind("claim") if isinstance(c, Claim)]


def issues(ds: Dataset) -> list[str]:
    """Issues with most claims first."""
    return [i for i, _ in Counter(c.issue for c in claims(ds)).most_common()]


def actors(ds: Dataset) -> list[str]:
    """Actors with most claims first (ties alphabetical)."""
    counts = Counter(c.actor for c in claims(ds))
    return sorted(counts, key=lambda a: (-counts[a], a))


@dataclass(frozen=True)
class Cell:
    issue: str
    actor: str
    claims: tuple[Claim, ...]

    @property
    def stance(self) -> str:
        stances = {c.stance for c in self.claims}
        return stances.pop() if len(stances) == 1 else "mixed"

    @property
    def relayed(self) -> bool:
        """True when every claim in the cell is another party's account of the actor's stance."""
        return all(c.reported_by for c in self.claims)


def matrix(ds: Dataset) -> dict[tuple[str, str], Cell]:
    cells: dict[tuple[str, str], list[Claim]] = {}
    for c in claims(ds):
        cells.setdefault((c.issue, c.actor), []).append(c)
    return {k: Cell(k[0], k[1], tuple(v)) for k, v in cells.items()}


def by_source(ds: Dataset, issue: str) -> dict[str, list[tuple[Claim, list]]]:
    """Per source, the claims on an issue that cite it, each with its citations from that source."""
    out: dict[str, list[tuple[Claim, list]]] = {sid: [] for sid in ds.sources}
    for c in claims(ds):
        if c.issue != issue:
            continue
        per_source: dict[str, list] = {}
        for x in ds.citations_of(c.id):
            per_source.setdefault(x.source_id, []).append(x)
        for sid, cits in per_source.items():
            out[sid].append((c, cits))
    return out


def source_titles(ds: Dataset, source_ids: list[str], limit: int) -> str:
    """Source titles as a list for a table cell, the tail counted rather than listed."""
    titles = [ds.sources[s].title for s in source_ids[:limit]]
    rest = len(source_ids) - limit
    return ", ".join(titles) + (f" and {rest:,} more" if rest > 0 else "")


def contested_names(ds: Dataset) -> list[dict]:
    """Records whose Armenian and Azerbaijani names differ, with the names each source uses (found verbatim).

    Each row: record, names (usage -> name), found (name -> source ids whose text contains it).
    """
    rows = []
    searched: dict[str, list[str]] = {}  # each distinct name is looked for in the texts once

    def sources_using(word: str) -> list[str]:
        if word not in searched:
            searched[word] = sorted(sid for sid, t in ds.texts.items() if word in t.text)
        return searched[word]

    for rec in ds.records.values():
        names = getattr(rec, "names", None)
        if names is None or not names.armenian or not names.azerbaijani or names.armenian == names.azerbaijani:
            continue
        variants = names.variants()
        # each form of a two-form label ("Stepanakert / Khankendi"), as written, without its gloss, and its first word
        # ("Zangezur" of "Zangezur corridor")
        forms = {form.strip() for name in variants.values() for form in name.split(" / ") if form.strip()}
        words = {w for form in forms for w in (form, form.split(" (")[0], form.split()[0]) if len(w) > 3}
        found = {w: sources_using(w) for w in sorted(words)}
        rows.append({"record": rec, "names": variants, "found": {w: s for w, s in found.items() if s}})
    return sorted(rows, key=lambda r: (not r["found"], r["record"].kind, r["record"].title))

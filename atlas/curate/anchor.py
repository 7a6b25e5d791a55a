"""Exact anchoring: words from a source -> the W3C TextQuoteSelector with the shortest context that makes it unique.

The selector is checked with the loader's own `resolve`, so what is offered here is exactly what `validate` accepts.
Words that are not verbatim in the text are refused; the nearest verbatim span is offered as a suggestion, never saved.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from atlas.core.corpus import SourceText
from atlas.core.load import Dataset, resolve
from atlas.core.model import Citation


@dataclass(frozen=True)
class Anchor:
    """A citation that resolves to exactly the span meant."""

    citation: Citation
    start: int
    end: int
    passage: int

    def as_dict(self) -> dict:
        out = {"source": self.citation.source, "quote": self.citation.quote}
        if self.citation.prefix:
            out["prefix"] = self.citation.prefix
        if self.citation.suffix:
            out["suffix"] = self.citation.suffix
        return out


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    passage: int | None  # None when the span crosses a passage boundary


@dataclass(frozen=True)
class Refusal:
    """Why the words cannot be anchored, and what might be meant (suggestions are verbatim spans, for a person to judge)."""

    message: str
    suggestions: list[str] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)  # when the words are ambiguous: every place they occur


def occurrences(st: SourceText, quote: str) -> list[Occurrence]:
    out = []
    for m in st.find(quote):
        first, last = st.passage_at(m.start), st.passage_at(m.end - 1)
        same = first is not None and last is not None and first.number == last.number
        out.append(Occurrence(m.start, m.end, first.number if same else None))
    return out


def _common_left(text: str, a: int, b: int) -> int:
    """How many characters before offsets a and b are equal (stopping at the start of the text)."""
    n = 0
    while a - n > 0 and b - n > 0 and text[a - n - 1] == text[b - n - 1]:
        n += 1
    return n


def _common_right(text: str, a: int, b: int) -> int:
    n, size = 0, len(text)
    while a + n < size and b + n < size and text[a + n] == text[b + n]:
        n += 1
    return n


def shortest_context(st: SourceText, start: int, end: int) -> tuple[str | None, str | None] | None:
    """The shortest (prefix, suffix) whose selector matches only the span [start, end), or None if none can.

    An other occurrence is ruled out by a prefix longer than the text it shares with the target on the left, or a
    suffix longer than what it shares on the right; the shortest total is found by trying each useful prefix length.
    """
    quote = st.text[start:end]
    others = [(m.start, m.end) for m in st.find(quote) if m.start != start]
    if not others:
        return None, None
    shared = [(_common_left(st.text, start, o), _common_right(st.text, end, oe)) for o, oe in others]
    best: tuple[int, int, int] | None = None  # (total, prefix length, suffix length)
    for p in sorted({0} | {left + 1 for left, _ in shared}):
        if p > start:
            break
        still = [right for left, right in shared if left >= p]
        q = max(still) + 1 if still else 0
        if end + q > len(st.text):
            continue
        if best is None or (p + q, p) < (best[0], best[1]):
            best = (p + q, p, q)
    if best is None:
        return None
    _, p, q = best
    return (st.text[start - p:start] or None), (st.text[end:end + q] or None)


def anchor_span(st: SourceText, start: int, end: int) -> Anchor | Refusal:
    """The selector for an exact span of the stored text (what a reader selects in a passage)."""
    if not 0 <= start < end <= len(st.text):
        return Refusal(f"no text selected in {st.source_id}")
    first, last = st.passage_at(start), st.passage_at(end - 1)
    if first is None or last is None or first.number != last.number:
        return Refusal(f"the words run across more than one passage of {st.source_id}: cite each passage separately")
    ctx = shortest_context(st, start, end)
    if ctx is None:
        return Refusal(f"the words occur again with the same text around them up to the end of {st.source_id}: "
                       "select a longer span")
    cit = Citation(source=st.source_id, quote=st.text[start:end], prefix=ctx[0], suffix=ctx[1])
    got = resolve(Dataset(data_dir=None, texts={st.source_id: st}), cit)  # the loader's own check
    if isinstance(got, str) or got[:2] != (start, end):
        return Refusal(f"the selector does not resolve back to the words ({got})")
    return Anchor(cit, start, end, got[2])


def anchor(st: SourceText, words: str, passage: int | None = None, occurrence: int | None = None) -> Anchor | Refusal:
    """Anchor words copied from a source. Leading and trailing white space is dropped; everything else must be verbatim.

    When the words occur more than once, `passage` (its number) and `occurrence` (1 = first in that passage, or in the
    text) say which is meant; without them an ambiguous quote is refused with every place it occurs.
    """
    quote = words.strip()
    if not quote:
        return Refusal("no words given")
    found = occurrences(st, quote)
    if passage is not None:
        if st.passage(passage) is None:
            return Refusal(f"{st.source_id} has no passage {passage} (it has {len(st.passages)})")
        found = [o for o in found if o.passage == passage]
    if not found:
        where = f" passage {passage} of" if passage is not None else ""
        return Refusal(f"the words are not verbatim in{where} {st.source_id}", nearest(st, quote, passage))
    if occurrence is not None:
        if not 1 <= occurrence <= len(found):
            return Refusal(f"occurrence {occurrence} asked for, but the words occur {len(found)} time(s)", occurrences=found)
        found = [found[occurrence - 1]]
    if len(found) > 1:
        return Refusal(f"the words occur {len(found)} times in {st.source_id} ({_where(found)}): say which one is meant "
                       "(by passage number, and by occurrence within it)", occurrences=found)
    o = found[0]
    if o.passage is None:
        return Refusal(f"the words run across more than one passage of {st.source_id}: cite each passage separately")
    return anchor_span(st, o.start, o.end)


def _where(found: list[Occurrence]) -> str:
    """'passage 3, passage 7 (2 times)': where ambiguous words occur, for a refusal."""
    counts: dict[int | None, int] = {}
    for o in found:
        counts[o.passage] = counts.get(o.passage, 0) + 1
    parts = [(f"passage {n}" if n else "across passages") + (f" ({c} times)" if c > 1 else "") for n, c in counts.items()]
    return ", ".join(parts[:12]) + (f" and {len(parts) - 12} more passages" if len(parts) > 12 else "")


_LOOSE = {"'": "['‘’`´]", "‘": "['‘’`´]", "’": "['‘’`´]", '"': "[\"“”„«»]", "“": "[\"“”„«»]", "”": "[\"“”„«»]",
          "-": "[-‐‑‒–—]", "–": "[-‐‑‒–—]", "—": "[-‐‑‒–—]"}


def _loose_pattern(words: str) -> re.Pattern:
    parts = []
    for token in re.split(r"(\s+)", words):
        if not token:
            continue
        if token.isspace():
            parts.append(r"\s+")
        else:
            parts.append("".join(_LOOSE.get(ch, re.escape(ch)) for ch in token))
    return re.compile("".join(parts), re.IGNORECASE)


def nearest(st: SourceText, words: str, passage: int | None = None, limit: int = 3) -> list[str]:
    """Verbatim spans of the text close to `words`, best first (shown to a person, never saved).

    First the same words differing only in white space, case, quote marks or dashes; otherwise the span of the same
    length aligned on the longest stretch the words share with a passage, widened to whole words.
    """
    text = st.text
    scope = [st.passage(passage)] if passage is not None and st.passage(passage) else st.passages
    out: list[str] = []
    pattern = _loose_pattern(words)
    for p in scope:
        for m in pattern.finditer(text, p.start, p.end):
            if m.group(0) not in out:
                out.append(m.group(0))
    if out:
        return out[:limit]
    scored = []
    for p in scope:
        chunk = text[p.start:p.end]
        sm = difflib.SequenceMatcher(None, chunk, words, autojunk=False)
        m = sm.find_longest_match(0, len(chunk), 0, len(words))
        if m.size == 0:
            continue
        lo = max(0, m.a - m.b)
        hi = min(len(chunk), lo + len(words))
        while lo > 0 and not chunk[lo - 1].isspace():
            lo -= 1
        while hi < len(chunk) and not chunk[hi].isspace():
            hi += 1
        span = chunk[lo:hi].strip()
        ratio = difflib.SequenceMatcher(None, span, words, autojunk=False).ratio()
        scored.append((m.size, ratio, span))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    for _, ratio, span in scored:
        if span and span not in out and ratio >= 0.5:
            out.append(span)
    return out[:limit]

"""Source texts, their numbered passages, and exact resolution of quotes to character spans."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Passages are separated by blank lines. A line break is one of \r\n, \n or a lone \r (a file saved on Windows or an
# old Mac still splits into its paragraphs); a separator is a line break followed by a line holding only spaces or tabs.
# The stored text is never changed, so passage and quote offsets stay exact against the stored characters.
_SEPARATOR = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?=[ \t]*(?:\r\n|\r|\n))")
_REFERENCE = re.compile(r"^\[\d+\]")
# A block that ends without one of these and is followed by a block starting in lower case
# was broken mid-sentence (PDF extraction) and is rejoined for reading.
_TERMINAL = tuple('.!?:;"”’)]>*')

# The Sources reader shows a long source a page at a time: a page ends before it would pass either bound, and holds at
# least one passage, so one page's HTML stays in the hundreds of kilobytes whatever the source's length.
READER_PAGE_CHARS = 60_000
READER_PAGE_PASSAGES = 200

PASSAGE_KINDS = ("text", "heading", "meta", "reference", "boilerplate")
# Passages that must be cited for full coverage; the rest are headings, bylines, notes and footers.
SUBSTANTIVE_KINDS = ("text",)


@dataclass(frozen=True)
class Passage:
    source_id: str
    number: int  # 1-based, stable while the stored text is unchanged
    start: int  # character offsets into the stored text, end exclusive
    end: int
    kind: str

    @property
    def anchor(self) -> str:
        return f"p{self.number}"

    @property
    def ref(self) -> str:
        return f"{self.source_id}#{self.anchor}"


def segment(text: str) -> list[tuple[int, int]]:
    """Split a text into readable paragraph spans, rejoining blocks broken mid-sentence.

    Linear in time and memory: only the separators are matched by a regular expression (a pattern repeated once per
    character of a paragraph made Python's matcher keep a backtracking entry per character, about 125 bytes each).
    """
    spans: list[tuple[int, int]] = []
    at = 0
    for m in _SEPARATOR.finditer(text):
        _add_block(text, at, m.start(), spans)
        at = m.end()
    _add_block(text, at, len(text), spans)
    return spans


def _add_block(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append text[start:end], stripped of surrounding whitespace, as a span, or join it to the previous span."""
    if start == end:
        return
    if text[start].isspace() or text[end - 1].isspace():
        block = text[start:end]
        kept = block.strip()
        if not kept:
            return
        start += len(block) - len(block.lstrip())
        end = start + len(kept)
    if spans and _continues(text, spans[-1], start):
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))


def _continues(text: str, previous: tuple[int, int], start: int) -> bool:
    """Whether the block at `start` carries on the sentence of the previous span (read in place, not copied)."""
    first, last = previous
    return (
        last - first > 80
        and text[first] != "#"
        and not text[last - 1].endswith(_TERMINAL)
        and text[start].islower()
    )


def guess_kind(block: str) -> str:
    """A passage kind from its shape; sources.yaml can override it for any passage."""
    stripped = block.strip()
    if stripped.startswith("#"):
        return "heading"
    if _REFERENCE.match(stripped):
        return "reference"
    if len(stripped) < 100 and not stripped.endswith(_TERMINAL) and not stripped[:1].islower():
        return "heading"
    return "text"


def display_text(raw: str) -> str:
    """Text as a reader should see it: line breaks from extraction folded, markup markers dropped."""
    text = re.sub(r"</?sup>", "", raw)
    text = re.sub(r"\s*\n\s*", " ", text)
    text = text.replace("**", "")
    return text


def heading_text(raw: str) -> str:
    return display_text(raw).lstrip("#").strip().strip("*").strip()


@dataclass(frozen=True)
class Match:
    start: int
    end: int


@dataclass
class SourceText:
    """One stored source document and its passages."""

    source_id: str
    text: str
    passages: list[Passage] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _pages: list[int] | None = field(default=None, repr=False)  # index of each reader page's first passage

    @classmethod
    def build(cls, source_id: str, text: str, kind_overrides: dict[int, str] | None = None) -> SourceText:
        passages = []
        for number, (start, end) in enumerate(segment(text), start=1):
            kind = (kind_overrides or {}).get(number) or guess_kind(text[start:end])
            passages.append(Passage(source_id, number, start, end, kind))
        return cls(source_id, text, passages, [p.start for p in passages])

    def passage(self, number: int) -> Passage | None:
        if 1 <= number <= len(self.passages):
            return self.passages[number - 1]
        return None

    def passage_at(self, offset: int) -> Passage | None:
        """The passage containing a character offset (None between passages)."""
        import bisect

        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.passages[i].start <= offset < self.passages[i].end:
            return self.passages[i]
        return None

    def reader_pages(self) -> list[tuple[int, int]]:
        """The reader's pages as (first, end) indexes into `passages`; computed once (the text does not change)."""
        if self._pages is None:
            starts, chars, count = [0], 0, 0
            for i, p in enumerate(self.passages):
                size = p.end - p.start
                if count and (chars + size > READER_PAGE_CHARS or count == READER_PAGE_PASSAGES):
                    starts.append(i)
                    chars = count = 0
                chars += size
                count += 1
            self._pages = starts
        ends = self._pages[1:] + [len(self.passages)]
        return list(zip(self._pages, ends, strict=True))

    def page_of(self, number: int) -> int:
        """The reader page (from 1) holding passage `number`."""
        import bisect

        self.reader_pages()
        return max(1, bisect.bisect_right(self._pages, number - 1))

    def raw(self, passage: Passage) -> str:
        return self.text[passage.start:passage.end]

    def find(self, quote: str, prefix: str | None = None, suffix: str | None = None) -> list[Match]:
        """Every exact occurrence of quote whose surrounding text matches prefix and suffix."""
        if not quote:
            return []
        found = []
        at = self.text.find(quote)
        while at != -1:
            end = at + len(quote)
            if (prefix is None or self.text[max(0, at - len(prefix)):at] == prefix) and (
                suffix is None or self.text[end:end + len(suffix)] == suffix
            ):
                found.append(Match(at, end))
            at = self.text.find(quote, at + 1)
        return found

    def context(self, start: int, end: int, width: int = 32) -> tuple[str, str]:
        """Prefix and suffix around a span, as a W3C TextQuoteSelector carries them."""
        return self.text[max(0, start - width):start], self.text[end:end + width]


KIND_LABELS = {
    "text": "", "heading": "heading", "meta": "byline / note", "reference": "footnote", "boilerplate": "page furniture",
}

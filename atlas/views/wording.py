"""Sentences about the corpus, derived from the dataset (never written into the code): how many documents, which."""
from __future__ import annotations

from atlas.core.load import Dataset

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def count_word(n: int) -> str:
    """'four', or '23' past twelve."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"


def counted(n: int, noun: str) -> str:
    """'four documents', 'one document', 'no documents'."""
    return f"{count_word(n)} {noun}{'' if n == 1 else 's'}"


def source_names(ds: Dataset) -> list[str]:
    """Each source as a source line names it: its `short` name in sources.yaml, else its title."""
    return [s.short or s.title for s in ds.sources.values()]


def coded_from(ds: Dataset, sep: str = "; ", line_break: str | None = None, quote=str) -> str:
    """'four documents (AVİM; a report …; …)'; with `line_break`, the list breaks there after its first half. `quote`
    is applied to each name (e.g. an escape, for text that a renderer reads as markup)."""
    names = [quote(n) for n in source_names(ds)]
    if not names:
        return counted(0, "document")
    half = (len(names) + 1) // 2
    if line_break is not None and len(names) > 1:
        listed = sep.join(names[:half]) + sep.rstrip() + line_break + sep.join(names[half:])
    else:
        listed = sep.join(names)
    return f"{counted(len(names), 'document')} ({listed})"


def chart_source_line(ds: Dataset, line_break: str | None = None, quote=str) -> str:
    """The source line under a chart (and in its downloaded image); `quote` escapes the data for a markup renderer."""
    return (f"Source: {quote(ds.settings.title)} — events coded from {coded_from(ds, '; ', line_break, quote)}. "
            "CAMEO/Goldstein: GDELT.")


def map_source_line(ds: Dataset) -> str:
    """The source line under the static map: the documents on two lines."""
    return (f"Source: {ds.settings.title}, coded from {coded_from(ds, ', ', chr(10))}. Routes schematic. "
            "Basemap: Made with Natural Earth.")

"""Links between the pages: the address of a page, a source passage, and where each record kind is shown.

Parsing the parameters back into each page's state is atlas.views.viewstate."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from atlas.core.load import Dataset
    from atlas.core.model import Record

MAX_PARAM = 200  # longer values are cut before they are echoed in a notice

# Which page shows which record kind (pages not built yet are absent: a link never pretends).
PAGE_FOR_KIND: dict[str, str] = {
    "term": "about", "corridor": "map", "place": "map", "area": "map", "event": "events", "claim": "perspectives",
}


def href(page: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"/{page}" + (f"?{query}" if query else "")


def sources_href(source_id: str, passage: int | None = None) -> str:
    return href("sources", source=source_id, passage=passage)


def record_href(rec: Record, ds: Dataset) -> str:
    """Where a record can be seen: its own page, else the passage its first citation quotes."""
    page = PAGE_FOR_KIND.get(rec.kind)
    if page:
        return href(page, focus=rec.id)
    first = ds.citations_of(rec.id)
    return sources_href(first[0].source_id, first[0].passage) if first else sources_href(rec.citations[0].source)


def clip(value: str) -> str:
    """A URL value as a notice may echo it: cut to MAX_PARAM characters."""
    return value if len(value) <= MAX_PARAM else value[:MAX_PARAM] + "…"

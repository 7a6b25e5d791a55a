"""Links between pages: the URL of a page with its parameters, of a source passage, of a record where it is shown.
Pure string building, so analysis can name a view without knowing how views are drawn; parsing a URL back into a view
is atlas.views.links."""
from __future__ import annotations

from urllib.parse import urlencode

from atlas.core.dataset import Dataset
from atlas.core.kinds import KINDS
from atlas.core.model import Record


def href(page: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"/{page}" + (f"?{query}" if query else "")


def sources_href(source_id: str, passage: int | None = None) -> str:
    return href("sources", source=source_id, passage=passage)


def quote_href(source_id: str, passage: int, quote: str) -> str:
    """A passage's own address with the quoted words: the source opens scrolled to them, highlighted."""
    return href("sources", source=source_id, passage=passage, quote=quote)


def record_href(rec: Record, ds: Dataset) -> str:
    """Where a record can be seen: its own page, else the passage its first citation quotes."""
    kind = KINDS.get(rec.kind)
    page = kind.page if kind else None  # a kind no page shows (Kind.page) links to its evidence
    if page:
        return href(page, focus=rec.id)
    first = ds.citations_of(rec.id)
    return sources_href(first[0].source_id, first[0].passage) if first else sources_href(rec.citations[0].source)

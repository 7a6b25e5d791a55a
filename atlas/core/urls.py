"""Links between pages: the URL of a page with its parameters, of a source passage, of a record where it is shown.
Pure string building, so analysis can name a view without knowing how views are drawn; parsing a URL back into a view
is atlas.views.links."""
from __future__ import annotations

from urllib.parse import urlencode

from atlas.core.dataset import Dataset
from atlas.core.model import Record

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

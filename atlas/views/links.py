"""Links between the pages: the address of a page, a source passage (with the words it quotes), and where each record
kind is shown (built in atlas.core.urls so analysis can name a view), and how a URL value is echoed in a notice.

Parsing the parameters back into each page's state is atlas.views.viewstate."""
from __future__ import annotations

from atlas.core.urls import href, quote_href, record_href, sources_href  # noqa: F401 (views build links as links.href(…))

MAX_PARAM = 200  # longer values are cut before they are echoed in a notice


def clip(value: str) -> str:
    """A URL value as a notice may echo it: cut to MAX_PARAM characters."""
    return value if len(value) <= MAX_PARAM else value[:MAX_PARAM] + "…"

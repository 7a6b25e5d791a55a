"""Query parameters <-> view state: every view is a link, and garbage gives a notice, not an error."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from atlas.load import Dataset
    from atlas.model import Record

MAX_PARAM = 200  # longer values are cut before they are echoed in a notice

# Which page shows which record kind (pages not built yet are absent: a link never pretends).
PAGE_FOR_KIND: dict[str, str] = {"term": "about", "corridor": "map", "place": "map", "area": "map", "event": "map"}


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


def _clip(value: str) -> str:
    return value if len(value) <= MAX_PARAM else value[:MAX_PARAM] + "…"


@dataclass
class Parsed:
    """A view parsed from the URL: values that are safe to use, and notices for what was dropped."""

    values: dict[str, object] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def parse_sources(params: Mapping[str, str], ds: Dataset) -> Parsed:
    """`?source=<id>&passage=<n>` for the Sources reader."""
    out = Parsed()
    ids = list(ds.sources)
    source = params.get("source")
    if source is not None and source not in ds.sources:
        out.notices.append(f"No source with id '{_clip(source)}'; showing the first source instead.")
        source = None
    out.values["source"] = source or (ids[0] if ids else None)
    raw = params.get("passage")
    passage = None
    if raw is not None and out.values["source"]:
        n_passages = len(ds.texts[out.values["source"]].passages)
        try:
            passage = int(raw.strip())
        except ValueError:
            out.notices.append(f"Passage '{_clip(raw)}' is not a number; showing the whole source.")
        else:
            if not 1 <= passage <= n_passages:
                out.notices.append(f"This source has passages 1–{n_passages}, not {passage}; showing the whole source.")
                passage = None
    out.values["passage"] = passage
    return out


def parse_focus(params: Mapping[str, str], ds: Dataset, kinds: tuple[str, ...]) -> Parsed:
    """`?focus=<record id>` on a page that shows records of `kinds`."""
    out = Parsed(values={"focus": None, "elsewhere": None})
    focus = params.get("focus")
    if focus is None or focus == "":
        return out
    rec = ds.records.get(focus)
    if rec is None:
        out.notices.append(f"No record with id '{_clip(focus)}'; showing the page without a selection.")
    elif rec.kind not in kinds:
        out.values["elsewhere"] = rec
        out.notices.append(f"'{rec.title}' is a {rec.kind}; this page does not show {rec.kind}s.")
    else:
        out.values["focus"] = rec.id
    return out


def parse_map(params: Mapping[str, str], ds: Dataset):
    """`?focus=<id>&date=YYYY-MM&layers=a,b,c&names=<usage>` for the map."""
    from atlas import geo
    from atlas.figures import LAYERS, MAP_KINDS, NAME_USAGES, MapView

    view = MapView()
    out = Parsed(values={"view": view})
    date = params.get("date")
    if date is not None:
        if date in geo.months():
            view.date = date
        else:
            out.notices.append(f"Date '{_clip(date)}' is not a month between {geo.FIRST_MONTH} and {geo.LAST_MONTH} "
                               f"(write YYYY-MM); showing {geo.LAST_MONTH}.")
    layers = params.get("layers")
    if layers is not None:
        asked = [x.strip() for x in layers.split(",") if x.strip()]
        unknown = [x for x in asked if x not in LAYERS]
        if unknown:
            out.notices.append(f"Unknown layer(s) {_clip(', '.join(unknown))}; known layers: {', '.join(LAYERS)}.")
        known = tuple(x for x in LAYERS if x in asked)
        view.layers = known if known or not asked else view.layers  # nothing usable asked for: all layers
    names = params.get("names")
    if names is not None:
        if names in NAME_USAGES:
            view.names = names
        else:
            out.notices.append(f"Unknown names '{_clip(names)}'; use one of {', '.join(NAME_USAGES)}. "
                               "Showing international names.")
    focus = parse_focus(params, ds, kinds=MAP_KINDS)
    out.notices += focus.notices
    out.values["elsewhere"] = focus.values["elsewhere"]
    view.focus = focus.values["focus"]
    return out

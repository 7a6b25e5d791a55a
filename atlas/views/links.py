"""Query parameters <-> view state: every view is a link, and garbage gives a notice, not an error."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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


def quote_href(source_id: str, passage: int, quote: str) -> str:
    """A passage's own address with the quoted words: the source opens scrolled to them, highlighted."""
    return href("sources", source=source_id, passage=passage, quote=quote)


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


def quote_spans(ds: Dataset, source_id: str, passage: int, quote: str) -> list[tuple[int, int]]:
    """Every exact occurrence of `quote` in the passage, as [start, end) offsets into the stored text. Exact: no case,
    space or accent folding, so a link highlights only the words a record cites."""
    text = ds.texts[source_id]
    p = text.passages[passage - 1]
    raw = text.text[p.start:p.end]
    spans, at = [], raw.find(quote) if quote else -1
    while at >= 0:
        spans.append((p.start + at, p.start + at + len(quote)))
        at = raw.find(quote, at + 1)
    return spans


def parse_sources(params: Mapping[str, str], ds: Dataset) -> Parsed:
    """`?source=<id>&passage=<n>&quote=<exact words>` for the Sources reader. The quote must occur verbatim in the passage
    (without a passage: in the first passage that holds it); otherwise a notice, and the passage is still shown."""
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
    quote = params.get("quote")
    out.values["quote"] = None
    if quote and out.values["source"]:
        source = out.values["source"]
        if passage is None and raw is None:  # a quote without a passage: the first passage that holds it
            passage = next((p.number for p in ds.texts[source].passages if quote_spans(ds, source, p.number, quote)), None)
        if passage is None:
            out.notices.append(f"The quoted words '{_clip(quote)}' do not occur in this source (a quote must match exactly); "
                               "showing the source without them.")
        elif not quote_spans(ds, source, passage, quote):
            out.notices.append(f"The quoted words '{_clip(quote)}' do not occur in ¶{passage} (a quote must match exactly, "
                               "capitals, accents and spaces included); showing the passage without them.")
        else:
            out.values["quote"] = quote
    out.values["passage"] = passage
    return out


def parse_record(params: Mapping[str, str], ds: Dataset) -> Parsed:
    """`?id=<record id>` for a record's own page."""
    out = Parsed(values={"record": None})
    rid = params.get("id")
    if rid is None or rid.strip() == "":
        out.notices.append("This page shows one record: add ?id=<record id> to the address, or follow a record's "
                           "“Record page” link.")
    elif rid not in ds.records:
        out.notices.append(f"No record with id '{_clip(rid)}'. Search for the record to find its page.")
    else:
        out.values["record"] = ds.records[rid]
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
    from atlas.core import geo
    from atlas.views.figures import LAYERS, MAP_KINDS, NAME_USAGES, MapView

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


def _months_param(params: Mapping[str, str], name: str, default: str, out: Parsed, months: list[str]) -> str:
    value = params.get(name)
    if value is None:
        return default
    if value in months:
        return value
    out.notices.append(f"'{name}={_clip(value)}' is not a month between {months[0]} and {months[-1]} (YYYY-MM); "
                       f"using {default}.")
    return default


def _list_param(params: Mapping[str, str], name: str, allowed: list[str], out: Parsed) -> list[str] | None:
    """A comma-separated list: None when absent; unknown items dropped with a notice."""
    value = params.get(name)
    if value is None:
        return None
    items = [x.strip() for x in value.split(",") if x.strip()]
    unknown = [x for x in items if x not in allowed]
    if unknown:
        out.notices.append(f"Unknown {name}: {_clip(', '.join(unknown))}; ignored.")
    return [x for x in allowed if x in items]


def _range(params: Mapping[str, str], out: Parsed, months: list[str] | None = None) -> tuple[str, str]:
    from atlas.core import geo

    months = months or geo.months()
    first = _months_param(params, "from", months[0], out, months)
    last = _months_param(params, "to", months[-1], out, months)
    if first > last:
        out.notices.append(f"'from' ({first}) is after 'to' ({last}); showing the whole period.")
        first, last = months[0], months[-1]
    return first, last


HALF_LIVES = {"0": None, "6": 6.0, "12": 12.0, "24": 24.0}


def parse_alignments(params: Mapping[str, str], ds: Dataset, default_partners: list[str], all_partners: list[str]) -> Parsed:
    """`?partners=a,b&weights=goldstein|equal&from=YYYY-MM&to=YYYY-MM&halflife=0|6|12|24&reported=1|0&sources=…&view=…`
    `&nonstate=0|1&envelope=1|0&focus=…`. The index counts from `from` (default: the first month of the period)."""
    from atlas.analysis.alignment import WEIGHTS

    out = Parsed()
    partners = _list_param(params, "partners", all_partners, out)
    out.values["partners"] = default_partners if partners is None or (not partners and params.get("partners")) else partners
    weights = params.get("weights", "goldstein")
    if weights not in WEIGHTS:
        out.notices.append(f"Unknown weights '{_clip(weights)}'; use goldstein or equal. Using Goldstein scores.")
        weights = "goldstein"
    out.values["weights"] = weights
    out.values["from"], out.values["to"] = _range(params, out)
    half = params.get("halflife", "0")
    if half not in HALF_LIVES:
        out.notices.append(f"Unknown half-life '{_clip(half)}'; use one of {', '.join(HALF_LIVES)} (months). Using no decay.")
        half = "0"
    out.values["halflife"] = half
    reported = params.get("reported", "1")
    if reported not in ("0", "1"):
        out.notices.append(f"'reported={_clip(reported)}' should be 1 or 0; including third-party accounts.")
        reported = "1"
    out.values["reported"] = reported == "1"
    nonstate = params.get("nonstate", "0")
    if nonstate not in ("0", "1"):
        out.notices.append(f"'nonstate={_clip(nonstate)}' should be 1 or 0; leaving acts by non-state actors out.")
        nonstate = "0"
    out.values["nonstate"] = nonstate == "1"
    envelope = params.get("envelope", "1")
    if envelope not in ("0", "1"):
        out.notices.append(f"'envelope={_clip(envelope)}' should be 1 or 0; showing the robustness band.")
        envelope = "1"
    out.values["envelope"] = envelope == "1"
    sources = _list_param(params, "sources", list(ds.sources), out)
    out.values["sources"] = list(ds.sources) if sources is None or not sources else sources
    view = params.get("view", "chart")
    if view not in ("chart", "heatmap"):
        out.notices.append(f"Unknown view '{_clip(view)}'; showing the chart.")
        view = "chart"
    out.values["view"] = view
    focus = parse_focus(params, ds, kinds=("event",))
    out.notices += focus.notices
    out.values["focus"], out.values["elsewhere"] = focus.values["focus"], focus.values["elsewhere"]
    return out


def parse_events(params: Mapping[str, str], ds: Dataset, options: dict[str, list[str]], months: list[str]) -> Parsed:
    """`?q=…&partner=…&tag=…&source=…&actor=…&from=YYYY-MM&to=YYYY-MM&focus=<event id>`"""
    out = Parsed()
    q = params.get("q", "")
    if len(q) > MAX_PARAM:
        out.notices.append(f"The search text was cut to {MAX_PARAM} characters.")
        q = q[:MAX_PARAM]
    out.values["q"] = q
    for name in ("partner", "tag", "source", "actor"):
        out.values[name] = _list_param(params, name, options[name], out) or []
    out.values["from"], out.values["to"] = _range(params, out, months)
    focus = parse_focus(params, ds, kinds=("event",))
    out.notices += focus.notices
    out.values["focus"], out.values["elsewhere"] = focus.values["focus"], focus.values["elsewhere"]
    return out


def parse_perspectives(params: Mapping[str, str], ds: Dataset, issues: list[str], actors: list[str]) -> Parsed:
    """`?issue=<slug>&actor=<name>&focus=<claim id>`: a focused claim opens its issue and actor."""
    out = Parsed()
    issue, actor = params.get("issue"), params.get("actor")
    if issue is not None and issue not in issues:
        out.notices.append(f"No issue '{_clip(issue)}'; known issues: {', '.join(issues)}.")
        issue = None
    if actor is not None and actor not in actors:
        out.notices.append(f"No actor '{_clip(actor)}' holds a stance in these sources.")
        actor = None
    focus = parse_focus(params, ds, kinds=("claim",))
    out.notices += focus.notices
    out.values["elsewhere"] = focus.values["elsewhere"]
    claim = ds.records.get(focus.values["focus"] or "")
    if claim is not None:
        issue, actor = claim.issue, claim.actor
    out.values.update(issue=issue or (issues[0] if issues else None), actor=actor, focus=focus.values["focus"])
    return out


def parse_list_page(raw: str | None, n_pages: int, noun: str, home: int = 1) -> tuple[int, str | None]:
    """`?<list>_page=N` (1-based) for a long list cut into pages: (page, notice or None); `home` when absent or wrong."""
    if raw is None or n_pages <= 1:
        return home, None
    try:
        page = int(raw.strip())
    except ValueError:
        return home, f"Page '{_clip(raw)}' of the {noun} is not a number; showing page {home}."
    if not 1 <= page <= n_pages:
        return home, f"The {noun} have pages 1–{n_pages}, not {page}; showing page {home}."
    return page, None


def parse_brief(params: Mapping[str, str], n_steps: int) -> Parsed:
    """`?step=N` (1-based) for the Brief."""
    out = Parsed(values={"step": 1})
    raw = params.get("step")
    if raw is None or n_steps == 0:
        return out
    try:
        step = int(raw.strip())
    except ValueError:
        out.notices.append(f"Step '{_clip(raw)}' is not a number; starting at step 1.")
        return out
    if not 1 <= step <= n_steps:
        out.notices.append(f"The brief has steps 1–{n_steps}, not {step}; starting at step 1.")
        return out
    out.values["step"] = step
    return out

"""Each page's URL state as a typed value: every view is a link, and garbage gives a notice, not an error.

Every state class has
- `parse(params, ds, …) -> (state, notices)`: the query parameters read into a state that is safe to use; what was
  dropped is said in `notices` (plain sentences), and a value it could not use falls back to that field's default;
- `serialise() -> dict[str, str]`: the parameters that give this state back, non-default values only, so
  `parse(serialise(s)) == s` for every state `parse` can return.

Defaults that depend on the data (the months of the dataset's period and its last month, the map's layers, the
partners drawn by default, every source, the first issue) are passed to `parse` or read from the dataset, and kept on
the state as context fields that take no part in equality.
Page numbers of long lists (`claims_page`, `page`, …) are read by the pager (`parse_list_page`), which alone knows
how many pages a list has.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from atlas.analysis import search
from atlas.analysis.alignment import WEIGHTS
from atlas.core.geo import period_months
from atlas.views.figures import MAP_KINDS, NAME_USAGES, MapView, layer_labels
from atlas.views.links import MAX_PARAM, clip

if TYPE_CHECKING:
    from atlas.core.load import Dataset
    from atlas.core.model import Record

Params = Mapping[str, str]
HALF_LIVES = {"0": None, "6": 6.0, "12": 12.0, "24": 24.0}  # ?halflife= on /alignments: months, "0" = no fading
ALIGNMENT_VIEWS = ("chart", "heatmap")


class Notices(list[str]):
    """What the URL asked for and did not get, one sentence each; `elsewhere` is a focused record this page cannot
    show (the page says where it can be read)."""

    def __init__(self, items: Sequence[str] = (), elsewhere: Record | None = None) -> None:
        super().__init__(items)
        self.elsewhere = elsewhere


def _context() -> object:
    """A field that carries data-dependent defaults: not part of the state's value, so not compared or shown."""
    return field(default=(), compare=False, repr=False)


def _nonempty(out: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in out.items() if v is not None}


# --- one parameter at a time ---------------------------------------------------------------------------------------

def _focus(params: Params, ds: Dataset, kinds: Sequence[str], notices: Notices) -> str | None:
    """`?focus=<record id>` on a page that shows records of `kinds`."""
    focus = params.get("focus")
    if not focus:
        return None
    rec = ds.records.get(focus)
    if rec is None:
        notices.append(f"No record with id '{clip(focus)}'; showing the page without a selection.")
    elif rec.kind not in kinds:
        notices.elsewhere = rec
        notices.append(f"'{rec.title}' is a {rec.kind}; this page does not show {rec.kind}s.")
    else:
        return rec.id
    return None


def _choice(params: Params, name: str, allowed: Sequence[str], default: str, notices: Notices, message: str) -> str:
    """One of `allowed`; anything else is `message` (formatted with the clipped value) and the default."""
    value = params.get(name)
    if value is None:
        return default
    if value in allowed:
        return value
    notices.append(message.format(value=clip(value)))
    return default


def _flag(params: Params, name: str, default: bool, notices: Notices, fallback: str) -> bool:
    """`1` or `0`; anything else says what happens instead (`fallback`) and keeps the default."""
    value = params.get(name)
    if value is None:
        return default
    if value in ("0", "1"):
        return value == "1"
    notices.append(f"'{name}={clip(value)}' should be 1 or 0; {fallback}.")
    return default


def _bit(value: bool, default: bool) -> str | None:
    return None if value == default else ("1" if value else "0")


def _list(params: Params, name: str, allowed: Sequence[str], notices: Notices) -> tuple[str, ...] | None:
    """A comma-separated list: None when absent; unknown items dropped with a notice; kept in `allowed`'s order."""
    value = params.get(name)
    if value is None:
        return None
    items = [x.strip() for x in value.split(",") if x.strip()]
    unknown = [x for x in items if x not in allowed]
    if unknown:
        notices.append(f"Unknown {name}: {clip(', '.join(unknown))}; ignored.")
    return tuple(x for x in allowed if x in items)


def _month(params: Params, name: str, default: str, months: Sequence[str], notices: Notices) -> str:
    value = params.get(name)
    if value is None:
        return default
    if value in months:
        return value
    notices.append(f"'{name}={clip(value)}' is not a month between {months[0]} and {months[-1]} (YYYY-MM); using {default}.")
    return default


def _range(params: Params, months: Sequence[str], notices: Notices) -> tuple[str, str]:
    """`?from=YYYY-MM&to=YYYY-MM` within `months`; a reversed range is the whole period."""
    first = _month(params, "from", months[0], months, notices)
    last = _month(params, "to", months[-1], months, notices)
    if first > last:
        notices.append(f"'from' ({first}) is after 'to' ({last}); showing the whole period.")
        first, last = months[0], months[-1]
    return first, last


def _text(params: Params, name: str, notices: Notices) -> str:
    value = params.get(name, "")
    if len(value) > MAX_PARAM:
        notices.append(f"The search text was cut to {MAX_PARAM} characters.")
        value = value[:MAX_PARAM]
    return value


def _number(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except ValueError:
        return None


def parse_list_page(raw: str | None, n_pages: int, noun: str, home: int = 1) -> tuple[int, str | None]:
    """`?<list>_page=N` (1-based) for a long list cut into pages: (page, notice or None); `home` when absent or wrong."""
    if raw is None or n_pages <= 1:
        return home, None
    page = _number(raw)
    if page is None:
        return home, f"Page '{clip(raw)}' of the {noun} is not a number; showing page {home}."
    if not 1 <= page <= n_pages:
        return home, f"The {noun} have pages 1–{n_pages}, not {page}; showing page {home}."
    return page, None


# --- the pages -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FocusState:
    """`?focus=<record id>` on a page whose only state is the record it highlights."""

    KINDS: ClassVar[tuple[str, ...]] = ()
    focus: str | None = None

    @classmethod
    def parse(cls, params: Params, ds: Dataset) -> tuple[FocusState, Notices]:
        notices = Notices()
        return cls(focus=_focus(params, ds, cls.KINDS, notices)), notices

    def serialise(self) -> dict[str, str]:
        return _nonempty({"focus": self.focus})


class HomeState(FocusState):
    """`/?focus=…`: home shows no record; a focus is a notice that says where the record can be read."""


class AboutState(FocusState):
    """`/about?focus=<term id>`: the glossary term highlighted with its quotes."""

    KINDS = ("term",)


@dataclass(frozen=True)
class MapState:
    """`/map?focus=<id>&date=YYYY-MM&layers=a,b,c&names=<usage>`."""

    date: str
    layers: tuple[str, ...]
    names: str = "international"
    focus: str | None = None
    months: tuple[str, ...] = _context()  # the slider's months (the dataset's period); the last is the default date
    offered: tuple[str, ...] = _context()  # every layer of the dataset (figures.layer_labels), shown by default

    @classmethod
    def parse(cls, params: Params, ds: Dataset, months: Sequence[str]) -> tuple[MapState, Notices]:
        notices, months, offered = Notices(), tuple(months), tuple(layer_labels(ds))
        date = params.get("date")
        if date is not None and date not in months:
            notices.append(f"Date '{clip(date)}' is not a month between {months[0]} and {months[-1]} "
                           f"(write YYYY-MM); showing {months[-1]}.")
            date = None
        layers = offered
        raw = params.get("layers")
        if raw is not None:
            asked = [x.strip() for x in raw.split(",") if x.strip()]
            unknown = [x for x in asked if x not in offered]
            if unknown:
                notices.append(f"Unknown layer(s) {clip(', '.join(unknown))}; known layers: {', '.join(offered)}.")
            known = tuple(x for x in offered if x in asked)
            layers = known if known or not asked else offered  # nothing usable asked for: all layers
        names = _choice(params, "names", list(NAME_USAGES), "international", notices,
                        f"Unknown names '{{value}}'; use one of {', '.join(NAME_USAGES)}. Showing international names.")
        focus = _focus(params, ds, MAP_KINDS, notices)
        return cls(date=date or months[-1], layers=layers, names=names, focus=focus, months=months, offered=offered), notices

    def serialise(self) -> dict[str, str]:
        return _nonempty({"focus": self.focus, "date": None if self.date == self.months[-1] else self.date,
                          "layers": None if self.layers == self.offered else ",".join(self.layers),
                          "names": None if self.names == "international" else self.names})

    def view(self) -> MapView:
        """What the map draws for this state."""
        return MapView(date=self.date, layers=self.layers, names=self.names, focus=self.focus)

    @classmethod
    def of_view(cls, ds: Dataset, view: MapView) -> MapState:
        """The URL state that draws a view (the view's date and layers resolved from the dataset, as the controls
        leave them): what a link to that view, or to it with another feature selected, serialises."""
        months, offered = tuple(period_months(ds)), tuple(layer_labels(ds))
        layers = offered if view.layers is None else tuple(x for x in offered if x in view.layers)
        return cls(date=view.date or months[-1], layers=layers, names=view.names, focus=view.focus, months=months,
                   offered=offered)


@dataclass(frozen=True)
class AlignmentsState:
    """`/alignments?partners=a,b&weights=goldstein|equal&from=YYYY-MM&to=YYYY-MM&halflife=0|6|12|24&reported=1|0`
    `&sources=…&view=chart|heatmap&nonstate=0|1&envelope=1|0&focus=<event id>`. The index counts from `from`."""

    partners: tuple[str, ...]
    first: str  # ?from=
    last: str  # ?to=
    sources: tuple[str, ...]
    weights: str = "goldstein"
    halflife: str = "0"
    reported: bool = True
    nonstate: bool = False
    envelope: bool = True
    view: str = "chart"
    focus: str | None = None
    months: tuple[str, ...] = _context()
    default_partners: tuple[str, ...] = _context()
    all_sources: tuple[str, ...] = _context()

    @classmethod
    def parse(cls, params: Params, ds: Dataset, months: Sequence[str], default_partners: Sequence[str],
              all_partners: Sequence[str]) -> tuple[AlignmentsState, Notices]:
        notices, months, default_partners, all_sources = Notices(), tuple(months), tuple(default_partners), tuple(ds.sources)
        partners = _list(params, "partners", all_partners, notices)
        if partners is None or (not partners and params.get("partners")):  # "partners=" alone is a choice: none
            partners = default_partners
        weights = _choice(params, "weights", list(WEIGHTS), "goldstein", notices,
                          "Unknown weights '{value}'; use goldstein or equal. Using Goldstein scores.")
        first, last = _range(params, months, notices)
        halflife = _choice(params, "halflife", list(HALF_LIVES), "0", notices,
                           f"Unknown half-life '{{value}}'; use one of {', '.join(HALF_LIVES)} (months). Using no decay.")
        reported = _flag(params, "reported", True, notices, "including third-party accounts")
        nonstate = _flag(params, "nonstate", False, notices, "leaving acts by non-state actors out")
        envelope = _flag(params, "envelope", True, notices, "showing the robustness band")
        sources = _list(params, "sources", all_sources, notices) or all_sources  # none left: every source
        view = _choice(params, "view", ALIGNMENT_VIEWS, "chart", notices, "Unknown view '{value}'; showing the chart.")
        focus = _focus(params, ds, ("event",), notices)
        return cls(partners=partners, first=first, last=last, sources=sources, weights=weights, halflife=halflife,
                   reported=reported, nonstate=nonstate, envelope=envelope, view=view, focus=focus, months=months,
                   default_partners=default_partners, all_sources=all_sources), notices

    def serialise(self) -> dict[str, str]:
        return _nonempty({
            "partners": None if self.partners == self.default_partners else ",".join(self.partners),
            "weights": None if self.weights == "goldstein" else self.weights,
            "from": None if self.first == self.months[0] else self.first,
            "to": None if self.last == self.months[-1] else self.last,
            "halflife": None if self.halflife == "0" else self.halflife,
            "reported": _bit(self.reported, True), "nonstate": _bit(self.nonstate, False),
            "envelope": _bit(self.envelope, True),
            "sources": None if self.sources == self.all_sources else ",".join(self.sources),
            "view": None if self.view == "chart" else self.view, "focus": self.focus})

    @property
    def options_changed(self) -> bool:
        """Whether a rarer option (those behind the Options button) differs from its default."""
        return (self.halflife != "0" or not self.reported or self.sources != self.all_sources or self.weights != "goldstein"
                or self.nonstate or not self.envelope)


EVENT_FILTERS = ("partner", "tag", "source", "actor")


@dataclass(frozen=True)
class EventsState:
    """`/events?q=…&partner=…&tag=…&source=…&actor=…&from=YYYY-MM&to=YYYY-MM&focus=<event id>`."""

    first: str  # ?from=
    last: str  # ?to=
    q: str = ""
    partner: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    focus: str | None = None
    months: tuple[str, ...] = _context()

    @classmethod
    def parse(cls, params: Params, ds: Dataset, options: Mapping[str, Sequence[str]],
              months: Sequence[str]) -> tuple[EventsState, Notices]:
        notices, months = Notices(), tuple(months)
        q = _text(params, "q", notices)
        chosen = {name: _list(params, name, options[name], notices) or () for name in EVENT_FILTERS}
        first, last = _range(params, months, notices)
        focus = _focus(params, ds, ("event",), notices)
        return cls(first=first, last=last, q=q, focus=focus, months=months, **chosen), notices

    def serialise(self) -> dict[str, str]:
        return _nonempty({"q": self.q or None, **{name: ",".join(getattr(self, name)) or None for name in EVENT_FILTERS},
                          "from": None if self.first == self.months[0] else self.first,
                          "to": None if self.last == self.months[-1] else self.last, "focus": self.focus})


@dataclass(frozen=True)
class PerspectivesState:
    """`/perspectives?issue=<slug>&actor=<name>&focus=<claim id>` (a focused claim opens its issue and actor);
    `claims_page`, `sources_page` and `names_page` are read by the pagers."""

    issue: str | None = None
    actor: str | None = None
    focus: str | None = None
    issues: tuple[str, ...] = _context()  # the first is the default issue

    @classmethod
    def parse(cls, params: Params, ds: Dataset, issues: Sequence[str], actors: Sequence[str]) -> tuple[PerspectivesState, Notices]:
        notices, issues = Notices(), tuple(issues)
        issue, actor = params.get("issue"), params.get("actor")
        if issue is not None and issue not in issues:
            notices.append(f"No issue '{clip(issue)}'; known issues: {', '.join(issues)}.")
            issue = None
        if actor is not None and actor not in actors:
            notices.append(f"No actor '{clip(actor)}' holds a stance in these sources.")
            actor = None
        focus = _focus(params, ds, ("claim",), notices)
        if focus is not None:
            claim = ds.records[focus]
            issue, actor = claim.issue, claim.actor
        return cls(issue=issue or (issues[0] if issues else None), actor=actor, focus=focus, issues=issues), notices

    def serialise(self) -> dict[str, str]:
        default_issue = self.issues[0] if self.issues else None
        return _nonempty({"issue": None if self.issue == default_issue else self.issue, "actor": self.actor,
                          "focus": self.focus})


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


@dataclass(frozen=True)
class SourcesState:
    """`/sources?source=<id>&passage=<n>&quote=<exact words>`: the source on screen (the first when absent), the linked
    passage, and the words a link quotes in it (highlighted). The quote must occur verbatim in the passage (without a
    passage: in the first passage that holds it); otherwise a notice, and the passage is still shown.
    A `focus` cannot be shown here: it is a notice that says where to read the record."""

    source: str | None = None
    passage: int | None = None
    quote: str | None = None
    first_source: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def parse(cls, params: Params, ds: Dataset) -> tuple[SourcesState, Notices]:
        notices = Notices()
        first_source = next(iter(ds.sources), None)
        source = params.get("source")
        if source is not None and source not in ds.sources:
            notices.append(f"No source with id '{clip(source)}'; showing the first source instead.")
            source = None
        source = source or first_source
        raw, passage = params.get("passage"), None
        if raw is not None and source:
            n_passages = len(ds.texts[source].passages)
            passage = _number(raw)
            if passage is None:
                notices.append(f"Passage '{clip(raw)}' is not a number; showing the whole source.")
            elif not 1 <= passage <= n_passages:
                notices.append(f"This source has passages 1–{n_passages}, not {passage}; showing the whole source.")
                passage = None
        asked, quote = params.get("quote"), None
        if asked and source:
            if passage is None and raw is None:  # a quote without a passage: the first passage that holds it
                passage = next((p.number for p in ds.texts[source].passages if quote_spans(ds, source, p.number, asked)), None)
            if passage is None:
                notices.append(f"The quoted words '{clip(asked)}' do not occur in this source (a quote must match exactly); "
                               "showing the source without them.")
            elif not quote_spans(ds, source, passage, asked):
                notices.append(f"The quoted words '{clip(asked)}' do not occur in ¶{passage} (a quote must match exactly, "
                               "capitals, accents and spaces included); showing the passage without them.")
            else:
                quote = asked
        _focus(params, ds, (), notices)
        return cls(source=source, passage=passage, quote=quote, first_source=first_source), notices

    def serialise(self) -> dict[str, str]:
        return _nonempty({"source": None if self.source == self.first_source else self.source,
                          "passage": None if self.passage is None else str(self.passage), "quote": self.quote})


@dataclass(frozen=True)
class RecordState:
    """`/record?id=<record id>`: one record on its own page; without an id, or with one that names no record, a notice."""

    id: str | None = None

    @classmethod
    def parse(cls, params: Params, ds: Dataset) -> tuple[RecordState, Notices]:
        notices = Notices()
        rid = params.get("id")
        if rid is None or rid.strip() == "":
            notices.append("This page shows one record: add ?id= and the record's id to the address, or follow the "
                           "“Record page” link of a record's evidence panel.")
        elif rid not in ds.records:
            notices.append(f"No record with id '{clip(rid)}'. Search for the record to find its page.")
        else:
            return cls(id=rid), notices
        return cls(), notices

    def serialise(self) -> dict[str, str]:
        return _nonempty({"id": self.id})


@dataclass(frozen=True)
class BriefState:
    """`/brief?step=N` (1-based); a `focus` is a notice that says where to read the record."""

    step: int = 1

    @classmethod
    def parse(cls, params: Params, ds: Dataset, n_steps: int) -> tuple[BriefState, Notices]:
        notices = Notices()
        raw, step = params.get("step"), 1
        if raw is not None and n_steps:
            number = _number(raw)
            if number is None:
                notices.append(f"Step '{clip(raw)}' is not a number; starting at step 1.")
            elif not 1 <= number <= n_steps:
                notices.append(f"The brief has steps 1–{n_steps}, not {number}; starting at step 1.")
            else:
                step = number
        _focus(params, ds, (), notices)
        return cls(step=step), notices

    def serialise(self) -> dict[str, str]:
        return {} if self.step == 1 else {"step": str(self.step)}


@dataclass(frozen=True)
class SearchState:
    """`/search?q=<text>&kind=<event|place|…|passage>` (`page=N` is read by the pager); a `focus` is a notice."""

    q: str = ""
    kind: str | None = None

    @classmethod
    def parse(cls, params: Params, ds: Dataset) -> tuple[SearchState, Notices]:
        notices = Notices()
        _focus(params, ds, (), notices)  # first, as the pages have always said it
        q = _text(params, "q", notices)
        kind = params.get("kind")
        kinds = search.kinds()  # the record kinds of atlas.core.kinds, then "passage"
        if kind is not None and kind not in kinds:
            notices.append(f"Unknown kind '{clip(kind)}'; use one of {', '.join(kinds)}. Showing every kind.")
            kind = None
        return cls(q=q, kind=kind or None), notices

    def serialise(self) -> dict[str, str]:
        return _nonempty({"q": self.q or None, "kind": self.kind})

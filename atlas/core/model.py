"""Pydantic models of every record kind, and dates that carry their precision."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
Text = Annotated[str, Field(min_length=1)]

# The region the Atlas maps, generous enough for corridor end points (Moscow, Bandar Abbas, Ipsala).
REGION = {"lon": (25.0, 60.0), "lat": (25.0, 60.0)}

PARTNERS = (
    "Russia", "CSTO", "EAEU", "US", "EU", "France", "UK", "NATO", "India", "Iran", "Georgia",
    "Turkey", "Azerbaijan", "China", "Israel", "Pakistan", "Ukraine", "ICC", "UN",
)
Partner = Literal[
    "Russia", "CSTO", "EAEU", "US", "EU", "France", "UK", "NATO", "India", "Iran", "Georgia",
    "Turkey", "Azerbaijan", "China", "Israel", "Pakistan", "Ukraine", "ICC", "UN",
]
Precision = Literal["day", "month", "quarter", "year"]
Stance = Literal["supports", "opposes", "conditional", "concerned", "neutral"]
CorridorStatus = Literal[
    "proposed", "planned", "under-construction", "operating", "under-peacekeepers",
    "blocked", "checkpoint", "closed", "disputed", "moot",
]

_DATE_FORMS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
)


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A date known to a precision: '2022-09-13', '2022-09', '2022-Q3' or '2022'.

    `start` and `end` are the first and last day the date may denote, so a chart can draw
    the interval instead of a false day.
    """

    start: dt.date
    end: dt.date
    precision: str
    text: str

    @classmethod
    def parse(cls, value: object) -> FuzzyDate:
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError("a date is written YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY")
        text = value.strip()
        for pattern, precision in _DATE_FORMS:
            m = pattern.match(text)
            if not m:
                continue
            year = int(m.group(1))
            if precision == "day":
                month, day = int(m.group(2)), int(m.group(3))
                try:
                    start = end = dt.date(year, month, day)
                except ValueError:
                    raise ValueError(f"{text} is not a real date") from None
            elif precision == "month":
                month = int(m.group(2))
                if not 1 <= month <= 12:
                    raise ValueError(f"{text} has no month {month}")
                start = dt.date(year, month, 1)
                end = dt.date(year, month, calendar.monthrange(year, month)[1])
            elif precision == "quarter":
                q = int(m.group(2))
                start = dt.date(year, 3 * q - 2, 1)
                last = 3 * q
                end = dt.date(year, last, calendar.monthrange(year, last)[1])
            else:
                start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            if year < 1900:
                raise ValueError(f"{text} is before 1900")
            return cls(start, end, precision, text)
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY")

    def __str__(self) -> str:
        return self.text

    def label(self) -> str:
        """Human reading that says the precision: '13 Sep 2022', 'Sep 2022 (month)', 'Q3 2022'."""
        if self.precision == "day":
            return f"{self.start.day} {self.start:%b %Y}"
        if self.precision == "month":
            return f"{self.start:%b %Y} (month known)"
        if self.precision == "quarter":
            return f"Q{(self.start.month + 2) // 3} {self.start.year} (quarter known)"
        return f"{self.start.year} (year known)"


Date = Annotated[FuzzyDate, BeforeValidator(FuzzyDate.parse)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Citation(Strict):
    """A W3C TextQuoteSelector: the exact quote, with optional prefix/suffix to pick one occurrence."""

    source: Slug
    quote: Text
    prefix: str | None = None
    suffix: str | None = None


Citations = Annotated[list[Citation], Field(min_length=1)]


class Names(Strict):
    """A name as each side uses it; only `international` is required."""

    international: Text
    armenian: str | None = None
    azerbaijani: str | None = None
    russian: str | None = None

    def variants(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v}


class ExternalRef(Strict):
    """An outside reference that dates or locates a fact the sources leave undated."""

    url: Annotated[str, Field(pattern=r"^https?://")]
    title: Text
    note: str | None = None


class Record(Strict):
    id: Slug
    citations: Citations

    kind: str = ""  # set by subclasses; not read from data

    @property
    def title(self) -> str:
        raise NotImplementedError

    @property
    def date(self) -> FuzzyDate | None:
        return None


class Coding(Strict):
    """How an event moves Armenia relative to one partner."""

    partner: Partner
    cameo: Annotated[str, Field(pattern=r"^\d{3,4}$")]
    direction: Literal["toward", "away"]
    rationale: Text
    non_state: bool = False  # the act was by non-state actors (protesters, opposition), not a state or institution


class Event(Record):
    kind: Literal["event"] = "event"
    title_: Text = Field(alias="title")
    summary: Text
    date_: Date = Field(alias="date")
    date_end: Date | None = None
    date_basis: Literal["stated", "external"]
    date_reference: ExternalRef | None = None
    actors: Annotated[list[Text], Field(min_length=1)]
    place: Slug | None = None
    also_at: list[Slug] = []  # other places the event touched (e.g. every site shelled), as its reference names them
    tags: list[Slug] = []
    reported_by: str | None = None  # who says it happened, when it is one side's account
    alignment: list[Coding] = []

    @property
    def title(self) -> str:
        return self.title_

    @property
    def date(self) -> FuzzyDate:
        return self.date_

    @model_validator(mode="after")
    def _date_rules(self) -> Event:
        if self.date_basis == "external" and self.date_reference is None:
            raise ValueError("date_basis is external but no date_reference names the reference (url, title)")
        if self.date_end is not None and self.date_end.end < self.date_.start:
            raise ValueError(f"date_end {self.date_end} is before date {self.date_}")
        return self


class Place(Record):
    kind: Literal["place"] = "place"
    names: Names
    lon: float
    lat: float
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    coord_status: Literal["confirmed", "approx", "geonames-only", "guess"]
    coord_source: Text
    place_type: Text = "town"
    importance: Annotated[int, Field(ge=1, le=3)] = 2
    summary: str | None = None

    @property
    def title(self) -> str:
        return self.names.international

    @property
    def approximate(self) -> bool:
        return self.coord_status in ("approx", "guess")


class StatusPeriod(Strict):
    since: Date
    status: CorridorStatus
    note: Text
    date_basis: Literal["stated", "external"] = "stated"
    date_reference: ExternalRef | None = None
    citations: list[Citation] = []


class Position(Strict):
    actor: Text
    reason: Text
    citations: Citations


class Corridor(Record):
    kind: Literal["corridor"] = "corridor"
    names: Names
    mode: Literal["rail", "road", "multimodal", "pipeline"]
    route: Annotated[list[Slug], Field(min_length=2)]
    summary: Text
    statuses: list[StatusPeriod] = []
    promoters: list[Position] = []
    opponents: list[Position] = []

    @property
    def title(self) -> str:
        return self.names.international

    @model_validator(mode="after")
    def _ordered(self) -> Corridor:
        for a, b in zip(self.statuses, self.statuses[1:], strict=False):
            if b.since.start < a.since.start:
                raise ValueError(f"statuses out of order: {b.since} comes after {a.since}")
        return self


class Area(Record):
    kind: Literal["area"] = "area"
    names: Names
    area_type: Text
    summary: Text
    geometry: str | None = None  # a GeoJSON file under the data directory; None = described, not drawn
    valid_from: Date | None = None
    valid_to: Date | None = None

    @property
    def title(self) -> str:
        return self.names.international


class Claim(Record):
    kind: Literal["claim"] = "claim"
    actor: Text  # who holds the stance
    issue: Slug
    stance: Stance
    summary: Text
    reported_by: str | None = None  # who relays the stance, when that is not the actor itself
    date_: Date | None = Field(default=None, alias="date")

    @property
    def title(self) -> str:
        return f"{self.actor} {self.stance}: {self.issue.replace('-', ' ')}"

    @property
    def date(self) -> FuzzyDate | None:
        return self.date_


class Term(Record):
    kind: Literal["term"] = "term"
    term: Text
    aliases: list[str] = []
    definition: Text

    @property
    def title(self) -> str:
        return self.term


class BriefView(Strict):
    """What a brief step shows: the map at a month with a feature selected, or the alignment chart."""

    kind: Literal["map", "alignments"]
    focus: Slug | None = None
    date: Date | None = None  # the map's month (YYYY-MM)
    partners: list[Partner] = []


class BriefStep(Strict):
    id: Slug
    headline: Text
    text: Text
    view: BriefView
    citations: Citations


class PassageKind(Strict):
    starts_with: Text
    kind: Literal["text", "heading", "meta", "reference", "boilerplate"]


class Source(Strict):
    """A catalogue entry: who is speaking, where and when, and from which perspective."""

    id: Slug
    title: Text
    author: Text
    publisher: Text
    date_published: Date | None = None
    date_basis: Text  # how the publication date is known, or why it is not
    url: str | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    source_type: Literal["analysis", "interview", "news report", "news summary"]
    perspective: Text
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    passage_kinds: list[PassageKind] = []
    boilerplate_from: str | None = None

    @property
    def file(self) -> str:
        return f"sources/{self.id}.txt"

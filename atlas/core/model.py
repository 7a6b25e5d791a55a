"""Pydantic models of every record kind, and dates that carry their precision."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
Text = Annotated[str, Field(min_length=1)]



def _known_partner(name: str, info: ValidationInfo) -> str:
    """A partner named in atlas.yaml, when the loader passes that list as validation context (no list: any name)."""
    partners = (info.context or {}).get("partners") if isinstance(info.context, dict) else None
    if partners and name not in partners:
        raise ValueError(f"'{name}' is not a partner listed in atlas.yaml (partners: {', '.join(partners)})")
    return name


# The partners are the corpus's: listed in atlas.yaml (see AtlasSettings), checked when the records are loaded.
Partner = Annotated[str, Field(min_length=1), AfterValidator(_known_partner)]
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
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, BeforeValidator(lambda v: v.isoformat()[:7] if isinstance(v, dt.date) else v),
                  Field(pattern=MONTH_PATTERN)]


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
    issue: Slug | None = None  # the claims.yaml issue this corridor is argued under (its claims show with it)
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
    short: str | None = None  # how source lines name it ('AVİM', 'an SCFR interview'); default: the title
    passage_kinds: list[PassageKind] = []
    boilerplate_from: str | None = None

    @property
    def file(self) -> str:
        return f"sources/{self.id}.txt"


# --- atlas.yaml: what the code knows about the corpus, all optional ------------------------------------------------

class Bounds(Strict):
    """A lon/lat box: places and area geometries must lie inside it."""

    west: Annotated[float, Field(ge=-180, le=180)] = -180.0
    south: Annotated[float, Field(ge=-90, le=90)] = -90.0
    east: Annotated[float, Field(ge=-180, le=180)] = 180.0
    north: Annotated[float, Field(ge=-90, le=90)] = 90.0

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.west >= self.east or self.south >= self.north:
            raise ValueError("west must be less than east and south less than north")
        return self

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def __str__(self) -> str:
        return f"lon {self.west:g}–{self.east:g}, lat {self.south:g}–{self.north:g}"


class MapCentre(Strict):
    lon: Annotated[float, Field(ge=-180, le=180)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    zoom: Annotated[float, Field(ge=0, le=20)] = 5.0


LonLat = Annotated[list[float], Field(min_length=2, max_length=2)]


class Region(Strict):
    name: str = ""  # how map titles name the region ('South Caucasus'); empty: no name
    bounds: Bounds = Bounds()
    view: MapCentre | None = None  # the map's view when nothing frames a subject; default: the middle of `bounds`
    picture: Bounds | None = None  # the static map's (PNG) window; default: the places' extent
    # country name -> points inside it where the map may write the name (the static map uses the first)
    country_labels: dict[Text, Annotated[list[LonLat], Field(min_length=1)]] = {}


class PeriodSetting(Strict):
    first: Month | None = None  # earlier events stay background: listed, never on the slider
    last: Month | None = None  # the period ends here at the earliest; a later event extends it

    @model_validator(mode="after")
    def _ordered(self) -> PeriodSetting:
        if self.first and self.last and self.last < self.first:
            raise ValueError(f"period.last {self.last} is before period.first {self.first}")
        return self


class PartnerSetting(Strict):
    name: Text
    colour: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] | None = None  # default: a colour by rank of evidence
    also: list[Text] = []  # other names news text writes for it ("European Union"): the curation suggestions match them


class KeyMoment(Strict):
    event: Slug
    label: Text


RESERVED_LAYER_IDS = ("borders", "areas", "corridors", "places", "events")  # the map's own layers (views.figures.LAYERS)


class NamedLayer(Strict):
    """A map layer of the places where some events happened: the events listed by id, or carrying all the tags."""

    id: Slug
    label: Text
    note: Text  # the tooltip line under each place's name
    events: list[Slug] = []
    tags: list[Slug] = []

    @model_validator(mode="after")
    def _chooses(self) -> NamedLayer:
        if self.id in RESERVED_LAYER_IDS:
            raise ValueError(f"layer id '{self.id}' is one of the map's own layers ({', '.join(RESERVED_LAYER_IDS)})")
        if not self.events and not self.tags:
            raise ValueError("a layer needs 'events' (a list of event ids) or 'tags' (events carrying all of them)")
        return self


class EventColour(Strict):
    """Events carrying one of these tags (an event takes the group of its first tag that has one) share a colour."""

    tags: Annotated[list[Slug], Field(min_length=1)]
    colour: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
    label: Text  # the map key's line


class AtlasSettings(Strict):
    """data/atlas.yaml: the corpus's title, region, period, partners, key moments and named map layers."""

    title: Text = "Security Atlas"
    description: str = ""
    subject: str = ""  # whose alignments the index follows ('Armenia'); default: 'the subject'
    region: Region = Region()
    period: PeriodSetting = PeriodSetting()
    partners: list[PartnerSetting] = []  # empty: any partner name is accepted, offered by name
    key_moments: list[KeyMoment] = []
    layers: list[NamedLayer] = []
    event_colours: list[EventColour] = []  # empty: every event dot in one colour
    issues: dict[Slug, Text] = {}  # a claim issue -> how pages name it; default: the issue with spaces for hyphens

    @model_validator(mode="after")
    def _unique(self) -> AtlasSettings:
        for what, names in (("partner", [p.name for p in self.partners]), ("layer", [x.id for x in self.layers]),
                            ("key moment", [k.event for k in self.key_moments]),
                            ("event colour tag", [t for g in self.event_colours for t in g.tags])):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{what} listed twice: {', '.join(twice)}")
        return self

    def partner_names(self) -> list[str]:
        return [p.name for p in self.partners]

    def subject_name(self) -> str:
        """Whose alignments the index follows, as a sentence names it: 'Armenia', or 'the subject'."""
        return self.subject or "the subject"

    def subject_possessive(self, capital: bool = False) -> str:
        """'Armenia's', 'the subject's' (or 'The subject's' to start a sentence)."""
        name = self.subject_name()
        return f"{name[:1].upper() + name[1:] if capital else name}'s"

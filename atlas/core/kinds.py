"""Record kinds, in one table: each kind's model, its file in the data directory, its names, the page that shows it,
whether the map draws it, what search reads in it and the checks it needs beyond its model.

The loader, the validator, search, links and the evidence panel read this table, so a new kind is one module: its
model (a Record subclass with `kind: Literal["<name>"]`), a `register(Kind(...))` call, and, if it wants more than the
panel's generic body (title, summary, evidence), a renderer registered with atlas.views.render.register_body. Its file
is optional in every data directory (a missing file means no records of that kind), so a new kind breaks no corpus.
The map draws the built-in mapped kinds (`mapped=True`); a new mapped kind also needs its layer in atlas.views.figures.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from atlas.core.dataset import Dataset
from atlas.core.model import Area, Claim, Corridor, Event, Names, Place, Record, Term

Texts = list[tuple[str, str]]  # (label, text)


@dataclass(frozen=True)
class Kind:
    name: str  # the records' `kind`, and how URLs and exports name it
    model: type[Record]
    file: str  # the YAML list of its records, relative to the data directory (optional there)
    label: str  # "Event": the kind as a heading or badge
    plural: str  # "events"
    page: str | None = None  # the page that shows a record with ?focus=<id>; None: links go to the passage it quotes
    mapped: bool = False  # drawn on the map
    rank: int = 100  # where its results come among search's groups (lower first)
    names: Callable[[Record], Texts] | None = None  # (usage, name) beyond the `names` block a record may have
    texts: Callable[[Record], Texts] | None = None  # what search reads beyond title and names; default: its text fields
    check: Callable[[Dataset, Record], list[tuple[str, str]]] | None = None  # (message, fix) for each cross-record problem

    @property
    def noun(self) -> str:
        return self.label.lower()


KINDS: dict[str, Kind] = {}  # in the order records are loaded and listed


def register(kind: Kind) -> Kind:
    """Add a kind to the table (a kind module calls this once, at import)."""
    if kind.name in KINDS or any(k.file == kind.file for k in KINDS.values()):
        raise ValueError(f"a record kind named {kind.name!r} or read from {kind.file} is already registered")
    if kind.model.model_fields["kind"].default != kind.name:
        raise ValueError(f"{kind.model.__name__}.kind must default to {kind.name!r}")
    KINDS[kind.name] = kind
    return kind


def names(rec: Record) -> Texts:
    """(usage, name) for every name a record goes by: its `names` block, and any its kind adds."""
    own = rec.names.variants().items() if isinstance(getattr(rec, "names", None), Names) else []
    extra = KINDS[rec.kind].names if rec.kind in KINDS else None
    return [*own, *(extra(rec) if extra else [])]


def texts(rec: Record) -> Texts:
    """(label, text) of what search reads in a record beyond its title and names."""
    kind = KINDS.get(rec.kind)
    if kind is not None and kind.texts is not None:
        return kind.texts(rec)
    return _text_fields(rec)


def _text_fields(rec: Record) -> Texts:
    """A record's own text fields and lists of texts, labelled by field name: what search reads in a kind that says
    nothing more."""
    skip = {"id", "kind", "title"}
    out = []
    for name, info in type(rec).model_fields.items():
        value = getattr(rec, name)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = ", ".join(value)
        if name not in skip and isinstance(value, str) and value:
            out.append(((info.alias or name).replace("_", " "), value))
    return out


# --- the built-in kinds -----------------------------------------------------------------------------------------

def _event_texts(rec: Event) -> Texts:
    return [("summary", rec.summary), ("actors", ", ".join(rec.actors))] + (
        [("reported by", rec.reported_by)] if rec.reported_by else [])


def _place_texts(rec: Place) -> Texts:
    return [("summary", rec.summary)] if rec.summary else []


def _corridor_texts(rec: Corridor) -> Texts:
    return ([("summary", rec.summary)] + [("promoted by", f"{p.actor}: {p.reason}") for p in rec.promoters]
            + [("opposed by", f"{p.actor}: {p.reason}") for p in rec.opponents])


def _area_texts(rec: Area) -> Texts:
    return [("summary", rec.summary), ("kind of area", rec.area_type)]


def _claim_texts(rec: Claim) -> Texts:
    return [("summary", rec.summary), ("actor", rec.actor)] + ([("reported by", rec.reported_by)] if rec.reported_by else [])


def _term_names(rec: Term) -> Texts:
    return [("term", rec.term)] + [("also called", a) for a in rec.aliases]


def _term_texts(rec: Term) -> Texts:
    return [("definition", rec.definition)]


for _kind in (
    Kind("place", Place, "places.yaml", "Place", "places", page="map", mapped=True, rank=1, texts=_place_texts),
    Kind("area", Area, "areas.yaml", "Area", "areas", page="map", mapped=True, rank=3, texts=_area_texts),
    Kind("corridor", Corridor, "corridors.yaml", "Corridor", "corridors", page="map", mapped=True, rank=2,
         texts=_corridor_texts),
    Kind("event", Event, "events.yaml", "Event", "events", page="events", mapped=True, rank=5, texts=_event_texts),
    Kind("claim", Claim, "claims.yaml", "Claim", "claims", page="perspectives", rank=6, texts=_claim_texts),
    Kind("term", Term, "terms.yaml", "Term", "terms", page="about", rank=4, names=_term_names, texts=_term_texts),
):
    register(_kind)


def record_files() -> dict[str, str]:
    """kind -> its file, in load order."""
    return {k.name: k.file for k in KINDS.values()}


def mapped() -> tuple[str, ...]:
    return tuple(k.name for k in KINDS.values() if k.mapped)

"""What else the evidence base says about a record: claims on its issue, events that touch it."""
from __future__ import annotations

import datetime as dt

from atlas.core.load import Dataset
from atlas.core.model import Area, Claim, Corridor, Event, Place, Record


def _keyword(rec: Record) -> str:
    """The distinctive first word of a name ('Zangezur', 'Lachin', 'Nakhchivan')."""
    return rec.title.split()[0].strip("()").lower()


def related_claims(ds: Dataset, rec: Record) -> list[Claim]:
    issue = rec.issue if isinstance(rec, Corridor) else None  # the claim issue the corridor is argued under
    if issue is None:
        return []
    return [c for c in ds.of_kind("claim") if isinstance(c, Claim) and c.issue == issue]


def related_events(ds: Dataset, rec: Record, when: dt.date | None = None) -> list[Event]:
    """Events at the place, on the corridor's route, or naming the corridor or area, that happened by `when`."""
    places: set[str] = set()
    if isinstance(rec, Place):
        places = {rec.id}
    elif isinstance(rec, Corridor):
        places = set(rec.route)
    word = _keyword(rec) if isinstance(rec, Corridor | Area) else None
    out = []
    for e in ds.of_kind("event"):
        assert isinstance(e, Event)
        if when and e.date.start > when:
            continue
        on_place = e.place in places or any(p in places for p in e.also_at)
        named = word and len(word) > 4 and (word in e.title.lower() or word in e.summary.lower())
        if on_place or named:
            out.append(e)
    return sorted(out, key=lambda e: e.date.start)

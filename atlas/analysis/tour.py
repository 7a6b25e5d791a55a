"""Where a new reader starts: three questions the evidence base can answer, each a link to the view that answers it,
worked out from the records (the corridor most argued over, the partners most coded, the issue most disputed)."""
from __future__ import annotations

from dataclasses import dataclass

from atlas.analysis import alignment, perspectives
from atlas.core import geo, urls
from atlas.core.load import Dataset
from atlas.core.model import Corridor


@dataclass(frozen=True)
class Question:
    text: str
    href: str
    hint: str


def starting_questions(ds: Dataset) -> list[Question]:
    out: list[Question] = []
    corridors = [c for c in ds.of_kind("corridor") if isinstance(c, Corridor)]
    if corridors:
        argued = max(corridors, key=lambda c: (len(c.opponents) + len(c.promoters), -ds.position(c.id)))
        out.append(Question(f"Who backs the {argued.title}, who opposes it, and why?",
                            urls.href("map", focus=argued.id, date=geo.last_month(ds)),
                            "The map with its evidence: each side's stance, in the words of its source."))
    rows, partners = alignment.rows_and_defaults(ds, alignment.Options())
    if partners:
        shown = partners[:2]
        out.append(Question(f"Has {ds.settings.subject_name()} moved toward or away from {' and '.join(shown)}?",
                            urls.href("alignments", partners=",".join(shown)),
                            "The alignment index, every step one click from its quote."))
    issues = perspectives.issues(ds)
    if issues:
        cells = perspectives.matrix(ds)
        disputed = max(issues, key=lambda i: (len({c.stance for (iss, _), c in cells.items() if iss == i}),
                                              sum(1 for (iss, _) in cells if iss == i)))
        out.append(Question(f"What does each side say about “{perspectives.issue_label(ds, disputed)}”?",
                            urls.href("perspectives", issue=disputed),
                            "Every actor's stance on the issue, and each source's own words side by side."))
    return out

"""The optional brief.yaml: the presenter's steps, whose views name real records and whose quotes resolve exactly."""
from __future__ import annotations

import os

from atlas.core import paths
from atlas.core.dataset import Dataset, ResolvedCitation, resolve, validation_context
from atlas.core.geo import period_months
from atlas.core.model import BriefStep
from atlas.core.problems import Problem
from atlas.core.yamlio import validated


def load_brief(ds: Dataset, problems: list[Problem]) -> None:
    """The optional brief.yaml: steps whose views name real records and whose quotes resolve exactly."""
    rel = paths.BRIEF_FILE
    if not os.path.lexists(ds.data_dir / rel):
        return
    seen: set[str] = set()
    for step, label in validated(ds.data_dir, rel, BriefStep, problems, validation_context(ds)):
        if step.id in seen:
            problems.append(Problem(rel, label, f"duplicate step id '{step.id}'", "give each step its own id"))
        seen.add(step.id)
        view = step.view
        if view.focus and view.focus not in ds.records:
            problems.append(Problem(rel, step.id, f"view.focus '{view.focus}' is not a record id", "name an existing record"))
        if view.date and (view.date.precision != "month" or view.date.text not in period_months(ds)):
            problems.append(Problem(rel, step.id, f"view.date '{view.date}' is not a month of the map "
                                    f"({ds.period.first} to {ds.period.last})",
                                    "write the month as YYYY-MM"))
        resolved = []
        for cit in step.citations:
            got = resolve(ds, cit)
            if isinstance(got, str):
                problems.append(Problem(rel, step.id, got, "copy the quote exactly from the source text"))
                continue
            resolved.append(ResolvedCitation(step.id, "brief", cit.source, cit.quote, cit.prefix, cit.suffix, *got))
        ds.brief.append((step, resolved))

"""Record forms generated from the models: each field of a record kind becomes one widget by its type.

The UI draws a `FieldSpec` as: "text"/"area" a text box, "date" a date with its precision shown, "int"/"float" a number,
"choice" a selectbox of the Literal's values, "ref"/"refs" a selectbox/multiselect of existing ids of `ref_kind`,
"slugs"/"strings" a comma-separated list, "names" one box per language, "yaml" nested structures written as YAML
(codings, statuses, positions, references, citations). The record is then checked by the model itself
(records.check_record), so the form can never accept what `validate` refuses.
"""
from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass

from pydantic import BaseModel

from atlas.core import kinds
from atlas.core.model import Citation, FuzzyDate, Names

# fields naming other records (the loader checks these references): field -> the kind of record they name
REFERENCES = {"place": "place", "also_at": "place", "route": "place"}
LONG_TEXT = {"summary", "definition", "note", "reason"}
# the sections of data/README.md that govern each kind ("Citations", "Dates" and "Names" apply to all)
RULES = {"event": ["Dates", "Alignment coding", "Coding rules"], "claim": ["Record kinds"], "place": ["Names"],
         "corridor": ["Names", "Record kinds"], "area": ["Names", "Record kinds"], "term": ["Record kinds"]}
COMMON_RULES = ["Citations"]


@dataclass(frozen=True)
class FieldSpec:
    key: str  # the YAML key (the model's alias where it has one)
    widget: str
    required: bool
    options: tuple[str, ...] = ()
    ref_kind: str | None = None


def _strip(annotation):
    """(the annotation without Optional/Annotated, whether None is allowed)."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation, optional
        else:
            return annotation, optional


def _widget(key: str, annotation) -> tuple[str, tuple[str, ...]]:
    bare, _ = _strip(annotation)
    origin = typing.get_origin(bare)
    if origin is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(bare))
    if bare is FuzzyDate:
        return "date", ()
    if bare is Names:
        return "names", ()
    if bare is bool:
        return "bool", ()
    if bare is int:
        return "int", ()
    if bare is float:
        return "float", ()
    if bare is str:
        if key in REFERENCES:
            return "ref", ()
        return ("area" if key in LONG_TEXT else "text"), ()
    if origin is list:
        inner, _ = _strip(typing.get_args(bare)[0])
        if inner is str:
            return ("refs" if key in REFERENCES else "strings"), ()
        return "yaml", ()
    return "yaml", ()


def fields(kind: str) -> list[FieldSpec]:
    """The form's fields for a record kind, in the model's order (citations last: they come from the anchor)."""
    model: type[BaseModel] = kinds.KINDS[kind].model
    out = []
    for name, f in model.model_fields.items():
        if name == "kind":
            continue
        key = f.alias or name
        widget, options = _widget(key, f.annotation)
        if key == "citations" or (widget == "yaml" and _strip(f.annotation)[0] == list[Citation]):
            widget = "citations" if key == "citations" else "yaml"
        out.append(FieldSpec(key, widget, f.is_required(), options, REFERENCES.get(key)))
    return sorted(out, key=lambda s: s.key == "citations")


def readme_section(text: str | None, heading: str) -> str | None:
    """The text of the `## heading…` section of data/README.md (up to the next `## `), or None."""
    found = re.search(rf"^## {re.escape(heading)}\b.*$", text or "", re.MULTILINE)
    if found is None:
        return None
    end = text.find("\n## ", found.end())
    return text[found.start():end if end > 0 else None].strip()


def rules_for(text: str | None, kind: str) -> str:
    """The README sections that govern `kind`, as plain text (empty when the data directory has no README)."""
    parts = [readme_section(text, h) for h in [*COMMON_RULES, *RULES.get(kind, [])]]
    return "\n\n".join(p for p in parts if p)

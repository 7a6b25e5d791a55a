"""Round-trip YAML (ruamel.yaml): a data file is rewritten with its comments, order and layout kept, byte for byte
where nothing changed, in the house layout (top-level list at column 0, nested lists indented by two)."""
from __future__ import annotations

import datetime as dt
import io
import re

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, SingleQuotedScalarString

# What the loader (PyYAML, YAML 1.1, dates kept as text) reads a plain scalar as: a string that it would read as
# something else (042, yes, null, 1.5) is written quoted.
_RESOLVER = pyyaml.resolver.Resolver()
_STR_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"}


class DateText(str):
    """A date written as the data writes it (2025-08-08, unquoted); the loader reads it back as text."""


def _represent_date(representer, data):
    # tagged as a timestamp, so it is written plain; the loader has no timestamp resolver and keeps it as text
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", str(data))


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never fold a long line that was one line
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(DateText, _represent_date)
    return y


def _dedent(text: str) -> str:
    """ruamel indents a top-level list like a nested one; the data files start theirs at column 0."""
    return "".join(line[2:] if line.startswith("  ") else line for line in text.splitlines(True))


def load(text: str):
    return _yaml().load(text)


def dump(data) -> str:
    out = io.StringIO()
    _yaml().dump(data, out, transform=_dedent)
    return out.getvalue()


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FOLD_AT = 110  # long text is written folded (>-) with lines of about this length, as the data files write it


def _folded(value: str) -> FoldedScalarString:
    out = FoldedScalarString(value)
    folds, last = [], 0
    for i, ch in enumerate(value):
        if ch == " " and i - last > FOLD_AT - 10 and value[i - 1] != " " and i + 1 < len(value) and value[i + 1] != " ":
            folds.append(i)
            last = i
    out.fold_pos = folds
    return out


def _scalar(value):
    if isinstance(value, str):
        if value != value.strip() or "\n" in value:
            return value  # ruamel quotes these itself
        if _DATE.match(value):
            return DateText(value)
        if _RESOLVER.resolve(pyyaml.ScalarNode, value, (True, False)) not in _STR_TAGS:
            return SingleQuotedScalarString(value)
        if len(value) > FOLD_AT and "  " not in value and not value.startswith(("#", "'", '"')):
            return _folded(value)
    return value


def _is_scalar(v) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def node(value):
    """Plain Python data -> ruamel nodes in the house style: short lists and mappings of scalars in flow style
    (`actors: [Armenia, Russia]`, `names: {international: Goris}`), everything else in block style."""
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = node(v)
        if value and all(_is_scalar(v) for v in value.values()) and len(repr(value)) < 110 and not any(
                isinstance(v, str) and len(v) > 60 for v in value.values()):
            m.fa.set_flow_style()
        return m
    if isinstance(value, list | tuple):
        s = CommentedSeq(node(v) for v in value)
        if all(_is_scalar(v) for v in value) and len(repr(value)) < 110:
            s.fa.set_flow_style()
        return s
    return _scalar(value)


def plain(value):
    """ruamel nodes -> plain Python data (for comparing a stored record with an edited one)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.date):  # a date ruamel read as one: the data hold it as text
        return value.isoformat()
    return value

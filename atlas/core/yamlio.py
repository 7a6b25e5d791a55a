"""YAML data files: one safe parse (nesting checked first, unique keys, dates as text), lists of records validated
against their model, and pydantic errors as problem lines."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from atlas.core import paths
from atlas.core.files import MAX_NESTING, read_text
from atlas.core.problems import Problem

# libyaml's parser when PyYAML was built with it (the wheels are): ten times faster than the pure-Python one
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeBase):
    """A safe loader that refuses duplicate keys, which plain YAML silently overwrites."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.MarkedYAMLError(
                "while reading a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: FuzzyDate parses them with their precision and says which record holds an impossible one
# (PyYAML's own timestamp constructor would raise a bare ValueError on 2020-11-31).
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _nesting_problem(text: str) -> str | None:
    """Where a YAML text nests lists and mappings deeper than MAX_NESTING, read from libyaml's event stream.

    The event parser keeps its own stack, so it reads any depth; the composer that builds nodes recurses once per
    level (libyaml's segfaults at about 100,000 levels, the pure-Python one raises RecursionError), so it only ever
    sees a text that passed this check.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_SafeBase):
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                return f"lists and mappings nested more than {MAX_NESTING} levels deep at line {mark.line + 1}, column {mark.column + 1}"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def parse_yaml(text: str, rel: str, problems: list[Problem], too_deep_fix: str = "remove the extra brackets or "
               "indentation there") -> tuple[object, yaml.Node | None] | None:
    """A data file's YAML as (data, its node), or None with one problem line: nesting is checked on libyaml's event
    stream before anything is composed (libyaml's composer crashes on very deep nesting), keys must be unique, and
    dates stay text."""
    try:
        too_deep = _nesting_problem(text)
        if too_deep:
            problems.append(Problem(rel, "", too_deep, too_deep_fix))
            return None
        loader = _UniqueKeyLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        problems.append(Problem(rel, "", f"invalid YAML{at}: {reason}", "correct the YAML syntax there"))
        return None
    except (ValueError, TypeError, OverflowError) as e:  # a constructor refusing a value PyYAML resolved
        problems.append(Problem(rel, "", f"a value cannot be read ({e})", "quote the value, or correct it"))
        return None
    return data, node


def read_yaml_list(data_dir: Path, rel: str, problems: list[Problem]) -> list[tuple[dict, int]]:
    """The items of a YAML file of the data directory holding a list of mappings, each with its line number."""
    text = read_text(data_dir, rel, problems)
    if text is None:
        return []
    if not text.strip():
        problems.append(Problem(rel, "", "file is empty", "write [] for no records, or add records"))
        return []
    parsed = parse_yaml(text, rel, problems, "records need only a few levels (a record, its citations, a citation's "
                                              "fields): remove the extra brackets or indentation there")
    if parsed is None:
        return []
    data, node = parsed
    if data is None:
        problems.append(Problem(rel, "", "file holds no data", "write [] for no records, or add records"))
        return []
    if not isinstance(data, list):
        problems.append(Problem(rel, "", f"top level is a {type(data).__name__}, not a list",
                                "make the file a YAML list: one '- id: …' item per record"))
        return []
    items = []
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(Problem(rel, f"line {line}", f"item is a {type(item).__name__}, not a mapping",
                                    "write each record as a mapping of field: value"))
            continue
        items.append((item, line))
    return items


def _label(item: dict, line: int) -> str:
    rid = item.get("id")
    return f"{rid} (line {line})" if isinstance(rid, str) and rid else f"record at line {line}"


def pydantic_problems(rel: str, label: str, err: ValidationError, allowed: list[str]) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(record)"
        kind = e["type"]
        if kind == "missing":
            fix = f"add the field '{loc}'"
        elif kind == "extra_forbidden":
            fix = f"remove or rename '{loc}' (allowed fields: {', '.join(allowed)})"
        elif kind == "string_pattern_mismatch" and (loc.endswith("id") or loc.endswith("place")):
            fix = "use a lower-case slug such as 'border-road' (letters, digits, single hyphens)"
        elif "partner" in loc and kind == "value_error":
            fix = f"use a partner listed in {paths.SETTINGS_FILE}, or add the new partner to its 'partners' list"
        elif kind == "string_type" and "cameo" in loc:
            fix = "write the CAMEO code as a quoted string, e.g. cameo: '042'"
        elif kind == "string_pattern_mismatch":
            fix = f"match the pattern {e.get('ctx', {}).get('pattern', '')}"
        else:
            fix = "correct the value (see data/README.md)"
        msg = e["msg"].removeprefix("Value error, ")
        out.append(Problem(rel, label, f"field '{loc}': {msg}", fix))
    return out


def validated(data_dir: Path, rel: str, cls, problems: list[Problem], context: dict | None = None):
    """Each item of a YAML list file that validates as `cls`, with its label; the rest become problems. `context` is
    pydantic's validation context: the loader passes atlas.yaml's partners (dataset.validation_context), which partner
    names are checked against, when it lists them."""
    allowed = [f.alias or name for name, f in cls.model_fields.items() if name != "kind"]
    for item, line in read_yaml_list(data_dir, rel, problems):
        label = _label(item, line)
        try:
            yield cls.model_validate(item, context=context), label
        except ValidationError as e:
            problems.extend(pydantic_problems(rel, label, e, allowed))

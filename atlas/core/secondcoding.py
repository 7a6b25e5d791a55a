"""The reliability files of the data directory: a blind second coding of the events and its adjudication, read and
checked at load (a ruling must name a real disagreement, so the comparison that finds disagreements lives here too).
The report built from them is atlas.analysis.reliability; the method is described there."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from atlas.core.dataset import Dataset, validation_context
from atlas.core.files import read_text
from atlas.core.model import Date, Event, Partner, Slug, Strict, Text
from atlas.core.problems import Problem
from atlas.core.yamlio import parse_yaml, pydantic_problems

SECOND_FILE = "reliability/second-coding.yaml"


ADJUDICATION_FILE = "reliability/adjudication.yaml"


Cameo = Annotated[str, Field(pattern=r"^\d{3,4}$")]


FIELDS = ("coded", "partner", "direction", "cameo", "cameo_root", "non_state")


NONE = "(none)"


class SecondCode(Strict):
    partner: Partner
    direction: Literal["toward", "away"]
    cameo: Cameo
    non_state: bool = False
    rationale: str | None = None


class SecondEvent(Strict):
    id: Slug
    coded: bool
    codings: list[SecondCode] = []
    doubt: str | None = None
    rationale: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> SecondEvent:
        if self.coded and not self.codings:
            raise ValueError("coded is true but no codings are given")
        if not self.coded and self.codings:
            raise ValueError("coded is false but codings are given")
        partners = [c.partner for c in self.codings]
        twice = sorted({p for p in partners if partners.count(p) > 1})
        if twice:
            raise ValueError(f"more than one coding for {', '.join(twice)} (the rules allow one entry per partner)")
        return self


class SecondHeader(Strict):
    coder: Text
    coded_on: Date
    rules: Text


class WasCode(Strict):
    partner: Partner
    direction: Literal["toward", "away"]
    cameo: Cameo
    non_state: bool = False


class Correction(Strict):
    event: Slug
    was: list[WasCode]  # the shipped coding before the correction ([] when it was uncoded)
    note: Text


class Ruling(Strict):
    event: Slug
    field: Literal["coded", "partner", "direction", "cameo", "non_state"]
    partner: Partner | None = None  # which coding; for 'partner', the shipped side's partner, else the second's
    stands: Literal["shipped", "second", "neither"]
    note: Text


class AdjudicationHeader(Strict):
    adjudicator: Text
    adjudicated_on: Date


@dataclass(frozen=True)
class Code:
    """One coding, as both files can give it."""

    partner: str
    direction: str
    cameo: str
    non_state: bool


@dataclass(frozen=True)
class Agreement:
    field: str
    units: int
    agree: int
    kappa: float | None
    undefined: str = ""  # why κ is undefined

    @property
    def percent(self) -> float | None:
        return 100.0 * self.agree / self.units if self.units else None


@dataclass(frozen=True)
class Disagreement:
    event: str
    field: str
    partner: str | None
    shipped: str
    second: str
    doubt: str = ""

    def key(self) -> tuple[str, str, str | None]:
        return self.event, "cameo" if self.field == "cameo_root" else self.field, self.partner


def kappa(pairs: list[tuple[object, object]], name: str = "") -> Agreement:
    """Agreement and Cohen's κ over (first coder, second coder) category pairs."""
    n = len(pairs)
    if n == 0:
        return Agreement(name, 0, 0, None, "no units to compare")
    agree = sum(1 for a, b in pairs if a == b)
    cats = {a for a, _ in pairs} | {b for _, b in pairs}
    p_o = agree / n
    p_e = sum((sum(1 for a, _ in pairs if a == c) / n) * (sum(1 for _, b in pairs if b == c) / n) for c in cats)
    if abs(1.0 - p_e) < 1e-12:
        return Agreement(name, n, agree, None, f"both coders gave every unit the same value, {_value(next(iter(cats)))}")
    return Agreement(name, n, agree, (p_o - p_e) / (1.0 - p_e))


def pair_codings(shipped: list[Code], second: list[Code]) -> list[tuple[Code | None, Code | None]]:
    """Pairs within one event: same partner first; the rest in listed order; then with nothing."""
    theirs = {c.partner: c for c in second}
    pairs = [(c, theirs[c.partner]) for c in shipped if c.partner in theirs]
    mine = {c.partner for c in shipped}
    left_a = [c for c in shipped if c.partner not in theirs]
    left_b = [c for c in second if c.partner not in mine]
    for i in range(max(len(left_a), len(left_b))):
        pairs.append((left_a[i] if i < len(left_a) else None, left_b[i] if i < len(left_b) else None))
    return pairs


def compare(shipped: dict[str, list[Code]], second: dict[str, list[Code]],
            doubts: dict[str, str] | None = None) -> tuple[list[Agreement], list[Disagreement]]:
    """Agreement on every field, and each disagreement, between two codings of the same events (event id -> codes;
    an empty list is an uncoded event). Only events in both are compared."""
    doubts = doubts or {}
    units: dict[str, list[tuple]] = {f: [] for f in FIELDS}
    found: list[Disagreement] = []
    for eid in [e for e in shipped if e in second]:
        a, b = shipped[eid], second[eid]
        units["coded"].append((bool(a), bool(b)))
        doubt = doubts.get(eid, "")
        if bool(a) != bool(b):
            found.append(Disagreement(eid, "coded", None, _codes_text(a), _codes_text(b), doubt))
            continue
        for x, y in pair_codings(a, b):
            units["partner"].append((x.partner if x else NONE, y.partner if y else NONE))
            if x is None or y is None or x.partner != y.partner:
                found.append(Disagreement(eid, "partner", x.partner if x else y.partner,
                                          _code_text(x), _code_text(y), doubt))
                continue
            for f, va, vb in (("direction", x.direction, y.direction), ("cameo", x.cameo, y.cameo),
                              ("cameo_root", x.cameo[:2], y.cameo[:2]), ("non_state", x.non_state, y.non_state)):
                units[f].append((va, vb))
                if va != vb:
                    found.append(Disagreement(eid, f, x.partner, _value(va), _value(vb), doubt))
    return [kappa(units[f], f) for f in FIELDS], found


def _value(v: object) -> str:
    return ("yes" if v else "no") if isinstance(v, bool) else str(v)


def _code_text(c: Code | None) -> str:
    if c is None:
        return NONE
    return f"{c.partner} {c.cameo} {c.direction}" + (" (non-state)" if c.non_state else "")


def _codes_text(codes: list[Code]) -> str:
    return "; ".join(_code_text(c) for c in codes) if codes else "not coded"


def _read_mapping(ds: Dataset, rel: str, problems: list[Problem]) -> tuple[dict, dict[int, int]] | None:
    """A YAML file holding a mapping, and the line of each item of its list under `key` (by position)."""
    text = read_text(ds.data_dir, rel, problems)
    if text is None:
        return None
    parsed = parse_yaml(text, rel, problems)
    if parsed is None:
        return None
    data, node = parsed
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", f"top level is a {type(data).__name__}, not a mapping",
                                "see data/README.md (Reliability) for the file's form"))
        return None
    lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value:
        if isinstance(value_node, yaml.SequenceNode):
            lines[key_node.value] = [item.start_mark.line + 1 for item in value_node.value]
    return data, lines


def _items(rel: str, data: dict, lines: dict, key: str, cls, id_field: str, problems: list[Problem],
           context: dict | None = None) -> list:
    """The items of the list under `key` that validate as `cls` (partners checked against `context`, as the loader
    gives it), each with its label; the rest become problems."""
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(Problem(rel, "", f"'{key}' is a {type(items).__name__}, not a list", f"write '{key}:' as a list"))
        return []
    allowed = list(cls.model_fields)
    out = []
    for item, line in zip(items, lines.get(key, [0] * len(items)), strict=False):
        rid = item.get(id_field) if isinstance(item, dict) else None
        label = f"{rid} (line {line})" if isinstance(rid, str) and rid else f"item at line {line}"
        if not isinstance(item, dict):
            problems.append(Problem(rel, label, f"item is a {type(item).__name__}, not a mapping",
                                    "write each item as a mapping of field: value"))
            continue
        try:
            out.append((cls.model_validate(item, context=context), label))
        except ValidationError as e:
            problems.extend(pydantic_problems(rel, label, e, allowed))
    return out


def _header(rel: str, data: dict, cls, problems: list[Problem], *list_keys: str):
    fields = {k: v for k, v in data.items() if k not in list_keys}
    try:
        return cls.model_validate(fields)
    except ValidationError as e:
        problems.extend(pydantic_problems(rel, "", e, [*cls.model_fields, *list_keys]))
        return None


def _check_code(ds: Dataset, rel: str, label: str, code, problems: list[Problem]) -> None:
    if ds.cameo and code.cameo not in ds.cameo:
        problems.append(Problem(rel, label, f"CAMEO code '{code.cameo}' is not in cameo.csv",
                                "pick a code from data/cameo.csv (the GDELT CAMEO/Goldstein table)"))


def _need_event(ds: Dataset, rel: str, label: str, eid: str, problems: list[Problem]) -> bool:
    rec = ds.records.get(eid)
    if not isinstance(rec, Event):
        found = f"is a {rec.kind}" if rec else "does not exist"
        problems.append(Problem(rel, label, f"event '{eid}' {found}", "use the id of an event in events.yaml"))
        return False
    return True


@dataclass
class Loaded:
    header: SecondHeader
    events: dict[str, SecondEvent]
    adjudication: AdjudicationHeader | None = None
    rulings: list[Ruling] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)


def load(ds: Dataset) -> tuple[Loaded | None, list[Problem]]:
    """The second coding and its adjudication, checked against the dataset; None when there is no second coding."""
    problems: list[Problem] = []
    if not (ds.data_dir / SECOND_FILE).exists():
        if (ds.data_dir / ADJUDICATION_FILE).exists():
            problems.append(Problem(ADJUDICATION_FILE, "", f"there is an adjudication but no {SECOND_FILE}",
                                    f"restore {SECOND_FILE}, or remove the adjudication"))
        return None, problems
    read = _read_mapping(ds, SECOND_FILE, problems)
    if read is None:
        return None, problems
    data, lines = read
    header = _header(SECOND_FILE, data, SecondHeader, problems, "events")
    if "events" not in data:
        problems.append(Problem(SECOND_FILE, "", "no 'events' list", "add 'events:' with one item per event coded"))
    events: dict[str, SecondEvent] = {}
    for ev, label in _items(SECOND_FILE, data, lines, "events", SecondEvent, "id", problems, validation_context(ds)):
        if ev.id in events:
            problems.append(Problem(SECOND_FILE, label, f"event '{ev.id}' is coded twice", "keep one item per event"))
            continue
        if _need_event(ds, SECOND_FILE, label, ev.id, problems):
            events[ev.id] = ev
        for code in ev.codings:
            _check_code(ds, SECOND_FILE, label, code, problems)
    if header is None:
        return None, problems
    loaded = Loaded(header, events)
    if (ds.data_dir / ADJUDICATION_FILE).exists():
        _load_adjudication(ds, loaded, problems)
    return loaded, problems


def _load_adjudication(ds: Dataset, loaded: Loaded, problems: list[Problem]) -> None:
    rel = ADJUDICATION_FILE
    read = _read_mapping(ds, rel, problems)
    if read is None:
        return
    data, lines = read
    loaded.adjudication = _header(rel, data, AdjudicationHeader, problems, "rulings", "corrections")
    seen: set[str] = set()
    for c, label in _items(rel, data, lines, "corrections", Correction, "event", problems, validation_context(ds)):
        if c.event in seen:
            problems.append(Problem(rel, label, f"two corrections of '{c.event}'", "merge them into one"))
            continue
        seen.add(c.event)
        if _need_event(ds, rel, label, c.event, problems):
            loaded.corrections.append(c)
        for code in c.was:
            _check_code(ds, rel, label, code, problems)
    keys = set()
    for r, label in _items(rel, data, lines, "rulings", Ruling, "event", problems, validation_context(ds)):
        key = (r.event, r.field, r.partner)
        if key in keys:
            problems.append(Problem(rel, label, f"two rulings on {r.field} of '{r.event}'", "keep one ruling"))
            continue
        keys.add(key)
        if _need_event(ds, rel, label, r.event, problems):
            loaded.rulings.append(r)
    if problems:
        return
    blind = compare_loaded(ds, loaded, before_corrections=True)[1]
    known = {d.key() for d in blind}
    for r in loaded.rulings:
        if (r.event, r.field, r.partner) not in known:
            who = f" ({r.partner})" if r.partner else ""
            problems.append(Problem(rel, r.event, f"the ruling on {r.field}{who} names no disagreement between the "
                                    "second coding and the shipped coding (before corrections)",
                                    "check event, field and partner against `python -m atlas reliability`"))


def _shipped(ds: Dataset, corrections: list[Correction], before_corrections: bool) -> dict[str, list[Code]]:
    out = {e.id: [Code(c.partner, c.direction, c.cameo, c.non_state) for c in e.alignment]
           for e in ds.of_kind("event") if isinstance(e, Event)}
    if before_corrections:
        for c in corrections:
            out[c.event] = [Code(w.partner, w.direction, w.cameo, w.non_state) for w in c.was]
    return out


def compare_loaded(ds: Dataset, loaded: Loaded, before_corrections: bool,
             leave_out: set[str] = frozenset()) -> tuple[list[Agreement], list[Disagreement]]:
    second = {eid: [Code(c.partner, c.direction, c.cameo, c.non_state) for c in ev.codings]
              for eid, ev in loaded.events.items() if eid not in leave_out}
    doubts = {eid: ev.doubt or "" for eid, ev in loaded.events.items()}
    return compare(_shipped(ds, loaded.corrections, before_corrections), second, doubts)


def problems(ds: Dataset) -> list[Problem]:
    """What is wrong with the reliability files (none when they are absent): for `validate`."""
    return load(ds)[1]

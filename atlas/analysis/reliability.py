"""How reliable the alignment coding is: a blind second coding of the events, compared with the shipped coding.

`data/reliability/second-coding.yaml` (optional) holds an independent coding of the events, made from the sources and
the written rules alone by a coder who had not seen the shipped coding. `data/reliability/adjudication.yaml`
(optional) says, for each disagreement, which coding stands and why, and records every shipped coding that was
corrected after the comparison (`was`: the coding before the correction), so the blind agreement can always be
measured against the coding as it stood when the second coder worked.

Units compared (each field has its own):
- coded or not: every event in both codings; the category is whether it has any alignment entry.
- partner: the codings of events both coders coded. Within an event, codings with the same partner are paired;
  the codings left over on each side are paired in the order they are listed, and any still unpaired is paired with
  "(none)". The category is the partner.
- direction, CAMEO exact, CAMEO root (its first two digits), non-state: the pairs above with the same partner on
  both sides (matched (event, partner) pairs).
Agreement is the share of units whose categories are equal; Cohen's κ = (pₒ − pₑ) / (1 − pₑ), with pₑ the chance
agreement from each coder's own category shares. κ is undefined when pₑ = 1 (both coders put every unit in one and
the same category, so there is no variation for chance to explain) or when there are no units: it is reported as
"undefined", with the reason, never as a number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from atlas.core.load import Dataset, Problem, _pydantic_problems, _read_text, parse_yaml, validation_context
from atlas.core.model import Date, Event, Partner, Slug, Strict, Text

SECOND_FILE = "reliability/second-coding.yaml"
ADJUDICATION_FILE = "reliability/adjudication.yaml"
Cameo = Annotated[str, Field(pattern=r"^\d{3,4}$")]
FIELDS = ("coded", "partner", "direction", "cameo", "cameo_root", "non_state")
FIELD_LABELS = {"coded": "coded or not", "partner": "partner", "direction": "direction", "cameo": "CAMEO exact",
                "cameo_root": "CAMEO root", "non_state": "non-state"}
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


@dataclass
class Reliability:
    coder: str
    coded_on: str
    rules: str
    events: int  # events compared
    not_second_coded: list[str]
    blind: list[Agreement]  # against the shipped coding before any correction
    disagreements: list[Disagreement]
    rulings: dict[tuple, Ruling] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    now: list[Agreement] | None = None  # against the shipped coding as it is now, when corrections were made
    unnamed: list[Agreement] | None = None  # blind, on the events the coding rules do not use as examples
    unnamed_events: int = 0
    adjudicator: str = ""
    adjudicated_on: str = ""


# --- Cohen's kappa ---------------------------------------------------------------------------------------------

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


def kappa_text(a: Agreement) -> str:
    return f"{a.kappa:.2f}" if a.kappa is not None else "undefined"


# --- Pairing ----------------------------------------------------------------------------------------------------

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


# --- Loading ----------------------------------------------------------------------------------------------------

def _read_mapping(ds: Dataset, rel: str, problems: list[Problem]) -> tuple[dict, dict[int, int]] | None:
    """A YAML file holding a mapping, and the line of each item of its list under `key` (by position)."""
    text = _read_text(ds.data_dir, rel, problems)
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
            problems.extend(_pydantic_problems(rel, label, e, allowed))
    return out


def _header(rel: str, data: dict, cls, problems: list[Problem], *list_keys: str):
    fields = {k: v for k, v in data.items() if k not in list_keys}
    try:
        return cls.model_validate(fields)
    except ValidationError as e:
        problems.extend(_pydantic_problems(rel, "", e, [*cls.model_fields, *list_keys]))
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
    blind = _compare(ds, loaded, before_corrections=True)[1]
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


def _compare(ds: Dataset, loaded: Loaded, before_corrections: bool,
             leave_out: set[str] = frozenset()) -> tuple[list[Agreement], list[Disagreement]]:
    second = {eid: [Code(c.partner, c.direction, c.cameo, c.non_state) for c in ev.codings]
              for eid, ev in loaded.events.items() if eid not in leave_out}
    doubts = {eid: ev.doubt or "" for eid, ev in loaded.events.items()}
    return compare(_shipped(ds, loaded.corrections, before_corrections), second, doubts)


def named_in_rules(ds: Dataset) -> set[str]:
    """The events the coding rules (README.md, "Coding rules") name as examples, in `backticks`: a second coder
    reading the rules is told how to code them, so agreement on them says less."""
    from atlas.analysis.alignment import coding_rules

    rules = coding_rules(ds) or ""
    return {e.id for e in ds.of_kind("event") if f"`{e.id}`" in rules}


def problems(ds: Dataset) -> list[Problem]:
    """What is wrong with the reliability files (none when they are absent): for `validate`."""
    return load(ds)[1]


def report(ds: Dataset) -> Reliability | None:
    """The comparison, or None when the data directory has no second coding (or it does not load)."""
    loaded, found = load(ds)
    if loaded is None or found:
        return None
    blind, disagreements = _compare(ds, loaded, before_corrections=True)
    events = [e.id for e in ds.of_kind("event")]
    adj = loaded.adjudication
    named = named_in_rules(ds)
    return Reliability(
        coder=loaded.header.coder, coded_on=loaded.header.coded_on.text, rules=loaded.header.rules,
        events=sum(1 for e in events if e in loaded.events),
        not_second_coded=[e for e in events if e not in loaded.events], blind=blind, disagreements=disagreements,
        rulings={(r.event, r.field, r.partner): r for r in loaded.rulings}, corrections=loaded.corrections,
        now=_compare(ds, loaded, before_corrections=False)[0] if loaded.corrections else None,
        unnamed=_compare(ds, loaded, before_corrections=True, leave_out=named)[0] if named else None,
        unnamed_events=sum(1 for e in events if e in loaded.events and e not in named),
        adjudicator=adj.adjudicator if adj else "", adjudicated_on=adj.adjudicated_on.text if adj else "")


# --- Tables -----------------------------------------------------------------------------------------------------

def figures_rows(rel: Reliability) -> list[dict]:
    """One row per field: units, agreements, agreement (%), κ (blind; and now, when corrections were made)."""
    rows = []
    for i, a in enumerate(rel.blind):
        row = {"field": FIELD_LABELS[a.field], "units": a.units, "agree": a.agree,
               "agreement": f"{a.percent:.1f}%" if a.percent is not None else "—",
               "kappa": kappa_text(a) + (f" ({a.undefined})" if a.kappa is None else "")}
        if rel.unnamed is not None:
            u = rel.unnamed[i]
            row["kappa, events the rules do not name"] = kappa_text(u) + (f" ({u.agree}/{u.units})" if u.units else "")
        if rel.now is not None:
            row["kappa after corrections"] = kappa_text(rel.now[i])
        rows.append(row)
    return rows


def disagreement_rows(rel: Reliability) -> list[dict]:
    """One row per disagreement, with the ruling on it (or that there is none yet)."""
    corrected = {c.event for c in rel.corrections}
    out = []
    for d in rel.disagreements:
        ruling = rel.rulings.get(d.key())
        stands = {"shipped": "shipped coding stands", "second": "second coding stands", "neither": "neither stands"}
        verdict = stands[ruling.stands] if ruling else "not adjudicated yet"
        if d.event in corrected:
            verdict += "; events.yaml corrected"
        out.append({"event": d.event, "field": FIELD_LABELS[d.field], "partner": d.partner or "", "shipped": d.shipped,
                    "second": d.second, "ruling": verdict, "why": ruling.note if ruling else ""})
    return out


def summary_lines(rel: Reliability) -> list[str]:
    """The report as text lines, for the command line."""
    lines = [f"Second coding: {rel.coder}, coded {rel.coded_on}; rules: {rel.rules}",
             f"Events compared: {rel.events}" + (f" ({len(rel.not_second_coded)} shipped events not second-coded: "
                                                 f"{', '.join(rel.not_second_coded)})" if rel.not_second_coded else ""),
             "", "Agreement with the shipped coding as it stood when the second coding was made:",
             f"  {'field':<14}{'units':>6}{'agree':>7}{'agreement':>11}  kappa"]
    for row in figures_rows(rel):
        lines.append(f"  {row['field']:<14}{row['units']:>6}{row['agree']:>7}{row['agreement']:>11}  {row['kappa']}")
    if rel.unnamed is not None:
        lines += ["", f"The same on the {rel.unnamed_events} events the coding rules do not name as examples:",
                  f"  {'field':<14}{'units':>6}{'agree':>7}{'agreement':>11}  kappa"]
        lines += [f"  {FIELD_LABELS[a.field]:<14}{a.units:>6}{a.agree:>7}"
                  f"{(f'{a.percent:.1f}%' if a.percent is not None else '—'):>11}  {kappa_text(a)}"
                  + (f" ({a.undefined})" if a.kappa is None else "") for a in rel.unnamed]
    if rel.now is not None:
        lines += ["", "After the corrections the adjudication made to events.yaml: "
                  + ", ".join(f"{FIELD_LABELS[a.field]} {kappa_text(a)}" for a in rel.now)]
    lines += ["", "Units: coded or not = every event; partner = the codings of events both coders coded, paired by "
              "partner", "(leftovers in listed order, else with '(none)'); the other fields = pairs with the same partner.",
              "Kappa is undefined when both coders used a single category (or there are no units).", ""]
    rows = disagreement_rows(rel)
    lines.append(f"Disagreements: {len(rows)}")
    for r in rows:
        who = f" [{r['partner']}]" if r["partner"] else ""
        lines.append(f"  {r['event']}: {r['field']}{who}: shipped {r['shipped']} | second {r['second']}")
        lines.append(f"    {r['ruling']}" + (f": {r['why']}" if r["why"] else ""))
    for c in rel.corrections:
        lines.append(f"  corrected {c.event}: {c.note}")
    if rel.adjudicator:
        lines.append(f"Adjudicated by {rel.adjudicator}, {rel.adjudicated_on}.")
    return lines


DISAGREEMENT_COLUMNS = ["event", "field", "partner", "shipped", "second", "ruling", "why"]


def provenance_rows(rel: Reliability) -> list[dict]:
    """Who made the second coding and the adjudication, when, and from which rules (data: shown escaped)."""
    rows = [{"about": "second coder", "value": rel.coder}, {"about": "coded on", "value": rel.coded_on},
            {"about": "rules used", "value": rel.rules},
            {"about": "events compared", "value": f"{rel.events} (not second-coded: {len(rel.not_second_coded)})"}]
    if rel.adjudicator:
        rows += [{"about": "adjudicator", "value": rel.adjudicator}, {"about": "adjudicated on", "value": rel.adjudicated_on}]
    return rows


def page_text(rel: Reliability) -> str:
    """The methodology's words on reliability (our own text and numbers only: data strings go in tables)."""
    low = [a for a in rel.blind if a.kappa is not None and a.kappa < 0.8]
    target = ("Every field with a defined κ meets the target of 0.8." if not low else
              "Below the target of 0.8: " + ", ".join(f"{FIELD_LABELS[a.field]} ({a.kappa:.2f})" for a in low) + ".")
    text = (
        "A second coder coded every event again, blind: from the sources, the quotes and the written rules alone, "
        "without seeing the shipped coding. The table compares the two codings as they stood then. *Coded or not* "
        "counts every event; *partner* pairs the codings of events both coders coded (same partner first, the rest in "
        "listed order, else with nothing); direction, CAMEO exact, CAMEO root (the code's first two digits) and "
        "non-state compare the pairs with the same partner. Cohen's κ corrects agreement for chance; it is "
        f"*undefined* when both coders gave every unit the same value, since there is nothing for chance to explain. {target}"
    )
    if rel.unnamed is not None:
        text += (f" The coding rules name {rel.events - rel.unnamed_events} of the events as worked examples, which "
                 "tells a second coder the answer; the column on the other "
                 f"{rel.unnamed_events} events is the stricter test.")
    if rel.corrections:
        text += (f" The adjudication corrected {len(rel.corrections)} shipped coding(s) in events.yaml; "
                 "the last column compares the codings after those corrections.")
    return text

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

from atlas.analysis.alignment import coding_rules
from atlas.core.dataset import Dataset
from atlas.core.secondcoding import (  # the files and the comparison: re-exported for the report's readers
    ADJUDICATION_FILE,
    FIELDS,
    SECOND_FILE,
    Agreement,
    Code,
    Correction,
    Disagreement,
    Ruling,
    compare,
    compare_loaded,
    kappa,
    load,
    problems,
)

__all__ = ["ADJUDICATION_FILE", "FIELDS", "SECOND_FILE", "Agreement", "Code", "Correction", "Disagreement", "Reliability",
           "Ruling", "compare", "kappa", "kappa_text", "load", "problems", "report"]

FIELD_LABELS = {"coded": "coded or not", "partner": "partner", "direction": "direction", "cameo": "CAMEO exact",
                "cameo_root": "CAMEO root", "non_state": "non-state"}


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


def kappa_text(a: Agreement) -> str:
    return f"{a.kappa:.2f}" if a.kappa is not None else "undefined"


# --- Pairing ----------------------------------------------------------------------------------------------------


# --- Loading ----------------------------------------------------------------------------------------------------


def named_in_rules(ds: Dataset) -> set[str]:
    """The events the coding rules (README.md, "Coding rules") name as examples, in `backticks`: a second coder
    reading the rules is told how to code them, so agreement on them says less."""
    rules = coding_rules(ds) or ""
    return {e.id for e in ds.of_kind("event") if f"`{e.id}`" in rules}


def report(ds: Dataset) -> Reliability | None:
    """The comparison, or None when the data directory has no second coding (or it does not load)."""
    loaded, found = load(ds)
    if loaded is None or found:
        return None
    blind, disagreements = compare_loaded(ds, loaded, before_corrections=True)
    events = [e.id for e in ds.of_kind("event")]
    adj = loaded.adjudication
    named = named_in_rules(ds)
    return Reliability(
        coder=loaded.header.coder, coded_on=loaded.header.coded_on.text, rules=loaded.header.rules,
        events=sum(1 for e in events if e in loaded.events),
        not_second_coded=[e for e in events if e not in loaded.events], blind=blind, disagreements=disagreements,
        rulings={(r.event, r.field, r.partner): r for r in loaded.rulings}, corrections=loaded.corrections,
        now=compare_loaded(ds, loaded, before_corrections=False)[0] if loaded.corrections else None,
        unnamed=compare_loaded(ds, loaded, before_corrections=True, leave_out=named)[0] if named else None,
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

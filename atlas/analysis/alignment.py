"""The alignment index: Armenia's movement toward or away from each partner, summed from coded events.

Each alignment coding of an event contributes  d × w,  where d = +1 when the event moves Armenia
toward the partner and −1 when away, and w is the magnitude of the Goldstein score of its CAMEO code
(or 1 with equal weights). The index of a partner at time t, over a period that starts at t₀, is the
sum of the contributions of its events placed in [t₀, t]: it is 0 at the start of the period, and
events before t₀ are context, never a hidden offset. With a half-life h, each contribution is
multiplied by 0.5^((t − tᵢ)/h). An event is placed at the middle of the interval its date denotes (a
month-precision event in the middle of its month), and the interval is kept so charts can draw it
instead of a false day.

Codings of acts by non-state actors (`non_state`) are left out of this state-level index unless the
options include them. `robustness` recomputes the index under every reasonable variant of the method
at once (one matrix product per half-life) to show how much a line depends on each choice.
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.core.csvio import frame_csv  # every CSV the Atlas writes neutralises formula-leading cells
from atlas.core.load import Dataset
from atlas.core.model import Event

WEIGHTS = {"goldstein": "Goldstein scores", "equal": "Equal weights"}
COLUMNS = ["event_id", "partner", "title", "date_text", "date_label", "precision", "start", "end", "mid", "cameo",
           "cameo_label", "goldstein", "direction", "contribution", "rationale", "source_id", "sources", "reported_by",
           "non_state", "cited"]
DEFAULT_PARTNERS = 4  # partners drawn by default: those with most coded events
MONTH_DAYS = 30.4375


@dataclass(frozen=True)
class Options:
    weights: str = "goldstein"
    half_life_months: float | None = None  # None: no decay
    include_reported: bool = True  # events one side reports about another
    sources: frozenset[str] | None = None  # None: every source
    include_non_state: bool = False  # acts by protesters, opposition parties and the like


def _mid(start: dt.date, end: dt.date) -> pd.Timestamp:
    return pd.Timestamp(start) + (pd.Timestamp(end) - pd.Timestamp(start)) / 2


def _all_codings(ds: Dataset) -> pd.DataFrame:
    """One row per (event, partner) coding in the dataset, unfiltered, with its Goldstein-weighted contribution."""
    rows = []
    for event in ds.of_kind("event"):
        assert isinstance(event, Event)
        cited = tuple(dict.fromkeys(c.source for c in event.citations))
        start, end = event.date.start, event.date.end
        for coding in event.alignment:
            label, goldstein = ds.cameo.get(coding.cameo, ("unknown code", 0.0))
            sign = 1 if coding.direction == "toward" else -1
            rows.append({
                "event_id": event.id, "partner": coding.partner, "title": event.title, "date_text": event.date.text,
                "date_label": event.date.label(), "precision": event.date.precision, "start": pd.Timestamp(start),
                "end": pd.Timestamp(end), "mid": _mid(start, end), "cameo": coding.cameo, "cameo_label": label,
                "goldstein": goldstein, "direction": coding.direction, "contribution": sign * abs(goldstein),
                "rationale": coding.rationale, "source_id": cited[0], "sources": ", ".join(cited),
                "reported_by": event.reported_by or "", "non_state": coding.non_state, "cited": cited,
            })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["non_state"] = frame["non_state"].astype(bool)
    return frame.sort_values(["mid", "event_id"], kind="stable").reset_index(drop=True)


def _admitted(rows: pd.DataFrame, options: Options) -> np.ndarray:
    """Which rows the options admit: third-party accounts, non-state acts, sources (an event stays while any of
    the sources citing it is chosen)."""
    keep = np.ones(len(rows), dtype=bool)
    if not options.include_reported:
        keep &= (rows["reported_by"] == "").to_numpy()
    if not options.include_non_state:
        keep &= ~rows["non_state"].to_numpy(dtype=bool)
    if options.sources is not None:
        chosen = options.sources
        keep &= np.fromiter((bool(set(c) & chosen) for c in rows["cited"]), dtype=bool, count=len(rows))
    return keep


def contributions(ds: Dataset, options: Options = Options()) -> pd.DataFrame:
    """One row per (event, partner) coding that the options admit, in date order."""
    rows = _all_codings(ds)
    rows = rows[_admitted(rows, options)]
    if options.weights != "goldstein":
        rows = rows.assign(contribution=np.where(rows["direction"] == "toward", 1.0, -1.0))
    return rows.reset_index(drop=True)


def non_state_left_out(ds: Dataset, options: Options) -> pd.DataFrame:
    """The non-state codings these options leave out of the index (none when they are included): drawn as context."""
    if options.include_non_state:
        return contributions(ds, options).iloc[0:0]
    rows = contributions(ds, Options(options.weights, options.half_life_months, options.include_reported,
                                     options.sources, include_non_state=True))
    return rows[rows["non_state"]].reset_index(drop=True)


def _stamp(value) -> np.datetime64:
    return pd.Timestamp(value).to_datetime64().astype("datetime64[ns]")


def _weights(mids: np.ndarray, t: np.ndarray, half_life_months: float | None, start=None) -> np.ndarray:
    """times × events: how much each event counts at each time (1 or its decay once placed, 0 before it or
    before the period's start)."""
    age = t[:, None] - mids[None, :]
    placed = age >= np.timedelta64(0, "ns")
    if start is not None:
        placed &= (mids >= _stamp(start))[None, :]
    if not half_life_months:
        return placed.astype(float)
    months = np.maximum(age / np.timedelta64(1, "D"), 0) / MONTH_DAYS
    return np.where(placed, 0.5 ** (months / half_life_months), 0.0)


def _values(rows: pd.DataFrame, times, half_life_months: float | None, start=None) -> np.ndarray:
    """The index of `rows` (one partner) at each of `times`, counting from `start` (None: from the first event)."""
    mids = rows["mid"].to_numpy(dtype="datetime64[ns]")
    contrib = rows["contribution"].to_numpy(dtype=float)
    t = np.asarray(pd.DatetimeIndex(times).to_numpy(dtype="datetime64[ns]"))
    if len(mids) == 0:
        return np.zeros(len(t))
    return _weights(mids, t, half_life_months, start) @ contrib


def value_at(rows: pd.DataFrame, when: pd.Timestamp, half_life_months: float | None = None, start=None) -> float:
    """The index of the rows (one partner) at a moment: contributions from `start` up to it, decayed if asked."""
    return float(_values(rows, [when], half_life_months, start)[0])


def _grid(lo: pd.Timestamp, hi: pd.Timestamp, mids, half_life_months: float | None) -> list[pd.Timestamp]:
    grid = pd.date_range(lo, hi, freq="14D") if half_life_months else pd.DatetimeIndex([])
    return sorted({lo, hi, *[t for t in mids if lo <= t <= hi], *grid})


def series(rows: pd.DataFrame, first: dt.date, last: dt.date, half_life_months: float | None = None) -> pd.DataFrame:
    """The index of each partner over [first, last], 0 at `first`: a point at each event and at the edges (and every
    fortnight with decay, so the curve shows the fading). Columns: partner, date, index."""
    frames = []
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    for partner, group in rows.groupby("partner", sort=True):
        times = _grid(lo, hi, group["mid"], half_life_months)
        frames.append(pd.DataFrame({"partner": partner, "date": times,
                                    "index": _values(group, times, half_life_months, start=lo)}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["partner", "date", "index"])


def marker_values(rows: pd.DataFrame, half_life_months: float | None = None, start=None) -> pd.Series:
    """The index of each row's partner just after the row's event (where its marker sits)."""
    out = pd.Series(0.0, index=rows.index, dtype=float)
    for _, group in rows.groupby("partner", sort=False):
        out[group.index] = _values(group, group["mid"], half_life_months, start)
    return out


def in_period(rows: pd.DataFrame, first: dt.date | None, last: dt.date | None) -> pd.DataFrame:
    """The rows whose events are placed inside [first, last] (None: open)."""
    keep = np.ones(len(rows), dtype=bool)
    if first is not None:
        keep &= (rows["mid"] >= pd.Timestamp(first)).to_numpy()
    if last is not None:
        keep &= (rows["mid"] <= pd.Timestamp(last)).to_numpy()
    return rows[keep]


def before(rows: pd.DataFrame, first: dt.date) -> pd.DataFrame:
    """The rows placed before the period starts: context for the chart, not counted in the index."""
    return rows[rows["mid"] < pd.Timestamp(first)]


def quarters(first: dt.date, last: dt.date) -> list[str]:
    """Every quarter from the one holding `first` to the one holding `last`, as '2020Q1'."""
    return [str(q) for q in pd.period_range(pd.Timestamp(first).to_period("Q"), pd.Timestamp(last).to_period("Q"), freq="Q")]


def quarterly(rows: pd.DataFrame) -> pd.DataFrame:
    """Net signal per partner and quarter, with the events behind each cell: partner, quarter, net, events."""
    if rows.empty:
        return pd.DataFrame(columns=["partner", "quarter", "net", "events"])
    q = rows.assign(quarter=rows["mid"].dt.to_period("Q").astype(str))
    return (q.groupby(["partner", "quarter"], sort=True)
             .agg(net=("contribution", "sum"), events=("title", lambda t: list(t)))
             .reset_index())


DATA_COLUMNS = {"date_label": "date", "partner": "partner", "direction": "direction", "contribution": "contribution",
                "cameo": "cameo", "cameo_label": "cameo_label", "title": "title", "sources": "sources",
                "reported_by": "reported_by", "non_state": "non_state"}


def data_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows behind the chart as a reader sees them: one per event and partner, contributions rounded."""
    out = rows[list(DATA_COLUMNS)].rename(columns=DATA_COLUMNS)
    return out.assign(contribution=out["contribution"].round(2), non_state=out["non_state"].map({True: "yes", False: ""}))


def partners_coded(ds: Dataset) -> list[str]:
    """Every partner with at least one coding, non-state acts included: in atlas.yaml's order, else by name."""
    order = {name: i for i, name in enumerate(ds.settings.partner_names())}
    return sorted(set(_all_codings(ds)["partner"]), key=lambda p: (order.get(p, len(order)), p))


def rows_and_defaults(ds: Dataset, options: Options) -> tuple[pd.DataFrame, list[str]]:
    """The index's contribution rows for these options, and the partners drawn by default: ranked on every coding
    (non-state acts and third-party accounts included), so the default does not move with the options."""
    return contributions(ds, options), default_partners(_all_codings(ds))


def partner_view(ds: Dataset, options: Options, partners: tuple[str, ...], first: dt.date | None = None,
                 last: dt.date | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What the page shows for some partners over a period: (their contribution rows in it, counts per partner,
    the data table)."""
    rows = in_period(contributions(ds, options), first, last)
    shown = rows[rows["partner"].isin(partners)]
    return shown, counts(shown), data_table(shown)


def table_csv(ds: Dataset, options: Options, partners: tuple[str, ...], first: dt.date | None = None,
              last: dt.date | None = None) -> bytes:
    """The chart's data table as a CSV download, prepared before the click."""
    return frame_csv(partner_view(ds, options, partners, first, last)[2]).encode("utf-8")


def counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Events per partner, how many move Armenia toward or away, and the net contribution (rounded); most events
    first, then most weight (sum of |contribution|), then by name."""
    if rows.empty:
        return pd.DataFrame(columns=["partner", "events", "toward", "away", "net"])
    flags = rows.assign(toward=(rows["direction"] == "toward").astype(int), away=(rows["direction"] == "away").astype(int),
                        weight=rows["contribution"].abs())
    out = (flags.groupby("partner")
                .agg(events=("event_id", "nunique"), toward=("toward", "sum"), away=("away", "sum"),
                     net=("contribution", "sum"), weight=("weight", "sum"))
                .reset_index())
    out = out.sort_values(["events", "weight", "partner"], ascending=[False, False, True], kind="stable")
    return out.drop(columns="weight").round({"net": 2}).reset_index(drop=True)


def coding_rules(ds: Dataset) -> str | None:
    """The "Coding rules" section of the data directory's README (as read and checked at load), for the methodology."""
    text = ds.readme
    if text is None:
        return None
    start = text.find("## Coding rules")
    if start < 0:
        return None
    end = text.find("\n## ", start + 3)
    return text[start:end if end > 0 else None].removeprefix("## Coding rules").strip()


def default_partners(rows: pd.DataFrame, minimum: int = 2, limit: int = DEFAULT_PARTNERS) -> list[str]:
    """At most `limit` partners with at least `minimum` coded events, most evidence first."""
    c = counts(rows)
    return list(c[c["events"] >= minimum]["partner"])[:limit] if not c.empty else []


def partner_ranks(ds: Dataset) -> dict[str, int]:
    """Each coded partner's place by evidence (most coded events first), fixed for a dataset: its colour slot."""
    return {p: i for i, p in enumerate(counts(_all_codings(ds))["partner"])}


# --- Robustness: the index under every reasonable variant of the method --------------------------------------

HALF_LIFE_VARIANTS: tuple[float | None, ...] = (None, 6.0, 12.0, 24.0)


@dataclass(frozen=True)
class Variant:
    """One way of computing the index: weights, half-life, third-party accounts, non-state acts, a source left out."""

    weights: str
    half_life_months: float | None
    include_reported: bool
    include_non_state: bool
    left_out: str | None  # a source id, or None: every source

    def levels(self) -> tuple[str, ...]:
        """The choices this variant makes, as the keys `robustness` reports failures by."""
        return (f"weights={self.weights}", f"halflife={self.half_life_months or 0:g}",
                f"reported={int(self.include_reported)}", f"nonstate={int(self.include_non_state)}",
                f"leftout={self.left_out or ''}")


def variants(ds: Dataset) -> list[Variant]:
    """Every variant, in the order `robustness` computes them: 2 weights × 4 half-lives × with/without third-party
    accounts × with/without non-state acts × (every source, or each source left out in turn)."""
    return [Variant(w, h, r, n, s) for h, w, r, n, s in itertools.product(
        HALF_LIFE_VARIANTS, list(WEIGHTS), (True, False), (True, False), (None, *ds.sources))]


def _level_label(ds: Dataset, level: str) -> str:
    key, _, value = level.partition("=")
    if key == "weights":
        return "equal weights" if value == "equal" else "Goldstein weights"
    if key == "halflife":
        return "no fading" if value == "0" else f"a half-life of {value} months"
    if key == "reported":
        return "third-party accounts included" if value == "1" else "third-party accounts left out"
    if key == "nonstate":
        return "non-state acts included" if value == "1" else "non-state acts left out"
    return "every source" if not value else f"{source_name(ds, value)} left out"


def source_name(ds: Dataset, source_id: str) -> str:
    src = ds.sources.get(source_id)
    return src.title.strip("[]") if src else source_id


def _variant_columns(rows: pd.DataFrame, source_ids: list[str]) -> np.ndarray:
    """events × (weights, reported, non-state, sources) contributions: one column per variant sharing a half-life,
    in the order of `variants`."""
    n = len(rows)
    sign = np.where(rows["direction"].to_numpy() == "toward", 1.0, -1.0)
    weight = np.stack([rows["goldstein"].abs().to_numpy(dtype=float), np.ones(n)], axis=1)  # goldstein, equal
    reported = (rows["reported_by"] != "").to_numpy()
    reported_ok = np.stack([np.ones(n, dtype=bool), ~reported], axis=1)  # with, without
    non_state = rows["non_state"].to_numpy(dtype=bool)
    non_state_ok = np.stack([np.ones(n, dtype=bool), ~non_state], axis=1)
    cites = np.array([[s in c for s in source_ids] for c in rows["cited"]], dtype=bool).reshape(n, len(source_ids))
    kept = [np.ones(n, dtype=bool)] + [np.delete(cites, k, axis=1).any(axis=1) for k in range(len(source_ids))]
    source_ok = np.stack(kept, axis=1)
    cols = (sign[:, None, None, None, None] * weight[:, :, None, None, None] * reported_ok[:, None, :, None, None]
            * non_state_ok[:, None, None, :, None] * source_ok[:, None, None, None, :])
    return cols.reshape(n, 8 * (1 + len(source_ids)))


def _drivers(ds: Dataset, rows: pd.DataFrame, last: dt.date, half_life_months: float | None, first: dt.date,
             top: int = 3) -> str:
    """The events with the largest absolute contribution to the value at the end of the period."""
    if rows.empty:
        return ""
    t = np.array([_stamp(pd.Timestamp(last))])
    mids = rows["mid"].to_numpy(dtype="datetime64[ns]")
    at_end = _weights(mids, t, half_life_months, first)[0] * rows["contribution"].to_numpy(dtype=float)
    order = sorted(range(len(rows)), key=lambda i: (-abs(at_end[i]), rows["mid"].iloc[i]))[:top]
    return "; ".join(f"{rows['title'].iloc[i]} ({at_end[i]:+.1f})" for i in order if abs(at_end[i]) > 1e-9)


def _direction(value: float) -> str:
    return "toward" if value > 1e-9 else "away" if value < -1e-9 else "no change"


def robustness(ds: Dataset, partners: tuple[str, ...], first: dt.date, last: dt.date,
               options: Options = Options()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For each partner, the index under every variant over [first, last] (each starting at 0 at `first`):
    (envelope: partner, date, low, high — the min and max over all variants at each time;
     table: one row per partner saying whether the direction of change over the period under `options` holds
     under every variant, where it fails, and which events drive it)."""
    everything = in_period(contributions(ds, Options(include_reported=True, include_non_state=True)), first, last)
    shown = in_period(contributions(ds, options), first, last)
    all_variants = variants(ds)
    source_ids = list(ds.sources)
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    envelopes, table = [], []
    for partner in partners:
        rows = everything[everything["partner"] == partner]
        mine = shown[shown["partner"] == partner]
        just_before = [m - pd.Timedelta(hours=12) for m in rows["mid"] if m - pd.Timedelta(hours=12) > lo]
        times = sorted(set(_grid(lo, hi, rows["mid"], 1.0)) | set(just_before))
        t = np.asarray(pd.DatetimeIndex(times).to_numpy(dtype="datetime64[ns]"))
        mids = rows["mid"].to_numpy(dtype="datetime64[ns]")
        cols = _variant_columns(rows, source_ids)
        values = np.concatenate([_weights(mids, t, h, lo) @ cols for h in HALF_LIFE_VARIANTS], axis=1)  # times × variants
        envelopes.append(pd.DataFrame({"partner": partner, "date": times, "low": values.min(axis=1),
                                       "high": values.max(axis=1)}))
        change = value_at(mine, hi, options.half_life_months, start=lo)
        ends = values[-1]
        want = np.sign(np.round(change, 9))
        holds = np.sign(np.round(ends, 9)) == want if want != 0 else np.zeros(len(ends), dtype=bool)
        table.append({
            "partner": partner, "events": int(mine["event_id"].nunique()),
            "change": round(change, 2), "direction": _direction(change),
            "holds": int(holds.sum()), "variants": len(all_variants),
            "low": round(float(ends.min()), 2), "high": round(float(ends.max()), 2),
            "robust": bool(want != 0 and holds.all()),
            "fails_when": _fails_when(ds, all_variants, holds) if want != 0 else "",
            "driven_by": _drivers(ds, mine, last, options.half_life_months, first),
        })
    envelope = (pd.concat(envelopes, ignore_index=True) if envelopes
                else pd.DataFrame(columns=["partner", "date", "low", "high"]))
    return envelope, pd.DataFrame(table, columns=["partner", "events", "change", "direction", "holds", "variants", "low",
                                                  "high", "robust", "fails_when", "driven_by"])


def _fails_when(ds: Dataset, all_variants: list[Variant], holds: np.ndarray) -> str:
    """Which choices break the direction: a choice (or else a pair of choices) under which it fails in every
    variant; failing that, the choice under which it fails most often."""
    if holds.all():
        return ""
    levels = [v.levels() for v in all_variants]
    fails = ~holds

    def always(combo: tuple[str, ...]) -> bool:
        picked = [i for i, lv in enumerate(levels) if set(combo) <= set(lv)]
        return bool(picked) and bool(fails[picked].all())

    names = sorted({lv for lvs in levels for lv in lvs})
    singles = [(lv,) for lv in names if always((lv,))]
    pairs = [] if singles else [(a, b) for a, b in itertools.combinations(names, 2)
                                 if a.split("=")[0] != b.split("=")[0] and always((a, b))]
    found = singles or pairs
    if found:
        covered = [i for i, lvs in enumerate(levels) if any(set(combo) <= set(lvs) for combo in found)]
        rest = int(fails.sum()) - len(covered)
        text = "always with " + " or with ".join(" and ".join(_level_label(ds, lv) for lv in combo) for combo in found)
        return text + (f"; also in {rest} other variant{'s' if rest != 1 else ''}" if rest else "")
    rate = {lv: (fails[[i for i, lvs in enumerate(levels) if lv in lvs]].mean()) for lv in names}
    worst = max(names, key=lambda lv: (rate[lv], lv))
    n = sum(1 for lvs in levels if worst in lvs)
    return f"in {round(rate[worst] * n)} of {n} variants with {_level_label(ds, worst)}"


def _signed(value: float) -> str:
    return "0" if abs(value) < 0.05 else f"{value:+.1f}"


def robustness_table(ds: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """The robustness table as a reader sees it."""
    out = pd.DataFrame({
        "partner": table["partner"],
        "events": table["events"],
        "change over the period": [f"{_signed(c)} ({d})" for c, d in zip(table["change"], table["direction"], strict=True)],
        "same direction in": [f"{h} of {n} variants" for h, n in zip(table["holds"], table["variants"], strict=True)],
        "range across variants": [f"{_signed(lo)} to {_signed(hi)}" for lo, hi in zip(table["low"], table["high"], strict=True)],
        "robust": ["yes" if r else "no" for r in table["robust"]],
        "direction fails": [f or "never" for f in table["fails_when"]],
        "largest contributions": table["driven_by"],
    })
    return out


# --- What the page says about the chart ------------------------------------------------------------------------

def chart_events(ds: Dataset, options: Options, partners: tuple[str, ...], first: dt.date, last: dt.date) -> list[str]:
    """The events drawn on the chart for a view, in date order: those counted, and the non-state acts left out."""
    rows = pd.concat([contributions(ds, options), non_state_left_out(ds, options)])
    rows = in_period(rows[rows["partner"].isin(partners)], first, last).sort_values(["mid", "event_id"], kind="stable")
    return list(dict.fromkeys(rows["event_id"]))


def robustness_summary(table: pd.DataFrame) -> str:
    """One sentence: which lines keep their direction under every variant, and which do not."""
    if table is None or table.empty:
        return ""
    held = [p for p, r in zip(table["partner"], table["robust"], strict=True) if r]
    weak = [f"{p} ({h} of {n})" for p, r, h, n, d in zip(table["partner"], table["robust"], table["holds"],
                                                          table["variants"], table["direction"], strict=True)
            if not r and d != "no change"]
    parts = []
    if held:
        parts.append(f"Direction over the period holds under all {int(table['variants'].iloc[0])} variants: {', '.join(held)}.")
    if weak:
        parts.append(f"Not robust: {', '.join(weak)} (see Robustness below).")
    return " ".join(parts)


def chart_caption(ds: Dataset, shown: pd.DataFrame, options: Options, partners: tuple[str, ...], first: dt.date,
                  last: dt.date, robust: pd.DataFrame | None) -> str:
    """What the chart shows, in words, under it."""
    rows = contributions(ds, options)
    earlier = before(rows[rows["partner"].isin(partners)], first)
    out = in_period(non_state_left_out(ds, options), first, last)
    out = out[out["partner"].isin(partners)]
    n = shown["event_id"].nunique()
    text = [f"{n} coded event{'s' if n != 1 else ''} behind these lines. The index starts at 0 in {first:%b %Y}"]
    if not earlier.empty:
        k = earlier["event_id"].nunique()
        text[-1] += (f"; {k} earlier coded event{'s are' if k != 1 else ' is'} context, named at the left edge and "
                     "not counted")
    text[-1] += "."
    if not out.empty:
        text.append(f"{out['event_id'].nunique()} act(s) by non-state actors are drawn hollow and not counted "
                    "(Options: count them).")
    elif options.include_non_state and shown["non_state"].any():
        text.append("Acts by non-state actors (hollow markers) are counted, as the options ask.")
    text.append("Marker shape shows the source; dotted whiskers span a date known only to the month, quarter or year; "
                "the pale band is each line's range over every variant of the method.")
    summary = robustness_summary(robust) if robust is not None else ""
    if summary:
        text.append(summary)
    text.append("Text alternative: the table under ‘Data’ below.")
    return " ".join(text)


ROBUSTNESS_TEXT = (
    "Each line is recomputed under every reasonable variant of the method: Goldstein or equal weights; no fading or a "
    "half-life of 6, 12 or 24 months; with and without third-party accounts; with and without acts by non-state actors; "
    "and with every source, or each source left out in turn — {n} variants in all, each starting at 0 at the start of "
    "the period. The pale band on the chart spans their lowest and highest value at each moment. The table says whether "
    "the direction of change over the period (the sign of the value at its end) under the chosen options holds under "
    "every variant, which choice makes it fail, and which events move the line most."
)

FORMULA_TEXT = (
    "**Formula.** Each coded event contributes *d × w* to its partner's index: *d* is +1 when the event moves {subject} "
    "toward the partner and −1 when away; *w* is the size of the Goldstein score (−10 to +10, from the GDELT CAMEO "
    "table) of the event's CAMEO code, or 1 with equal weights. The index is the running sum of the contributions of "
    "the events placed from the start of the shown period on: it is 0 at the start of the period (the `from` month), "
    "and events before it are context, named on the chart but not counted. With a half-life *h*, each contribution is "
    "multiplied by 0.5^(age/*h*). An event is placed in the middle of the interval its date denotes. Acts by non-state "
    "actors (protesters, opposition parties; `non_state` in the data) are left out of this state-level index unless "
    "the options count them; they are drawn as hollow markers either way. By default the chart shows at most four "
    "partners: those with most coded events."
)


LITTLE_CHANGE = 1.0  # an index change smaller than this over the period (one equal-weight event) reads as "little change"


@dataclass(frozen=True)
class Move:
    """Where a partner's line went over the shown period, and the event that moved it most."""

    partner: str
    net: float  # the index at the end of the period (it starts at 0)
    arrow: str  # ↑ toward, ↓ away, → little change
    direction: str  # "toward", "away" or "little change"
    events: int
    event_id: str | None  # the event with the largest effect on the value at the end of the period
    contribution: float


def period_moves(rows: pd.DataFrame, partners: tuple[str, ...], first: dt.date, last: dt.date,
                 half_life_months: float | None = None) -> list[Move]:
    """One line per partner for the shown period: its net movement (↑ toward, ↓ away, → when smaller than LITTLE_CHANGE)
    and the event that moved it most, from the rows the chart counts (`partner_view`'s first table)."""
    out = []
    t = np.array([_stamp(pd.Timestamp(last))])
    for partner in partners:
        group = rows[rows["partner"] == partner]
        if group.empty:
            out.append(Move(partner, 0.0, "→", "little change", 0, None, 0.0))
            continue
        mids = group["mid"].to_numpy(dtype="datetime64[ns]")
        effect = _weights(mids, t, half_life_months, first)[0] * group["contribution"].to_numpy(dtype=float)
        net = float(effect.sum())
        top = max(range(len(group)), key=lambda i: (abs(effect[i]), -i))
        if net >= LITTLE_CHANGE:
            arrow, direction = "↑", "toward"
        elif net <= -LITTLE_CHANGE:
            arrow, direction = "↓", "away"
        else:
            arrow, direction = "→", "little change"
        out.append(Move(partner, round(net, 2), arrow, direction, int(group["event_id"].nunique()),
                        str(group["event_id"].iloc[top]), round(float(effect[top]), 2)))
    return out


def period_moves_for(ds: Dataset, options: Options, partners: tuple[str, ...], first: dt.date, last: dt.date) -> list[Move]:
    """period_moves for a view given as plain values (hashable, so a page computes it once per view)."""
    return period_moves(partner_view(ds, options, partners, first, last)[0], partners, first, last, options.half_life_months)

"""The alignment index: Armenia's movement toward or away from each partner, summed from coded events.

Each alignment coding of an event contributes  d × w,  where d = +1 when the event moves Armenia
toward the partner and −1 when away, and w is the magnitude of the Goldstein score of its CAMEO code
(or 1 with equal weights). The index of a partner at time t is the running sum of the contributions
of its events up to t; with a half-life h, each contribution is multiplied by 0.5^((t − tᵢ)/h).
An event is placed at the middle of the interval its date denotes (a month-precision event in the
middle of its month), and the interval is kept so charts can draw it instead of a false day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.load import Dataset
from atlas.model import Event

WEIGHTS = {"goldstein": "Goldstein scores", "equal": "Equal weights"}
COLUMNS = ["event_id", "partner", "title", "date_text", "date_label", "precision", "start", "end", "mid", "cameo",
           "cameo_label", "goldstein", "direction", "contribution", "rationale", "source_id", "sources", "reported_by"]


@dataclass(frozen=True)
class Options:
    weights: str = "goldstein"
    half_life_months: float | None = None  # None: no decay
    include_reported: bool = True  # events one side reports about another
    sources: frozenset[str] | None = None  # None: every source


def _mid(start: dt.date, end: dt.date) -> pd.Timestamp:
    return pd.Timestamp(start) + (pd.Timestamp(end) - pd.Timestamp(start)) / 2


def contributions(ds: Dataset, options: Options = Options()) -> pd.DataFrame:
    """One row per (event, partner) coding that the options admit, in date order."""
    rows = []
    for event in ds.of_kind("event"):
        assert isinstance(event, Event)
        if not event.alignment or (event.reported_by and not options.include_reported):
            continue
        cited = [c.source for c in event.citations]
        if options.sources is not None and not set(cited) & options.sources:
            continue
        start, end = event.date.start, event.date.end
        for coding in event.alignment:
            label, goldstein = ds.cameo.get(coding.cameo, ("unknown code", 0.0))
            weight = abs(goldstein) if options.weights == "goldstein" else 1.0
            sign = 1 if coding.direction == "toward" else -1
            rows.append({
                "event_id": event.id, "partner": coding.partner, "title": event.title, "date_text": event.date.text,
                "date_label": event.date.label(), "precision": event.date.precision, "start": pd.Timestamp(start),
                "end": pd.Timestamp(end), "mid": _mid(start, end), "cameo": coding.cameo, "cameo_label": label,
                "goldstein": goldstein, "direction": coding.direction, "contribution": sign * weight,
                "rationale": coding.rationale, "source_id": cited[0], "sources": ", ".join(dict.fromkeys(cited)),
                "reported_by": event.reported_by or "",
            })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["mid", "event_id"], kind="stable").reset_index(drop=True)


def _values(rows: pd.DataFrame, times, half_life_months: float | None) -> np.ndarray:
    """The index of `rows` (one partner) at each of `times`, vectorised: a cumulative sum looked up by time,
    or, with decay, a matrix of ages weighting every contribution."""
    mids = rows["mid"].to_numpy(dtype="datetime64[ns]")
    contrib = rows["contribution"].to_numpy(dtype=float)
    t = np.asarray(pd.DatetimeIndex(times).to_numpy(dtype="datetime64[ns]"))
    if len(mids) == 0:
        return np.zeros(len(t))
    if not half_life_months:
        order = np.argsort(mids, kind="stable")
        sums = np.cumsum(contrib[order])
        idx = np.searchsorted(mids[order], t, side="right")
        return np.where(idx > 0, sums[np.maximum(idx - 1, 0)], 0.0)
    age_months = (t[:, None] - mids[None, :]) / np.timedelta64(1, "D") / 30.4375
    weights = np.where(age_months >= 0, 0.5 ** (np.maximum(age_months, 0) / half_life_months), 0.0)
    return weights @ contrib


def value_at(rows: pd.DataFrame, when: pd.Timestamp, half_life_months: float | None = None) -> float:
    """The index of the rows (one partner) at a moment: contributions up to it, decayed if asked."""
    return float(_values(rows, [when], half_life_months)[0])


def series(rows: pd.DataFrame, first: dt.date, last: dt.date, half_life_months: float | None = None) -> pd.DataFrame:
    """The index of each partner over [first, last]: a point at each event and at the edges (and every
    fortnight with decay, so the curve shows the fading). Columns: partner, date, index."""
    frames = []
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    grid = pd.date_range(lo, hi, freq="14D") if half_life_months else pd.DatetimeIndex([])
    for partner, group in rows.groupby("partner", sort=True):
        times = sorted({lo, hi, *[t for t in group["mid"] if lo <= t <= hi], *grid})
        frames.append(pd.DataFrame({"partner": partner, "date": times, "index": _values(group, times, half_life_months)}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["partner", "date", "index"])


def marker_values(rows: pd.DataFrame, half_life_months: float | None = None) -> pd.Series:
    """The index of each row's partner just after the row's event (where its marker sits)."""
    out = pd.Series(0.0, index=rows.index, dtype=float)
    for _, group in rows.groupby("partner", sort=False):
        out[group.index] = _values(group, group["mid"], half_life_months)
    return out


def quarterly(rows: pd.DataFrame) -> pd.DataFrame:
    """Net signal per partner and quarter, with the events behind each cell: partner, quarter, net, events."""
    if rows.empty:
        return pd.DataFrame(columns=["partner", "quarter", "net", "events"])
    q = rows.assign(quarter=rows["mid"].dt.to_period("Q").astype(str))
    return (q.groupby(["partner", "quarter"], sort=True)
             .agg(net=("contribution", "sum"), events=("title", lambda t: list(t)))
             .reset_index())


DATA_COLUMNS = {"date_label": "date", "partner": "partner", "direction": "direction", "contribution": "contribution",
                "cameo": "cameo", "cameo_label": "cameo_label", "title": "title", "sources": "sources", "reported_by": "reported_by"}


def data_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows behind the chart as a reader sees them: one per event and partner, contributions rounded."""
    out = rows[list(DATA_COLUMNS)].rename(columns=DATA_COLUMNS)
    return out.assign(contribution=out["contribution"].round(2))


def rows_and_defaults(ds: Dataset, options: Options) -> tuple[pd.DataFrame, list[str]]:
    """The index's contribution rows for these options, and the partners drawn by default."""
    rows = contributions(ds, options)
    return rows, default_partners(rows)


def partner_view(ds: Dataset, options: Options, partners: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What the page shows for some partners: (their contribution rows, counts per partner, the data table)."""
    rows = contributions(ds, options)
    shown = rows[rows["partner"].isin(partners)]
    return shown, counts(shown), data_table(shown)


def table_csv(ds: Dataset, options: Options, partners: tuple[str, ...]) -> bytes:
    """The chart's data table as a CSV download, prepared before the click."""
    from atlas.export import frame_csv  # every CSV the Atlas writes neutralises formula-leading cells

    return frame_csv(partner_view(ds, options, partners)[2]).encode("utf-8")


def counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Events per partner, how many move Armenia toward or away, and the net contribution (rounded)."""
    if rows.empty:
        return pd.DataFrame(columns=["partner", "events", "toward", "away", "net"])
    flags = rows.assign(toward=(rows["direction"] == "toward").astype(int), away=(rows["direction"] == "away").astype(int))
    return (flags.groupby("partner")
                 .agg(events=("event_id", "nunique"), toward=("toward", "sum"), away=("away", "sum"), net=("contribution", "sum"))
                 .reset_index().sort_values("events", ascending=False, kind="stable").round({"net": 2}))


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


def default_partners(rows: pd.DataFrame, minimum: int = 2) -> list[str]:
    """Partners with at least `minimum` coded events, most evidence first."""
    c = counts(rows)
    return list(c[c["events"] >= minimum]["partner"]) if not c.empty else []

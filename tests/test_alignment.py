"""The alignment index on small, hand-computed cases."""
import datetime as dt

import pandas as pd
import pytest

from atlas.analysis import alignment
from atlas.analysis.alignment import Options
from atlas.core.load import load_or_raise
from tests.conftest import minimal_records, shipped, write_corpus


def event(eid, date, codings, source="mini", reported_by=None, quote="The road near Alpha was closed"):
    e = {"id": eid, "title": eid, "summary": "s", "date": date, "date_basis": "stated", "actors": ["Armenia"],
         "alignment": [{"partner": p, "cameo": c, "direction": d, "rationale": "r"} for p, c, d in codings],
         "citations": [{"source": source, "quote": quote}]}
    if reported_by:
        e["reported_by"] = reported_by
    return e


@pytest.fixture
def ds(tmp_path):
    recs = minimal_records()
    recs["events"] = [
        # 057 sign formal agreement: Goldstein +8.0; 194 fight with artillery: -10.0; 161 reduce relations: -4.0
        event("a", "2021-01-01", [("Russia", "057", "toward")]),
        event("b", "2021-07-01", [("Russia", "161", "away"), ("US", "057", "toward")]),
        event("c", "2022-03", [("Russia", "194", "away")], reported_by="Someone"),
        event("d", "2022", [("US", "161", "away")], quote="Observers in Alpha counted trucks."),
    ]
    return load_or_raise(write_corpus(tmp_path / "data", records=recs))


def test_signs_and_goldstein_magnitudes(ds):
    rows = alignment.contributions(ds)
    got = {(r.event_id, r.partner): r.contribution for r in rows.itertuples()}
    # toward adds |g|, away subtracts |g|, whatever the sign of the Goldstein score itself
    assert got == {("a", "Russia"): 8.0, ("b", "Russia"): -4.0, ("b", "US"): 8.0, ("c", "Russia"): -10.0, ("d", "US"): -4.0}


def test_running_sum(ds):
    rows = alignment.contributions(ds)
    russia = rows[rows.partner == "Russia"]
    assert alignment.value_at(russia, pd.Timestamp("2020-12-31")) == 0.0
    assert alignment.value_at(russia, pd.Timestamp("2021-03-01")) == 8.0
    assert alignment.value_at(russia, pd.Timestamp("2021-08-01")) == 4.0
    assert alignment.value_at(russia, pd.Timestamp("2023-01-01")) == -6.0


def test_equal_weights(ds):
    rows = alignment.contributions(ds, Options(weights="equal"))
    russia = rows[rows.partner == "Russia"]
    assert list(russia.contribution) == [1.0, -1.0, -1.0]
    assert alignment.value_at(russia, pd.Timestamp("2023-01-01")) == -1.0


def test_decay_halves_after_one_half_life(ds):
    rows = alignment.contributions(ds)
    a = rows[rows.event_id == "a"]
    twelve_months_later = pd.Timestamp("2021-01-01") + pd.Timedelta(days=365.25)
    assert alignment.value_at(a, twelve_months_later, half_life_months=12) == pytest.approx(4.0, rel=1e-3)
    assert alignment.value_at(a, twelve_months_later, half_life_months=None) == 8.0


def test_coarse_dates_sit_mid_interval_and_keep_their_interval(ds):
    rows = alignment.contributions(ds).set_index("event_id")
    c, d = rows.loc["c"], rows.loc["d"]
    assert (c.start, c.end, c.precision) == (pd.Timestamp("2022-03-01"), pd.Timestamp("2022-03-31"), "month")
    assert c.mid == pd.Timestamp("2022-03-16")
    assert (d.start, d.end) == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31")) and d.mid == pd.Timestamp("2022-07-02")


def test_excluding_third_party_accounts(ds):
    rows = alignment.contributions(ds, Options(include_reported=False))
    assert "c" not in set(rows.event_id)


def test_source_filter(ds):
    assert alignment.contributions(ds, Options(sources=frozenset())).empty
    assert len(alignment.contributions(ds, Options(sources=frozenset({"mini"})))) == 5


def test_series_steps_at_events_and_spans_the_window(ds):
    s = alignment.series(alignment.contributions(ds), dt.date(2020, 1, 1), dt.date(2023, 12, 31))
    russia = s[s.partner == "Russia"].set_index("date")["index"]
    assert russia.iloc[0] == 0.0 and russia.iloc[-1] == -6.0
    assert russia[pd.Timestamp("2021-07-01")] == 4.0


def test_quarterly_net_lists_its_events(ds):
    q = alignment.quarterly(alignment.contributions(ds)).set_index(["partner", "quarter"])
    assert q.loc[("Russia", "2021Q3"), "net"] == -4.0 and q.loc[("Russia", "2021Q3"), "events"] == ["b"]
    assert q.loc[("US", "2022Q3"), "events"] == ["d"]  # a year-precision event sits mid-year


def test_counts_per_partner(ds):
    c = alignment.counts(alignment.contributions(ds)).set_index("partner")
    assert (c.loc["Russia", "events"], c.loc["Russia", "toward"], c.loc["Russia", "away"]) == (3, 1, 2)


@shipped
def test_shipped_data_index_moves_away_from_russia_and_csto_by_2023():
    ds = load_or_raise()
    rows = alignment.contributions(ds)
    end = pd.Timestamp("2023-12-31")
    assert alignment.value_at(rows[rows.partner == "CSTO"], end) < 0
    assert alignment.value_at(rows[rows.partner == "US"], end) > 0

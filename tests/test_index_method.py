"""The index says only what its method supports: the baseline at the period's start, non-state acts left out by
default, the robustness envelope and table — on small corpora whose answers are computed by hand in the comments."""
import datetime as dt
import hashlib

import pandas as pd
import pytest
import yaml

from atlas.analysis import alignment
from atlas.analysis.alignment import Options
from atlas.core.load import load_or_raise
from atlas.views import charts
from atlas.views.render import esc
from atlas.views.viewstate import AlignmentsState
from tests.conftest import minimal_records, shipped, write_corpus

FIRST, LAST = dt.date(2020, 1, 1), dt.date(2023, 12, 31)
OTHER_TEXT = "A second account.\n\nProtesters marched against the alliance in the capital.\n"


def event(eid, date, codings, source="mini", quote="The road near Alpha was closed", reported_by=None):
    e = {"id": eid, "title": eid, "summary": "s", "date": date, "date_basis": "stated", "actors": ["Armenia"],
         "alignment": [{"partner": p, "cameo": c, "direction": d, "rationale": "r", **({"non_state": True} if ns else {})}
                       for p, c, d, ns in codings],
         "citations": [{"source": source, "quote": quote}]}
    if reported_by:
        e["reported_by"] = reported_by
    return e


def two_source_corpus(root, events):
    """The conftest corpus plus a second source, 'other', so that leaving a source out changes something."""
    recs = minimal_records()
    recs["events"] = events
    write_corpus(root, records=recs)
    raw = OTHER_TEXT.encode("utf-8")
    (root / "sources" / "other.txt").write_bytes(raw)
    catalogue = yaml.safe_load((root / "sources.yaml").read_text(encoding="utf-8"))
    catalogue.append({**catalogue[0], "id": "other", "title": "Other", "sha256": hashlib.sha256(raw).hexdigest()})
    (root / "sources.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")
    return load_or_raise(root)


RALLY = "Protesters marched against the alliance"


@pytest.fixture
def ds(tmp_path):
    # Goldstein: 057 sign formal agreement +8.0; 161 reduce relations -4.0; 194 fight with artillery -10.0;
    # 1412 demonstrate for policy change -6.5.
    return two_source_corpus(tmp_path / "data", [
        event("old", "2019-06-01", [("Russia", "057", "toward", False)]),           # before the period: +8, not counted
        event("a", "2021-01-01", [("Russia", "057", "toward", False)]),             # +8
        event("b", "2021-07-01", [("Russia", "161", "away", False), ("US", "057", "toward", False)]),  # -4; US +8
        event("rally", "2022-02-01", [("Russia", "1412", "away", True)], source="other", quote=RALLY),  # -6.5, non-state
        event("c", "2022-03", [("Russia", "194", "away", False)], reported_by="Someone"),  # -10, mid 16 Mar 2022
    ])


# --- The baseline ------------------------------------------------------------------------------------------------

def test_the_index_is_zero_at_the_start_of_the_period_and_earlier_events_are_not_counted(ds):
    rows = alignment.contributions(ds)
    s = alignment.series(rows, FIRST, LAST)
    russia = s[s.partner == "Russia"].set_index("date")["index"]
    # without a baseline the 2019 event would lift everything by 8: 8+8-4-10 = 2 at the end; from 2020 it is 8-4-10 = -6
    assert russia.iloc[0] == 0.0
    assert russia[pd.Timestamp("2021-01-01")] == 8.0
    assert russia.iloc[-1] == -6.0
    assert list(alignment.before(rows[rows.partner == "Russia"], FIRST)["event_id"]) == ["old"]


def test_a_later_start_moves_the_baseline(ds):
    rows = alignment.contributions(ds)
    s = alignment.series(rows, dt.date(2021, 6, 1), LAST)
    russia = s[s.partner == "Russia"]["index"]
    assert russia.iloc[0] == 0.0 and russia.iloc[-1] == -14.0  # b -4 and c -10; a (Jan 2021) is now context
    assert alignment.value_at(rows[rows.partner == "Russia"], pd.Timestamp(LAST), start=dt.date(2021, 6, 1)) == -14.0


def test_marker_values_count_from_the_start(ds):
    rows = alignment.contributions(ds)
    values = alignment.marker_values(rows, start=FIRST)
    by_event = {(r.event_id, r.partner): values[r.Index] for r in rows.itertuples()}
    assert by_event[("a", "Russia")] == 8.0 and by_event[("b", "Russia")] == 4.0 and by_event[("c", "Russia")] == -6.0


def test_the_chart_names_earlier_events_at_its_left_edge(ds):
    fig = charts.alignment_figure(ds, alignment.contributions(ds), ["Russia"], FIRST, LAST, Options(), envelope=False)
    notes = [a for a in fig.layout.annotations if a.text.startswith("◂ before Jan 2020")]
    assert len(notes) == 1 and "Russia: 1 event, net +8.0" in notes[0].text and "old" in notes[0].hovertext
    line = next(t for t in fig.data if t.name == "Russia")
    assert line.y[0] == 0.0 and line.y[-1] == -6.0


def test_the_heatmap_has_every_quarter_of_the_period_and_nothing_before(ds):
    fig = charts.heatmap_figure(ds, alignment.contributions(ds), ["Russia", "US"], FIRST, LAST)
    heat = fig.data[0]
    assert list(heat.x) == [f"{y} Q{q}" for y in range(2020, 2024) for q in range(1, 5)]  # 16 quarters, empty included
    z = dict(zip(heat.x, heat.z[0], strict=True))
    assert z["2021 Q1"] == 8.0 and z["2021 Q3"] == -4.0 and z["2022 Q1"] == -10.0 and z["2020 Q1"] is None


# --- Non-state acts ----------------------------------------------------------------------------------------------

def test_non_state_acts_are_left_out_by_default_and_counted_on_request(ds):
    default = alignment.contributions(ds)
    assert "rally" not in set(default.event_id)
    counted = alignment.contributions(ds, Options(include_non_state=True))
    russia = counted[counted.partner == "Russia"]
    assert alignment.value_at(russia, pd.Timestamp(LAST), start=FIRST) == -12.5  # 8 - 4 - 6.5 - 10
    assert list(alignment.non_state_left_out(ds, Options())["event_id"]) == ["rally"]
    assert alignment.non_state_left_out(ds, Options(include_non_state=True)).empty


def test_a_left_out_non_state_act_is_drawn_hollow_where_the_line_stands(ds):
    fig = charts.alignment_figure(ds, alignment.contributions(ds), ["Russia"], FIRST, LAST, Options(), envelope=False)
    hollow = next(t for t in fig.data if t.name == "Russia non-state acts (not counted)")
    assert list(hollow.customdata[:, 0]) == ["rally"]
    assert list(hollow.y) == [4.0]  # after a (+8) and b (-4); the rally itself does not move the line
    assert hollow.marker.symbol[0].endswith("-open")
    assert "not counted" in hollow.hovertext[0]
    assert any(t.name == "Non-state act: not counted" for t in fig.data)


def test_a_counted_non_state_act_is_still_marked(ds):
    opts = Options(include_non_state=True)
    fig = charts.alignment_figure(ds, alignment.contributions(ds, opts), ["Russia"], FIRST, LAST, opts, envelope=False)
    points = next(t for t in fig.data if t.name == "Russia events")
    i = list(points.customdata[:, 0]).index("rally")
    assert points.marker.symbol[i].endswith("-open") and points.y[i] == -2.5  # 8 - 4 - 6.5
    assert "counted" in points.hovertext[i]


def test_the_url_switches_non_state_acts_and_the_band(ds):
    months = ["2022-01", "2022-02"]
    parsed, notices = AlignmentsState.parse({"nonstate": "1", "envelope": "0"}, ds, months, ["Russia"], ["Russia", "US"])
    assert parsed.nonstate is True and parsed.envelope is False and not notices
    assert parsed.serialise() == {"nonstate": "1", "envelope": "0"}
    default, _ = AlignmentsState.parse({}, ds, months, ["Russia"], ["Russia", "US"])
    assert default.nonstate is False and default.envelope is True and default.serialise() == {}
    bad, notices = AlignmentsState.parse({"nonstate": "yes", "envelope": "x"}, ds, months, ["Russia"], ["Russia", "US"])
    assert len(notices) == 2 and bad == default


# --- Robustness --------------------------------------------------------------------------------------------------

@pytest.fixture
def small(tmp_path):
    """Russia: a (+8 / +1 equal, source mini, 1 Jan 2021) and a non-state rally (-6.5 / -1, source other, 1 Feb 2022)."""
    return two_source_corpus(tmp_path / "data", [
        event("a", "2021-01-01", [("Russia", "057", "toward", False)]),
        event("rally", "2022-02-01", [("Russia", "1412", "away", True)], source="other", quote=RALLY),
    ])


def test_there_is_one_variant_per_combination_of_choices(small):
    # 2 weights x 4 half-lives x 2 (third-party accounts) x 2 (non-state acts) x (every source + each of 2 left out)
    assert len(alignment.variants(small)) == 2 * 4 * 2 * 2 * 3 == 96


def test_the_envelope_spans_the_lowest_and_highest_variant(small):
    envelope, _ = alignment.robustness(small, ("Russia",), FIRST, LAST)
    env = envelope.set_index("date")
    # before a: nothing has happened under any variant
    assert (env.loc[pd.Timestamp("2020-01-01"), "low"], env.loc[pd.Timestamp("2020-01-01"), "high"]) == (0.0, 0.0)
    # between a and the rally: highest +8 (Goldstein, no fading), lowest 0 (source mini left out: nothing left)
    mid = env[(env.index > pd.Timestamp("2021-01-02")) & (env.index < pd.Timestamp("2022-01-31"))]
    assert mid["high"].max() == 8.0 and mid["low"].min() == 0.0
    # at the end: highest +8 (the rally left out, by dropping non-state acts or source other), lowest -6.5 (source mini
    # left out, non-state acts counted, Goldstein, no fading); fading only shrinks contributions, never beyond these
    end = env.loc[pd.Timestamp(LAST)]
    assert (end["low"], end["high"]) == (-6.5, 8.0)


def test_the_direction_table_counts_the_variants_that_keep_the_direction(small):
    _, table = alignment.robustness(small, ("Russia",), FIRST, LAST)
    row = table.iloc[0]
    # shown options (Goldstein, no fading, non-state left out): +8, toward. It fails (sign not +) in:
    #   every variant leaving out source mini (only the rally, -6.5 x decay, or nothing): 2 x 4 x 2 x 2 = 32;
    #   equal weights with the rally counted and every source: +1 - 1 = 0 without fading, and with fading the older
    #   +1 decays more than the newer -1, so negative: 4 half-lives x 2 = 8;
    #   Goldstein with the rally counted and every source, with fading: 8 x 0.5^(35.9/h) < 6.5 x 0.5^(22.9/h) for
    #   h = 6 (0.13 < 0.46), 12 (1.00 < 1.73) and 24 (2.84 < 3.36): 3 x 2 = 6.
    # 32 + 8 + 6 = 46 fail, so it holds in 96 - 46 = 50.
    assert (row["change"], row["direction"], row["holds"], row["variants"], row["robust"]) == (8.0, "toward", 50, 96, False)
    assert (row["low"], row["high"]) == (-6.5, 8.0)
    assert row["fails_when"] == "always with Mini left out; also in 14 other variants"
    assert row["driven_by"] == "a (+8.0)"


def test_a_line_that_survives_every_variant_is_robust(small):
    _, table = alignment.robustness(small, ("Russia",), dt.date(2020, 1, 1), dt.date(2021, 6, 30))
    row = table.iloc[0]  # only a (+8, source mini) in the period: leaving mini out gives 0, so it is not robust either
    assert row["holds"] == 96 - 32 and row["fails_when"] == "always with Mini left out"


@shipped
def test_the_vectorised_envelope_matches_a_variant_by_variant_computation():
    ds = load_or_raise()
    partners = ("Russia", "CSTO", "Azerbaijan")
    envelope, table = alignment.robustness(ds, partners, FIRST, LAST)
    every = set(ds.sources)
    for partner in partners:
        ends = []
        for v in alignment.variants(ds):
            opts = Options(v.weights, v.half_life_months, v.include_reported, every - {v.left_out} if v.left_out else None,
                           v.include_non_state)
            rows = alignment.contributions(ds, opts)
            ends.append(alignment.value_at(rows[rows.partner == partner], pd.Timestamp(LAST), v.half_life_months, FIRST))
        last = envelope[(envelope.partner == partner) & (envelope.date == pd.Timestamp(LAST))].iloc[0]
        assert last["low"] == pytest.approx(min(ends)) and last["high"] == pytest.approx(max(ends))
        row = table[table.partner == partner].iloc[0]
        sign = 1 if row["change"] > 0 else -1
        assert row["holds"] == sum(1 for e in ends if round(e, 9) * sign > 0)


def test_the_chart_draws_the_band_behind_each_partner_in_its_own_panel(small):
    fig = charts.alignment_figure(small, alignment.contributions(small), ["Russia"], FIRST, LAST, Options())
    band = next(t for t in fig.data if t.name == "Russia range over variants")
    assert band.fill == "toself" and band.line.width == 0 and max(band.y) == 8.0 and min(band.y) == -6.5
    assert fig.data.index(band) < fig.data.index(next(t for t in fig.data if t.name == "Russia"))  # drawn underneath
    assert "holds in only 50 of 96 variants" in fig.layout.annotations[0].text


# --- Readable defaults -------------------------------------------------------------------------------------------

def test_at_most_four_partners_by_default_most_evidence_first(tmp_path):
    codings = {"Russia": 5, "US": 4, "EU": 3, "CSTO": 3, "India": 2, "UK": 1}
    events = [event(f"{p.lower()}-{i}", f"2021-0{i + 1}-01", [(p, "042", "toward", False)])
              for p, n in codings.items() for i in range(n)]
    events.append(event("csto-big", "2021-09-01", [("CSTO", "161", "away", False)]))  # CSTO: 4 events now
    ds = two_source_corpus(tmp_path / "data", events)
    _, defaults = alignment.rows_and_defaults(ds, Options())
    # 042 make a visit: Goldstein 1.9. CSTO and US tie at 4 events; CSTO carries more weight (3 x 1.9 + 4.0 = 9.7
    # against 4 x 1.9 = 7.6), so it comes first; EU (3) beats India (2) for the fourth place; UK is left out.
    assert defaults == ["Russia", "CSTO", "US", "EU"]


@shipped
def test_shipped_defaults_have_their_own_hues_and_whole_legend_names():
    ds = load_or_raise()
    _, defaults = alignment.rows_and_defaults(ds, Options())
    assert len(defaults) == 4 and "Russia" in defaults and "CSTO" in defaults
    colours = [charts.partner_style(ds, p) for p in defaults]
    assert len(set(colours)) == 4 and charts.partner_colour(ds, "Russia") != charts.partner_colour(ds, "CSTO")
    fig = charts.period_chart(ds, tuple(defaults), FIRST, LAST, Options())
    names = [t.name.replace("<br>", " ") for t in fig.data if t.showlegend is not False and t.name]
    assert not any("…" in n for n in names)
    for src in ds.sources.values():  # every source title whole in the legend
        assert esc(src.title.strip("[]")) in names


@shipped
def test_the_page_keeps_the_new_options_in_the_url(monkeypatch):
    from tests.test_pages import notices, run_page

    at = run_page("alignments", {"nonstate": "1", "envelope": "0", "partners": "CSTO", "from": "2021-01"},
                  monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    assert at.toggle(key="url:nonstate").value is True and at.toggle(key="url:envelope").value is False
    spec = at.get("plotly_chart")[0].proto.spec
    assert "Non-state act: counted" in spec and "range over variants" not in spec and "since Jan 2021" in spec
    at.toggle(key="url:nonstate").set_value(False).run()
    assert at.query_params.get("nonstate") in ("0", ["0"], None) and at.query_params["from"] in ("2021-01", ["2021-01"])
    default = run_page("alignments", monkeypatch=monkeypatch)
    spec = default.get("plotly_chart")[0].proto.spec
    assert "Non-state act: not counted" in spec and "Russia range over variants" in spec
    assert default.multiselect(key="url:partners").value == ["Russia", "Azerbaijan", "US", "CSTO"]
    assert any("Robustness" in h.value for h in default.header)

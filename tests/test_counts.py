"""Counts where people decide: events per month under the map's slider, and where the shown period moved each partner."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from atlas.analysis import alignment, explore
from atlas.core import geo
from atlas.core.load import load_or_raise
from atlas.views import links, render
from tests.conftest import shipped

pytestmark = shipped  # counts the shipped corpus's events and codings


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


def test_events_per_month_counts_each_event_at_the_middle_of_its_date(ds):
    per = explore.events_per_month(ds)
    assert list(per) == geo.period_months(ds)
    inside = 0
    for e in ds.of_kind("event"):
        mid = (e.date.start + (e.date.end - e.date.start) / 2).strftime("%Y-%m")
        inside += mid in per
    assert sum(per.values()) == inside > 0
    sept = [e for e in ds.of_kind("event") if e.date.precision == "day" and e.date.text.startswith("2022-09")]
    assert per["2022-09"] >= len(sept)


def test_the_histogram_has_a_bar_per_month_and_marks_the_current_one(ds):
    per = explore.events_per_month(ds)
    html = render.month_histogram(per, "2022-09")
    assert html.count("<span ") == len(per) and html.count('class="atlas-hist-now"') == 1
    assert html.count('class="atlas-hist-past"') == geo.period_months(ds).index("2022-09")
    assert f"Sep 2022: {per['2022-09']} event" in html
    so_far = sum(n for m, n in per.items() if m <= "2022-09")
    assert f"{so_far} of {sum(per.values())} by Sep 2022" in html
    top = max(per, key=per.get)
    assert re.search(rf'height:100%" title="{re.escape(geo.month_label(top))}:', html)


def test_each_partner_gets_an_arrow_for_the_period_and_the_event_that_moved_it_most(ds):
    options = alignment.Options()
    first, last = dt.date(2020, 1, 1), dt.date(2023, 12, 31)
    partners = ("Russia", "CSTO", "US")
    rows = alignment.partner_view(ds, options, partners, first, last)[0]
    moves = alignment.period_moves(rows, partners, first, last)
    assert [m.partner for m in moves] == list(partners)
    for m in moves:
        group = rows[rows["partner"] == m.partner]
        assert m.net == pytest.approx(group["contribution"].sum(), abs=0.01)
        assert m.arrow == ("↑" if m.net >= 1 else "↓" if m.net <= -1 else "→")
        assert abs(m.contribution) == pytest.approx(group["contribution"].abs().max(), abs=0.01)
        assert m.event_id in set(group["event_id"])
    csto = next(m for m in moves if m.partner == "CSTO")
    assert csto.arrow == "↓" and csto.direction == "away"


def test_a_partner_without_events_in_the_period_has_little_change(ds):
    rows = alignment.partner_view(ds, alignment.Options(), ("CSTO",), dt.date(2020, 1, 1), dt.date(2020, 3, 31))[0]
    assert alignment.period_moves(rows, ("CSTO",), dt.date(2020, 1, 1), dt.date(2020, 3, 31)) == [
        alignment.Move("CSTO", 0.0, "→", "little change", 0, None, 0.0)]


def test_a_small_net_reads_as_little_change():
    rows = pd.DataFrame({"partner": ["X", "X"], "event_id": ["a", "b"], "mid": pd.to_datetime(["2021-01-15", "2021-02-15"]),
                         "contribution": [3.0, -2.5]})
    move = alignment.period_moves(rows, ("X",), dt.date(2021, 1, 1), dt.date(2021, 12, 31))[0]
    assert (move.arrow, move.direction, move.event_id, move.net) == ("→", "little change", "a", 0.5)


def test_the_moves_line_quotes_the_event_and_links_its_highlighted_words(ds):
    options = alignment.Options()
    first, last = dt.date(2020, 1, 1), dt.date(2023, 12, 31)
    moves = alignment.period_moves_for(ds, options, ("CSTO",), first, last)
    html = render.partner_moves(ds, moves, "Jan 2020 – Dec 2023", {"partners": "CSTO", "from": "2020-01"})
    cit = ds.citations_of(moves[0].event_id)[0]
    assert "↓" in html and "<strong>CSTO</strong>" in html
    assert str(render.esc(cit.quote)) in html
    assert str(render.esc(links.quote_href(cit.source_id, cit.passage, cit.quote))) in html
    assert f"/alignments?partners=CSTO&amp;from=2020-01&amp;focus={moves[0].event_id}" in html


def test_the_moves_line_escapes_its_values(ds):
    move = alignment.Move("<b>X</b>", 2.0, "↑", "toward", 1, None, 2.0)
    html = render.partner_moves(ds, [move], "<i>period</i>")
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html and "&lt;i&gt;period" in html

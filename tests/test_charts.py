"""The alignment chart and heatmap: what they draw, and that data text is escaped in hovers."""
import datetime as dt

import pytest

from atlas.analysis import alignment
from atlas.core.load import load_or_raise
from atlas.views import charts
from tests.conftest import shipped

FIRST, LAST = dt.date(2020, 1, 1), dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


@shipped
def test_lines_markers_intervals_and_moments(ds):
    rows = alignment.contributions(ds)
    fig = charts.alignment_figure(ds, rows, ["Russia", "CSTO"], FIRST, LAST, alignment.Options())
    names = [t.name for t in fig.data]
    assert "Russia" in names and "CSTO events" in names and "CSTO date ranges" in names
    markers = next(t for t in fig.data if t.name == "CSTO events")
    assert {c[0] for c in markers.customdata} <= set(rows["event_id"])
    assert fig.layout.yaxis.title.text.startswith("Index")
    assert "running sum" in fig.layout.title.text
    labels = {a.text for a in fig.layout.annotations}
    assert {"2020 ceasefire", "Sept 2022 fighting", "Lachin road closed"} <= labels


@shipped
def test_focus_adds_a_ring(ds):
    rows = alignment.contributions(ds)
    fig = charts.alignment_figure(ds, rows, ["CSTO"], FIRST, LAST, alignment.Options(), focus="csto-exercises-paused-2023")
    assert any(t.name == "selected" for t in fig.data)


@shipped
def test_heatmap_cells_list_their_events(ds):
    rows = alignment.contributions(ds)
    fig = charts.heatmap_figure(ds, rows, ["Russia", "US"])
    cell_text = " ".join(t for row in fig.data[0].text for t in row)
    assert "Trilateral ceasefire statement" in cell_text and fig.data[0].zmid == 0


def test_hover_text_is_escaped(tmp_path):
    from tests.test_render import injected_corpus

    hostile = injected_corpus(tmp_path)
    rows = alignment.contributions(hostile)
    fig = charts.alignment_figure(hostile, rows, ["Russia"], dt.date(2022, 1, 1), dt.date(2022, 12, 31), alignment.Options())
    hover = " ".join(h for t in fig.data if t.hovertext for h in t.hovertext)
    assert "<script>" not in hover and "&lt;script&gt;" in hover


@pytest.mark.parametrize("state,expected", [
    ({"selection": {"points": [{"customdata": ["ev-1"]}]}}, "ev-1"),
    ({"selection": {"points": [{"x": 1}]}}, None), ({"selection": {"points": []}}, None), (None, None),
])
def test_clicked_event(state, expected):
    assert charts.clicked_event(state) == expected

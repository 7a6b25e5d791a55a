"""Months, statuses as of a date, dashes and zoom: the map's pure geography."""
import datetime as dt

import pytest

from atlas.core import geo
from atlas.core.model import Corridor


def test_months_run_from_first_to_last():
    months = geo.months("2020-01", "2023-12")
    assert months[0] == "2020-01" and months[-1] == "2023-12" and len(months) == 48
    assert geo.months("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert geo.month_end("2024-02") == dt.date(2024, 2, 29)
    assert geo.month_label("2022-09") == "Sep 2022"


def corridor(statuses):
    return Corridor.model_validate({"id": "c", "names": {"international": "C"}, "mode": "road", "route": ["a", "b"],
                                    "summary": "s", "statuses": statuses, "citations": [{"source": "s", "quote": "q"}]})


@pytest.mark.parametrize("when,expected", [
    (dt.date(2020, 10, 31), None), (dt.date(2020, 11, 10), "under-peacekeepers"), (dt.date(2022, 12, 11), "under-peacekeepers"),
    (dt.date(2022, 12, 12), "blocked"), (dt.date(2023, 9, 1), "moot"),
])
def test_status_in_force_at_a_date(when, expected):
    c = corridor([{"since": "2020-11-10", "status": "under-peacekeepers", "note": "n"},
                  {"since": "2022-12-12", "status": "blocked", "note": "n"},
                  {"since": "2023-09", "status": "moot", "note": "n"}])
    got = geo.status_at(c, when)
    assert (got.status if got else None) == expected


def test_dashes_cover_about_the_dash_fraction_of_the_line():
    line = [[44.0, 40.0], [46.0, 40.0]]  # about 170 km
    segments = geo.dashes(line, dash_km=10, gap_km=10)
    total = sum(geo.km(s[0], s[-1]) for s in segments)
    assert 7 <= len(segments) <= 10
    assert 0.4 < total / geo.km(*line) < 0.6
    assert segments[0][0] == [44.0, 40.0]  # starts with a dash at the first stop
    assert all(40.0 == p[1] for s in segments for p in s)  # stays on the line


def test_dashes_continue_across_route_stops():
    segments = geo.dashes([[44.0, 40.0], [44.05, 40.0], [44.5, 40.0]], dash_km=10, gap_km=5)
    assert any(len(s) == 3 for s in segments)  # a dash bends through the middle stop


def test_zoom_fits_a_box_and_stays_readable():
    wide, narrow = geo.zoom_for((26, 27, 56, 56)), geo.zoom_for((46.3, 39.5, 46.8, 39.8))
    assert 3.0 <= wide < 5 < narrow <= 9.0


def test_geometry_coords_walks_nested_rings():
    geom = {"type": "MultiPolygon", "coordinates": [[[[45, 40], [46, 40], [46, 41], [45, 40]]]]}
    assert geo.bounds(geo.geometry_coords(geom)) == (45, 40, 46, 41)

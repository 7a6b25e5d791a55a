"""The map that picks a new place's coordinates (atlas.views.pickmap) and the picker's handling of a click (atlas.ui.placepicker)."""
from __future__ import annotations

import json
import re

import pytest

from atlas.core.model import Bounds
from atlas.ui import placepicker
from atlas.views import pickmap
from tests.conftest import shipped

pytestmark = shipped  # the shipped corpus's bounds (25-60°) and places: the grid sizes were measured on them


@pytest.fixture(scope="module")
def ds():
    from atlas.core.load import load_or_raise

    return load_or_raise()


def _selection(layer: str, index: int, obj=None) -> dict:
    return {"selection": {"indices": {layer: [index]}, "objects": {layer: [obj if obj is not None else {}]}}}


def test_the_coarse_grid_covers_the_bounds_in_few_enough_dots(ds):
    bounds = ds.settings.region.bounds
    grid = pickmap.coarse_grid(bounds)
    points = grid.points()
    assert len(points) == len(grid) <= pickmap.MAX_DOTS
    lons, lats = {p[0] for p in points}, {p[1] for p in points}
    assert bounds.west <= min(lons) < bounds.west + grid.step and bounds.east - grid.step < max(lons) <= bounds.east
    assert bounds.south <= min(lats) < bounds.south + grid.step and bounds.north - grid.step < max(lats) <= bounds.north
    assert grid.point(len(grid) - 1) == tuple(points[-1]) and grid.point(len(grid)) is None
    small = pickmap.coarse_grid(Bounds(west=44, south=40, east=46, north=41))
    assert small.step == 0.1 and len(small) == 21 * 11  # a small region keeps the 0.1° grid
    world = pickmap.coarse_grid(Bounds())
    assert len(world) <= pickmap.MAX_DOTS or world.step == pickmap.COARSE_STEPS[-1]


def test_the_fine_grid_is_centred_on_the_click_at_the_fine_step_and_covers_a_coarse_cell(ds):
    bounds = ds.settings.region.bounds
    grid = pickmap.fine_grid(bounds, 44.5123, 40.1811)
    assert grid.step == pickmap.FINE_STEP == 0.005
    middle = grid.point(len(grid) // 2)
    assert middle == (44.51, 40.18)  # the clicked point snapped to the fine step
    span = pickmap.fine_span(bounds)
    assert span >= pickmap.coarse_grid(bounds).step / 2 and span >= pickmap.FINE_SPAN
    assert grid.point(0) == (round(44.51 - span, 4), round(40.18 - span, 4))
    assert len(grid) <= pickmap.MAX_DOTS
    lons = sorted({p[0] for p in grid.points()})
    assert all(abs((b - a) - 0.005) < 1e-9 for a, b in zip(lons, lons[1:], strict=False))


def test_a_click_zooms_then_sets_a_point_inside_the_bounds(ds):
    bounds = ds.settings.region.bounds
    coarse = pickmap.coarse_grid(bounds)
    i = coarse.points().index([45.6, 40.0])
    zoom = pickmap.picked(ds, _selection(pickmap.COARSE_LAYER, i, [45.6, 40.0]))
    assert zoom == pickmap.Pick("zoom", 45.6, 40.0)
    layer = pickmap.fine_layer_id(zoom.lon, zoom.lat)
    fine = pickmap.fine_grid(bounds, zoom.lon, zoom.lat)
    j = fine.points().index([45.655, 39.97])
    point = pickmap.picked(ds, _selection(layer, j))
    assert point == pickmap.Pick("point", 45.655, 39.97) and bounds.contains(point.lon, point.lat)
    # a fine dot past the region's edge is never taken; an unknown layer, an empty or broken selection mean nothing
    edge = pickmap.fine_layer_id(bounds.east, bounds.north)
    assert pickmap.picked(ds, _selection(edge, len(pickmap.fine_grid(bounds, bounds.east, bounds.north)) - 1)) is None
    assert pickmap.picked(ds, _selection("countries", 3)) is None
    assert pickmap.picked(ds, {"selection": {"indices": {}, "objects": {}}}) is None
    assert pickmap.picked(ds, None) is None and pickmap.picked(ds, {"selection": "nope"}) is None


def test_a_click_on_a_known_place_names_it(ds):
    pick = pickmap.picked(ds, _selection(pickmap.PLACES_LAYER, 0, {"id": "yerevan", "position": [44.5136, 40.1811]}))
    assert pick == pickmap.Pick("known", place="yerevan")
    assert pickmap.picked(ds, _selection(pickmap.PLACES_LAYER, 0, {"id": "not-a-place"})) is None


def test_the_decks_draw_the_grid_the_places_and_the_pick_with_nothing_from_another_host(ds):
    coarse = json.loads(pickmap.pick_deck(ds).to_json())
    ids = [layer["id"] for layer in coarse["layers"]]
    assert pickmap.COARSE_LAYER in ids and pickmap.PLACES_LAYER in ids and "pick-place-labels" in ids
    places = next(layer for layer in coarse["layers"] if layer["id"] == pickmap.PLACES_LAYER)
    assert {row["id"] for row in places["data"]} == {p.id for p in ds.of_kind("place")}
    labels = next(layer for layer in coarse["layers"] if layer["id"] == "pick-place-labels")
    assert "Yerevan" in {row["text"] for row in labels["data"]}
    fine = json.loads(pickmap.pick_deck(ds, (45.6, 40.0), (45.655, 39.97)).to_json())
    assert fine["initialViewState"]["zoom"] > 9 and fine["initialViewState"]["longitude"] == 45.6
    grid = next(layer for layer in fine["layers"] if layer["id"] == pickmap.fine_layer_id(45.6, 40.0))
    assert grid["coordinateSystem"] == "lnglat-offsets" and grid["coordinateOrigin"] == [45.6, 40.0]
    chosen = next(layer for layer in fine["layers"] if layer["id"] == "pick-chosen")
    assert chosen["data"] == [{"position": [45.655, 39.97]}]
    for deck in (coarse, fine):
        text = json.dumps(deck)
        assert not re.search(r"(https?:)?//", text), re.findall(r"\S*//\S*", text)[:3]  # no tiles, no data from the internet
        assert deck.get("mapStyle") in (None, "__MAP_STYLE__") or "http" not in str(deck.get("mapStyle"))


def test_a_pick_writes_the_forms_lon_and_lat_and_start_over_forgets_it(ds):
    ss: dict = {}
    slot = "curate_gen_place_new"
    placepicker.apply_pick(ss, slot, None)
    assert ss == {}
    placepicker.apply_pick(ss, slot, pickmap.Pick("zoom", 45.6, 40.0))
    assert ss[placepicker.state_key(slot)] == {"centre": [45.6, 40.0]} and f"{slot}_lon" not in ss
    placepicker.apply_pick(ss, slot, pickmap.Pick("known", place="yerevan"))
    assert ss[placepicker.state_key(slot)]["known"] == "yerevan" and f"{slot}_lon" not in ss
    placepicker.apply_pick(ss, slot, pickmap.Pick("point", 45.655, 39.97))
    assert ss[f"{slot}_lon"] == 45.655 and ss[f"{slot}_lat"] == 39.97
    assert ss[placepicker.state_key(slot)] == {"centre": [45.6, 40.0], "chosen": [45.655, 39.97]}


@pytest.mark.parametrize("selection", [
    {"selection": {"indices": {"pick-fine@nan,nan": [0]}, "objects": {}}},
    {"selection": {"indices": {"pick-fine@inf,1": [0]}, "objects": {}}},
    {"selection": {"indices": {pickmap.COARSE_LAYER: ["0"]}, "objects": {}}},
    {"selection": {"indices": [pickmap.COARSE_LAYER], "objects": {}}},
    {"selection": {"indices": {pickmap.PLACES_LAYER: [0]}, "objects": {pickmap.PLACES_LAYER: [{"id": ["goris"]}]}}},
    {"selection": {"indices": {pickmap.COARSE_LAYER: [10 ** 12]}, "objects": {}}},
    {"selection": None}, "not a mapping", None,
])
def test_an_odd_selection_from_the_browser_is_no_click_not_an_error(ds, selection):
    assert pickmap.picked(ds, selection) is None

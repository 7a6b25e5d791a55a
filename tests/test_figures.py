"""The deck builder, per layer and date, on the shipped data and on hostile data."""
import json
import re

import pytest

from atlas.core import paths
from atlas.core.load import load_or_raise
from atlas.views import deck, figures
from atlas.views.deck import build_map
from atlas.views.figures import MapView, clicked_record
from tests.conftest import shipped
from tests.test_render import injected_corpus


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


def layer(build, layer_id):
    return next((lyr for lyr in build.deck.layers if lyr.id == layer_id), None)


def rows(build, layer_id):
    """A layer's rows; the map's names all travel in one text layer ("labels"), each row saying which kind it is."""
    if layer_id.endswith("-labels"):
        return [r for r in rows(build, "labels") if r["kind_of_label"] == layer_id]
    lyr = layer(build, layer_id)
    return [] if lyr is None else lyr.data


@shipped
def test_all_layers_by_default(ds):
    ids = {lyr.id for lyr in build_map(ds, MapView()).deck.layers}
    assert {"countries", "areas", "corridors", "labels", "places", "events", "fighting"} <= ids
    assert sum(1 for lyr in build_map(ds, MapView()).deck.layers if lyr.type == "TextLayer") == 1  # one glyph atlas


@shipped
@pytest.mark.parametrize("off,gone", [("areas", "areas"), ("corridors", "corridors"), ("places", "places"),
                                      ("events", "events"), ("fighting", "fighting")])
def test_each_layer_can_be_switched_off(ds, off, gone):
    view = MapView(layers=tuple(x for x in figures.LAYERS if x != off))
    assert layer(build_map(ds, view), gone) is None


@shipped
def test_borders_toggle_strokes_the_countries(ds):
    assert layer(build_map(ds, MapView()), "countries").stroked is True
    assert layer(build_map(ds, MapView(layers=("places",))), "countries").stroked is False


@shipped
def test_the_deck_never_asks_for_vendor_tiles(ds):
    spec = json.loads(build_map(ds, MapView()).deck.to_json())
    assert spec.get("mapProvider") in (None, "") and "mapbox" not in json.dumps(spec).lower()
    # Streamlit draws no basemap only for pydeck's sentinel; a missing mapStyle makes it fetch Carto tiles
    assert spec["mapStyle"] == "__MAP_STYLE__"


@shipped
def test_events_appear_only_once_they_have_happened(ds):
    early = {r["id"] for r in rows(build_map(ds, MapView(date="2020-12")), "events")}
    late = {r["id"] for r in rows(build_map(ds, MapView(date="2023-12")), "events")}
    assert early < late
    for eid in late - early:
        assert ds.records[eid].date.start.isoformat() > "2020-12-31"


@shipped
def test_coarse_dates_are_hollow_markers(ds):
    for r in rows(build_map(ds, MapView()), "events"):
        exact = ds.records[r["id"]].date.precision == "day"
        assert (r["fill"][:3] == [255, 255, 255]) is (not exact)


@shipped
def test_lachin_road_style_follows_its_status(ds):
    def style(month):
        b = build_map(ds, MapView(date=month))
        lachin = [r for r in rows(b, "corridors") if r["id"] == "lachin-road"]
        cased = any(r["id"] == "lachin-road" for r in rows(b, "corridor-casing"))
        return len(lachin), lachin[0]["color"][3], cased, tip_text(lachin[0])
    n, alpha, cased, tip = style("2021-06")
    assert n == 1 and alpha == 235 and not cased and "under peacekeepers" in tip
    n, alpha, cased, tip = style("2022-12")
    assert cased and "blocked" in tip
    n, alpha, cased, tip = style("2023-11")
    assert alpha == 90 and "moot" in tip


@shipped
def test_proposed_corridor_is_dashed(ds):
    zangezur = [r for r in rows(build_map(ds, MapView(date="2021-06")), "corridors") if r["id"] == "zangezur"]
    assert len(zangezur) > 5


@shipped
def test_approximate_places_are_hollow(ds):
    by_id = {r["id"]: r for r in rows(build_map(ds, MapView()), "places")}
    assert by_id["norduz"]["fill"][:3] == [255, 255, 255]  # a guessed point
    assert by_id["yerevan"]["fill"][:3] != [255, 255, 255]


@shipped
def test_names_follow_the_chosen_usage_and_tooltips_show_alternatives(ds):
    def label_texts(usage):
        return {r["text"] for r in rows(build_map(ds, MapView(names=usage)), "place-labels")}
    assert "Xankəndi" in label_texts("azerbaijani") and "Stepanakert" in label_texts("armenian")
    tip = next(tip_text(r) for r in rows(build_map(ds, MapView()), "places") if r["id"] == "khankendi")
    assert "Stepanakert" in tip and "Xankəndi" in tip


@shipped
def test_fighting_sites_appear_from_september_2022(ds):
    assert layer(build_map(ds, MapView(date="2022-08")), "fighting") is None
    sites = {r["id"] for r in rows(build_map(ds, MapView(date="2022-09")), "fighting")}
    assert {"jermuk", "sotk", "vardenis", "goris"} <= sites


@shipped
def test_focus_centres_and_highlights(ds):
    b = build_map(ds, MapView(focus="yerevan"))
    assert layer(b, "focus") is not None
    vs = b.deck.initial_view_state
    assert (round(vs.longitude, 3), round(vs.latitude, 3)) == (44.514, 40.181)
    corridor_view = build_map(ds, MapView(focus="tanap")).deck.initial_view_state
    assert corridor_view.zoom < build_map(ds, MapView(focus="lachin-road")).deck.initial_view_state.zoom


@shipped
def test_events_without_a_place_are_listed_not_drawn(ds):
    b = build_map(ds, MapView())
    assert b.unmapped_events and not set(b.unmapped_events) & {r["id"] for r in rows(b, "events")}


def tip_text(row: dict) -> str:
    return " ".join(str(v) for k, v in row.items() if k.startswith("tip_"))


def test_tooltips_carry_data_as_plain_text_into_a_fixed_template(tmp_path):
    """Streamlit escapes each value as it fills the template: data in the template itself, or escaped by us as well,
    would show as markup (the bug of escaping twice)."""
    hostile = injected_corpus(tmp_path)
    b = build_map(hostile, MapView())
    assert b.deck._tooltip["html"] == figures.TOOLTIP_HTML
    assert set(re.findall(r"\{(\w+)\}", figures.TOOLTIP_HTML)) == {"tip_title", "tip_1", "tip_2", "tip_3"}
    tips = " ".join(tip_text(r) for lyr in b.deck.layers if isinstance(lyr.data, list) for r in lyr.data)
    assert "<script>" in tips and "&lt;" not in tips and "&amp;" not in tips
    for lyr in b.deck.layers:  # every pickable row fills every field, so no placeholder is ever left in view
        for r in lyr.data if isinstance(lyr.data, list) else []:
            if "tip_title" in r:
                assert all(isinstance(r[f"tip_{i}"], str) for i in (1, 2, 3))


@pytest.mark.parametrize("state,expected", [
    ({"selection": {"objects": {"places": [{"id": "yerevan"}]}}}, "yerevan"),
    ({"selection": {"objects": {"areas": [{"properties": {"id": "syunik"}}]}}}, "syunik"),
    ({"selection": {"objects": {}}}, None), (None, None), ({"selection": None}, None), ("garbage", None),
])
def test_clicked_record(state, expected):
    assert clicked_record(state) == expected


@shipped
def test_default_labels_do_not_crowd_each_other(ds):
    labels = rows(build_map(ds, MapView()), "place-labels")
    pts = [r["position"] for r in labels]
    assert len(pts) >= 5
    for i, a in enumerate(pts):
        for b in pts[i + 1:]:
            assert not (abs(a[0] - b[0]) < 0.45 and abs(a[1] - b[1]) < 0.22), (a, b)


@shipped
def test_a_selected_corridor_labels_all_its_stops(ds):
    texts = {r["text"] for r in rows(build_map(ds, MapView(focus="lachin-road")), "place-labels")}
    assert {"Goris", "Lachin / Berdzor", "Stepanakert / Khankendi"} <= texts  # both forms, as data/README.md names them


@shipped
def test_every_event_colour_is_in_the_legend(ds):
    keyed = {c for c, _ in figures.event_colour_key(ds)}
    assert len(keyed) == 6 and set(figures.event_colours(ds).values()) | {figures.EVENT_DEFAULT} <= keyed
    assert {figures.event_colour(ds, e) for e in ds.of_kind("event")} <= keyed


@shipped
def test_the_basemap_travels_once_as_a_static_file_not_in_every_deck(ds, tmp_path, monkeypatch):
    spec = json.loads(build_map(ds, MapView()).deck.to_json())
    countries = next(lyr for lyr in spec["layers"] if lyr["id"] == "countries")
    url = countries["data"]
    assert isinstance(url, str) and url.startswith("app/static/generated/basemap-")  # served from static/ (= assets/)
    served = paths.ASSETS / url.removeprefix("app/static/")
    doc = json.loads(served.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) >= 6
    assert {"fill", "line", "name"} <= set(doc["features"][0]["properties"])
    other = json.loads(build_map(ds, MapView(date="2021-01", names="armenian")).deck.to_json())
    assert next(lyr for lyr in other["layers"] if lyr["id"] == "countries")["data"] == url  # one file for every view
    # where the folder cannot be written, the deck carries the basemap itself
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(deck, "GENERATED", blocker / "generated")
    inline = json.loads(build_map(ds, MapView()).deck.to_json())
    assert next(lyr for lyr in inline["layers"] if lyr["id"] == "countries")["data"]["type"] == "FeatureCollection"

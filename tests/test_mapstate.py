"""One map state: the deck, the PNG, the key, the text alternative and the GeoJSON all show what map_state says, for
every month of the period, and the key explains exactly the ways of drawing on the map (every corridor status)."""
import json
import re
import shutil

import pytest

from atlas.core import geo, paths
from atlas.core.load import load_or_raise
from atlas.views import deck, export, figures, render, staticmap, tables
from atlas.views.figures import MapView
from atlas.views.mapstate import map_state
from tests.conftest import shipped

pytestmark = shipped  # every month of the shipped corpus (and a copy of it)

VIEWS = [  # (layers, names, focus): the default (every layer), and a few combinations of layers, names usage and focus
    (None, "international", None),
    (("corridors", "places"), "armenian", "lachin-road"),
    (("areas", "events", "fighting"), "russian", "yerevan"),
]


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


def deck_features(ds, build) -> set[tuple[str, str]]:
    """(layer, record id) of every pickable feature in the deck the browser receives (the map's own layers and
    atlas.yaml's named layers; not the hit area, casing, focus ring or labels)."""
    spec = json.loads(build.deck.to_json())
    out = set()
    for layer in spec["layers"]:
        if layer["id"] not in ("areas", "corridors", "places", "events", *(n.id for n in ds.settings.layers)):
            continue
        data = layer["data"]
        rows = data["features"] if isinstance(data, dict) else data
        out |= {(layer["id"], (r.get("properties") or r)["id"]) for r in rows}
    return out


def check_agreement(ds, view, png: bool):
    state = map_state(ds, view)
    keys = {f.key for f in state.features}
    assert len(keys) == len(state.features)  # a feature is drawn once per layer
    assert deck_features(ds, deck.build_map(ds, view)) == keys
    table = tables.map_features(state)
    assert {tuple(k.split(":", 1)) for k in table.index} == keys and len(table) == len(keys)
    geo_doc = export.map_geojson(ds, view)
    assert {(f["properties"]["layer"], f["properties"]["id"]) for f in geo_doc["features"]} == keys
    # the key: one entry per way of drawing in use, no more, no fewer
    used = {k for f in state.features for k in f.legend}
    assert state.legend_keys() == used
    html = render.map_legend(state)
    assert set(re.findall(r"data-key='([^']+)'", html)) == used
    assert f"Key · {geo.month_label(view.date)}" in html
    # every corridor status at the month is named in the key, beside its corridor and under its line style
    for f in state.layer("corridors"):
        assert f"{f.state}</span>" in html
        line = next(e for e in state.legend if e.key == f"line:{f.style.pattern}")
        assert f.state in line.label.split(", ")
    if png:
        _, drawn = staticmap.draw_map(ds, view)
        assert set(drawn.features) == keys and len(drawn.features) == len(keys)
        assert set(drawn.key) == used


@pytest.mark.parametrize("layers,names,focus", VIEWS)
def test_deck_png_key_table_and_geojson_agree_every_month(ds, layers, names, focus):
    months = geo.period_months(ds)
    for i, month in enumerate(months):
        # the PNG is the slow one: every third month, and the first and last
        check_agreement(ds, MapView(date=month, layers=layers, names=names, focus=focus),
                        png=i % 3 == 0 or month == months[-1])


def test_the_key_shows_only_what_is_on_the_map(ds):
    early = map_state(ds, MapView(date=geo.first_month(ds)))
    late = map_state(ds, MapView(date=geo.last_month(ds)))
    assert "layer:fighting" not in early.legend_keys() and "layer:fighting" in late.legend_keys()
    assert "line:blocked" in {e.key for e in map_state(ds, MapView(date="2022-12")).legend}
    only_places = map_state(ds, MapView(layers=("places",)))
    assert {e.group for e in only_places.legend} == {"marks"}
    assert not any(k.startswith(("event:", "corridor:", "line:")) for k in only_places.legend_keys())


def test_names_usage_reaches_every_label_and_the_table(ds):
    state = map_state(ds, MapView(date="2022-12", names="armenian", focus="lachin-road"))
    texts = {lb.text for lb in state.labels}
    assert "Berdzor" in texts or any("Berdzor" in t for t in texts)
    lachin = next(f for f in state.features if f.id == "lachin-road")
    assert lachin.name == figures.label_name(ds.records["lachin-road"].names, "armenian")
    assert lachin.name in set(tables.map_features(state)["name"])


def test_under_construction_and_closed_statuses_are_keyed(tmp_path):
    """The shipped corridors never reach these statuses; a copy of the data where they do: the key names them."""
    data = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, data)
    text = (data / "corridors.yaml").read_text(encoding="utf-8")
    text = text.replace("status: proposed", "status: under-construction", 1).replace("status: moot", "status: closed", 1)
    (data / "corridors.yaml").write_text(text, encoding="utf-8")
    ds = load_or_raise(data)
    statuses = {f.status for m in geo.period_months(ds) for f in map_state(ds, MapView(date=m)).layer("corridors")}
    assert {"under-construction", "closed"} <= statuses
    for month in geo.period_months(ds):
        state = map_state(ds, MapView(date=month))
        html = render.map_legend(state)
        for f in state.layer("corridors"):
            if f.status in ("under-construction", "closed"):
                assert f.state in html and f.state in next(e for e in state.legend if e.key == f"line:{f.style.pattern}").label
        check_agreement(ds, MapView(date=month), png=month == geo.last_month(ds))

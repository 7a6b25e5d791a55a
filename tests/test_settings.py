"""data/atlas.yaml: optional, validated, with defaults drawn from the records; what it sets reaches the views."""
from __future__ import annotations

import re

import pytest

from atlas.analysis import alignment, perspectives
from atlas.core import geo, paths
from atlas.core.load import load_dataset, load_or_raise
from atlas.core.model import AtlasSettings, Region
from atlas.views import charts, deck, export, figures, mapstate, render, staticmap, tables, viewstate, wording
from tests.conftest import REPO, minimal_records, shipped, write_corpus


def corpus(tmp_path, settings: str | None = None, records: dict | None = None):
    root = write_corpus(tmp_path / "data", records=records)
    if settings is not None:
        (root / paths.SETTINGS_FILE).write_text(settings, encoding="utf-8")
    return load_or_raise(root)


@pytest.mark.parametrize("settings", [None, "", "# nothing set\n"])
def test_without_settings_every_default_holds(tmp_path, settings):
    ds = corpus(tmp_path, settings)
    assert ds.settings == AtlasSettings()
    assert (ds.period.first, ds.period.last) == ("2022-12", "2022-12")  # the one event's month
    assert figures.layer_labels(ds) == figures.LAYERS and charts.key_moments(ds) == {}
    assert geo.country_labels(ds) == {} and geo.the_region(ds) == "the region"
    assert wording.chart_source_line(ds) == ("Source: Security Atlas — events coded from one document (Mini). "
                                             "CAMEO/Goldstein: GDELT.")


def test_the_period_runs_from_the_first_to_the_last_event_month(tmp_path):
    recs = minimal_records()
    late = {**recs["events"][0], "id": "later", "date": "2025-Q2", "alignment": []}
    early = {**recs["events"][0], "id": "earlier", "date": "2019-03-02", "alignment": []}
    recs["events"] += [late, early]
    ds = corpus(tmp_path, None, recs)
    assert (ds.period.first, ds.period.last) == ("2019-03", "2025-04")
    assert geo.period_months(ds)[0] == "2019-03" and len(geo.period_months(ds)) == 12 * 6 + 2


def test_period_first_is_fixed_and_last_is_a_floor(tmp_path):
    recs = minimal_records()
    recs["events"].append({**recs["events"][0], "id": "later", "date": "2024-05", "alignment": []})
    ds = corpus(tmp_path, "period: {first: 2020-01, last: 2023-12}\n", recs)
    assert (ds.period.first, ds.period.last) == ("2020-01", "2024-05")  # the later event extends it
    ds = corpus(tmp_path / "b", "period: {first: 2020-01, last: 2026-12}\n")
    assert (ds.period.first, ds.period.last) == ("2020-01", "2026-12")


def test_the_map_url_takes_the_periods_months(tmp_path):
    ds = corpus(tmp_path, "period: {first: 2021-06, last: 2022-12}\n")
    months = geo.period_months(ds)  # what /map passes
    assert viewstate.MapState.parse({"date": "2021-06"}, ds, months)[0].date == "2021-06"
    state, notices = viewstate.MapState.parse({"date": "2021-05"}, ds, months)
    assert state.date == "2022-12" and state.serialise() == {}
    assert notices == ["Date '2021-05' is not a month between 2021-06 and 2022-12 (write YYYY-MM); showing 2022-12."]


def test_a_named_layer_by_tags_draws_its_places_from_the_events_date(tmp_path):
    ds = corpus(tmp_path, "layers: [{id: closures, label: Road closures, note: 'A road closed here', tags: [corridor]}]\n")
    assert figures.layer_labels(ds)["closures"] == "Road closures"
    months = geo.period_months(ds)
    state, notices = viewstate.MapState.parse({"layers": "closures,places"}, ds, months)
    assert state.layers == ("places", "closures") and not notices
    assert state.serialise() == {"layers": "places,closures"}  # a named layer survives its link
    every, _ = viewstate.MapState.parse({}, ds, months)
    assert "closures" in every.layers and every.serialise() == {}  # shown by default, like the map's own layers

    def drawn(month):
        return [lyr for lyr in deck.build_map(ds, figures.MapView(date=month)).deck.layers if lyr.id == "closures"]
    assert drawn("2022-11") == []
    (layer,) = drawn("2022-12")
    assert [r["id"] for r in layer.data] == ["alpha"] and layer.data[0]["tip_1"] == "A road closed here"
    # the one map state: the key names the layer by its label, the text alternative, the GeoJSON and the PNG list its place
    before, after = (mapstate.map_state(ds, figures.MapView(date=m)) for m in ("2022-11", "2022-12"))
    assert "layer:closures" not in before.legend_keys()
    assert [(e.label, e.swatch) for e in after.legend if e.key == "layer:closures"] == [("Road closures", "site")]
    assert "Road closures" in render.map_legend(after)
    assert tables.map_features(after).loc["closures:alpha"].tolist()[::2] == ["site", "Road closures"]
    assert ("closures", "alpha") in {(f["properties"]["layer"], f["properties"]["id"])
                                     for f in export.map_geojson(ds, figures.MapView(date="2022-12"))["features"]}
    assert ("closures", "alpha") in staticmap.draw_map(ds, figures.MapView(date="2022-12"))[1].features


def test_partners_order_colour_and_issue_labels_come_from_settings(tmp_path):
    ds = corpus(tmp_path, "partners: [{name: US}, {name: Russia, colour: '#123456'}]\nissues: {lachin-road: The Lachin road}\n")
    assert charts.partner_style(ds, "Russia") == ("#123456", "solid")
    assert alignment.partners_coded(ds) == ["Russia"]
    assert perspectives.issue_label(ds, "lachin-road") == "The Lachin road"


def test_key_moments_are_drawn_on_the_chart(tmp_path):
    ds = corpus(tmp_path, "key_moments: [{event: road-closed, label: The road closes}]\n")
    fig = charts.period_chart(ds, ("Russia",), geo.period_start(ds), geo.period_end(ds), alignment.Options())
    assert "The road closes" in [a.text for a in fig.layout.annotations]


def test_region_sets_bounds_view_picture_and_labels(tmp_path):
    ds = corpus(tmp_path, "region: {name: Test Valley, bounds: {west: 40, south: 35, east: 50, north: 45}, "
                          "view: {lon: 45, lat: 40, zoom: 6}, picture: {west: 44, south: 39, east: 47, north: 41}, "
                          "country_labels: {Alphaland: [[45.1, 40.1], [46.1, 39.9]]}}\n")
    assert figures.default_view(ds).longitude == 45 and figures.default_view(ds).zoom == 6
    assert geo.picture_box(ds) == (44, 39, 47, 41) and geo.country_labels(ds) == {"Alphaland": (45.1, 40.1)}
    assert geo.country_label_spots(ds, 46.0, 40.0) == {"Alphaland": (46.1, 39.9)}
    assert geo.region_titled(ds, "corridors and borders") == "Test Valley corridors and borders"
    assert staticmap.render_png(ds, figures.MapView())[:4] == b"\x89PNG"


@shipped
def test_the_shipped_settings_reproduce_the_source_lines():
    ds = load_or_raise()
    assert wording.map_source_line(ds) == (
        "Source: South Caucasus Security Atlas, coded from four documents (AVİM, a report on a Russian MFA briefing,\n"
        "an SCFR interview, a news summary). Routes schematic. Basemap: Made with Natural Earth.")
    assert charts.source_lines(ds) == (
        "Source: South Caucasus Security Atlas — events coded from four documents (AVİM; a report on a Russian MFA "
        "briefing;<br>an SCFR interview; a news summary). CAMEO/Goldstein: GDELT.")


def test_every_settings_field_is_documented_in_data_readme():
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The corpus settings"):]
    section = section[:section.index("\n## ", 5)]
    documented = set(re.findall(r"^\| `([a-z_.]+)`", section, flags=re.M))
    expected = {f for f in AtlasSettings.model_fields if f != "region"} | {f"region.{f}" for f in Region.model_fields}
    assert documented == expected


@pytest.mark.parametrize("text, says", [
    ("- title: a list, not a mapping\n", "not a mapping"),
    ("title: [unclosed\n", "invalid YAML"),
    ("titel: a typo\n", "titel"),
    ("period: {first: 2020-13}\n", "period"),
    ("partners: not-a-list\n", "partners"),
    ("title: x\ntitle: y\n", "duplicate key"),
    ("a: " + "[" * 200 + "]" * 200 + "\n", "nest"),
    ("title: \"<b>x</b> ![i](http://e/i.png)\"\nregion: {bounds: {west: 50, east: 40}}\n", "region"),
])
def test_a_hostile_atlas_yaml_gives_one_readable_problem_naming_it(tmp_path, text, says):
    root = write_corpus(tmp_path / "data")
    (root / paths.SETTINGS_FILE).write_text(text, encoding="utf-8")
    ds, problems = load_dataset(root)
    assert problems and all(p.file == paths.SETTINGS_FILE for p in problems), problems
    assert any(says.lower() in f"{p.message} {p.fix}".lower() for p in problems), problems
    assert all(p.fix for p in problems)


def test_an_atlas_yaml_that_is_a_symlink_out_of_the_data_or_huge_is_refused(tmp_path):
    root = write_corpus(tmp_path / "data")
    outside = tmp_path / "secret.yaml"
    outside.write_text("title: from outside\n", encoding="utf-8")
    (root / paths.SETTINGS_FILE).symlink_to(outside)
    _, problems = load_dataset(root)
    assert problems and problems[0].file == paths.SETTINGS_FILE
    (root / paths.SETTINGS_FILE).unlink()
    (root / paths.SETTINGS_FILE).write_text("title: x\n" + "# padding\n" * 200_000, encoding="utf-8")
    _, problems = load_dataset(root)
    assert problems and problems[0].file == paths.SETTINGS_FILE

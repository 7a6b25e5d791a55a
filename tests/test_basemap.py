"""The shipped basemap and area files, and the pure geometry functions of atlas.tools.basemap that build them."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import shapely
import yaml
from shapely.geometry import LineString, MultiLineString, Polygon, box, shape

from atlas.tools import basemap

DATA = Path(__file__).resolve().parent.parent / "data"
CATALOGUE = yaml.safe_load((DATA / basemap.CATALOGUE).read_text(encoding="utf-8"))["files"]
README = (DATA / "basemap" / "README.md").read_text(encoding="utf-8")

# file -> (expected feature count, bounding box its geometries must lie in, decimals)
EXPECTED = {
    "basemap/countries-10m.geojson": (9, basemap.BOX_10M, basemap.DIGITS_10M),
    "basemap/countries-50m.geojson": (34, basemap.BOX_50M, basemap.DIGITS_50M),
    "areas/nkao-1991.geojson": (1, (46.0, 39.0, 47.5, 40.6), basemap.AREA_DIGITS),
    "areas/syunik.geojson": (1, (45.5, 38.8, 46.8, 40.0), basemap.AREA_DIGITS),
    "areas/nakhchivan-exclave.geojson": (1, (44.7, 38.8, 46.2, 39.8), basemap.AREA_DIGITS),
}


def _load(rel: str) -> dict:
    return json.loads((DATA / rel).read_text(encoding="utf-8"))


def _coords(obj):
    if isinstance(obj, (int, float)):
        yield obj
    else:
        for x in obj:
            yield from _coords(x)


# --- shipped files -----------------------------------------------------------------------------------

def test_catalogue_lists_every_file():
    assert sorted(e["file"] for e in CATALOGUE) == sorted(EXPECTED)


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e["file"])
def test_file_matches_catalogue(entry):
    path = DATA / entry["file"]
    raw = path.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == entry["sha256"], "file changed: rerun python -m atlas.tools.basemap"
    assert len(raw) == entry["bytes"]
    doc = json.loads(raw)
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == entry["features"] == EXPECTED[entry["file"]][0]
    types = sorted({f["geometry"]["type"] for f in doc["features"]})
    assert types == sorted(entry["geometry_types"])
    assert set(types) <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e["file"])
def test_readme_quotes_the_same_sha256(entry):
    row = next((line for line in README.splitlines() if f"`{entry['file']}`" in line and line.startswith("|")), None)
    assert row is not None, f"README table has no row for {entry['file']}"
    assert entry["sha256"] in row


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_geometries_valid_and_inside_box(rel):
    _, bounds, _ = EXPECTED[rel]
    frame = box(*bounds)
    for f in _load(rel)["features"]:
        g = shape(f["geometry"])
        assert not g.is_empty
        assert g.is_valid, shapely.is_valid_reason(g)
        assert frame.covers(g), f"{f['properties']} leaves {bounds}"


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_coordinates_rounded(rel):
    _, _, digits = EXPECTED[rel]
    for f in _load(rel)["features"]:
        for c in _coords(f["geometry"]["coordinates"]):
            assert round(c, digits) == c


@pytest.mark.parametrize("rel", ["basemap/countries-10m.geojson", "basemap/countries-50m.geojson"])
def test_countries_do_not_overlap(rel):
    geoms = [shape(f["geometry"]) for f in _load(rel)["features"]]
    tree = shapely.STRtree(geoms)
    for i, g in enumerate(geoms):
        for j in tree.query(g):
            if j > i:
                assert g.intersection(geoms[j]).area < 1e-9


def test_country_properties():
    feats = _load("basemap/countries-10m.geojson")["features"]
    by_name = {f["properties"]["name"]: f["properties"]["iso_n3"] for f in feats}
    for name, code in {"Armenia": "051", "Azerbaijan": "031", "Georgia": "268", "Iran": "364", "Turkey": "792",
                       "Russia": "643"}.items():
        assert by_name[name] == code
    assert all(set(f["properties"]) == {"iso_n3", "name"} for f in feats)


def test_basemap_10m_is_small():
    assert 30_000 < (DATA / "basemap/countries-10m.geojson").stat().st_size < 65_000


def test_nkao_area_close_to_reference():
    g = shape(_load("areas/nkao-1991.geojson")["features"][0]["geometry"])
    assert 4_200 < basemap._area_km2(g) < 4_360  # Natural Earth's closed outline gives about 4,282 km²


def test_areas_referenced_from_areas_yaml():
    records = {r["id"]: r for r in yaml.safe_load((DATA / "areas.yaml").read_text(encoding="utf-8"))}
    for rel in (r for r in EXPECTED if r.startswith("areas/")):
        area_id = re.fullmatch(r"areas/(.+)\.geojson", rel).group(1)
        assert records[area_id]["geometry"] == rel
        assert _load(rel)["features"][0]["properties"]["id"] == area_id


# --- pure functions on hand-made geometries -----------------------------------------------------------

def test_clip_to_box_cuts_and_keeps_alignment():
    inside = box(1, 1, 2, 2)
    straddling = box(-1, -1, 1, 1)
    outside = box(10, 10, 11, 11)
    out = basemap.clip_to_box([inside, straddling, outside], (0, 0, 5, 5))
    assert len(out) == 3
    assert out[0].equals(inside)
    assert out[1].equals(box(0, 0, 1, 1))
    assert out[2].is_empty


def test_clip_to_box_drops_edge_slivers():
    touching = box(-1, 0, 0, 1)  # shares only an edge with the box
    (out,) = basemap.clip_to_box([touching], (0, 0, 5, 5))
    assert out.is_empty or out.area == 0


def test_simplify_coverage_keeps_shared_border_shared():
    wiggle = [(1 + 0.001 * ((i % 2) * 2 - 1), i / 10) for i in range(11)]
    left = Polygon([(0, 0), *wiggle, (0, 1)])
    right = Polygon([*wiggle, (2, 1), (2, 0)][::-1])
    assert basemap.make_coverage_valid([left, right]) is not None
    a, b = basemap.simplify_coverage([left, right], 0.05)
    assert a.is_valid and b.is_valid
    assert a.intersection(b).area < 1e-12
    assert shapely.get_num_coordinates(a) < shapely.get_num_coordinates(left)
    assert abs(a.union(b).area - 2.0) < 1e-9  # no gap opened between them


def test_make_coverage_valid_removes_float_noise():
    a = box(0, 0, 1, 1)
    b = Polygon([(1 - 1e-11, 0), (2, 0), (2, 1), (1 - 1e-11, 1)])  # overlaps a by 1e-11
    fixed = basemap.make_coverage_valid([a, b])
    assert shapely.coverage_is_valid(fixed)


def test_make_coverage_valid_rejects_real_overlap():
    with pytest.raises(ValueError):
        basemap.make_coverage_valid([box(0, 0, 1, 1), box(0.5, 0, 2, 1)])


def test_round_geometry():
    g = Polygon([(0.123456, 0.0), (1.987654, 0.000049), (1.0, 1.333333)])
    r = basemap.round_geometry(g, 3)
    assert r.is_valid
    assert all(round(c, 3) == c for c in _coords(json.loads(json.dumps(shapely.geometry.mapping(r)))["coordinates"]))
    assert abs(r.area - g.area) < 0.01


def test_round_geometry_repairs_collapse():
    sliver = Polygon([(0, 0), (1, 0), (1, 0.00001), (0, 0.00002)])
    assert basemap.round_geometry(sliver, 3).is_empty  # collapses instead of becoming invalid


def test_close_lines_bridges_small_gaps():
    # a unit square drawn as three lines, one reversed, with two gaps of 0.005
    lines = MultiLineString([
        [(0, 0), (1, 0), (1, 0.5)],
        [(0, 1), (1, 1), (1, 0.505)],  # reversed, 0.005 from the first
        [(0, 0.995), (0, 0.005)],  # 0.005 from each neighbour
    ])
    ring, gaps = basemap.chain_lines(lines, max_gap=0.01)
    assert ring[0] == ring[-1]
    assert len(gaps) == 3 and all(0 < g <= 0.01 for g in gaps)
    poly = basemap.close_lines(lines, max_gap=0.01)
    assert poly.is_valid
    assert abs(poly.area - 1.0) < 1e-3


def test_close_lines_accepts_list_of_lines_that_already_meet():
    poly = basemap.close_lines([LineString([(0, 0), (2, 0), (2, 2)]), LineString([(2, 2), (0, 2), (0, 0)])], 0.01)
    assert poly.area == pytest.approx(4.0)


def test_close_lines_refuses_large_gap():
    lines = [LineString([(0, 0), (1, 0), (1, 1)]), LineString([(0.5, 1), (0, 1), (0, 0.1)])]  # 0.5 apart
    with pytest.raises(ValueError, match="gap"):
        basemap.close_lines(lines, max_gap=0.01)


def test_close_lines_refuses_open_ring():
    with pytest.raises(ValueError):
        basemap.close_lines([LineString([(0, 0), (1, 0), (1, 1), (0, 1)])], max_gap=0.01)


def test_feature_collection_is_deterministic():
    fc = basemap.feature_collection([(box(0, 0, 1, 1), {"id": "a"})])
    assert basemap.dumps_geojson(fc) == basemap.dumps_geojson(fc)
    assert json.loads(basemap.dumps_geojson(fc))["features"][0]["properties"] == {"id": "a"}

"""Natural Earth populated places (atlas.curate.gazetteer): read in both property styles, imported clipped to the
region, suggested as new places with exact citations, never duplicating places.yaml, and every hostile file one
readable problem. The Natural Earth files here are made up in its schema (real towns, real coordinates)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.core import paths
from atlas.core.load import load_dataset, resolve
from atlas.core.model import Bounds, Citation
from atlas.core.problems import Problem
from atlas.curate import gazetteer
from atlas.curate.suggest import gazetteer_names, new_places, suggest
from atlas.curate.writes import Refused
from tests.conftest import REPO, add_source, load_corpus, write_corpus

REGION = "region: {bounds: {west: 43, south: 38, east: 47, north: 42}}\n"  # holds the fixture's alpha and beta
NEWS = ("Trucks in the south\n\n"
        "On 5 May 2024 a convoy left Goris for Vayk, and police in Alpha watched it pass.\n\n"
        "Residents of Betaville and of Jermuk said nothing. Goris was quiet again by June 2024.\n")


def feature(name, lon, lat, *, upper=False, geometry=True, **props):
    """One populated place in Natural Earth's schema: lower-case keys as in the 'simple' files, upper case as in the
    full ones."""
    p = {"name": name, "nameascii": name, "namealt": None, "namepar": None, "adm0name": "Armenia", "adm0_a3": "ARM",
         "adm1name": None, "featurecla": "Populated place", "latitude": lat, "longitude": lon, "pop_max": 1000,
         "scalerank": 8, **props}
    if upper:
        p = {k.upper(): v for k, v in p.items()}
    out = {"type": "Feature", "properties": p}
    if geometry:
        out["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
    return out


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "name": "ne_10m_populated_places_simple", "features": list(features)}


SYUNIK = [
    feature("Goris", 46.3417, 39.5111, adm1name="Syunik", pop_max=20591),
    feature("Vayk", 45.4667, 39.6889, upper=True, ADM1NAME="Vayots Dzor", FEATURECLA="Admin-1 capital"),
    feature("Jermuk", 45.6736, 39.8417),
    feature("Bologna", 11.34, 44.5, adm0name="Italy", adm0_a3="ITA"),
]


def dump(path: Path, doc) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path) -> Path:
    root = write_corpus(tmp_path / "data")
    (root / paths.SETTINGS_FILE).write_text(REGION, encoding="utf-8")
    return add_source(root, "news", NEWS)


def reference(root: Path, *features) -> Path:
    return dump(root / paths.POPULATED_PLACES_FILE, collection(*features))


def atlas(*args):
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=REPO, capture_output=True, text=True, timeout=180)


# --- reading --------------------------------------------------------------------------------------------------------

def test_both_property_styles_read_the_same_place():
    lower = gazetteer.parse(json.dumps(collection(feature("Goris", 46.34, 39.51, namealt="Gorus|Geryusy"))).encode(), None)
    upper = gazetteer.parse(json.dumps(collection(feature("Goris", 46.34, 39.51, upper=True, NAMEALT="Gorus|Geryusy")))
                            .encode(), None)
    assert lower.places == upper.places and lower.skipped == upper.skipped == []
    goris = lower.places[0]
    assert (goris.name, goris.lon, goris.lat, goris.country, goris.country_name, goris.feature_class, goris.population) == \
        ("Goris", 46.34, 39.51, "ARM", "Armenia", "Populated place", 1000)
    assert goris.names == ("Goris", "Gorus", "Geryusy")  # the packed alternative names apart, each once


def test_names_split_skip_short_forms_and_odd_country_codes_give_none():
    got = gazetteer.parse(json.dumps(collection(
        feature("Stepanakert", 46.75, 39.82, namealt="Xankandi; Ak / Khankendi", adm0_a3="-99"),
        feature("Ramallah", 35.2, 31.9, adm0_a3="IS1"))).encode(), None).places
    assert got[0].names == ("Stepanakert", "Xankandi", "Khankendi")  # 'Ak' is too short to suggest anything
    assert got[0].country is None and got[1].country is None  # the Place model takes ISO alpha-3 only


def test_the_geometry_is_optional_when_longitude_and_latitude_are_given():
    got = gazetteer.parse(json.dumps(collection(feature("Sisian", 46.03, 39.52, geometry=False))).encode(), None)
    assert [(p.name, p.lon, p.lat) for p in got.places] == [("Sisian", 46.03, 39.52)]


def test_no_file_no_places_and_no_problem(data):
    assert gazetteer.read_reference(data) == ([], [])


def test_names_with_markup_are_kept_as_given(data):
    name = 'Vayk<img src=x onerror="alert(1)">'
    reference(data, feature(name, 45.47, 39.69))
    places, problems = gazetteer.read_reference(data)
    assert problems == [] and places[0].name == name
    add_source(data, "markup", f"Heading\n\nThe road to {name} was open.\n")
    got = suggest(load_corpus(data), "markup")["new_places"]
    assert [(s.value, s.words) for s in got] == [(name, name)]
    written = gazetteer.to_geojson(places)  # and the import writes it as given
    assert json.loads(written)["features"][0]["properties"]["name"] == name


# --- hostile files: one readable problem each, never a traceback ----------------------------------------------------

HOSTILE = {
    "not JSON": (b"name,lon,lat\nGoris,46.3,39.5\n", "is not valid JSON at line 1"),
    "a JSON list": (b"[1, 2, 3]", "holds a JSON list, not a GeoJSON FeatureCollection"),
    "another GeoJSON type": (b'{"type": "Point", "coordinates": [46.3, 39.5]}', "holds type 'Point', not a GeoJSON"),
    "no features list": (b'{"type": "FeatureCollection", "features": {"a": 1}}', "without a 'features' list"),
    "not UTF-8": ('{"type": "FeatureCollection", "features": [], "name": "Gyümri"}'.encode("latin-1"), "is not UTF-8"),
    "nested deep": (b"[" * 100_000 + b"]" * 100_000, "nests lists and objects far deeper"),
    "a huge integer": (b'{"type": "FeatureCollection", "features": [], "n": ' + b"9" * 5000 + b"}", "is not valid JSON"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_file_that_cannot_be_used_is_one_problem_naming_it_and_the_fix(data, case):
    raw, says = HOSTILE[case]
    target = data / paths.POPULATED_PLACES_FILE
    target.parent.mkdir(parents=True)
    target.write_bytes(raw)
    places, problems = gazetteer.read_reference(data)
    assert places == [] and len(problems) == 1
    problem = problems[0]
    assert isinstance(problem, Problem) and problem.file == paths.POPULATED_PLACES_FILE and says in problem.message
    assert "gazetteer import" in problem.fix


def test_unusable_features_are_left_out_and_counted_in_one_problem(data):
    reference(data, SYUNIK[0],
              {"type": "Feature"},  # neither geometry nor properties
              {"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.0, 39.5]}, "properties": None},
              feature("Nowhere", 246.0, 39.5),  # longitude out of range
              feature("Strings", "46.0", "39.5", geometry=False),  # numbers as strings
              {**feature("NaN town", 46.0, 39.5), "geometry": {"type": "Point", "coordinates": [float("nan"), 1]}},
              {**feature("Nameless", 46.0, 39.5), "properties": {"adm0_a3": "ARM", "name": "  "}},
              "a string, not a feature",
              feature("x" * 300, 46.0, 39.5))
    places, problems = gazetteer.read_reference(data)
    assert [p.name for p in places] == ["Goris", "NaN town"]  # the NaN geometry falls back to longitude/latitude
    assert len(problems) == 1
    assert problems[0].record == "feature 2" and problems[0].message.startswith("has no properties: it is left out")
    assert "(and 6 more features not usable)" in problems[0].message
    bad_geometry_and_props = gazetteer.parse(json.dumps(collection(
        {**feature("NaN town", 46.0, 39.5, longitude=None), "geometry": {"type": "Point", "coordinates": ["x", 1]}},
        feature("Far", 46.0, -91.0))).encode(), None)
    assert [why for _, why in bad_geometry_and_props.skipped] == [
        "has neither a Point geometry nor longitude and latitude in numbers", "has coordinates out of range (lon 46, lat -91)"]


def test_a_file_over_the_size_limit_is_refused_unread(data, monkeypatch):
    reference(data, *SYUNIK)
    monkeypatch.setattr(gazetteer, "MAX_FILE_BYTES", 100)
    places, problems = gazetteer.read_reference(data)
    assert places == [] and len(problems) == 1 and "more than the limit of 100 bytes" in problems[0].message
    assert "gazetteer import" in problems[0].fix


def test_too_many_places_in_the_data_directory_is_refused(data, monkeypatch):
    reference(data, *SYUNIK)
    monkeypatch.setattr(gazetteer, "MAX_PLACES", 3)
    places, problems = gazetteer.read_reference(data)
    assert places == [] and "holds 4 features, more than the limit of 3" in problems[0].message


def test_a_link_out_of_the_data_directory_is_refused(data, tmp_path):
    outside = dump(tmp_path / "elsewhere" / "places.geojson", collection(*SYUNIK))
    (data / "reference").mkdir()
    os.symlink(outside, data / paths.POPULATED_PLACES_FILE)
    places, problems = gazetteer.read_reference(data)
    assert places == [] and len(problems) == 1 and "link to a file outside the data directory" in problems[0].message
    inside = dump(data / "elsewhere.geojson", collection(*SYUNIK))  # a link that stays inside is followed
    os.unlink(data / paths.POPULATED_PLACES_FILE)
    os.symlink(inside, data / paths.POPULATED_PLACES_FILE)
    assert len(gazetteer.read_reference(data)[0]) == 4


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                               st.sampled_from(["type", "features", "properties", "geometry", "coordinates", "name",
                                                "NAME", "latitude", "longitude", "Point", "FeatureCollection"]),
                               inner, max_size=5), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_gives_places_or_one_readable_error(doc):
    try:
        got = gazetteer.parse(json.dumps(doc).encode(), 10)
    except gazetteer.GazetteerError as e:
        assert e.message and e.fix
        return
    assert all(-180 <= p.lon <= 180 and -90 <= p.lat <= 90 and p.name for p in got.places)


# --- import ------------------------------------------------------------------------------------------------------------

def test_import_keeps_the_region_and_a_margin_and_writes_the_small_file(data, tmp_path):
    near = feature("Hadrut", 47.3, 39.52)  # 0.3 degrees east of the region: inside the margin
    far = feature("Shamakhi", 48.64, 40.63, adm0name="Azerbaijan", adm0_a3="AZE")  # beyond it
    download = dump(tmp_path / "ne_10m_populated_places_simple.geojson", collection(*SYUNIK, near, far))
    out = atlas("gazetteer", "import", str(download), "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("kept 4 of 6 populated places") and paths.POPULATED_PLACES_FILE in out.stdout
    written = json.loads((data / paths.POPULATED_PLACES_FILE).read_text(encoding="utf-8"))
    assert sorted(f["properties"]["name"] for f in written["features"]) == ["Goris", "Hadrut", "Jermuk", "Vayk"]
    vayk = next(f for f in written["features"] if f["properties"]["name"] == "Vayk")
    assert vayk["properties"]["adm1name"] == "Vayots Dzor" and "scalerank" not in vayk["properties"]  # lower case, kept keys
    places, problems = gazetteer.read_reference(data)
    assert problems == [] and len(places) == 4
    assert load_dataset(data)[1] == []  # the data still load, and the app is unaffected
    narrow = atlas("gazetteer", "import", str(download), "--margin", "0", "--data-dir", str(data))
    assert narrow.stdout.startswith("kept 3 of 6")


def test_clip_is_inclusive_of_the_widened_bounds():
    places = gazetteer.parse(json.dumps(collection(feature("Edge", 47.5, 42.5), feature("Out", 47.51, 40))).encode(),
                             None).places
    assert [p.name for p in gazetteer.clip(places, Bounds(west=43, south=38, east=47, north=42))] == ["Edge"]


@pytest.mark.parametrize("what, says", [
    ("missing", "does not exist"), ("not json", "is not valid JSON"), ("shapefile", "is a shapefile or an archive"),
    ("outside", "none of the 1 places"), ("margin", "--margin nan is not a number of degrees")])
def test_import_refusals_write_nothing_and_say_why(data, tmp_path, what, says):
    path = tmp_path / "ne.geojson"
    args = []
    if what == "not json":
        path.write_text("<html>404 Not Found</html>", encoding="utf-8")
    elif what == "shapefile":
        path = tmp_path / "ne_10m_populated_places_simple.zip"
        path.write_bytes(b"PK\x03\x04")
    elif what == "outside":
        dump(path, collection(SYUNIK[3]))
    elif what == "margin":
        dump(path, collection(*SYUNIK))
        args = ["--margin", "nan"]
    out = atlas("gazetteer", "import", str(path), *args, "--data-dir", str(data))
    assert out.returncode == 1 and says in out.stderr and "Traceback" not in out.stderr
    assert not (data / paths.POPULATED_PLACES_FILE).exists()


def test_import_refuses_a_reference_folder_leading_out_of_the_data_directory(data, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", data / "reference")
    places = gazetteer.parse(json.dumps(collection(*SYUNIK)).encode(), None).places
    with pytest.raises(Refused, match="leading outside the data directory"):
        gazetteer.write_reference(data, places)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_import_refuses_when_the_region_cannot_be_read(data, tmp_path):
    (data / paths.SETTINGS_FILE).write_text("region: {bounds: {west: 50, east: 40}}\n", encoding="utf-8")
    out = atlas("gazetteer", "import", str(dump(tmp_path / "ne.geojson", collection(*SYUNIK))), "--data-dir", str(data))
    assert out.returncode == 1 and "region's bounds cannot be read" in out.stderr and "Traceback" not in out.stderr
    assert not (data / paths.POPULATED_PLACES_FILE).exists()


# --- suggestions -------------------------------------------------------------------------------------------------------

def test_suggestions_name_new_places_with_an_exact_citation(data):
    reference(data, *SYUNIK)
    ds = load_corpus(data)
    got = suggest(ds, "news")["new_places"]
    assert [(s.value, s.words, s.passage) for s in got] == [("Goris", "Goris", 2), ("Vayk", "Vayk", 2),
                                                           ("Jermuk", "Jermuk", 3)]  # Goris once, where first named
    goris = got[0].as_dict()
    assert goris == {"new_place": "Goris", "words": "Goris", "passage": 2, "lon": 46.3417, "lat": 39.5111,
                     "country": "ARM", "country_name": "Armenia", "admin1": "Syunik", "feature_class": "Populated place",
                     "population": 20591, "gazetteer": "Natural Earth",
                     "citation": {"source": "news", "quote": "Goris", "suffix": " f"}}
    for s in got:  # the loader resolves each citation to exactly the words
        where = resolve(ds, Citation(**s.citation))
        assert not isinstance(where, str) and ds.texts["news"].text[where[0]:where[1]] == s.words


def test_known_places_are_not_suggested_again_as_new(data):
    reference(data, *SYUNIK,
              feature("Alpha", 44.0, 41.0),  # a name places.yaml already has: that place, not a new one
              feature("Betaville", 46.005, 39.505))  # 0.7 km from beta: beta, by another name
    found = suggest(load_corpus(data), "news")
    assert "Alpha" not in {s.value for s in found["new_places"]} and "Betaville" not in {s.value for s in found["new_places"]}
    assert ("alpha", "Alpha", 2) in {(s.value, s.words, s.passage) for s in found["places"]}
    assert ("beta", "Betaville", 3) in {(s.value, s.words, s.passage) for s in found["places"]}


def test_places_beyond_the_region_are_not_suggested(data):
    reference(data, feature("Jermuk", 47.4, 39.84))  # inside the import's margin, outside the region itself
    assert suggest(load_corpus(data), "news")["new_places"] == []


def test_new_places_are_capped(data):
    reference(data, *SYUNIK)
    ds = load_corpus(data)
    _, new = gazetteer_names(ds, {}, gazetteer.read_reference(data)[0])
    assert len(new_places(ds.texts["news"], new, limit=2)) == 2 and len(new_places(ds.texts["news"], new)) == 3


def test_without_a_reference_file_suggestions_are_as_before(data):
    found = suggest(load_corpus(data), "news")
    assert found["new_places"] == [] and ("alpha", "Alpha", 2) in {(s.value, s.words, s.passage) for s in found["places"]}


# --- the command line ------------------------------------------------------------------------------------------------

def test_suggest_prints_new_places_and_keeps_its_other_sections(data):
    reference(data, *SYUNIK)
    out = atlas("suggest", "news", "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    got = yaml.safe_load(out.stdout)
    assert list(got) == ["source", "note", "dates", "places", "actors", "partners", "new_places", "draft_events"]
    assert got["new_places"][0]["new_place"] == "Goris" and got["new_places"][0]["country"] == "ARM"


def test_suggest_and_validate_report_a_broken_reference_file_without_a_traceback(data):
    (data / "reference").mkdir()
    (data / paths.POPULATED_PLACES_FILE).write_bytes(b"\xff\xfe not json")
    sug = atlas("suggest", "news", "--data-dir", str(data))
    assert sug.returncode == 1 and "Traceback" not in sug.stderr
    assert f"{paths.POPULATED_PLACES_FILE}: Natural Earth populated places is not UTF-8" in sug.stderr
    got = yaml.safe_load(sug.stdout)  # the other suggestions are still made
    assert got["new_places"] == [] and any(p["place"] == "alpha" for p in got["places"])
    val = atlas("validate", "--data-dir", str(data))
    assert val.returncode == 1 and "Traceback" not in val.stdout + val.stderr
    assert "Natural Earth populated places is not UTF-8 (byte 0) — fix: save the file as UTF-8" in val.stdout
    assert "1 problem in" in val.stdout


def test_validate_counts_a_good_reference_file(data):
    reference(data, *SYUNIK)
    out = atlas("validate", "--data-dir", str(data))
    assert out.returncode == 0, out.stdout
    assert f"reference: 4 Natural Earth populated places for suggestions ({paths.POPULATED_PLACES_FILE})" in out.stdout


# --- make natural-earth: the one opt-in download ------------------------------------------------------------------------

def test_make_natural_earth_downloads_with_curl_into_the_cache_and_imports(data, tmp_path):
    venv = tmp_path / "venv"  # the target's prerequisite, stamped as installed: the test's own Python runs the import
    (venv / "bin").mkdir(parents=True)
    os.symlink(sys.executable, venv / "bin" / "python")
    (venv / ".installed").touch()
    download = dump(tmp_path / "served" / "ne.geojson", collection(*SYUNIK))
    cached = tmp_path / "cache" / "ne.geojson"
    cached.parent.mkdir()
    out = subprocess.run(["make", "-s", "natural-earth", f"VENV={venv}", f"PY={sys.executable}",
                          f"NE_URL={download.as_uri()}", f"NE_FILE={cached}", f"DATA_DIR={data}"],
                         cwd=REPO, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stdout + out.stderr
    assert cached.read_bytes() == download.read_bytes() and "kept 3 of 4 populated places" in out.stdout
    assert len(gazetteer.read_reference(data)[0]) == 3
    dry = subprocess.run(["make", "-n", "natural-earth", f"VENV={venv}"], cwd=REPO, capture_output=True, text=True,
                         timeout=60).stdout
    assert "curl -fL" in dry and "https://raw.githubusercontent.com/nvkelso/natural-earth-vector/v5.1.2/geojson/" \
        "ne_10m_populated_places_simple.geojson" in dry and "-m atlas gazetteer import .cache/" in dry
    ignored = subprocess.run(["git", "check-ignore", "-q", ".cache/ne_10m_populated_places_simple-v5.1.2.geojson"],
                             cwd=REPO, timeout=30)
    assert ignored.returncode == 0  # the download is never committed
    clipped = subprocess.run(["git", "check-ignore", "-q", f"data/{paths.POPULATED_PLACES_FILE}"], cwd=REPO, timeout=30)
    assert clipped.returncode == 0  # nor the clipped file, in this repository


def test_text_that_is_not_valid_unicode_is_left_out_and_the_rest_is_read_and_written(data):
    """JSON may escape a lone surrogate ('\\ud800'), which no UTF-8 file or page can hold: such a name leaves its feature
    out (counted), such another property is dropped, and nothing downstream fails on it."""
    raw = json.dumps(collection(feature("Goris", 46.3417, 39.5111, adm1name="Syu\ud800nik"),
                                feature("Bad\udc00name", 45.47, 39.69)), ensure_ascii=True).encode()
    target = data / paths.POPULATED_PLACES_FILE
    target.parent.mkdir(parents=True)
    target.write_bytes(raw)
    places, problems = gazetteer.read_reference(data)
    assert [(p.name, p.admin1) for p in places] == [("Goris", "")] and len(problems) == 1
    assert "has no name" in problems[0].message
    gazetteer.to_geojson(places).decode("utf-8")  # writable as UTF-8
    add_source(data, "goris", "Heading\n\nA convoy left Goris.\n")
    assert [s.value for s in suggest(load_corpus(data), "goris")["new_places"]] == ["Goris"]


def test_a_field_packing_thousands_of_names_keeps_a_few(data):
    """Every name once, at most MAX_FORMS of them: a hostile field of 40,000 names is not read into a list scanned
    for each one (which took minutes)."""
    packed = "|".join(f"Name{i:05d}" for i in range(40_000))
    got = gazetteer.parse(json.dumps(collection(feature("Goris", 46.3417, 39.5111, namealt=packed))).encode(), None)
    assert len(got.places[0].names) == gazetteer.MAX_FORMS and got.places[0].names[:2] == ("Goris", "Name00000")

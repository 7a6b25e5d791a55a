"""Every kind of bad data gives one readable problem naming file, record and fix; never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from atlas.core.load import load_dataset
from tests.conftest import REPO, minimal_records, write_corpus


def problems_for(tmp_path, mutate=None, records=None, text=None, source_extra=None):
    kwargs = {"records": records}
    if text is not None:
        kwargs["text"] = text
    root = write_corpus(tmp_path / "data", source_extra=source_extra, **kwargs)
    if mutate:
        mutate(root)
    _, problems = load_dataset(root)
    return problems


def with_change(kind: str, index: int, **changes) -> dict:
    recs = minimal_records()
    recs[kind][index].update(changes)
    return recs


def test_minimal_corpus_is_clean(tmp_path):
    assert problems_for(tmp_path) == []


def settings(text: str):
    """A mutation writing data/atlas.yaml."""
    return lambda r: (r / "atlas.yaml").write_text(text, encoding="utf-8")


CASES = {
    "missing catalogue": (lambda r: (r / "sources.yaml").unlink(), None, "sources.yaml", "", "file is missing"),
    "empty file": (lambda r: (r / "events.yaml").write_text(""), None, "events.yaml", "", "file is empty"),
    "invalid yaml": (lambda r: (r / "claims.yaml").write_text("- id: x\n  actor: [unclosed\n"), None,
                     "claims.yaml", "", "invalid YAML at line"),
    "wrong encoding": (lambda r: (r / "places.yaml").write_bytes("- id: caf\xe9\n".encode("latin-1")), None,
                       "places.yaml", "", "not UTF-8"),
    "not a list": (lambda r: (r / "terms.yaml").write_text("id: x\n"), None, "terms.yaml", "", "not a list"),
    "duplicate yaml key": (lambda r: (r / "terms.yaml").write_text(
        "- id: road\n  id: road2\n  term: R\n  definition: D\n  citations: []\n"), None, "terms.yaml", "", "duplicate key"),
    "duplicate id": (None, {**minimal_records(), "terms": minimal_records()["terms"] + [
        {"id": "alpha", "term": "A", "definition": "D", "citations": [{"source": "mini", "quote": "and it goes on"}]}]},
        "terms.yaml", "alpha", "already used in places.yaml"),
    "unknown place": (None, with_change("events", 0, place="gamma"), "events.yaml", "road-closed", "place 'gamma' does not exist"),
    "route to non-place": (None, with_change("corridors", 0, route=["alpha", "road-closed"]), "corridors.yaml",
                           "alpha-road", "route stop 'road-closed' is a event"),
    "unknown source": (None, with_change("terms", 0, citations=[{"source": "other", "quote": "x"}]), "terms.yaml", "road",
                       "unknown source 'other'"),
    "quote not in source": (None, with_change("terms", 0, citations=[{"source": "mini", "quote": "not there at all"}]),
                            "terms.yaml", "road", "quote not found verbatim"),
    "ambiguous quote": (None, with_change("terms", 0, citations=[{"source": "mini", "quote": "Alpha"}]), "terms.yaml", "road",
                        "ambiguous: 3 occurrences"),
    "quote spans passages": (None, with_change("terms", 0, citations=[{"source": "mini", "quote": "trucks.\n\nA long"}]),
                             "terms.yaml", "road", "spans more than one passage"),
    "impossible date": (None, with_change("events", 0, date="2022-02-30"), "events.yaml", "road-closed", "not a real date"),
    "date_end before date": (None, with_change("events", 0, date_end="2021-01"), "events.yaml", "road-closed", "before date"),
    "statuses out of order": (None, with_change("corridors", 0, statuses=[
        {"since": "2023", "status": "moot", "note": "n"}, {"since": "2022-12", "status": "blocked", "note": "n"}]),
        "corridors.yaml", "alpha-road", "out of order"),
    "coordinates outside region": (settings("region: {bounds: {west: 25, south: 25, east: 60, north: 60}}\n"),
                                   with_change("places", 0, lon=40.0, lat=45.0 + 30), "places.yaml", "alpha",
                                   "outside the region (lon 25–60, lat 25–60)"),
    "bad cameo code": (None, with_change("events", 0, alignment=[
        {"partner": "Russia", "cameo": "999", "direction": "away", "rationale": "r"}]), "events.yaml", "road-closed",
        "CAMEO code '999' is not in cameo.csv"),
    "cameo not quoted": (None, with_change("events", 0, alignment=[
        {"partner": "Russia", "cameo": 42, "direction": "away", "rationale": "r"}]), "events.yaml", "road-closed",
        "alignment.0.cameo"),
    "unknown partner": (settings("partners: [{name: Russia}, {name: US}]\n"), with_change("events", 0, alignment=[
        {"partner": "Atlantis", "cameo": "042", "direction": "away", "rationale": "r"}]), "events.yaml", "road-closed",
        "field 'alignment.0.partner': 'Atlantis' is not a partner listed in atlas.yaml"),
    "settings unknown field": (settings("titel: Mini Atlas\n"), None, "atlas.yaml", "", "field 'titel'"),
    "settings not a mapping": (settings("- title\n"), None, "atlas.yaml", "", "not a mapping"),
    "settings bad month": (settings("period: {first: 2020-13}\n"), None, "atlas.yaml", "", "field 'period.first'"),
    "settings period reversed": (settings("period: {first: 2023-01, last: 2022-01}\n"), None, "atlas.yaml", "",
                                 "before period.first"),
    "settings partner twice": (settings("partners: [{name: US}, {name: US}]\n"), None, "atlas.yaml", "", "listed twice: US"),
    "key moment not an event": (settings("key_moments: [{event: alpha, label: A}]\n"), None, "atlas.yaml", "key_moments",
                                "event 'alpha' is a place"),
    "layer of unknown event": (settings("layers: [{id: closures, label: C, note: n, events: [gone]}]\n"), None,
                               "atlas.yaml", "layers: closures", "event 'gone' does not exist"),
    "layer named like the map's own": (settings("layers: [{id: events, label: C, note: n, tags: [corridor]}]\n"), None,
                                       "atlas.yaml", "", "one of the map's own layers"),
    "issue label of no claim": (settings("issues: {nowhere: Nowhere}\n"), None, "atlas.yaml", "issues: nowhere",
                                "no claim in claims.yaml has the issue 'nowhere'"),
    "corridor issue argued by no claim": (None, with_change("corridors", 0, issue="nowhere"), "corridors.yaml",
                                          "alpha-road", "issue 'nowhere' is argued by no claim"),
    "unknown field": (None, with_change("terms", 0, colour="red"), "terms.yaml", "road", "field 'colour'"),
    "missing field": (None, {**minimal_records(), "terms": [{"id": "t", "definition": "d",
                      "citations": [{"source": "mini", "quote": "and it goes on"}]}]}, "terms.yaml", "t", "field 'term'"),
    "bad id": (None, with_change("terms", 0, id="Not A Slug"), "terms.yaml", "Not A Slug", "field 'id'"),
    "no citations": (None, with_change("terms", 0, citations=[]), "terms.yaml", "road", "field 'citations'"),
    "external date without reference": (None, with_change("events", 0, date_basis="external"), "events.yaml",
                                        "road-closed", "date_reference"),
    "item not a mapping": (lambda r: (r / "terms.yaml").write_text("- just a string\n"), None, "terms.yaml", "line 1",
                           "not a mapping"),
    "source text changed": (lambda r: (r / "sources" / "mini.txt").write_text("tampered"), None, "sources/mini.txt", "mini",
                            "sha256 is"),
    "source text missing": (lambda r: (r / "sources" / "mini.txt").unlink(), None, "sources/mini.txt", "mini",
                            "source text is missing"),
    "missing geometry file": (None, {**minimal_records(), "areas": [{"id": "zone", "names": {"international": "Zone"},
                              "area_type": "province", "summary": "s", "geometry": "areas/none.geojson",
                              "citations": [{"source": "mini", "quote": "and it goes on"}]}]}, "areas.yaml", "zone",
                              "geometry file 'areas/none.geojson' is missing"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_names_file_record_and_fix(tmp_path, case):
    mutate, records, file, record, message = CASES[case]
    problems = problems_for(tmp_path, mutate=mutate, records=records)
    hits = [p for p in problems if p.file == file and message in p.message and record in p.record]
    assert hits, f"expected {file} / {record} / {message!r}, got: {[str(p) for p in problems]}"
    assert all(p.fix for p in hits)
    assert "fix:" in str(hits[0])


def _area(tmp_path, geometry: dict) -> list:
    recs = {**minimal_records(), "areas": [{"id": "zone", "names": {"international": "Zone"}, "area_type": "province",
                                            "summary": "s", "geometry": "areas/zone.geojson",
                                            "citations": [{"source": "mini", "quote": "and it goes on"}]}]}

    def mutate(root):
        (root / "areas").mkdir()
        settings("region: {bounds: {west: 25, south: 25, east: 60, north: 60}}\n")(root)
        (root / "areas" / "zone.geojson").write_text(json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": geometry}]}))
    return problems_for(tmp_path, mutate=mutate, records=recs)


def test_valid_area_geometry_loads(tmp_path):
    assert _area(tmp_path, {"type": "Polygon", "coordinates": [[[45, 40], [46, 40], [46, 41], [45, 40]]]}) == []


def test_self_intersecting_geometry_is_refused(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[45, 40], [46, 41], [46, 40], [45, 41], [45, 40]]]}
    assert any("empty or invalid" in p.message for p in _area(tmp_path, bowtie))


def test_geometry_outside_region_is_refused(tmp_path):
    far = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    assert any("outside the region" in p.message for p in _area(tmp_path, far))


def test_passage_kind_override_that_matches_nothing(tmp_path):
    problems = problems_for(tmp_path, source_extra={"passage_kinds": [{"starts_with": "Nothing like", "kind": "meta"}]})
    assert any("passage_kinds" in p.message for p in problems)


def test_prefix_disambiguates_a_repeated_quote(tmp_path):
    recs = with_change("terms", 0, citations=[{"source": "mini", "quote": "Alpha", "prefix": "Observers in "}])
    assert problems_for(tmp_path, records=recs) == []


def test_missing_data_dir(tmp_path):
    _, problems = load_dataset(tmp_path / "nowhere")
    assert problems and "does not exist" in problems[0].message


def run_cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=REPO, capture_output=True, text=True, timeout=120, **kw)


def test_cli_validate_ok_and_reports_coverage(corpus):
    out = run_cli("validate", "--data-dir", str(corpus))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ok:" in out.stdout and "coverage:" in out.stdout


@pytest.mark.parametrize("breakage", ["garbage: [", "", "\xff\xfe"])
def test_cli_validate_bad_data_exits_1_without_traceback(corpus, breakage):
    (corpus / "events.yaml").write_bytes(breakage.encode("latin-1"))
    out = run_cli("validate", "--data-dir", str(corpus))
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert "events.yaml" in out.stdout and "fix:" in out.stdout and "1 problem" in out.stdout


def test_cli_reads_atlas_data_dir_env(corpus):
    import os
    out = run_cli("validate", env={**os.environ, "ATLAS_DATA_DIR": str(corpus)})
    assert out.returncode == 0 and str(corpus) not in out.stdout and "1 event" in out.stdout


def test_cli_usage_error_is_not_a_traceback():
    out = run_cli("export", "nonsense")
    assert out.returncode == 2 and "Traceback" not in out.stderr



def _brief(root, steps):
    import yaml as _yaml
    (root / "brief.yaml").write_text(_yaml.safe_dump(steps, allow_unicode=True), encoding="utf-8")


STEP = {"id": "one", "headline": "H", "text": "T", "view": {"kind": "map", "focus": "alpha", "date": "2022-12"},
        "citations": [{"source": "mini", "quote": "The road near Alpha was closed"}]}


def test_a_valid_brief_loads_with_resolved_citations(tmp_path):
    root = write_corpus(tmp_path / "data")
    _brief(root, [STEP])
    ds, problems = load_dataset(root)
    assert problems == [] and len(ds.brief) == 1 and ds.brief[0][1][0].passage == 2
    assert all(c.record_type != "brief" for c in ds.citations)  # brief quotes stay out of the record exports


@pytest.mark.parametrize("change,message", [
    ({"citations": [{"source": "mini", "quote": "nowhere in the text"}]}, "quote not found"),
    ({"view": {"kind": "map", "focus": "nope"}}, "view.focus 'nope'"),
    ({"view": {"kind": "map", "date": "2019-05"}}, "not a month of the map"),
    ({"view": {"kind": "slides"}}, "view.kind"),
])
def test_brief_problems_name_the_step(tmp_path, change, message):
    root = write_corpus(tmp_path / "data")
    _brief(root, [{**STEP, **change}])
    _, problems = load_dataset(root)
    assert any(p.file == "brief.yaml" and message in str(p) for p in problems), [str(p) for p in problems]

"""The data bundle: every file opens, every count matches the dataset, and it says how to cite it."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile

import pytest

from atlas.core.kinds import KINDS
from atlas.core.load import load_or_raise
from atlas.views import bundle, cite, export
from tests.conftest import REPO, shipped

EXPECTED = {"events.csv", "places.csv", "corridors.csv", "areas.csv", "claims.csv", "terms.csv", "citations.csv",
            "annotations.jsonld", "map.geojson", "metadata.json", "README.md"}


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


@pytest.fixture(scope="module")
def files(ds):
    raw = bundle.bundle_zip(ds, "https://atlas.example", dt.date(2026, 3, 7))
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert zf.testzip() is None
        return {name.removeprefix("atlas-data/"): zf.read(name).decode("utf-8") for name in zf.namelist()}


@shipped
def test_the_bundle_holds_every_file_and_each_parses_with_the_datasets_counts(ds, files):
    assert set(files) == EXPECTED
    for kind, name in bundle.kind_files().items():
        rows = list(csv.DictReader(io.StringIO(files[f"{name}.csv"])))
        assert [r["id"] for r in rows] == [r.id for r in ds.of_kind(kind)]
        header = next(csv.reader(io.StringIO(files[f"{name}.csv"])))
        assert header[:len(bundle.LEAD_COLUMNS)] == bundle.LEAD_COLUMNS
        model_fields = {f.alias or n for n, f in KINDS[kind].model.model_fields.items() if n != "kind"}
        assert model_fields <= set(header)
        for row in rows:
            assert int(row["citation_count"]) == len(ds.citations_of(row["id"])) and row["record_url"] == f"/record?id={row['id']}"
    citations = list(csv.DictReader(io.StringIO(files["citations.csv"])))
    assert next(csv.reader(io.StringIO(files["citations.csv"]))) == export.CITATION_COLUMNS
    assert len(citations) == len(ds.citations)
    annotations = json.loads(files["annotations.jsonld"])
    assert annotations["type"] == "AnnotationPage" and len(annotations["items"]) == len(ds.citations)
    geo = json.loads(files["map.geojson"])
    assert geo["type"] == "FeatureCollection" and geo == export.map_geojson(ds)


@shipped
def test_list_fields_are_json_cells_that_read_back(ds, files):
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["corridors.csv"]))}
    rec = ds.records["lachin-road"]
    assert json.loads(rows["lachin-road"]["route"]) == rec.route
    assert json.loads(rows["lachin-road"]["names"])["international"] == rec.title
    assert json.loads(rows["lachin-road"]["citations"]) == [c.model_dump(exclude_none=True) for c in rec.citations]


@shipped
def test_metadata_names_the_version_sources_perspectives_licences_and_rules(ds, files):
    meta = json.loads(files["metadata.json"])
    version = cite.data_version(ds)
    assert meta["data_version"]["digest"] == version[1] and meta["data_version"]["date"] == version[0]
    assert re.fullmatch(r"[0-9a-f]{12}", meta["coding_rules"]["version"])
    assert [s["id"] for s in meta["sources"]] == list(ds.sources)
    for s in meta["sources"]:
        assert s["perspective"] == ds.sources[s["id"]].perspective and s["licence"]
    assert meta["counts"]["citations"] == len(ds.citations) and meta["counts"]["events"] == len(ds.of_kind("event"))
    assert set(meta["files"]) == EXPECTED


@shipped
def test_the_readme_says_how_to_cite_the_bundle(ds, files):
    text = files["README.md"]
    version = cite.version_label(cite.data_version(ds))
    assert "## How to cite it" in text and version in text
    assert "Retrieved March 7, 2026, from https://atlas.example/about" in text
    assert re.search(r"@misc\{atlas-[a-z0-9-]+,\n  author = \{\{South Caucasus Security Atlas\}\}", text)
    for name in EXPECTED - {"README.md"}:
        assert f"`{name}`" in text


@shipped
def test_the_same_data_make_the_same_zip(ds):
    day = dt.date(2026, 3, 7)
    assert bundle.bundle_zip(ds, "http://h", day) == bundle.bundle_zip(ds, "http://h", day)


def test_export_bundle_writes_the_zip(corpus, tmp_path):
    out = tmp_path / "b.zip"
    res = subprocess.run([sys.executable, "-m", "atlas", "export", "bundle", "--out", str(out), "--data-dir", str(corpus)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    with zipfile.ZipFile(out) as zf:
        assert {n.removeprefix("atlas-data/") for n in zf.namelist()} == EXPECTED
        events = list(csv.DictReader(io.StringIO(zf.read("atlas-data/events.csv").decode())))
        assert [e["id"] for e in events] == ["road-closed"]

"""The citations CSV and W3C annotations exports: exact columns, exact spans."""
import csv
import io
import json
import subprocess
import sys

from atlas.core import geo
from atlas.core.load import load_or_raise
from atlas.views import export
from tests.conftest import REPO, shipped


def test_citation_csv_columns_are_the_contract(corpus):
    ds = load_or_raise(corpus)
    rows = list(csv.DictReader(io.StringIO(export.citations_csv(ds))))
    assert list(rows[0]) == ["record_id", "record_type", "title", "date", "date_precision", "source_id", "quote", "start", "end"]
    text = ds.texts["mini"].text
    for row in rows:
        assert text[int(row["start"]):int(row["end"])] == row["quote"]  # end exclusive
        assert row["record_type"] in {"event", "place", "corridor", "area", "claim", "term"}
    event = next(r for r in rows if r["record_id"] == "road-closed")
    assert (event["date"], event["date_precision"], event["title"]) == ("2022-12-12", "day", "Road closed")
    place = next(r for r in rows if r["record_id"] == "alpha")
    assert place["date"] == "" and place["date_precision"] == ""
    # corridor status citations are exported too, under the corridor
    assert sum(r["record_id"] == "alpha-road" for r in rows) == 2


def test_annotations_are_a_w3c_annotation_page(corpus):
    ds = load_or_raise(corpus)
    page = export.annotations(ds)
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld" and page["type"] == "AnnotationPage"
    assert len(page["items"]) == len(ds.citations)
    ids = [a["id"] for a in page["items"]]
    assert len(set(ids)) == len(ids)
    text = ds.texts["mini"].text
    for anno in page["items"]:
        assert anno["type"] == "Annotation"
        quote_sel, pos_sel = anno["target"]["selector"]
        assert quote_sel["type"] == "TextQuoteSelector" and pos_sel["type"] == "TextPositionSelector"
        assert text[pos_sel["start"]:pos_sel["end"]] == quote_sel["exact"]
        assert text[:pos_sel["start"]].endswith(quote_sel["prefix"])
        assert text[pos_sel["end"]:].startswith(quote_sel["suffix"])
        assert anno["target"]["source"] == "urn:atlas:source:mini"
        assert anno["body"]["id"].startswith("urn:atlas:")


def test_cli_exports_write_files(corpus, tmp_path):
    out_csv, out_ld = tmp_path / "c.csv", tmp_path / "a.jsonld"
    for what, out in (("citations", out_csv), ("annotations", out_ld)):
        res = subprocess.run([sys.executable, "-m", "atlas", "export", what, "--out", str(out), "--data-dir", str(corpus)],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
    assert out_csv.read_text().startswith("record_id,record_type,title,date,date_precision,source_id,quote,start,end\n")
    assert json.loads(out_ld.read_text())["type"] == "AnnotationPage"


def test_cli_export_refuses_bad_data(corpus, tmp_path):
    (corpus / "terms.yaml").write_text("- id: [")
    out = tmp_path / "c.csv"
    res = subprocess.run([sys.executable, "-m", "atlas", "export", "citations", "--out", str(out), "--data-dir", str(corpus)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and not out.exists() and "terms.yaml" in res.stderr


def test_map_geojson_keeps_geometry_and_provenance(corpus):
    ds = load_or_raise(corpus)
    doc = export.map_geojson(ds)
    kinds = {f["properties"]["kind"]: f for f in doc["features"]}
    assert kinds["place"]["geometry"]["type"] == "Point" and kinds["corridor"]["geometry"]["type"] == "LineString"
    assert kinds["corridor"]["properties"]["schematic"] is True
    assert kinds["corridor"]["properties"]["statuses"][0]["status"] == "blocked"
    assert kinds["event"]["properties"]["date_precision"] == "day"
    for f in doc["features"]:
        assert f["properties"]["citations"] and all("quote" in c for c in f["properties"]["citations"])


@shipped
def test_briefing_is_self_contained_and_cites_every_quote():
    import re

    ds = load_or_raise()
    page = export.briefing_html(ds)
    assert page.startswith("<!doctype html>") and "data:image/png;base64," in page and "Plotly.newPlot" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?://", page)  # nothing fetched from elsewhere
    from markupsafe import escape as _esc
    for step, cits in ds.brief:
        assert _esc(step.headline) in page
        for c in cits:
            assert _esc(c.quote) in page
    assert all(_esc(s.title) in page for s in ds.sources.values())
    # each step draws its own figure: a map picture at the step's month, or the chart for the step's partners
    sections = page.split("<section class='step'>")[1:]
    assert len(sections) == len(ds.brief)
    for (step, _), section in zip(ds.brief, sections, strict=True):
        if step.view.kind == "map":
            assert section.count("data:image/png;base64,") == 1 and "Plotly.newPlot" not in section
            assert _esc(geo.month_label(step.view.date.text)) in section
        else:
            assert section.count("Plotly.newPlot") == 1
            assert all(f'"name":"{p}"' in section for p in step.view.partners)
    maps = [s.view for s, _ in ds.brief if s.view.kind == "map"]
    pictures = re.findall(r"<img [^>]*src='data:image/png;base64,([^']+)'", page)
    assert len(set(pictures)) == len(maps)  # not one map repeated: each at its own month and focus


def test_cli_writes_geojson_and_briefing(tmp_path):
    for what, name in (("geojson", "m.geojson"), ("briefing", "b.html")):
        out = tmp_path / name
        res = subprocess.run([sys.executable, "-m", "atlas", "export", what, "--out", str(out)], cwd=REPO,
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        assert out.stat().st_size > 1000
    assert json.loads((tmp_path / "m.geojson").read_text())["type"] == "FeatureCollection"

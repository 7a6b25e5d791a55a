"""A hostile corpus: each test copies the shipped data/ (or builds a small corpus) with one thing broken or booby-trapped
and checks that the Atlas refuses it with one readable problem naming the file and the fix — no segfault, no
RecursionError, no file read from outside the data directory, no server path shown — or copes with it as the README says.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml

from atlas.core import csvio, geo, load, paths
from atlas.core.corpus import SourceText, segment
from atlas.core.load import load_dataset
from atlas.views import deck, export, figures, staticmap
from tests.conftest import REPO, TEXT, minimal_records, shipped, write_corpus
from tests.test_pages import PAGES, html_of, notices, run_page


@pytest.fixture
def data_copy(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, root)
    return root


def validate(root: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "atlas", "validate", "--data-dir", str(root)], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


def refused(out: subprocess.CompletedProcess, file: str, words: str) -> list[str]:
    """The problem lines naming `file` and saying `words`, after checking the run ended cleanly with exit code 1."""
    assert out.returncode == 1, f"exit {out.returncode} (139 or -11 is a segfault)\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stdout + out.stderr and "RecursionError" not in out.stdout + out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith(file) and words in line and " — fix: " in line]
    assert lines, out.stdout
    return lines


def problems_in(root: Path, file: str, words: str, record: str = "") -> list[load.Problem]:
    _, problems = load_dataset(root)
    hits = [p for p in problems if p.file == file and words in p.message and record in p.record and p.fix]
    assert hits, [str(p) for p in problems]
    return hits


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_first_title(root: Path, value: str) -> None:
    """Give the first event in events.yaml another title, written as raw YAML."""
    import re

    path = root / "events.yaml"
    text, n = re.subn(r"^  title: .*$", lambda _: "  title: " + value, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert n == 1
    path.write_text(text, encoding="utf-8")


def page_text(at) -> str:
    """Everything a visitor can read on a page drawn by AppTest."""
    parts = [html_of(at)]
    for kind in ("title", "error", "markdown", "caption", "info", "warning"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


# --- YAML: nesting that crashed libyaml's composer, and file size -----------------------------------------------------

DEEP_YAML = {
    "flow sequences (the 200 KB title that segfaulted)": "[" * 100_000 + "]" * 100_000,
    "flow sequences left open": "[" * 100_000,
    "flow mappings": "{a: " * 100_000 + "}" * 100_000,
}


@pytest.mark.parametrize("case", sorted(DEEP_YAML))
def test_deeply_nested_yaml_is_one_problem_line_not_a_segfault(case, data_copy):
    set_first_title(data_copy, DEEP_YAML[case])
    [line] = refused(validate(data_copy), "events.yaml", "nested more than 32 levels deep at line")
    assert "remove the extra brackets or indentation" in line


def test_deep_block_nesting_is_refused_too(data_copy):
    (data_copy / "terms.yaml").write_text("- " * 50_000 + "x\n", encoding="utf-8")
    refused(validate(data_copy), "terms.yaml", "nested more than 32 levels deep")


def test_the_app_shows_the_problem_instead_of_dying(data_copy, monkeypatch):
    set_first_title(data_copy, "[" * 100_000 + "]" * 100_000)
    at = run_page("home", {}, data_copy, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "The evidence base could not be loaded"
    assert "nested more than 32 levels deep" in html_of(at)


def test_records_of_ordinary_depth_still_load(tmp_path):
    # a corridor status's citation is the deepest thing the format has: list > record > statuses > status > citations
    root = write_corpus(tmp_path / "data")
    _, problems = load_dataset(root)
    assert problems == []


def test_yaml_file_over_the_size_limit_is_refused_before_it_is_read(data_copy):
    with open(data_copy / "claims.yaml", "r+b") as f:
        f.truncate(load.MAX_YAML_BYTES + 1)  # sparse: refused from its size alone
    [p] = problems_in(data_copy, "claims.yaml", "more than the limit of 16.0 MiB")
    assert "Limits in data/README.md" in p.message


def test_cameo_table_that_breaks_the_csv_reader_is_a_problem(data_copy):
    (data_copy / "cameo.csv").write_text('cameo_code,event_type,goldstein_score\n"' + "x" * 200_000 + "\n", encoding="utf-8")
    problems_in(data_copy, "cameo.csv", "not a readable CSV table")


# --- GeoJSON: areas and the basemap are read at load, with limits ------------------------------------------------------

def test_deep_area_geojson_is_a_problem_not_a_recursion_error(data_copy):
    (data_copy / "areas" / "syunik.geojson").write_text('{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}")
    [p] = problems_in(data_copy, "areas.yaml", "'areas/syunik.geojson' nests", record="syunik")
    assert "Polygon or MultiPolygon" in p.fix


def test_deep_properties_in_a_geojson_are_refused(data_copy):
    path = data_copy / "areas" / "syunik.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"] = json.loads('{"a": ' * 200 + "1" + "}" * 200)
    path.write_text(json.dumps(doc), encoding="utf-8")
    problems_in(data_copy, "areas.yaml", "properties are nested deeper", record="syunik")


def _first_position(text: str, pos: list) -> bytes:
    doc = json.loads(text)
    geom = doc["features"][0]["geometry"]
    ring = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"][0][0]
    ring[0] = pos
    return json.dumps(doc).encode()


BROKEN_BASEMAP = {
    "half-written": (lambda t: t[: len(t) // 2].encode(), "is not valid JSON at line 1"),
    "not UTF-8": (lambda t: t.encode("utf-16"), "is not UTF-8"),
    "nested 100,000 deep": (lambda t: ("[" * 100_000 + "]" * 100_000).encode(), "nests lists and objects far deeper"),
    "a list, not GeoJSON": (lambda t: b"[1, 2]", "holds a JSON list"),
    "points instead of polygons": (lambda t: b'{"type": "Point", "coordinates": [45, 40]}', "has type 'Point'"),
    "a position of strings": (lambda t: _first_position(t, ["x", "y"]), "is not [lon, lat] in finite numbers"),
    "a NaN coordinate": (lambda t: _first_position(t, [float("nan"), 40.0]), "is not [lon, lat] in finite numbers"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_BASEMAP))
def test_broken_basemap_is_refused_by_validate(case, data_copy):
    path = data_copy / geo.BASEMAP_10M
    breaker, words = BROKEN_BASEMAP[case]
    path.write_bytes(breaker(path.read_text(encoding="utf-8")))
    [line] = refused(validate(data_copy), geo.BASEMAP_10M, words)
    assert "regenerate it with python -m atlas.tools.basemap" in line


def test_broken_basemap_stops_the_briefing_export_cleanly(data_copy, tmp_path):
    (data_copy / geo.BASEMAP_50M).write_bytes(b"\xff\xfe{")
    out = subprocess.run([sys.executable, "-m", "atlas", "export", "briefing", "--data-dir", str(data_copy),
                          "--out", str(tmp_path / "b.html")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert geo.BASEMAP_50M in out.stderr and not (tmp_path / "b.html").exists()


@pytest.mark.parametrize("page", ["map", "brief", "alignments"])
def test_broken_basemap_gives_the_error_page(page, data_copy, monkeypatch):
    (data_copy / geo.BASEMAP_10M).write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    at = run_page(page, {}, data_copy, monkeypatch)
    assert not at.exception and at.title[0].value == "The evidence base could not be loaded"
    assert geo.BASEMAP_10M in html_of(at)


def test_a_corpus_without_a_basemap_still_loads(data_copy):
    shutil.rmtree(data_copy / "basemap")
    ds, problems = load_dataset(data_copy)
    assert problems == [] and geo.geojson(ds, geo.BASEMAP_10M) is None


def _ring(n: int) -> list[list[float]]:
    """A closed ring of n positions around a circle in Armenia."""
    import math

    pts = [[round(45 + 0.5 * math.cos(2 * math.pi * i / (n - 1)), 6), round(40 + 0.5 * math.sin(2 * math.pi * i / (n - 1)), 6)]
           for i in range(n - 1)]
    return pts + [pts[0]]


def test_million_vertex_polygon_is_refused(data_copy):
    doc = {"type": "Polygon", "coordinates": [_ring(1_000_000)]}
    (data_copy / "areas" / "syunik.geojson").write_text(json.dumps(doc))  # about 24 MB
    problems_in(data_copy, "areas.yaml", "more than the limit of 8.0 MiB", record="syunik")


def test_vertex_limit_of_one_file(data_copy):
    doc = {"type": "Polygon", "coordinates": [_ring(load.MAX_VERTICES + 1)]}
    (data_copy / "areas" / "syunik.geojson").write_text(json.dumps(doc))  # 1.3 MB: under the size limit
    [p] = problems_in(data_copy, "areas.yaml", "more than 50,000 positions, the limit for one file", record="syunik")
    assert "simplify" in p.fix


def test_vertex_limit_of_all_files_together(data_copy):
    areas = yaml.safe_load((data_copy / "areas.yaml").read_text(encoding="utf-8"))
    for i in range(3):
        (data_copy / "areas" / f"big-{i}.geojson").write_text(json.dumps({"type": "Polygon", "coordinates": [_ring(45_000)]}))
        areas.append({**areas[0], "id": f"big-area-{i}", "geometry": f"areas/big-{i}.geojson"})
    (data_copy / "areas.yaml").write_text(yaml.safe_dump(areas, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems_in(data_copy, "areas.yaml", "the GeoJSON files together hold more than 100,000 positions")


def test_geometry_is_read_into_the_snapshot_at_load(data_copy):
    """A geometry file half-rewritten (or deleted) while the app runs cannot break a map drawn from the loaded data."""
    ds, problems = load_dataset(data_copy)
    assert problems == []
    before = geo.geojson(ds, "areas/syunik.geojson")
    assert before["type"] == "FeatureCollection" and before["features"]
    path = data_copy / "areas" / "syunik.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:100], encoding="utf-8")
    (data_copy / geo.BASEMAP_10M).unlink()
    assert geo.geojson(ds, "areas/syunik.geojson") is before and geo.geojson(ds, geo.BASEMAP_10M)
    build = deck.build_map(ds, figures.MapView(focus="syunik"))
    assert "syunik" in build.mapped
    assert staticmap.render_png(ds, figures.MapView())[:4] == b"\x89PNG"
    areas = [f for f in export.map_geojson(ds)["features"] if f["properties"]["id"] == "syunik"]
    assert areas and areas[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


# --- data/README.md -----------------------------------------------------------------------------------------------------

def test_readme_not_utf8_is_a_problem(data_copy, monkeypatch):
    (data_copy / "README.md").write_bytes("## Coding rules\n\ncaf\xe9\n".encode("latin-1"))
    problems_in(data_copy, "README.md", "not UTF-8")
    at = run_page("alignments", {}, data_copy, monkeypatch)
    assert not at.exception and at.title[0].value == "The evidence base could not be loaded"


def test_readme_over_its_limit_is_a_problem(data_copy):
    with open(data_copy / "README.md", "ab") as f:
        f.write(b"x" * load.MAX_OTHER_BYTES)
    problems_in(data_copy, "README.md", "more than the limit of 1.0 MiB")


def test_readme_is_read_at_load_and_optional(data_copy):
    ds, problems = load_dataset(data_copy)
    assert problems == [] and "## Coding rules" in ds.readme
    (data_copy / "README.md").unlink()
    ds, problems = load_dataset(data_copy)
    assert problems == [] and ds.readme is None


# --- links and special files -------------------------------------------------------------------------------------------

def _point_source_at(root: Path, target: Path) -> None:
    """Make a source text a link to `target`, with the catalogue's sha256 updated to match, as an attacker would."""
    rel = "sources/news-summary-2023-11-09.txt"
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    old = hashlib.sha256((root / rel).read_bytes()).hexdigest()
    (root / rel).unlink()
    (root / rel).symlink_to(target)
    replace_in(root / "sources.yaml", old, digest)


def test_source_text_linked_to_a_file_outside_is_not_loaded(data_copy, tmp_path, monkeypatch):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    _point_source_at(data_copy, secret)
    [line] = refused(validate(data_copy), "sources/news-summary-2023-11-09.txt", "link to a file outside the data directory")
    assert "copy the file into the data directory" in line
    at = run_page("sources", {"source": "news-summary-2023-11-09"}, data_copy, monkeypatch)
    assert not at.exception and at.title[0].value == "The evidence base could not be loaded"
    assert "root:x:0:0" not in page_text(at) and not at.get("download_button")


def test_etc_passwd_itself_is_refused(data_copy):
    _point_source_at(data_copy, Path("/etc/passwd"))
    problems_in(data_copy, "sources/news-summary-2023-11-09.txt", "outside the data directory", record="news-summary-2023-11-09")


def test_a_linked_directory_leading_outside_is_refused(data_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.move(data_copy / "sources", outside)
    (data_copy / "sources").symlink_to(outside)
    problems_in(data_copy, "sources/avim-security-balance-2023.txt", "outside the data directory")


def test_a_geometry_path_leading_outside_is_refused(data_copy):
    shutil.copy(data_copy / "areas" / "syunik.geojson", data_copy.parent / "outside.geojson")
    replace_in(data_copy / "areas.yaml", "geometry: areas/syunik.geojson", "geometry: ../outside.geojson")
    problems_in(data_copy, "areas.yaml", "outside the data directory", record="syunik")


def test_links_that_stay_inside_the_data_directory_are_followed(data_copy):
    (data_copy / "terms.yaml").rename(data_copy / "terms-master.yaml")
    (data_copy / "terms.yaml").symlink_to("terms-master.yaml")
    ds, problems = load_dataset(data_copy)
    assert problems == [] and ds.of_kind("term")


def test_a_fifo_is_refused_without_blocking(data_copy):
    (data_copy / "events.yaml").unlink()
    os.mkfifo(data_copy / "events.yaml")  # reading it would block the loader for ever
    refused(validate(data_copy, timeout=60), "events.yaml", "is a FIFO, socket or device, not a regular file")


def test_a_device_behind_a_link_is_refused(data_copy):
    (data_copy / "claims.yaml").unlink()
    (data_copy / "claims.yaml").symlink_to("/dev/zero")  # reading it would never end
    problems_in(data_copy, "claims.yaml", "outside the data directory")


def test_a_directory_in_place_of_a_file(data_copy):
    (data_copy / "terms.yaml").unlink()
    (data_copy / "terms.yaml").mkdir()
    problems_in(data_copy, "terms.yaml", "is a directory, not a regular file")


def test_error_page_names_files_relative_to_the_data_directory(data_copy, monkeypatch):
    replace_in(data_copy / "events.yaml", "quote: the truce of 9 November", "quote: the truce of 10 November")
    (data_copy / "README.md").write_bytes(b"\xff")
    at = run_page("home", {}, data_copy, monkeypatch)
    text = page_text(at)
    assert "events.yaml" in text and "README.md" in text
    assert str(data_copy) not in text and str(data_copy.parent) not in text and "/tmp" not in text


def test_error_page_for_a_missing_directory_shows_no_path(tmp_path, monkeypatch):
    at = run_page("home", {}, tmp_path / "absent", monkeypatch)
    text = page_text(at)
    assert not at.exception and "does not exist" in text
    assert str(tmp_path) not in text


# --- long sources: the reader pages them; segmentation is linear; CRLF splits --------------------------------------

def _add_long_source(root: Path, paragraphs: int) -> str:
    text = "\n\n".join(f"Paragraph {i} of a very long report. " + "The road stayed closed all winter. " * 20
                       for i in range(1, paragraphs + 1)) + "\n"
    raw = text.encode("utf-8")
    (root / "sources" / "long-report.txt").write_bytes(raw)
    catalogue = yaml.safe_load((root / "sources.yaml").read_text(encoding="utf-8"))
    catalogue.append({**catalogue[0], "id": "long-report", "title": "A long report", "sha256": hashlib.sha256(raw).hexdigest()})
    catalogue[-1].pop("passage_kinds", None)
    catalogue[-1].pop("boilerplate_from", None)
    (root / "sources.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return text


def test_long_source_is_paged_and_each_page_is_a_link(data_copy, monkeypatch):
    text = _add_long_source(data_copy, 4_000)  # 2.9 MB
    assert len(text) > 2_800_000
    at = run_page("sources", {"source": "long-report"}, data_copy, monkeypatch)
    assert not at.exception and not notices(at)
    html = html_of(at)
    assert len(html) < 400_000  # one page, not the whole source
    assert 'id="p1"' in html and 'id="p84"' not in html
    assert at.number_input(key="url:passages_page").value == 1 and "passages_page" not in at.query_params
    assert any(c.value.startswith("Page 1 of ") for c in at.caption)
    assert "passages_page=2" in html  # a "Next page" link

    at = run_page("sources", {"source": "long-report", "passages_page": "3"}, data_copy, monkeypatch)
    assert not at.exception and at.number_input(key="url:passages_page").value == 3
    assert 'id="p167"' in html_of(at) and 'id="p1"' not in html_of(at)


def test_a_linked_passage_opens_the_page_holding_it(data_copy, monkeypatch):
    _add_long_source(data_copy, 4_000)
    at = run_page("sources", {"source": "long-report", "passage": "3000"}, data_copy, monkeypatch)
    assert not at.exception and not notices(at)
    html = html_of(at)
    assert 'class="atlas-passage atlas-text atlas-focused" id="p3000"' in html and "scrollIntoView" in html
    assert dict(at.query_params) == {"source": "long-report", "passage": "3000"}


@pytest.mark.parametrize("value", ["0", "nope", "99999"])
def test_a_bad_reader_page_gives_a_notice_and_page_one(value, data_copy, monkeypatch):
    _add_long_source(data_copy, 1_000)
    at = run_page("sources", {"source": "long-report", "passages_page": value}, data_copy, monkeypatch)
    assert not at.exception and len(notices(at)) == 1 and "pages of this source" in notices(at)[0]
    assert 'id="p1"' in html_of(at)


@shipped
def test_short_sources_have_no_pager(monkeypatch):
    at = run_page("sources", {"source": "avim-security-balance-2023"}, monkeypatch=monkeypatch)
    assert not at.exception and not at.number_input and "passages_page" not in html_of(at)


def test_a_50_mb_source_is_refused_by_its_size(data_copy):
    with open(data_copy / "sources" / "avim-security-balance-2023.txt", "r+b") as f:
        f.truncate(50 * 2**20)
    [p] = problems_in(data_copy, "sources/avim-security-balance-2023.txt", "50.0 MiB, more than the limit of 8.0 MiB")
    assert "split the document" in p.fix


def test_an_overlong_passage_is_refused(tmp_path):
    root = write_corpus(tmp_path / "data", text=TEXT + "\n" + "Word " * 12_000 + "\n")
    problems_in(root, "sources/mini.txt", "passage 5 is 59,999 characters long, more than the limit of 50,000", record="mini")


def test_segmentation_memory_is_linear():
    n = 2_000_000
    text = ("Word " * (n // 5)) + "\n"  # one paragraph, with a line break to strip
    tracemalloc.start()
    try:
        spans = segment(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert spans == [(0, n - 1)]
    assert peak < 4 * n  # the paragraph regex it replaced took about 125 bytes per character


def test_crlf_source_splits_into_the_same_passages():
    lf = (REPO / "data" / "sources" / "avim-security-balance-2023.txt").read_text(encoding="utf-8")
    for eol in ("\r\n", "\r"):
        other = lf.replace("\n", eol)
        a, b = SourceText.build("x", lf), SourceText.build("x", other)
        assert len(b.passages) == len(a.passages) > 30
        assert [b.raw(p).replace(eol, "\n") for p in b.passages] == [a.raw(p) for p in a.passages]
        assert [p.kind for p in b.passages] == [p.kind for p in a.passages]


def test_crlf_corpus_validates_with_offsets_exact_against_the_stored_bytes(tmp_path):
    text = TEXT.replace("\n", "\r\n")
    root = write_corpus(tmp_path / "data", text=text)
    ds, problems = load_dataset(root)
    assert problems == []
    stored = (root / "sources" / "mini.txt").read_bytes()
    assert b"\r\n\r\n" in stored and len(ds.texts["mini"].passages) == 4
    for c in ds.citations:
        assert stored[c.start:c.end].decode("utf-8") == c.quote  # ASCII text: characters and bytes coincide


def _old_segment(text: str) -> list[tuple[int, int]]:
    """The block regex the linear segmentation replaced (for LF texts they must agree)."""
    import re

    block = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
    spans: list[tuple[int, int]] = []
    for m in block.finditer(text):
        raw = m.group(0)
        if not raw.strip():
            continue
        start, end = m.start() + len(raw) - len(raw.lstrip()), m.end() - (len(raw) - len(raw.rstrip()))
        prev = text[spans[-1][0]:spans[-1][1]] if spans else ""
        if spans and len(prev) > 80 and not prev.startswith("#") and not prev.rstrip().endswith(
                tuple('.!?:;"”’)]>*')) and text[start:end][:1].islower():
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def test_linear_segmentation_agrees_with_the_old_one_on_lf_texts():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(["a", "B", " ", "\t", "\n", "\n\n", ".", "#", "x" * 90, "\u00a0", "\x0c"]),
                    max_size=40).map("".join))
    def check(text):
        assert segment(text) == _old_segment(text)

    check()


# --- CSV injection -----------------------------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _formula_corpus(tmp_path) -> Path:
    text = TEXT + "\n-cmd|' /C calc'!A0 was written here.\n"
    recs = minimal_records()
    ev = recs["events"][0]
    ev.update(title=FORMULAS[0], summary=FORMULAS[1], reported_by=FORMULAS[2], actors=[FORMULAS[3]])
    ev["citations"].append({"source": "mini", "quote": "-cmd|' /C calc'!A0"})
    recs["terms"][0]["term"] = FORMULAS[4]
    recs["claims"][0]["summary"] = FORMULAS[5]
    return write_corpus(tmp_path / "data", text=text, records=recs)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _assert_inert(text: str) -> None:
    """No cell a spreadsheet would run: each starts with none of = + - @ tab CR, or is a plain number (-1.9)."""
    cells = _cells(text)
    assert cells and not [c for c in cells if c.startswith(csvio.FORMULA_STARTS) and not _is_number(c)]


def test_citations_and_events_csv_neutralise_formulas(tmp_path):
    ds, problems = load_dataset(_formula_corpus(tmp_path))
    assert problems == []
    from atlas.analysis import explore

    events = explore.events_csv(ds, ["road-closed"])
    _assert_inert(events)
    cells = _cells(events)
    assert "'" + FORMULAS[0] in cells and "'+1+1" in cells and "'-2+3" in cells and "'@SUM(A1)" in cells
    assert "'-cmd|' /C calc'!A0" in cells
    citations = export.citations_csv(ds)
    _assert_inert(citations)
    assert "'" + FORMULAS[0] in _cells(citations)


def test_cli_citations_export_is_neutralised(tmp_path):
    root = _formula_corpus(tmp_path)
    out = subprocess.run([sys.executable, "-m", "atlas", "export", "citations", "--data-dir", str(root)], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    _assert_inert(out.stdout)


def test_table_downloads_neutralise_text_and_keep_numbers():
    import pandas as pd

    frame = pd.DataFrame({"title": ["=1+1", "ok", "-x"], "contribution": [-1.5, 0.5, -2.0]})
    rows = list(csv.reader(io.StringIO(csvio.frame_csv(frame))))
    assert rows == [["title", "contribution"], ["'=1+1", "-1.5"], ["ok", "0.5"], ["'-x", "-2.0"]]


def test_json_exports_keep_text_exact(tmp_path):
    ds, _ = load_dataset(_formula_corpus(tmp_path))
    exact = json.loads(export.annotations_jsonld(ds))
    assert any(i["body"]["value"].endswith(FORMULAS[0]) for i in exact["items"])


# --- an empty (valid) corpus -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("empty") / "data"
    write_corpus(root, records={k: [] for k in minimal_records()})
    (root / "sources.yaml").write_text("[]\n", encoding="utf-8")
    (root / "sources" / "mini.txt").unlink()
    return root


def test_empty_corpus_validates(empty_corpus):
    out = validate(empty_corpus)
    assert out.returncode == 0 and "0 sources, no records" in out.stdout


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_works_on_an_empty_corpus(page, empty_corpus, monkeypatch):
    at = run_page(page, {}, empty_corpus, monkeypatch)
    assert not at.exception
    assert at.title or at.info or "<h1>" in html_of(at)


def test_exports_work_on_an_empty_corpus(empty_corpus):
    ds, _ = load_dataset(empty_corpus)
    assert _cells(export.citations_csv(ds)) == export.CITATION_COLUMNS
    assert "<html" in export.briefing_html(ds)
    assert staticmap.render_png(ds, figures.MapView())[:4] == b"\x89PNG"


def test_the_table_grid_offers_no_export_of_raw_cells():
    """st.dataframe's own CSV download (checked in Streamlit 1.67's bundle) quotes cells but never neutralises them."""
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_coding_rules_come_from_the_loaded_readme(data_copy):
    from atlas.analysis import alignment

    ds, _ = load_dataset(data_copy)
    rules = alignment.coding_rules(ds)
    assert rules and rules.startswith("These rules decide") and "## Limits" not in rules
    (data_copy / "README.md").write_bytes(b"\xff half-written")  # an edit under way does not reach the page
    assert alignment.coding_rules(ds) == rules


def test_alignment_table_download_is_neutralised(tmp_path):
    from atlas.analysis import alignment

    ds, _ = load_dataset(_formula_corpus(tmp_path))
    text = alignment.table_csv(ds, alignment.Options(), ("Russia",)).decode("utf-8")
    _assert_inert(text)
    assert "'" + FORMULAS[0] in _cells(text)

"""Bad data over a copy of the real data/: each breakage gives exit 1 naming file and record, and the app's
clear error page; nothing is half-loaded."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from atlas.core import paths
from tests.conftest import REPO
from tests.test_pages import html_of, run_page


def _replace(rel, old, new):
    def mutate(root):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"mutation target missing in {rel}: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def _write(rel, content: bytes):
    return lambda root: (root / rel).write_bytes(content)


MUTATIONS = {
    # name: (mutation, file named in the problem, record named in the problem)
    "missing catalogue": (lambda root: (root / "sources.yaml").unlink(), "sources.yaml", ""),  # record files are optional
    "empty file": (_write("terms.yaml", b""), "terms.yaml", ""),
    "invalid yaml": (_write("corridors.yaml", b"- id: x\n  route: [unclosed\n"), "corridors.yaml", ""),
    "wrong encoding": (lambda root: (root / "places.yaml").write_bytes(
        (root / "places.yaml").read_text(encoding="utf-8").encode("utf-16")), "places.yaml", ""),
    "duplicate id": (_replace("terms.yaml", "- id: csto\n", "- id: yerevan\n"), "terms.yaml", "yerevan"),
    "unknown reference": (_replace("events.yaml", "  place: jermuk\n", "  place: atlantis\n"), "events.yaml",
                          "september-2022-border-fighting"),
    "quote not in source": (_replace("events.yaml", "quote: the truce of 9 November", "quote: the truce of 10 November"),
                            "events.yaml", "ceasefire-statement-2020"),
    "ambiguous quote": (_replace("events.yaml", "quote: the truce of 9 November", "quote: Armenia"), "events.yaml",
                        "ceasefire-statement-2020"),
    "impossible date": (_replace("events.yaml", "date: 2020-11-09", "date: 2020-11-31"), "events.yaml",
                        "ceasefire-statement-2020"),
    "coordinates outside the region": (_replace("places.yaml", "lon: 44.5136", "lon: 4.5136"), "places.yaml", "yerevan"),
    "bad cameo code": (_replace("events.yaml", 'cameo: "057"', 'cameo: "999"'), "events.yaml", "ceasefire-statement-2020"),
    "source text altered": (lambda root: (root / "sources" / "news-summary-2023-11-09.txt").write_text("changed"),
                            "sources/news-summary-2023-11-09.txt", "news-summary-2023-11-09"),
}


def _invalid_geometry(root):
    path = root / "areas" / "syunik.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    doc["features"][0]["geometry"]["coordinates"][0] = [ring[0], ring[2], ring[1], ring[3], ring[0]]  # a bow tie
    path.write_text(json.dumps(doc), encoding="utf-8")


MUTATIONS["invalid geometry"] = (_invalid_geometry, "areas.yaml", "syunik")


@pytest.fixture
def data_copy(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, root)
    return root


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_validate_names_file_and_record(name, data_copy):
    mutate, file, record = MUTATIONS[name]
    mutate(data_copy)
    out = subprocess.run([sys.executable, "-m", "atlas", "validate", "--data-dir", str(data_copy)], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stdout
    assert "Traceback" not in out.stdout + out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith(file) and "fix:" in line]
    assert lines and (not record or any(record in line for line in lines)), out.stdout


@pytest.mark.parametrize("name", ["invalid yaml", "quote not in source", "coordinates outside the region"])
def test_the_app_shows_the_error_page_not_half_the_data(name, data_copy, monkeypatch):
    MUTATIONS[name][0](data_copy)
    for page in ("home", "map", "alignments"):
        at = run_page(page, {}, data_copy, monkeypatch)
        assert not at.exception
        assert at.title and at.title[0].value == "The evidence base could not be loaded"
        assert MUTATIONS[name][1] in html_of(at)
        assert not at.get("deck_gl_json_chart") and not at.get("plotly_chart")

"""Issue 13, "Done when": a copy of data/ with a 2025 source, an event citing it and a new partner, added by the
README's "How to add a source" steps, serves every page with 2025 on the map's slider and on the chart: the period,
the partners and the map's months come from the data, not the code."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from atlas.analysis import alignment
from atlas.core import geo, paths
from atlas.core.load import load_dataset, load_or_raise
from atlas.views import charts
from tests.conftest import shipped
from tests.test_pages import PAGES, notices, run_page

pytestmark = shipped  # a copy of the shipped corpus, with a 2025 source added

SOURCE_ID = "news-2025-talks"
# Our own short text: a made-up news report written for this test, never a real document.
TEXT = """Talks in Yerevan, August 2025

Armenian and European Union officials met in Yerevan on 12 August 2025 to open a new round of talks on border monitoring.

Japan sent an observer to the talks and pledged funds for a customs post on the Georgian border.
"""
QUOTE_EU = "Armenian and European Union officials met in Yerevan on 12 August 2025"
QUOTE_JAPAN = "Japan sent an observer to the talks and pledged funds for a customs post"
SOURCE_ENTRY = f"""
- id: {SOURCE_ID}
  title: "[Talks in Yerevan, August 2025]"
  author: unsigned
  publisher: a test news service
  date_published: 2025-08-14
  date_basis: written for this test
  language: en
  source_type: news report
  perspective: A short report written for the Atlas's tests; it speaks for no side.
  sha256: {hashlib.sha256(TEXT.encode("utf-8")).hexdigest()}
"""
EVENT_ENTRY = f"""
- id: border-talks-2025
  title: Armenia and the EU open talks on border monitoring
  summary: Officials of Armenia and the EU meet in Yerevan to start talks on monitoring the border; Japan observes.
  date: 2025-08-12
  date_basis: stated
  actors: [Armenia, EU, Japan]
  place: yerevan
  tags: [diplomacy]
  alignment:
    - partner: EU
      cameo: "036"
      direction: toward
      rationale: Armenia opens talks with the EU on a shared task.
    - partner: Japan
      cameo: "033"
      direction: toward
      rationale: Japan pledges material aid for Armenia's border.
  citations:
    - source: {SOURCE_ID}
      quote: {QUOTE_EU}
    - source: {SOURCE_ID}
      quote: {QUOTE_JAPAN}
"""


def add_2025_source(root, with_partner: bool = True) -> None:
    """The README's steps: store the text, catalogue it with its sha256, add a record citing it exactly, and (a partner
    the corpus did not know) list the partner in atlas.yaml."""
    (root / "sources" / f"{SOURCE_ID}.txt").write_bytes(TEXT.encode("utf-8"))
    with open(root / paths.SOURCES_FILE, "a", encoding="utf-8") as f:
        f.write(SOURCE_ENTRY)
    with open(root / "events.yaml", "a", encoding="utf-8") as f:
        f.write(EVENT_ENTRY)
    if with_partner:
        settings = (root / paths.SETTINGS_FILE).read_text(encoding="utf-8")
        assert settings.count("  - name: Ukraine\n") == 1
        (root / paths.SETTINGS_FILE).write_text(settings.replace("  - name: Ukraine\n", "  - name: Ukraine\n  - name: Japan\n"),
                                                encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_2025(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, root)
    add_2025_source(root)
    return root


def test_the_2025_source_validates_and_extends_the_period(corpus_2025):
    ds, problems = load_dataset(corpus_2025)
    assert problems == []
    assert ds.period.first == "2020-01" and ds.period.last == "2025-08"  # atlas.yaml's last (2023-12) is a floor
    assert geo.period_months(ds)[-1] == "2025-08" and "2024-06" in geo.period_months(ds)
    shipped = load_or_raise()
    assert shipped.period.last == "2023-12" and len(geo.period_months(shipped)) == 48  # the shipped data unchanged
    assert ds.coverage()[2] == [] or all(p.source_id != SOURCE_ID for p in ds.coverage()[2])


def test_a_new_partner_missing_from_atlas_yaml_is_one_readable_problem(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, root)
    add_2025_source(root, with_partner=False)
    _, problems = load_dataset(root)
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.record) == ("events.yaml", f"border-talks-2025 (line {p.record.split('line ')[1]}")
    assert "'Japan' is not a partner listed in atlas.yaml" in p.message and "add the new partner" in p.fix


def test_the_chart_reaches_2025_and_draws_the_new_partner(corpus_2025):
    ds = load_or_raise(corpus_2025)
    assert "Japan" in alignment.partners_coded(ds)
    fig = charts.period_chart(ds, ("EU", "Japan"), geo.period_start(ds), geo.period_end(ds), alignment.Options())
    lo, hi = fig.layout.xaxis.range
    assert str(hi) >= "2025-08" and str(lo) < "2020-02"
    japan = next(t for t in fig.data if t.name == "Japan")
    assert any(str(x).startswith("2025-08") for x in japan.x)
    assert max(str(x) for x in fig.to_dict()["layout"]["xaxis"]["range"]) >= "2025-08"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_renders_the_2025_corpus(page, corpus_2025, monkeypatch):
    at = run_page(page, data_dir=corpus_2025, monkeypatch=monkeypatch)
    assert not at.exception
    assert not notices(at)


def test_the_map_opens_at_2025_08_with_2025_on_the_slider(corpus_2025, monkeypatch):
    at = run_page("map", {"date": "2025-08", "focus": "border-talks-2025"}, corpus_2025, monkeypatch)
    assert not at.exception and not notices(at)
    slider = at.select_slider[0]
    assert slider.value == "2025-08" and slider.options[-1] == "Aug 2025" and "Dec 2024" in slider.options
    assert "Armenia and the EU open talks on border monitoring" in "\n".join(h.proto.body for h in at.get("html"))


def test_a_month_past_the_period_is_still_a_notice(corpus_2025, monkeypatch):
    at = run_page("map", {"date": "2025-09"}, corpus_2025, monkeypatch)
    assert not at.exception
    assert [n.replace("\\", "") for n in notices(at)] == ["Date '2025-09' is not a month between 2020-01 and 2025-08 (write YYYY-MM); showing 2025-08."]


def test_the_new_partner_is_selectable_on_alignments_and_the_chart_reaches_2025(corpus_2025, monkeypatch):
    at = run_page("alignments", {"partners": "EU,Japan"}, corpus_2025, monkeypatch)
    assert not at.exception and not notices(at)
    partners = at.multiselect[0]
    assert "Japan" in partners.options and partners.value == ["EU", "Japan"]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["range"][1] >= "2025-08"
    assert any(t.get("name") == "Japan" for t in spec["data"])


def test_the_events_period_reaches_2025(corpus_2025, monkeypatch):
    at = run_page("events", {"from": "2025-01", "to": "2025-08"}, corpus_2025, monkeypatch)
    assert not at.exception and not notices(at)
    assert at.select_slider[0].value == ("2025-01", "2025-08")
    (table,) = at.dataframe
    assert "Armenia and the EU open talks on border monitoring" in table.value.to_string()
    assert len(table.value) == 1  # the one event of 2025


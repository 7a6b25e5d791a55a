"""Record kinds come from one table (atlas.core.kinds): a new kind, registered here and nowhere else, is loaded,
checked, shown in the evidence panel and found by search; and every record file is optional."""
from __future__ import annotations

from typing import Literal

import pytest
from markupsafe import escape

from atlas.analysis import search
from atlas.core import kinds
from atlas.core.load import load_dataset, load_or_raise
from atlas.core.model import Date, FuzzyDate, Record, Text
from atlas.core.urls import record_href
from atlas.views import panel
from tests.conftest import minimal_records, shipped, write_corpus
from tests.test_pages import html_of, run_page

# --- a hypothetical kind: its model, its table entry, its check and its panel body, all in this module ------------

class Treaty(Record):
    kind: Literal["treaty"] = "treaty"
    name: Text
    parties: list[str]
    summary: Text
    signed: Date
    supersedes: str | None = None

    @property
    def title(self) -> str:
        return self.name

    @property
    def date(self) -> FuzzyDate:
        return self.signed


def _check(ds, rec: Treaty) -> list[tuple[str, str]]:
    if rec.supersedes and not isinstance(ds.records.get(rec.supersedes), Treaty):
        return [(f"supersedes '{rec.supersedes}', which is not a treaty", "name a treaty of treaties.yaml")]
    return []


def _body(ds, rec: Treaty, month: str) -> list[str]:
    return [f"<p class='treaty-parties'>Signed by {escape(', '.join(rec.parties))} on {escape(rec.signed.label())}</p>"]


@pytest.fixture
def treaty_kind():
    """The kind registered as its module would at import, and taken out again after the test."""
    kinds.register(kinds.Kind("treaty", Treaty, "treaties.yaml", "Treaty", "treaties", check=_check))
    panel.register_body("treaty", _body)
    yield
    del kinds.KINDS["treaty"], panel.BODIES["treaty"]


TREATY = {"id": "alpha-accord", "name": "Alpha Accord", "parties": ["Armenia", "Azerbaijan"],
          "summary": "A road agreement <b>in force</b>.", "signed": "2022-12-12",
          "citations": [{"source": "mini", "quote": "The road near Alpha was closed"}]}


def _corpus(tmp_path, *treaties: dict):
    return write_corpus(tmp_path / "data", records={**minimal_records(), "treaties": list(treaties)})


def test_a_new_kind_loads_from_its_own_file(tmp_path, treaty_kind):
    ds = load_or_raise(_corpus(tmp_path, TREATY))
    [treaty] = ds.of_kind("treaty")
    assert isinstance(treaty, Treaty) and treaty.parties == ["Armenia", "Azerbaijan"]
    assert [c.record_type for c in ds.citations_of("alpha-accord")] == ["treaty"]


def test_a_new_kind_is_validated_by_its_model_and_its_check(tmp_path, treaty_kind):
    bad = {**TREATY, "id": "beta-accord", "colour": "red"}
    later = {**TREATY, "id": "gamma-accord", "supersedes": "alpha"}  # alpha is a place
    _, problems = load_dataset(_corpus(tmp_path, TREATY, bad, later))
    lines = [str(p) for p in problems]
    assert any(p.file == "treaties.yaml" and "beta-accord" in p.record and "colour" in p.message and p.fix for p in problems), lines
    assert any(p.file == "treaties.yaml" and p.record == "gamma-accord" and "not a treaty" in p.message for p in problems), lines
    assert len(problems) == 2, lines


def test_a_new_kind_in_the_panel(tmp_path, treaty_kind):
    ds = load_or_raise(_corpus(tmp_path, TREATY))
    page = panel.panel_html(ds, ds.records["alpha-accord"], "2023-01")
    assert '<span class="atlas-kind">Treaty</span>' in page
    assert "Signed by Armenia, Azerbaijan on 12 Dec 2022" in page  # its registered body
    assert "A road agreement &lt;b&gt;in force&lt;/b&gt;." in page  # the summary, escaped
    assert "The road near Alpha was closed" in page  # the evidence
    assert panel.kind_name("treaty") == "Treaty"


def test_a_new_kind_in_search(tmp_path, treaty_kind, monkeypatch):
    root = _corpus(tmp_path, TREATY)
    ds = load_or_raise(root)
    assert search.kinds()[-2:] == ("treaty", "passage") and search.heading("treaty") == "Treaties"
    found = search.search(search.build_index(ds), "Azerbaijan accord")  # its parties field: read by default
    assert found.found["treaty"] == ["alpha-accord"]
    hit = search.hit(ds, found, "treaty", "alpha-accord")
    assert hit.title == "Alpha Accord" and hit.href == record_href(ds.records["alpha-accord"], ds)
    assert hit.href.startswith("/sources?source=mini")  # no page shows treaties: the link goes to the evidence
    at = run_page("search", {"q": "Alpha Accord"}, root, monkeypatch)
    assert not at.exception
    assert "Treaties (1)" in [h.value for h in at.header]
    assert "Alpha Accord" in html_of(at)


def test_a_kind_registered_twice_is_refused(treaty_kind):
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(kinds.Kind("treaty", Treaty, "other.yaml", "Treaty", "treaties"))
    with pytest.raises(ValueError, match="must default to 'pact'"):
        kinds.register(kinds.Kind("pact", Treaty, "pacts.yaml", "Pact", "pacts"))


# --- record files are optional -------------------------------------------------------------------------------

def test_every_record_file_is_optional(tmp_path):
    root = write_corpus(tmp_path / "data", records={"places": minimal_records()["places"]})
    assert not (root / "events.yaml").exists() and not (root / "terms.yaml").exists()
    ds, problems = load_dataset(root)
    assert problems == []
    assert len(ds.of_kind("place")) == 2 and ds.of_kind("event") == [] and ds.of_kind("term") == []


def test_a_corpus_of_sources_alone_loads(tmp_path):
    ds, problems = load_dataset(write_corpus(tmp_path / "data", records={}))
    assert problems == [] and ds.records == {} and list(ds.sources) == ["mini"]


def test_the_catalogue_is_not_optional(tmp_path):
    root = write_corpus(tmp_path / "data")
    (root / "sources.yaml").unlink()
    _, problems = load_dataset(root)
    assert any(p.file == "sources.yaml" and p.message == "file is missing" for p in problems)


def test_a_record_file_that_is_there_but_broken_is_still_a_problem(tmp_path):
    root = write_corpus(tmp_path / "data")
    (root / "terms.yaml").write_text("")
    _, problems = load_dataset(root)
    assert [(p.file, p.message) for p in problems] == [("terms.yaml", "file is empty")]


@shipped
def test_the_table_names_every_shipped_record_file():
    shipped = {p.name for p in (load_or_raise().data_dir).glob("*.yaml")} - {"sources.yaml", "brief.yaml", "atlas.yaml"}
    assert shipped == set(kinds.record_files().values())

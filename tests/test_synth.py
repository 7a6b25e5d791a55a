"""The synthetic corpus validates, and every page works on a corpus that is not ours."""
import re

import pytest

from atlas.analysis import perspectives
from atlas.core.load import load_dataset, load_or_raise
from benchmarks import synth
from tests.conftest import shipped
from tests.test_pages import PAGES, html_of, run_page


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return synth.write(3, tmp_path_factory.mktemp("synth") / "data")


@shipped
def test_synthetic_corpus_validates_and_scales_every_kind(corpus):
    ds, problems = load_dataset(corpus)
    assert problems == []
    shipped_events = len(load_or_raise().of_kind("event"))  # the synthetic corpus copies the shipped one 3 times
    assert len(ds.sources) == 12 and len(ds.of_kind("event")) == 3 * shipped_events and ds.brief
    assert all(c.source_id.endswith(("-s0", "-s1", "-s2")) for c in ds.citations)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_works_on_a_corpus_that_is_not_ours(page, corpus, monkeypatch):
    params = {"focus": "lachin-road-s1", "date": "2022-12"} if page == "map" else {}
    at = run_page(page, params, corpus, monkeypatch)
    assert not at.exception and not [w for w in at.warning]


def _claim_ids_shown(at) -> list[str]:
    """The claims listed on the page: one row each, in one block of rows."""
    rows = "".join(h.proto.body for h in at.get("html") if "atlas-claimrow" in h.proto.body)
    return re.findall(r"<div class='atlas-claimrow[^']*' id='claim-([^']+)'>", rows)


def test_long_lists_on_perspectives_are_paged_and_each_page_is_a_link(corpus, monkeypatch):
    ds, _ = load_dataset(corpus)
    chosen = [c for c in perspectives.claims(ds) if c.issue == "western-presence"]
    assert len(chosen) == 33  # 11 per copy: two pages of 20
    at = run_page("perspectives", {"issue": "western-presence"}, corpus, monkeypatch)
    assert not at.exception and not at.warning
    assert len(_claim_ids_shown(at)) == 20 and "Showing 1–20 of 33 claims." in [c.value for c in at.caption]
    assert at.number_input(key="url:claims_page").value == 1 and "claims_page" not in at.query_params

    at.number_input(key="url:claims_page").set_value(2).run()
    assert len(_claim_ids_shown(at)) == 13 and at.query_params["claims_page"] in ("2", ["2"])

    at = run_page("perspectives", {"issue": "western-presence", "claims_page": "2", "sources_page": "2",
                                   "names_page": "2"}, corpus, monkeypatch)
    assert not at.exception and not at.warning
    assert len(_claim_ids_shown(at)) == 13
    captions = [c.value for c in at.caption]
    assert "Showing 11–12 of 12 sources." in captions and html_of(at).count("atlas-perspective-box") == 2
    assert any(c.startswith("Showing 26–") and c.endswith("contested names.") for c in captions)


def test_a_linked_claim_opens_the_page_that_holds_it(corpus, monkeypatch):
    ds, _ = load_dataset(corpus)
    last = [c for c in perspectives.claims(ds) if c.issue == "western-presence"][-1]
    at = run_page("perspectives", {"focus": last.id}, corpus, monkeypatch)
    assert not at.exception and not at.warning and at.selectbox(key="url:actor").value == last.actor
    at.selectbox(key="url:actor").set_value(None).run()  # every actor: 33 claims, the linked one on page 2
    assert not at.exception and at.query_params["focus"] in (last.id, [last.id])
    assert at.number_input(key="url:claims_page").value == 2 and "atlas-claimrow atlas-focused" in html_of(at)


@pytest.mark.parametrize("raw", ["99", "0", "two", "-1"])
def test_a_page_beyond_the_list_gives_a_notice_and_the_first_page(raw, corpus, monkeypatch):
    at = run_page("perspectives", {"issue": "western-presence", "claims_page": raw}, corpus, monkeypatch)
    assert not at.exception and len(at.warning) == 1 and "showing page 1" in at.warning[0].value
    assert len(_claim_ids_shown(at)) == 20


def test_the_map_key_names_a_screenful_of_corridors_and_counts_the_rest(corpus, monkeypatch):
    at = run_page("map", {}, corpus, monkeypatch)
    legend = next(h.proto.body for h in at.get("html") if "atlas-legend" in h.proto.body and not h.proto.body.startswith("<style>"))
    patterns = len(set(re.findall(r"data-key='line:(\w+)'", legend)))
    assert legend.count("atlas-swatch atlas-") - patterns == 12 and "+6 more corridors" in legend

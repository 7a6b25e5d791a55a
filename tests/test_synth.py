"""The synthetic corpus validates, and every page works on a corpus that is not ours."""
import pytest

from atlas.load import load_dataset
from benchmarks import synth
from tests.test_pages import PAGES, run_page


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return synth.write(2, tmp_path_factory.mktemp("synth") / "data")


def test_synthetic_corpus_validates_and_scales_every_kind(corpus):
    ds, problems = load_dataset(corpus)
    assert problems == []
    assert len(ds.sources) == 8 and len(ds.of_kind("event")) == 2 * 46 and ds.brief
    assert all(c.source_id.endswith(("-s0", "-s1")) for c in ds.citations)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_works_on_a_corpus_that_is_not_ours(page, corpus, monkeypatch):
    params = {"focus": "lachin-road-s1", "date": "2022-12"} if page == "map" else {}
    at = run_page(page, params, corpus, monkeypatch)
    assert not at.exception and not [w for w in at.warning]

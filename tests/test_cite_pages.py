"""Cite, record and passage links on the pages themselves (AppTest): every page offers its citation, /record shows a
record alone, /sources highlights a linked quote or says why it cannot."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from atlas.core.load import load_or_raise
from atlas.views import render
from tests.conftest import REPO, shipped
from tests.test_pages import PAGES, html_of, notices

pytestmark = shipped  # the pages as they draw the shipped corpus

ALL_PAGES = {**PAGES, "record": "pages/record.py"}


def run(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if ALL_PAGES[page]:
        at.switch_page(ALL_PAGES[page])
    return at.run()


def citations(at: AppTest) -> list[str]:
    return [c.value for c in at.code]


@pytest.mark.parametrize("page", sorted(ALL_PAGES))
def test_every_page_offers_its_citation_in_three_styles(page):
    params = {"id": "lachin-road"} if page == "record" else {}
    at = run(page, params)
    assert not at.exception
    texts = citations(at)
    assert len(texts) == 3, texts
    apa, chicago, bibtex = texts
    path = "" if page == "home" else page
    for text in texts:
        assert "South Caucasus Security Atlas" in text and re.search(r"\([0-9a-f]{12}\)", text)
    assert re.search(rf"from http://localhost:8501/{path}\S*$", apa)
    assert bibtex.startswith("@misc{atlas-") and f"url = {{http://localhost:8501/{path}" in bibtex


def test_the_citation_names_the_view_as_the_address_holds_it():
    at = run("map", {"focus": "lachin-road", "date": "2022-12"})
    apa = citations(at)[0]
    assert "Map of corridors, borders and events, Dec 2022: Lachin corridor" in apa
    url = apa.rsplit(" from ", 1)[1]
    assert parse_qs(urlsplit(url).query) == {"focus": ["lachin-road"], "date": ["2022-12"]}


def test_the_record_page_shows_the_record_its_evidence_links_and_downloads():
    ds = load_or_raise()
    at = run("record", {"id": "lachin-road"})
    html = html_of(at)
    assert "<h1>Lachin corridor</h1>" in html and 'class="atlas-panel"' in html
    assert "/map?focus=lachin-road" in html
    for cit in ds.citations_of("lachin-road"):
        assert render.esc(f"quote={cit.quote[:10]}".replace(" ", "+")) in html
    labels = [b.proto.label for b in at.get("download_button")]
    assert "This record (JSON)" in labels and "Its citations (CSV)" in labels


@pytest.mark.parametrize("rid", ["", "no-such-record", "<script>alert(1)</script>"])
def test_an_unknown_record_gives_a_notice_not_an_error(rid):
    at = run("record", {"id": rid})
    assert not at.exception and len(notices(at)) == 1
    assert "<script>" not in html_of(at)


def test_a_quote_link_highlights_the_words_and_a_wrong_quote_says_so():
    ds = load_or_raise()
    cit = ds.citations_of("lachin-road")[0]
    at = run("sources", {"source": cit.source_id, "passage": str(cit.passage), "quote": cit.quote})
    assert notices(at) == []
    assert f'<mark class="{render.LINKED_CLASS}">' in html_of(at)
    wrong = run("sources", {"source": cit.source_id, "passage": str(cit.passage), "quote": cit.quote.upper()})
    assert len(notices(wrong)) == 1 and "match exactly" in notices(wrong)[0]
    assert render.LINKED_CLASS not in html_of(wrong) and "atlas-focused" in html_of(wrong)

"""Global search as a person uses it: the sidebar box on any page, results by kind on the first screen, links onward."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Visit

pytestmark = pytest.mark.browser
KIND_HEADING = re.compile(r"^(Events|Places|Corridors|Areas|Claims|Terms|Passages) \(\d+\)$")


def _headings(page):
    return page.locator('[data-testid="stMainBlockContainer"] h2').filter(has_text=KIND_HEADING)


def test_the_sidebar_box_on_any_page_lands_on_results_by_kind(browser, server):
    v = Visit(browser, width=1366, height=768)
    try:
        page = v.open(f"{server.url}/sources")
        box = page.locator('[data-testid="stSidebar"]').get_by_label("Search the Atlas")
        box.fill("Berdzor")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search\?q=Berdzor$"), timeout=20000)
        v.wait_idle()
        expect(page.get_by_role("heading", name=re.compile(r"^Corridors \(\d+\)"))).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile(r"^Places \(\d+\)"))).to_be_in_viewport()  # first screen
        expect(page.get_by_role("heading", name=re.compile(r"^Events \(\d+\)"))).to_have_count(1)
        expect(page.get_by_role("heading", name=re.compile(r"^Passages \(\d+\)"))).to_have_count(1)
        expect(page.get_by_label("Search records and sources")).to_have_value("Berdzor")
        expect(page.locator("li.atlas-hit mark").first).to_be_in_viewport()
        # the corridor is found under its Armenian name, and its link opens it on the map
        page.locator("a.atlas-hit-title", has_text="Lachin corridor").first.click()
        page.wait_for_url(re.compile(r"/map\?focus=lachin-road"), timeout=20000)
        v.wait_idle()
        expect(page.get_by_role("heading", name="Lachin corridor")).to_be_visible()
        assert v.offsite == [] and v.errors == []
    finally:
        v.close()


def test_a_pasted_search_link_shows_the_same_results_at_projector_size(browser, server):
    v = Visit(browser, width=1920, height=1080)
    try:
        page = v.open(f"{server.url}/search?q=Lachin")
        names = _headings(page).all_inner_texts()
        assert [n.split(" (")[0] for n in names][:2] == ["Places", "Corridors"] and len(names) >= 5
        expect(_headings(page).first).to_be_in_viewport()
        expect(page.locator("a.atlas-hit-title", has_text="Lachin / Berdzor")).to_have_attribute("href", "/map?focus=lachin")
        # a new query in the page's own box becomes the address
        field = page.get_by_label("Search records and sources")
        field.fill("Xankəndi")
        field.press("Enter")
        page.wait_for_url(re.compile(r"q=" + re.escape(quote("Xankəndi"))), timeout=20000)
        v.wait_idle()
        expect(page.locator("a.atlas-hit-title", has_text="Stepanakert / Khankendi").first).to_be_visible()
        assert v.offsite == [] and v.errors == []
    finally:
        v.close()


def test_the_empty_page_offers_example_searches(server, visit):
    page = visit.open(f"{server.url}/search")
    example = page.locator("p.atlas-search-examples a").first
    expect(example).to_be_visible()
    example.click()
    page.wait_for_url(re.compile(r"/search\?q=."), timeout=20000)
    visit.wait_idle()
    expect(_headings(page).first).to_be_visible()


@pytest.mark.parametrize("path", ["/search", "/search?q=Lachin", "/search?q=e&kind=passage&page=2", "/search?q=zzqxv"])
def test_axe_finds_no_accessibility_violations_on_search(server, visit, path):
    from axe_playwright_python.sync_playwright import Axe

    page = visit.open(server.url + path)
    page.wait_for_timeout(800)
    result = Axe().run(page)
    violations = [(x["id"], x["impact"], x["nodes"][0]["html"][:160]) for x in result.response["violations"]]
    assert violations == []


def test_markup_in_the_data_stays_text_in_search_results(browser, tmp_path):
    from tests.e2e.conftest import Server
    from tests.test_render import injected_corpus

    ds = injected_corpus(tmp_path)
    srv = Server(ds.data_dir)
    v = Visit(browser)
    try:
        page = v.open(f"{srv.url}/search?q=" + quote("<script>"))
        expect(_headings(page).first).to_be_visible()
        expect(page.locator("li.atlas-hit mark", has_text="<script>").first).to_be_visible()  # shown, and marked, as text
        assert page.locator("img[src=x]").count() == 0
        assert v.dialogs == [] and v.offsite == []
    finally:
        v.close()
        srv.stop()

"""The answer on screen, at a laptop's 1366×768 and a projector's 1920×1080: what a user came for is visible without
scrolling, a selection's evidence appears in view, the map's tooltips are text, Copy link fills the clipboard."""
from __future__ import annotations

import functools
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import shipped as shipped_mark
from tests.e2e.conftest import Visit
from tests.e2e.test_browser import _pixel

pytestmark = [pytest.mark.browser, shipped_mark]  # the server shows the shipped corpus, and the checks name its records
SIZES = [(1366, 768), (1920, 1080)]


@functools.cache
def shipped():
    from atlas.core.load import load_or_raise

    return load_or_raise()


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def screen(request, browser):
    v = Visit(browser, *request.param)
    yield v
    v.close()


def bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_the_corridor_panel_answers_first_with_the_opposition_on_screen(server, screen):
    page = screen.open(f"{server.url}/map?focus=zangezur")
    height = page.viewport_size["height"]
    panel = page.locator(".atlas-panel")
    expect(panel.get_by_role("heading", name=shipped().records["zangezur"].title)).to_be_in_viewport()
    oppose = panel.locator(".atlas-side-line.atlas-con")
    expect(oppose).to_contain_text("Armenia")
    assert bottom(oppose) <= height  # who opposes it, without scrolling the page or the panel
    assert bottom(panel.locator(".atlas-side-line.atlas-pro")) <= height
    # the evidence below: each source once, each passage once, every quote of the record marked in it
    groups = panel.locator(".atlas-srcgroup")
    assert groups.count() >= 2
    heads = [groups.nth(i).locator(".atlas-src").inner_text() for i in range(groups.count())]
    assert len(heads) == len(set(heads))
    assert panel.locator("mark.atlas-quote").count() >= 4


@pytest.mark.parametrize("path", ["/map", "/alignments"])
def test_the_main_visual_starts_in_the_upper_part_of_a_laptop_screen(server, screen, path):
    page = screen.open(server.url + path)
    visual = page.locator('[data-testid="stDeckGlJsonChart"], [data-testid="stPlotlyChart"]').first
    expect(visual).to_be_visible()
    assert visual.bounding_box()["y"] <= 360 * page.viewport_size["height"] / 768


def test_the_map_key_is_on_screen_with_the_map(server, screen):
    page = screen.open(f"{server.url}/map")
    key = page.locator("details.atlas-legend-overlay")
    expect(key).to_contain_text(shipped().records["zangezur"].names.international.split(" (")[0])
    assert bottom(key.locator("summary")) <= page.viewport_size["height"]


def test_map_tooltips_are_text_not_markup(server, screen):
    page = screen.open(f"{server.url}/map?layers=places")
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    expect(canvas).to_be_visible()
    page.wait_for_timeout(1500)
    x, y = _pixel(44.5136, 40.1811, canvas.bounding_box())  # Yerevan, inside the opening frame
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    tip = page.locator(".deck-tooltip")
    expect(tip).to_be_visible()
    text = tip.inner_text()
    assert "Yerevan" in text and "ARM" in text
    assert "<" not in text and "&lt;" not in text and "&amp;" not in text


def test_copy_link_puts_this_views_address_on_the_clipboard(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/map?focus=lachin-road&date=2022-12")
        button = page.get_by_role("button", name="Copy link")
        expect(button).to_be_visible(timeout=60000)
        page.wait_for_function("window.atlasCopyLink === true", timeout=20000)  # the page's script is in place
        button.click()
        expect(page.locator(".atlas-copy-status")).to_have_text("Link copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url and "focus=lachin-road" in copied and "date=2022-12" in copied
    finally:
        context.close()


def test_a_chart_selection_opens_in_view_and_escape_closes_it(server, screen):
    page = screen.open(f"{server.url}/alignments?focus=csto-exercises-paused-2023")
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("h2.atlas-panel-title")).to_be_in_viewport()
    expect(dialog.locator("mark.atlas-quote").first).to_be_attached()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.wait_for_url(lambda url: "focus=" not in url, timeout=20000)


def test_a_stance_cell_opens_its_claims_in_view(server, screen):
    page = screen.open(f"{server.url}/perspectives")
    cell = page.locator("table.atlas-matrix td a").first
    expect(cell).to_be_visible()
    cell.click()
    page.wait_for_url(re.compile(r"actor="), timeout=20000)
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("h2.atlas-panel-title").first).to_be_in_viewport()
    expect(dialog.locator("mark.atlas-quote").first).to_be_attached()


def test_every_brief_step_fits_the_screen_with_the_bar_under_the_visual(server, screen):
    page = screen.open(f"{server.url}/brief?step=1")
    height = page.viewport_size["height"]
    for step in range(1, 11):
        if step > 1:
            page.keyboard.press("ArrowRight")
            page.wait_for_url(re.compile(rf"step={step}\b"), timeout=15000)
            screen.wait_idle()
        expect(page.get_by_text(f"Step {step} of 10")).to_be_visible()
        visual = page.locator('[data-testid="stDeckGlJsonChart"], [data-testid="stPlotlyChart"]').first
        expect(visual).to_be_visible()
        page.wait_for_timeout(300)
        bar = page.locator(".atlas-brief-cite")
        assert bottom(visual) <= bar.bounding_box()["y"] + 1, f"step {step}: the citation bar covers the visual"
        assert bottom(bar) <= height + 1, f"step {step}: the citation bar is below the screen"
        scroll = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        assert scroll <= height + 1, f"step {step}: the page scrolls ({scroll} px)"
        assert visual.bounding_box()["height"] >= 250, f"step {step}: the visual is squeezed"


def test_a_citation_link_opens_its_passage_with_the_quoted_words_highlighted_in_view(server, screen):
    from urllib.parse import parse_qs, urlsplit

    from atlas.core.corpus import display_text

    page = screen.open(f"{server.url}/map?focus=lachin-road&date=2023-01")
    link = page.locator(".atlas-panel .atlas-evpassage a.atlas-pnum").first
    expect(link).to_be_attached()
    quote = parse_qs(urlsplit(link.get_attribute("href")).query)["quote"][0]
    assert quote in {c.quote for c in shipped().citations_of("lachin-road")}
    link.click()
    page.wait_for_url(re.compile(r".*/sources\?.*quote=.*"))
    screen.wait_idle()
    mark = page.locator("mark.atlas-linked")
    expect(mark.first).to_be_in_viewport()
    assert " ".join(mark.all_inner_texts()).split() == display_text(quote).split()  # exactly the cited words
    expect(page.locator('[data-testid="stAlert"]').filter(has_text="do not occur")).to_have_count(0)


def test_the_maps_month_counts_sit_under_its_slider(server, screen):
    page = screen.open(f"{server.url}/map?date=2022-09")
    strip = page.locator(".atlas-hist")
    expect(strip).to_be_in_viewport()
    assert strip.locator("span").count() == len(shipped_months()) and strip.locator("span.atlas-hist-now").count() == 1
    slider = page.locator('[data-testid="stSlider"]').first.bounding_box()
    box = strip.bounding_box()
    assert slider["y"] < box["y"] <= slider["y"] + slider["height"] + 30 and box["height"] >= 15


def shipped_months() -> list[str]:
    from atlas.core import geo
    from atlas.core.load import load_or_raise

    return geo.period_months(load_or_raise())

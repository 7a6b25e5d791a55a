"""Hostile data as a person meets it in the browser: a long source read page by page, no raw CSV from the grid."""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from atlas.core import paths
from tests.e2e.conftest import Server
from tests.test_hostile import _add_long_source

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def long_source_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("long") / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, root)
    _add_long_source(root, 4_000)
    s = Server(data_dir=root)
    yield s
    s.stop()


def test_a_long_source_is_read_page_by_page(long_source_server, visit):
    page = visit.open(f"{long_source_server.url}/sources?source=long-report")
    expect(page.get_by_text(re.compile(r"^Page 1 of \d+: passages ¶1–¶"))).to_be_visible()
    expect(page.locator("section#p1")).to_be_attached()
    assert page.locator("section.atlas-passage").count() < 200  # a page, not the 4,000 passages

    page.get_by_role("link", name="Next page →").click()
    page.wait_for_url(re.compile(r"passages_page=2"))
    visit.wait_idle()
    expect(page.get_by_text(re.compile(r"^Page 2 of \d+"))).to_be_visible()
    expect(page.locator("section#p1")).not_to_be_attached()

    page.get_by_label(re.compile(r"Page of this source")).fill("5")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"passages_page=5"))
    expect(page.get_by_text(re.compile(r"^Page 5 of \d+"))).to_be_visible()
    assert visit.offsite == []


def test_a_linked_passage_deep_in_a_long_source_is_on_screen(long_source_server, visit):
    page = visit.open(f"{long_source_server.url}/sources?source=long-report&passage=3000")
    expect(page.locator("section#p3000.atlas-focused")).to_be_in_viewport()


def test_the_events_grid_offers_no_raw_csv_download(server, visit):
    """The grid's own export would write cells raw; the page's neutralising download button is the way to a CSV."""
    page = visit.open(f"{server.url}/events")
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible()
    grid.hover()
    expect(page.locator('[data-testid="stElementToolbar"] button').first).to_be_visible()
    labels = page.locator('[data-testid="stElementToolbar"] button').evaluate_all(
        "bs => bs.map(b => b.getAttribute('aria-label') || b.innerText)")
    assert labels and not [label for label in labels if "Download" in label or "CSV" in label]
    expect(page.get_by_role("button", name=re.compile("Download these events with their citations"))).to_be_visible()

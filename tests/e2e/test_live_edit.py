"""A real edit to the directory a live server is serving: picked up on reload; a broken save keeps the last good
data under a notice; the fix is picked up again. No restart at any point."""
from __future__ import annotations

import shutil
import time

import pytest

from atlas.core import paths
from atlas.ui import data
from tests.e2e.conftest import Server

pytestmark = pytest.mark.browser

EVENT = "first-karabakh-war-ceasefire-1994"
TITLE = "Russian-brokered ceasefire halts the first Karabakh war"


def save(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    time.sleep(data.FINGERPRINT_SECONDS + 0.3)  # the server re-lists the data files once a second


def test_an_edit_to_the_served_directory_shows_on_reload_and_a_broken_one_keeps_the_last_good_data(browser, tmp_path):
    from playwright.sync_api import expect

    served = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, served)
    events = served / "events.yaml"
    original = events.read_text(encoding="utf-8")
    assert original.count(f"  title: {TITLE}\n") == 1
    srv = Server(served)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        def reload():
            page.goto(f"{srv.url}/events?focus={EVENT}")
            page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
            page.wait_for_function("""() => document.querySelector('[data-testid="stApp"]')
                .getAttribute('data-test-script-state') === 'notRunning'""", timeout=60000)

        notice = page.get_by_text("so the Atlas shows the last valid version of the data")
        reload()
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

        edited = original.replace(f"  title: {TITLE}\n", "  title: Ceasefire of May 1994 ends the first war\n")
        save(events, edited)
        reload()
        expect(page.get_by_role("heading", name="Ceasefire of May 1994 ends the first war")).to_be_visible()
        expect(notice).to_have_count(0)

        save(events, edited[: len(edited) // 3])  # an editor's save caught a third of the way through
        reload()
        expect(notice).to_be_visible()
        expect(page.get_by_role("heading", name="Ceasefire of May 1994 ends the first war")).to_be_visible()
        expect(page.get_by_text("The evidence base could not be loaded")).to_have_count(0)
        page.keyboard.press("Escape")  # the focused event's evidence opens in a dialog: close it to reach the notice
        page.get_by_text("What is wrong in the data directory").click()
        expect(page.locator(".atlas-problems code", has_text="events.yaml").first).to_be_visible()

        save(events, original.replace(f"  title: {TITLE}\n", "  title: Bishkek ceasefire takes effect\n"))
        reload()
        expect(page.get_by_role("heading", name="Bishkek ceasefire takes effect")).to_be_visible()
        expect(notice).to_have_count(0)
    finally:
        page.close()
        srv.stop()

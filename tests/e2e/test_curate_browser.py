"""/curate in a real browser: an editor signs in, adds a 2025 article, anchors three quotes (one needing context),
saves an event with an alignment coding, and it shows on /events with its quote; a reader sees no edit controls."""
from __future__ import annotations

import shutil
import time

import pytest
from argon2 import PasswordHasher

from atlas.core import paths
from atlas.core.load import load_dataset
from atlas.curate import writes
from atlas.ui import curate
from tests.e2e.conftest import IDLE_JS, Server

pytestmark = pytest.mark.browser

ARTICLE = ("Armenia and Azerbaijan agree a text in Washington\n\n"
           "Armenia and Azerbaijan published the text of a US-brokered peace agreement on 11 August 2025. "
           "The deal was struck in Washington on 8 August 2025, the foreign ministers said.\n\n"
           "Moscow, a traditional broker and ally of Armenia, was left out. Moscow warned against foreign meddling.\n")


def test_an_editor_curates_a_2025_article_and_a_reader_sees_no_edit_controls(browser, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    served = shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data")
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.setenv(curate.HASH_ENV, PasswordHasher().hash("open sesame"))
    srv = Server(served)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        def idle():
            page.wait_for_timeout(250)
            page.wait_for_function(IDLE_JS, timeout=60000)

        def fill(label, value, area=False):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Control+Enter" if area else "Enter")
            idle()

        started = time.time()
        page.goto(f"{srv.url}/curate")
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
        idle()
        fill("Your name (recorded with every change)", "Browser Editor")
        fill("Editors' passphrase", "open sesame")
        page.get_by_role("button", name="Sign in").click()
        idle()
        expect(page.get_by_text("Signed in as Browser Editor")).to_be_visible()
        fill("Paste the text", ARTICLE, area=True)
        fill("Id (a lower-case slug, e.g. outlet-yyyy-mm-dd)", "wire-peace-text-2025")
        fill("Title", "Armenia and Azerbaijan agree a text in Washington")
        fill("Publisher", "Test Wire")
        fill("Date published (YYYY-MM-DD, YYYY-MM or YYYY)", "2025-08-12")
        fill("Perspective: who is speaking, from where (neutral, in your words)", "A wire report.", area=True)
        page.get_by_role("button", name="Add the source").click()
        idle()
        expect(page.get_by_text("Added wire-peace-text-2025: 3 passages")).to_be_visible()
        quotes = [("The deal was struck in Washington on 8 August 2025", 0, 0, None),
                  ("US-brokered peace agreement", 0, 0, None), ("Moscow", 3, 2, "suffix: ' '")]
        for words, passage, occurrence, context in quotes:
            fill("Passage (0: anywhere)", str(passage))
            fill("Occurrence in it (0: the only one)", str(occurrence))
            fill("Words, copied exactly from the passage", words, area=True)
            result = page.locator('[data-testid="stCode"]').filter(has_text=f"quote: {words}")
            expect(result).to_be_visible()
            if context:
                expect(result).to_contain_text(context)
            page.get_by_role("button", name="Use this citation in the record below").click()
            idle()
        fill("Id", "washington-peace-text-2025")
        fill("Title (your words)", "Armenia and Azerbaijan agree a peace text in Washington")
        fill("Summary (your words)", "A wire report says the two countries agreed a US-brokered peace text.", area=True)
        fill("Date (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY)", "2025-08-08")
        page.get_by_label("Actors").click()
        page.get_by_role("option", name="Armenia", exact=True).click()
        page.keyboard.press("Escape")
        idle()
        fill("Alignment codings", "1")
        page.get_by_label("Partner 1").click()  # the partners come from atlas.yaml, in its order: choose one
        page.get_by_role("option", name="Russia", exact=True).click()
        idle()
        fill("Rationale 1 (which coding rule, in your words)", "A statement about the partner.")
        page.get_by_role("button", name="Save the event").click()
        idle()
        expect(page.get_by_text("Saved event washington-peace-text-2025")).to_be_visible()
        elapsed = time.time() - started
        ds, problems = load_dataset(served)
        assert problems == []
        event = ds.records["washington-peace-text-2025"]
        assert [c.quote for c in event.citations] == [q[0] for q in quotes] and event.citations[2].suffix == " "
        assert event.date.text == "2025-08-08" and event.alignment[0].partner == "Russia"
        assert writes.read_changelog(served)[-1]["editor"] == "Browser Editor"
        print(f"browser flow: {elapsed:.0f} s")
        time.sleep(1.3)  # the server re-lists the data files once a second
        page.goto(f"{srv.url}/events?focus=washington-peace-text-2025")
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
        idle()
        expect(page.get_by_text("The deal was struck in Washington on 8 August 2025").first).to_be_visible()
        reader = browser.new_page()
        try:
            reader.goto(f"{srv.url}/curate")
            reader.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
            reader.wait_for_function(IDLE_JS, timeout=60000)
            expect(reader.get_by_role("button", name="Sign in")).to_be_visible()
            assert reader.get_by_role("button", name="Add the source").count() == 0
            assert reader.get_by_role("button", name="Save the event").count() == 0
        finally:
            reader.close()
    finally:
        page.close()
        srv.stop()

"""/curate in a real browser, the issue's Done-when: an editor signs in, adds a 2025 article, anchors three quotes (one
needing a prefix), saves an event with an alignment coding and a claim; the event shows on /events, /map and /alignments
with its quote and the period reaches 2025; a second editor's stale save is refused with both versions shown and
nothing is lost; a reader (not signed in, or editing off) sees no edit controls."""
from __future__ import annotations

import shutil
import time

import pytest
from argon2 import PasswordHasher

from atlas.core import geo, paths
from atlas.core.load import load_dataset
from atlas.curate import writes
from atlas.ui import curate
from tests.e2e.conftest import IDLE_JS, Server

pytestmark = pytest.mark.browser

SOURCE = "wire-peace-text-2025"
EVENT = "washington-peace-text-2025"
CLAIM = "azerbaijan-welcomes-peace-text-2025"
ARTICLE = ("Armenia and Azerbaijan agree a text in Washington\n\n"
           "Armenia and Azerbaijan published the text of a US-brokered peace agreement on 11 August 2025. "
           "The deal was struck in Washington on 8 August 2025, the foreign ministers said.\n\n"
           "Moscow, a traditional broker and ally of Armenia, was left out and warned against foreign meddling. "
           "Yerevan welcomed it as a step forward for the region. Baku hailed it as a step forward for the region.\n")
EDIT_BUTTONS = ("Add the source", "Save the event", "Save the claim", "Use this citation in the record below")


class Editor:
    """One browser context (its own Streamlit session) on /curate."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.url = url

    def idle(self):
        self.page.wait_for_timeout(250)
        self.page.wait_for_function(IDLE_JS, timeout=60000)

    def open(self, path: str):
        self.page.goto(f"{self.url}{path}")
        self.page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
        self.idle()

    def fill(self, label: str, value: str, area: bool = False):
        box = self.page.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Control+Enter" if area else "Enter")
        self.idle()

    def choose(self, label: str, option: str):
        self.page.get_by_label(label, exact=True).click()
        self.page.get_by_role("option", name=option, exact=True).click()
        self.idle()

    def click(self, button: str):
        self.page.get_by_role("button", name=button).click()
        self.idle()

    def sign_in(self, name: str, phrase: str):
        self.open("/curate")
        self.fill("Your name (recorded with every change)", name)
        self.fill("Editors' passphrase", phrase)
        self.click("Sign in")

    def anchor(self, words: str, passage: int = 0, occurrence: int = 0, context: str | None = None):
        from playwright.sync_api import expect

        self.fill("Passage (0: anywhere)", str(passage))
        self.fill("Occurrence in it (0: the only one)", str(occurrence))
        self.fill("Words, copied exactly from the passage", words, area=True)
        result = self.page.locator('[data-testid="stCode"]').filter(has_text=f"quote: {words}")
        expect(result).to_be_visible()
        if context:
            expect(result).to_contain_text(context)
        self.click("Use this citation in the record below")

    def event(self, rid: str, title: str, date: str, partner: str | None = None):
        self.fill("Id", rid)
        self.fill("Title (your words)", title)
        self.fill("Summary (your words)", "A wire report says the two countries agreed a US-brokered peace text.", area=True)
        self.fill("Date (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY)", date)
        self.page.get_by_label("Actors").click()
        self.page.get_by_role("option", name="Armenia", exact=True).click()
        self.page.keyboard.press("Escape")
        self.idle()
        if partner:
            self.fill("Alignment codings", "1")
            self.choose("Partner 1", partner)
            self.fill("Rationale 1 (which coding rule, in your words)", "An agreement brokered by the partner.")
        self.click("Save the event")

    def close(self):
        self.page.close()


def _no_edit_controls(page):
    for name in EDIT_BUTTONS:
        assert page.get_by_role("button", name=name).count() == 0, name


def test_an_editor_curates_a_2025_article_a_stale_save_is_refused_and_readers_see_no_edit_controls(browser, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    served = shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data")
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.setenv(curate.HASH_ENV, PasswordHasher().hash("open sesame"))
    srv = Server(served)
    first, second = Editor(browser, srv.url), Editor(browser, srv.url)
    try:
        second.sign_in("Second Editor", "open sesame")  # opens the event form before the first editor saves
        expect(second.page.get_by_text("Signed in as Second Editor")).to_be_visible()

        started = time.time()
        first.sign_in("Browser Editor", "open sesame")
        expect(first.page.get_by_text("Signed in as Browser Editor")).to_be_visible()
        first.fill("Paste the text", ARTICLE, area=True)
        first.fill("Id (a lower-case slug, e.g. outlet-yyyy-mm-dd)", SOURCE)
        first.fill("Title", "Armenia and Azerbaijan agree a text in Washington")
        first.fill("Publisher", "Test Wire")
        first.fill("Date published (YYYY-MM-DD, YYYY-MM or YYYY)", "2025-08-12")
        first.fill("Perspective: who is speaking, from where (neutral, in your words)", "A wire report.", area=True)
        first.click("Add the source")
        expect(first.page.get_by_text(f"Added {SOURCE}: 3 passages")).to_be_visible()
        first.anchor("The deal was struck in Washington on 8 August 2025")
        first.anchor("US-brokered peace agreement")
        first.event(EVENT, "Armenia and Azerbaijan agree a peace text in Washington", "2025-08-08", partner="US")
        expect(first.page.get_by_text(f"Saved event {EVENT}")).to_be_visible()
        # the second occurrence of these words differs from the first only on its left: the selector needs a prefix
        first.anchor("it as a step forward", passage=3, occurrence=2, context="prefix: 'led '")
        first.page.get_by_text("claim", exact=True).click()  # the Kind radio
        first.idle()
        first.fill("Id", CLAIM)
        first.fill("Actor (who holds the stance)", "Azerbaijan")
        first.fill("Issue (a lower-case slug, e.g. border-crossings)", "peace-agreement")
        first.choose("Stance", "supports")
        first.fill("Summary (your words)", "Baku welcomed the agreed text as progress for the region.", area=True)
        first.fill("Date (optional)", "2025-08")
        first.click("Save the claim")
        expect(first.page.get_by_text(f"Saved claim {CLAIM}")).to_be_visible()
        elapsed = time.time() - started
        print(f"\nbrowser flow (sign in, add a source, three quotes, an event and a claim saved): {elapsed:.1f} s")

        ds, problems = load_dataset(served)
        assert problems == []
        event, claim = ds.records[EVENT], ds.records[CLAIM]
        assert [c.quote for c in event.citations] == ["The deal was struck in Washington on 8 August 2025",
                                                      "US-brokered peace agreement"]
        assert event.date.text == "2025-08-08" and [(c.partner, c.direction) for c in event.alignment] == [("US", "toward")]
        assert claim.citations[0].quote == "it as a step forward" and claim.citations[0].prefix == "led "
        assert claim.stance == "supports" and claim.actor == "Azerbaijan"
        assert [e["editor"] for e in writes.read_changelog(served)[-3:]] == ["Browser Editor"] * 3
        assert ds.period.last >= "2025-08" and "2025-08" in geo.period_months(ds)

        # the second editor's form was opened before the first editor saved: refused, both versions shown
        second.fill("Passage (0: anywhere)", "1")  # any rerun lists the sources anew
        second.page.get_by_label("Source", exact=True).click()
        second.page.get_by_role("option", name=SOURCE, exact=True).click()
        second.idle()
        second.anchor("Moscow, a traditional broker and ally of Armenia, was left out")
        second.event("moscow-left-out-2025", "Moscow left out of the Washington text", "2025-08-11")
        expect(second.page.get_by_text("someone else saved this file since you opened the form")).to_be_visible()
        theirs = second.page.locator('[data-testid="stCode"]').filter(has_text="(saved by them)")
        expect(theirs).to_contain_text("+- id: moscow-left-out-2025")  # yours, against theirs
        second.page.get_by_text("events.yaml as they saved it").click()
        expect(second.page.locator('[data-testid="stExpander"]').filter(has_text="events.yaml as they saved it")
               ).to_contain_text(f"id: {EVENT}")  # theirs, whole
        ds, problems = load_dataset(served)
        assert problems == [] and EVENT in ds.records and CLAIM in ds.records and "moscow-left-out-2025" not in ds.records

        time.sleep(1.3)  # the server re-lists the data files once a second
        quote = "The deal was struck in Washington on 8 August 2025"
        first.open(f"/events?focus={EVENT}")
        expect(first.page.get_by_text(quote).first).to_be_visible()
        first.open(f"/map?focus={EVENT}&date=2025-08")
        expect(first.page.get_by_text(quote).first).to_be_visible()
        assert first.page.get_by_text("is not a month between").count() == 0  # 2025-08 is inside the period
        expect(first.page.get_by_text("August 2025").first).to_be_visible()  # the slider's month
        first.open(f"/alignments?focus={EVENT}")
        expect(first.page.get_by_role("dialog").get_by_text(quote).first).to_be_visible()

        reader = Editor(browser, srv.url)  # editing on, not signed in
        try:
            reader.open("/curate")
            expect(reader.page.get_by_role("button", name="Sign in")).to_be_visible()
            _no_edit_controls(reader.page)
        finally:
            reader.close()
    finally:
        first.close()
        second.close()
        srv.stop()

    monkeypatch.delenv(curate.EDITING_ENV)  # editing off: a reader is told so, with no sign-in and no edit control
    srv = Server(served)
    reader = Editor(browser, srv.url)
    try:
        reader.open("/curate")
        expect(reader.page.get_by_text("Editing is switched off on this server")).to_be_visible()
        assert reader.page.get_by_role("button", name="Sign in").count() == 0
        _no_edit_controls(reader.page)
    finally:
        reader.close()
        srv.stop()

"""/curate in a real browser: a new source's suggestions come up with the words they came from, the ones an editor
confirms fill the event form (nothing is saved), and an editor removes a record after ticking to confirm."""
from __future__ import annotations

import pytest
import yaml
from argon2 import PasswordHasher

from atlas.curate import writes
from atlas.ui import curate
from tests.conftest import write_corpus
from tests.e2e.conftest import Server
from tests.e2e.test_curate_browser import Editor

pytestmark = pytest.mark.browser

WIRE = "Road Reopens\n\nOn 3 March 2025 Azerbaijan reopened the road at Alpha to trucks, officials said.\n"


def test_suggestions_fill_the_event_form_when_confirmed_and_a_record_is_removed(browser, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    served = write_corpus(tmp_path / "data")
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.setenv(curate.HASH_ENV, PasswordHasher().hash("open sesame"))
    srv = Server(served)
    editor = Editor(browser, srv.url)
    page = editor.page
    try:
        editor.sign_in("Browser Editor", "open sesame")
        editor.fill("Paste the text", WIRE, area=True)
        editor.fill("Id (a lower-case slug, e.g. outlet-yyyy-mm-dd)", "wire-2025-03-03")
        editor.fill("Title", "Road reopens")
        editor.fill("Publisher", "Test Wire")
        editor.fill("Perspective: who is speaking, from where (neutral, in your words)", "A wire report.", area=True)
        before = {p.name: p.read_bytes() for p in served.glob("*.yaml") if p.name != "sources.yaml"}
        editor.click("Add the source")
        expect(page.get_by_text("Added wire-2025-03-03: 2 passages")).to_be_visible()
        # the suggestions come up at once, each with its words in their sentence
        table = page.locator('[data-testid="stDataFrame"]')
        expect(table).to_be_visible()
        picker = page.get_by_label("Suggestions you confirm", exact=True)
        for typed in ("3 March 2025", "Alpha (alpha)", "actor: Azerbaijan"):  # by keyboard: type, then Enter
            picker.click()
            page.keyboard.type(typed)
            page.keyboard.press("Enter")
            editor.idle()
        page.keyboard.press("Escape")
        chosen = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Suggestions you confirm")
        for label in ("date: 2025-03-03 (day) — “3 March 2025” (passage 2)", "place: Alpha (alpha) — “Alpha” (passage 2)",
                      "actor: Azerbaijan — “Azerbaijan” (passage 2)"):
            expect(chosen).to_contain_text(label)
        editor.click("Put them in the event form")
        expect(page.get_by_text("Check them, write the title and summary in your own words")).to_be_visible()
        expect(page.get_by_label("Date (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY)", exact=True)).to_have_value("2025-03-03")
        expect(page.get_by_role("combobox", name="Place", exact=True)).to_have_value("Alpha / Alfa (alpha)")
        expect(page.locator('[data-testid="stMultiSelect"]').filter(has_text="Actors")).to_contain_text("Azerbaijan")
        assert {p.name: p.read_bytes() for p in served.glob("*.yaml") if p.name != "sources.yaml"} == before

        # remove a record: only after ticking, recorded with the editor's name
        page.get_by_text(curate.EDIT, exact=True).click()
        editor.idle()
        editor.choose("Record to edit", "term: road — Road")
        remove = page.get_by_role("button", name="Remove road")
        expect(remove).to_be_disabled()
        page.get_by_text("Yes, remove term road").click()
        editor.idle()
        editor.click("Remove road")
        expect(page.get_by_text("Removed term road")).to_be_visible()
        assert yaml.safe_load((served / "terms.yaml").read_text(encoding="utf-8")) == []
        assert writes.read_changelog(served)[-1]["editor"] == "Browser Editor"
    finally:
        editor.close()
        srv.stop()

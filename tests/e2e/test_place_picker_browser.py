"""/curate in a real browser: a new place's lon/lat picked with two clicks on the map, then saved with a cited quote."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml
from argon2 import PasswordHasher

from atlas.core import paths
from atlas.core.load import load_dataset
from atlas.ui import curate
from tests.e2e.conftest import Server
from tests.e2e.test_curate_browser import Editor

pytestmark = pytest.mark.browser

QUOTE = "Karabakh and the seven surrounding regions are outside the territory of Armenia"


def _click_map_centre(editor: Editor) -> None:
    chart = editor.page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    editor.page.wait_for_timeout(1500)  # deck.gl draws (and fetches the grid file) after the script finishes
    box = chart.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    editor.page.mouse.move(x - 10, y - 10)
    editor.page.mouse.move(x, y)
    editor.page.mouse.click(x, y)
    editor.idle()


def test_an_editor_picks_a_new_place_on_the_map_and_saves_it(browser, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    served = shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data")
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.setenv(curate.HASH_ENV, PasswordHasher().hash("open sesame"))
    srv = Server(served)
    editor = Editor(browser, srv.url)
    offsite: list[str] = []
    editor.page.on("request", lambda r: offsite.append(r.url) if "localhost" not in r.url and r.url.startswith("http") else None)
    try:
        editor.sign_in("Map Editor", "open sesame")
        editor.page.get_by_label("Source", exact=True).click()  # the anchor form's source, typed to filter the list
        editor.page.keyboard.type("scfr-kaleji-interview")
        editor.page.keyboard.press("Enter")
        editor.idle()
        editor.anchor(QUOTE)
        editor.page.get_by_text("place", exact=True).click()  # the Kind radio
        editor.idle()
        expect(editor.page.get_by_text("about 500 m").first).to_be_visible()
        _click_map_centre(editor)  # a coarse dot: the map zooms there
        expect(editor.page.get_by_role("button", name="Start over")).to_be_visible()
        _click_map_centre(editor)  # the fine dot at the middle of the zoomed view
        expect(editor.page.get_by_text("Picked lon").first).to_be_visible()
        expect(editor.page.get_by_label("Lon", exact=True)).to_have_value(re.compile(r"^\d+\.\d+$"))
        expect(editor.page.get_by_label("Lat", exact=True)).to_have_value(re.compile(r"^\d+\.\d+$"))
        lon = float(editor.page.get_by_label("Lon", exact=True).input_value())
        lat = float(editor.page.get_by_label("Lat", exact=True).input_value())
        ds, _ = load_dataset(served)
        assert ds.settings.region.bounds.contains(lon, lat)
        view = ds.settings.region.view  # the opening view's middle, within a coarse cell
        assert abs(lon - view.lon) <= 0.25 and abs(lat - view.lat) <= 0.25
        editor.fill("Name (international)", "Picked Village")
        editor.fill("Id", "picked-village")
        editor.fill("Country", "ARM")
        editor.page.get_by_label("Coord status", exact=True).click()
        editor.page.keyboard.type("approx")
        editor.page.keyboard.press("Enter")
        editor.idle()
        editor.fill("Coord source", "picked on the /curate map")
        editor.click("Save the place")
        expect(editor.page.get_by_text("Saved place picked-village")).to_be_visible()
        saved = {p["id"]: p for p in yaml.safe_load((served / "places.yaml").read_text(encoding="utf-8"))}
        assert (saved["picked-village"]["lon"], saved["picked-village"]["lat"]) == (lon, lat)
        assert saved["picked-village"]["citations"][0]["quote"] == QUOTE
        ds, problems = load_dataset(served)
        assert problems == [] and ds.records["picked-village"].lon == lon
        assert offsite == []
    finally:
        editor.close()
        srv.stop()

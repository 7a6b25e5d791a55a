"""The Atlas as a person meets it: headless Chromium against a live server on loopback."""
from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE_JS, Server, Visit
from tests.test_render import injected_corpus

pytestmark = pytest.mark.browser
SOURCE = "scfr-kaleji-interview"


@pytest.mark.parametrize("launcher", [True, False], ids=["make-run", "streamlit-run"])
def test_fresh_server_deep_link_to_a_passage_lands_in_the_app(browser, launcher):
    # The first request a new server sees is a deep link: it must run inside the app shell. Started as `make run`
    # starts it, the page runs once; under plain `streamlit run` it runs bare first, and is sent through the shell.
    fresh = Server(launcher=launcher)
    v = Visit(browser)
    try:
        page = v.open(f"{fresh.url}/sources?source={SOURCE}&passage=12")
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("dashboard")).to_have_count(0)  # not Streamlit's bare pages/ fallback
        for label in ("Home", "Sources", "About"):
            expect(nav.get_by_text(label, exact=True)).to_have_count(1)
        focused = page.locator("section.atlas-passage.atlas-focused")
        expect(focused).to_have_count(1)
        expect(focused).to_have_attribute("id", "p12")
        expect(focused).to_contain_text("Armenia will face the fate of Georgia")
        expect(page.get_by_text("Linked passage: ¶12")).to_have_count(1)
        expect(focused).to_be_in_viewport()  # scrolled to
        assert v.offsite == [] and v.errors == []
        ran_bare = "ran its page bare" in fresh.output()
        assert ran_bare is not launcher  # once through the launcher; the guard still works without it
    finally:
        v.close()
        fresh.stop()


def test_highlighted_quote_marks_are_visible(server, visit):
    page = visit.open(f"{server.url}/sources?source={SOURCE}&passage=9")
    marks = page.locator("section#p9 mark.atlas-cited")
    expect(marks.first).to_be_visible()
    assert marks.first.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_choosing_another_source_updates_the_address(server, visit):
    page = visit.open(f"{server.url}/sources?source={SOURCE}&passage=9")
    expect(page.locator("section.atlas-focused")).to_have_count(1)
    combo = page.get_by_role("combobox", name="Source")
    option = page.locator('[role="option"]', has_text="Security Balance in South Caucasus")
    for _ in range(5):  # the listbox can close again while the page settles: open it until it stays
        combo.focus()
        page.keyboard.press("ArrowDown")  # keyboard use: the standard way to open a combobox
        try:
            option.wait_for(state="visible", timeout=2000)
            break
        except Exception:
            page.keyboard.press("Escape")
    option.click()
    page.wait_for_url(re.compile(r"source=avim-security-balance-2023"))
    visit.wait_idle()
    assert "passage=" not in page.url
    expect(page.locator("section.atlas-focused")).to_have_count(0)
    expect(page.locator("section#p10")).to_contain_text("Chief of MI6")


def test_cited_by_link_opens_the_glossary_term_with_its_quote(server, visit):
    page = visit.open(f"{server.url}/about?focus=csto")
    term = page.locator("dl.atlas-term.atlas-focused")
    expect(term).to_have_count(1)
    expect(term).to_have_attribute("id", "term-csto")
    expect(term.locator("mark.atlas-quote").first).to_be_visible()
    link = term.locator("figcaption a").first
    href = link.get_attribute("href")
    assert re.match(r"/sources\?source=[a-z0-9-]+&passage=\d+", href)
    link.click()
    page.wait_for_url(re.compile(r"/sources\?"))
    expect(page.locator("section.atlas-focused")).to_have_count(1)


def test_bad_parameters_show_a_notice_not_an_exception(server, visit):
    page = visit.open(f"{server.url}/sources?source=%3Cscript%3Ealert(1)%3C/script%3E&passage=abc")
    expect(page.get_by_text("No source with id")).to_have_count(1)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert visit.dialogs == []


def test_a_tour_of_every_page_makes_no_request_beyond_localhost(server, visit):
    for path in ("/", "/map", "/map?focus=zangezur&date=2021-06", "/alignments", "/alignments?view=heatmap", "/events",
                 "/perspectives", "/perspectives?focus=iran-zangezur-conditions", "/brief?step=6",
                 "/sources", f"/sources?source={SOURCE}&passage=5",
                 "/about", "/about?focus=csto", "/record?id=lachin-road",
                 f"/sources?source={SOURCE}&passage=2&quote=Karabakh+and+the+seven+surrounding+regions+are+outside+the+territory+of+Armenia"):
        visit.open(server.url + path)
        assert visit.page.locator('[data-testid="stException"]').count() == 0, path
    assert visit.offsite == []
    assert visit.errors == []


def test_injected_markup_in_the_data_stays_inert(browser, tmp_path):
    ds = injected_corpus(tmp_path)
    srv = Server(ds.data_dir)
    v = Visit(browser)
    try:
        for path in ("/", f"/record?id={next(iter(ds.records))}", "/sources?source=mini&passage=2", "/about?focus=road",
                     "/about", "/map", "/events", "/alignments", "/perspectives"):
            page = v.open(srv.url + path)
            expect(page.locator("h1").first).to_be_visible()
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator("img[src=x]").count() == 0
        expect(page.locator(".atlas-perspective-box").get_by_text("<script>alert(1)</script>", exact=False).first).to_be_visible()
        assert v.dialogs == [] and v.offsite == []
    finally:
        v.close()
        srv.stop()


def test_map_deep_link_opens_the_corridor_with_its_quote(server, visit):
    page = visit.open(f"{server.url}/map?focus=lachin-road&date=2022-12")
    expect(page.locator('[data-testid="stDeckGlJsonChart"] canvas').first).to_be_visible()
    expect(page.get_by_role("heading", name="Lachin corridor")).to_be_visible()
    expect(page.locator(".atlas-panel mark.atlas-quote").first).to_be_attached()
    expect(page.locator(".atlas-ans-status")).to_contain_text("in Dec 2022")
    assert visit.offsite == []


def _pixel(lon, lat, box, camera=None):
    """Where a lon/lat point falls on the deck canvas (web mercator, 512-pixel world at zoom 0), for the map's own
    opening camera."""
    if camera is None:
        from atlas.core import geo
        from atlas.core.load import load_or_raise
        from atlas.views import figures

        camera = figures.view_state(load_or_raise(), None, geo.last_month(load_or_raise()))
    lon0, lat0, zoom = camera.longitude, camera.latitude, camera.zoom
    scale = 512 * 2 ** zoom / (2 * math.pi)
    merc = lambda phi: math.log(math.tan(math.pi / 4 + math.radians(phi) / 2))  # noqa: E731
    x = box["x"] + box["width"] / 2 + math.radians(lon - lon0) * scale
    y = box["y"] + box["height"] / 2 - (merc(lat) - merc(lat0)) * scale
    return x, y


def test_clicking_a_place_on_the_map_opens_its_evidence(server, visit):
    page = visit.open(f"{server.url}/map?layers=places")
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    expect(canvas).to_be_visible()
    page.wait_for_timeout(1500)  # deck.gl draws after the script finishes
    x, y = _pixel(44.5136, 40.1811, canvas.bounding_box())  # Yerevan, inside the opening frame
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"focus=yerevan"), timeout=20000)
    expect(page.get_by_role("heading", name="Yerevan")).to_be_visible()
    expect(page.locator(".atlas-panel mark.atlas-quote").first).to_be_attached()
    assert visit.offsite == []


def test_the_camera_stays_put_when_the_date_moves(server, visit):
    page = visit.open(f"{server.url}/map?date=2022-06")
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    expect(chart.locator("canvas").first).to_be_visible()
    page.wait_for_timeout(1500)
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(3):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(250)
    page.mouse.move(5, 5)  # off the map: no hover highlight in the pictures
    page.wait_for_timeout(800)
    before = chart.screenshot()
    page.get_by_role("button", name="Later ▶").click()
    page.wait_for_url(re.compile(r"date=2022-07"))
    visit.wait_idle()
    page.wait_for_timeout(1500)
    after = chart.screenshot()
    initial = visit.open(f"{server.url}/map?date=2022-07")
    page.wait_for_timeout(1500)
    fresh = initial.locator('[data-testid="stDeckGlJsonChart"]').first.screenshot()
    assert _changed(before, after) < 0.01  # the zoomed-in view survived the rerun
    assert _changed(fresh, after) > 0.05  # and it is not the default camera


def _changed(png_a: bytes, png_b: bytes) -> float:
    """The fraction of pixels that differ visibly between two screenshots."""
    import io

    from PIL import Image, ImageChops

    a, b = (Image.open(io.BytesIO(x)).convert("L") for x in (png_a, png_b))
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 40 else 0)
    return sum(diff.histogram()[255:]) / (a.size[0] * a.size[1])


def test_clicking_a_chart_point_opens_its_quote(server, visit):
    page = visit.open(f"{server.url}/alignments?partners=CSTO")
    point = page.locator(".js-plotly-plot .scatterlayer .trace .points path.plotly-customdata").first
    expect(point).to_be_visible()
    page.wait_for_timeout(800)
    box = point.bounding_box()  # plotly's drag layer lies over the points: click where the point is drawn
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"focus=[a-z0-9-]+"), timeout=20000)
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".atlas-panel mark.atlas-quote").first).to_be_visible()
    expect(dialog.get_by_text("Coded: CSTO").first).to_be_in_viewport()
    assert visit.offsite == []


def test_selecting_an_events_row_opens_its_evidence(server, visit):
    page = visit.open(f"{server.url}/events?q=MI6")
    expect(page.get_by_text(re.compile(r"of \d+ events"))).to_be_visible()
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible()
    page.wait_for_timeout(800)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selector (the grid is a canvas)
    page.wait_for_url(re.compile(r"focus=[a-z0-9-]+"), timeout=20000)
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".atlas-panel mark.atlas-quote").first).to_be_visible()
    expect(dialog.locator("h2.atlas-panel-title")).to_be_in_viewport()


def test_the_brief_steps_with_the_keyboard_and_keeps_the_citation_on_screen(server, visit):
    page = visit.open(f"{server.url}/brief")
    expect(page.locator(".atlas-brief-head")).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    for expected in (2, 3):
        page.keyboard.press("ArrowRight")
        page.wait_for_url(re.compile(rf"step={expected}\b"), timeout=15000)
        expect(page.get_by_text(f"Step {expected} of 10")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"step=2\b"), timeout=15000)
    bar = page.locator(".atlas-brief-cite")
    expect(bar).to_be_in_viewport()
    expect(bar.locator("q")).not_to_be_empty()
    assert visit.offsite == []


AXE_PAGES = ["/", "/map", "/map?focus=lachin-road&date=2022-12", "/alignments", "/alignments?focus=csto-exercises-paused-2023",
             "/alignments?view=heatmap", "/events", "/events?focus=ceasefire-statement-2020", "/perspectives",
             "/perspectives?focus=iran-zangezur-conditions", "/sources", f"/sources?source={SOURCE}&passage=9", "/about",
             "/about?focus=csto", "/brief", "/brief?step=8", "/sources?source=nope", "/record?id=lachin-road",
             "/record?id=csto-exercises-paused-2023", "/record?id=nope",
             f"/sources?source={SOURCE}&passage=2&quote=Karabakh+and+the+seven+surrounding+regions+are+outside+the+territory+of+Armenia"]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_accessibility_violations(server, visit, path):
    from axe_playwright_python.sync_playwright import Axe

    page = visit.open(server.url + path)
    page.wait_for_timeout(800)
    result = Axe().run(page)
    violations = [(v["id"], v["impact"], v["nodes"][0]["html"][:160]) for v in result.response["violations"]]
    assert violations == []


def test_the_briefing_file_opens_offline_with_chart_map_and_quotes(browser, tmp_path):
    from atlas.core.load import load_or_raise
    from atlas.views import export

    path = tmp_path / "briefing.html"
    path.write_text(export.briefing_html(load_or_raise()), encoding="utf-8")
    page = browser.new_page()
    requested: list[str] = []
    page.route("**/*", lambda route: (requested.append(route.request.url), route.abort()
                                      if not route.request.url.startswith(("file:", "data:")) else route.continue_()))
    page.goto(path.as_uri())
    expect(page.locator(".js-plotly-plot .scatterlayer").first).to_be_attached()
    expect(page.locator("img[src^='data:image/png']").first).to_be_visible()  # each map step has its own
    expect(page.locator(".js-plotly-plot")).to_have_count(sum(s.view.kind == "alignments" for s, _ in load_or_raise().brief))
    expect(page.get_by_text("Step 10")).to_be_visible()
    assert page.locator("ol li").count() >= 10
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []
    page.close()


def test_two_servers_give_the_same_view_for_the_same_link(browser, server):
    # All view state lives in the URL: replicas behind a load balancer serve identical views.
    second = Server()
    v1, v2 = Visit(browser), Visit(browser)
    try:
        for link in ("/map?focus=lachin-road&date=2022-12&names=armenian", "/alignments?partners=CSTO,Russia&weights=equal"
                     "&focus=csto-exercises-paused-2023", f"/sources?source={SOURCE}&passage=12", "/brief?step=8"):
            texts = []
            for visit, srv in ((v1, server), (v2, second)):
                page = visit.open(srv.url + link)
                # the view's text (headings, markdown, panels, quotes) — not widgets or charts still drawing —
                # read until two reads agree, so a page still settling under load is not compared early
                blocks = page.locator('[data-testid="stHeading"], [data-testid="stMarkdown"], [data-testid="stHtml"]')
                reads: list[str] = []
                for _ in range(40):  # settled: the app idle, and three reads 0.5 s apart the same
                    page.wait_for_timeout(500)
                    reads.append("\n".join(blocks.all_inner_texts()) if page.evaluate(IDLE_JS) else "")
                    if len(reads) >= 3 and reads[-1] and reads[-1] == reads[-2] == reads[-3]:
                        break
                texts.append(reads[-1])
            assert texts[0] == texts[1], link
            assert len(texts[0]) > 200
    finally:
        v1.close()
        v2.close()
        second.stop()


def test_make_run_serves_a_users_own_corpus(browser, tmp_path):
    # The README's promise, as a user types it: ATLAS_DATA_DIR=<their corpus> make run
    import os
    import signal
    import subprocess
    import time
    import urllib.request

    from atlas.core import paths
    from benchmarks import synth
    from tests.conftest import REPO
    from tests.e2e.conftest import _free_port

    corpus = synth.write(2, tmp_path / "their-data")
    port = _free_port()
    proc = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=REPO, env={**os.environ, paths.DATA_DIR_ENV: str(corpus)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    v = Visit(browser)
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, "make run did not start a server"
                time.sleep(0.5)
        page = v.open(f"http://localhost:{port}/sources")
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("8 sources", exact=False)).to_be_visible()
        main = page.locator('[data-testid="stMainBlockContainer"]')
        expect(main).to_contain_text(re.compile(r"\[Synthetic copy [01] of "))  # their text, not ours
        for path in ("/map", "/alignments", "/perspectives"):
            page = v.open(f"http://localhost:{port}{path}")
            assert page.locator('[data-testid="stException"]').count() == 0
        assert v.errors == [] and v.offsite == []
    finally:
        v.close()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)

"""Slide packs from the dashboard: prepared on request, downloaded, and opened as a briefer would open them."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pptx import Presentation
from pypdf import PdfReader

from atlas.core.load import load_or_raise

pytestmark = pytest.mark.browser


def _download(page, name: str) -> bytes:
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name=name).click()
    path = dl.value.path()
    return open(path, "rb").read()


def test_the_brief_downloads_as_slides_with_links_back_to_this_server(server, visit):
    ds = load_or_raise()
    page = visit.open(f"{server.url}/brief?step=1")
    page.get_by_role("button", name=re.compile(r"^Sources \(\d+\)")).click()
    page.get_by_role("button", name="Prepare slides of the brief (PowerPoint, PDF)").click()
    expect(page.get_by_role("button", name="The brief (PowerPoint)")).to_be_visible(timeout=120_000)
    prs = Presentation(io.BytesIO(_download(page, "The brief (PowerPoint)")))
    assert len(prs.slides) == len(ds.brief) + 2
    notes = prs.slides[1].notes_slide.notes_text_frame.text
    assert f"{server.url}/map?focus=lachin-road&date=2020-12" in notes  # the address the briefer uses, not a default
    assert visit.offsite == []


def test_a_map_view_becomes_one_pdf_page_with_its_evidence(server, visit):
    page = visit.open(f"{server.url}/map?focus=lachin-road&date=2022-12")
    page.get_by_role("button", name="Add this view to a pack").click()
    page.get_by_role("button", name="Prepare the slide").click()
    expect(page.get_by_role("button", name="Slide (PDF)")).to_be_visible(timeout=120_000)
    reader = PdfReader(io.BytesIO(_download(page, "Slide (PDF)")))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Lachin corridor, Dec 2022" in text and len(reader.pages[0].images) == 1
    uris = [a.get_object().get("/A", {}).get("/URI") for a in reader.pages[0].get("/Annots", [])]
    assert f"{server.url}/map?date=2022-12&focus=lachin-road" in uris


def test_an_alignment_view_becomes_one_slide_naming_its_partners(server, visit):
    page = visit.open(f"{server.url}/alignments?partners=Russia,CSTO")
    page.get_by_role("button", name="Add this view to a pack").click()
    page.get_by_role("button", name="Prepare the slide").click()
    expect(page.get_by_role("button", name="Slide (PowerPoint)")).to_be_visible(timeout=120_000)
    (slide,) = Presentation(io.BytesIO(_download(page, "Slide (PowerPoint)"))).slides
    notes = slide.notes_slide.notes_text_frame.text
    partners = re.search(r"/alignments\?partners=([^&\s]+)", notes).group(1)
    assert sorted(partners.split("%2C")) == ["CSTO", "Russia"] and "Every quote behind this slide" in notes

"""Slide packs: the exported PowerPoint and PDF, opened as a reader would open them (python-pptx, pypdf)."""
import hashlib
import io
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu
from pypdf import PdfReader

from atlas.analysis import alignment
from atlas.core import geo
from atlas.core.load import load_or_raise
from atlas.views import figures, links, pack
from tests.conftest import REPO, shipped

BASE = "http://atlas.example:8765"
EMU_PER_PT = 12700
FONTS = {False: REPO / "assets" / "fonts" / "AtlasSans.ttf", True: REPO / "assets" / "fonts" / "AtlasSans-Bold.ttf"}


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The shipped brief exported by the command line, as a briefer would run it."""
    out = tmp_path_factory.mktemp("pack")
    files = {}
    for what in ("pptx", "pdf"):
        path = out / f"brief.{what}"
        res = subprocess.run([sys.executable, "-m", "atlas", "export", what, "--out", str(path), "--base-url", BASE],
                             cwd=REPO, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        files[what] = path
    return files


def _squash(text: str) -> str:
    return " ".join(text.split())


def _live_href(ds, step) -> str:
    view = step.view
    if view.kind == "map":
        return links.href("map", focus=view.focus, date=view.date.text if view.date else geo.last_month(ds))
    rows, default = alignment.rows_and_defaults(ds, alignment.Options())
    partners = [p for p in view.partners if p in set(rows["partner"])] or default
    return links.href("alignments", partners=",".join(partners), focus=view.focus)


def _slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


# ---------------------------------------------------------------------------------------------------------------- PPTX

@shipped
def test_pptx_has_title_steps_and_sources_with_evidence(ds, exported):
    prs = Presentation(str(exported["pptx"]))
    assert (prs.slide_width, prs.slide_height) == (Emu(960 * EMU_PER_PT), Emu(540 * EMU_PER_PT))  # 16:9
    slides = list(prs.slides)
    assert len(slides) == len(ds.brief) + 2
    title, steps, closing = slides[0], slides[1:-1], slides[-1]
    title_text = _slide_text(title)
    assert "South Caucasus Security Atlas" in title_text and "Data version of" in title_text
    for src in ds.sources.values():
        assert src.title in title_text and src.perspective.split(". ")[0] in _squash(title_text)
        assert src.title in _slide_text(closing)
    for (step, cits), slide in zip(ds.brief, steps, strict=True):
        text, notes = _slide_text(slide), slide.notes_slide.notes_text_frame.text
        assert step.headline in text and _squash(step.text) in _squash(text)
        first = cits[0].quote
        assert first in text or first in notes  # verbatim, on the slide or (if shortened there) in the notes
        assert all(c.quote in notes for c in cits)  # every quote of the step in the notes
        assert BASE + _live_href(ds, step) in notes
        assert "Caveats:" in notes
        src = ds.sources[cits[0].source_id]
        assert src.title in text and src.perspective.split(". ")[0] in _squash(text)  # source and perspective shown
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        with Image.open(io.BytesIO(pictures[0].image.blob)) as im:
            assert im.width >= 1600  # crisp when projected
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr")  # alternative text


@shipped
def test_each_step_draws_its_own_picture(ds, exported):
    prs = Presentation(str(exported["pptx"]))
    digests = [hashlib.sha256(next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE).image.blob).hexdigest()
               for slide in list(prs.slides)[1:-1]]
    assert len(set(digests)) == len(ds.brief)


def _wrap_lines(text: str, font: ImageFont.FreeTypeFont, width_px: float) -> int:
    """Independent greedy line count: how a slide program wraps this text at this width."""
    lines = 0
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if current and font.getlength(trial) > width_px:
            lines += 1
            current = word
        else:
            current = trial
    return lines + 1


def _rect(shape):
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def test_pptx_nothing_overflows_and_type_is_large(exported):
    prs = Presentation(str(exported["pptx"]))
    width, height = prs.slide_width, prs.slide_height
    for n, slide in enumerate(prs.slides, start=1):
        boxes = []
        for shape in slide.shapes:
            x0, y0, x1, y1 = _rect(shape)
            assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, f"slide {n}: {shape.name} leaves the slide"
            if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE:  # the quote's accent bar sits beside the quote
                continue
            boxes.append((shape.name, (x0, y0, x1, y1)))
            if not shape.has_text_frame:
                continue
            frame = shape.text_frame
            assert frame.word_wrap is True
            needed = 0.0
            for p in frame.paragraphs:
                runs = p.runs
                assert runs, f"slide {n}: empty paragraph in {shape.name}"
                size = runs[0].font.size.pt
                bold = bool(runs[0].font.bold)
                assert size >= 18, f"slide {n}: {size} pt text in {shape.name}"
                if shape.name == "headline":
                    assert size >= 28
                font = ImageFont.truetype(str(FONTS[bold]), 100)  # 100 px = 100 pt at this scale
                box_pt = shape.width / EMU_PER_PT
                lines = _wrap_lines(p.text, font, box_pt * 100 / size)
                needed += (p.space_before.pt if p.space_before is not None else 0) + lines * p.line_spacing.pt
            assert needed <= shape.height / EMU_PER_PT + 0.5, f"slide {n}: text of {shape.name} needs {needed:.0f} pt"
        for i, (name_a, a) in enumerate(boxes):  # text and pictures never lie on each other
            for name_b, b in boxes[i + 1:]:
                overlap = min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
                assert not overlap, f"slide {n}: {name_a} overlaps {name_b}"


# ----------------------------------------------------------------------------------------------------------------- PDF

@shipped
def test_pdf_one_page_per_slide_text_searchable(ds, exported):
    reader = PdfReader(str(exported["pdf"]))
    assert len(reader.pages) == len(ds.brief) + 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960, 540)
    title = _squash(reader.pages[0].extract_text())
    assert "South Caucasus Security Atlas" in title and all(s.title in title for s in ds.sources.values())
    assert all(s.title in _squash(reader.pages[-1].extract_text()) for s in ds.sources.values())
    for (step, cits), page in zip(ds.brief, reader.pages[1:-1], strict=True):
        text = _squash(page.extract_text())
        assert step.headline in text
        assert _squash(cits[0].quote) in text  # selectable text, the quote whole on the page
        assert len(page.images) == 1
        uris = [a.get_object().get("/A", {}).get("/URI") for a in page.get("/Annots", [])]
        assert BASE + _live_href(ds, step) in uris  # the live view is a link on the page


def test_pdf_keeps_letters_of_every_script(tmp_path):
    """Azerbaijani, Turkish, Armenian and Cyrillic names survive into the PDF's text (the font is embedded)."""
    names = "Xankəndi · İstanbul · Ստեփանակերտ · Степанакерт"
    slide = pack.Slide(label="Map view", headline=names, text=names, picture=None, alt="", evidence=None, more=0,
                       url=BASE, notes=[names])
    pdf = pack.to_pdf([pack.step_page(slide, "pdf")], "test")
    text = _squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert names in text


# --------------------------------------------------------------------------------------------------------------- Layout

@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzəİ", min_size=1, max_size=14), min_size=1, max_size=80),
       width=st.floats(min_value=120, max_value=600), lines=st.integers(min_value=1, max_value=6))
def test_shorten_cuts_only_at_word_boundaries(words, width, lines):
    text = " ".join(words)
    shown, cut = pack.shorten(text, 18, width, lines, opening="“", closing="”")
    assert len(pack.wrap(shown, 18, width)) <= lines or not cut and len(pack.wrap(shown, 18, width)) <= lines
    inner = shown[1:-1]
    if cut:
        assert inner.endswith(pack.ELLIPSIS)
        kept = inner[: -len(pack.ELLIPSIS)].split()
        assert kept == words[: len(kept)]  # whole words only, in order
    else:
        assert inner == text


def test_a_long_quote_is_shortened_on_the_slide_and_whole_in_the_notes():
    quote = " ".join(["evidence"] * 400)
    png = io.BytesIO()
    Image.new("RGB", (1600, 1000), "white").save(png, format="PNG")
    slide = pack.Slide(label="Step 1 of 1", headline="A headline " * 12, text="Some text. " * 90, picture=png.getvalue(),
                       alt="a picture", evidence=pack.Evidence(quote, "A source, 2023, ¶1", "A perspective."), more=3,
                       url=BASE + "/map", notes=["Step 1", f"1. “{quote}”", "Caveats:", "- one"])
    page = pack.step_page(slide, "pptx")
    panel = next(b for b in page.boxes if getattr(b, "name", "") == "evidence")
    shown = panel.paras[0].text
    assert shown.endswith(pack.ELLIPSIS + "”") and len(shown) < len(quote)
    assert quote in page.notes and "shortened at a word boundary" in page.notes
    assert "Full text of the slide" in page.notes  # the body text was cut too, and is kept whole in the notes
    for box in page.boxes:
        h = box.h
        assert box.x >= 0 and box.y >= 0 and box.x + box.w <= pack.SLIDE_W and box.y + h <= pack.SLIDE_H - pack.BOTTOM + 0.01


# ---------------------------------------------------------------------------------------------------------- View packs

@shipped
def test_map_view_pack_is_one_slide_with_the_views_evidence(ds):
    files = pack.map_view_pack(ds, "2022-12", figures.default_layers(ds), "armenian", "lachin-road", BASE)
    prs = Presentation(io.BytesIO(files.pptx))
    (slide,) = prs.slides
    notes = slide.notes_slide.notes_text_frame.text
    assert BASE + "/map?date=2022-12&focus=lachin-road&names=armenian" in notes
    quotes = [c.quote for c in ds.citations_of("lachin-road")]
    assert all(q in notes for q in quotes)
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
    reader = PdfReader(io.BytesIO(files.pdf))
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1


@shipped
def test_chart_view_pack_names_its_partners_period_and_evidence(ds):
    view = pack.ChartView(partners=("Russia", "CSTO"), first="2021-01", last="2023-12")
    files = pack.chart_view_pack(ds, view, BASE)
    (slide,) = Presentation(io.BytesIO(files.pptx)).slides
    text, notes = _slide_text(slide), slide.notes_slide.notes_text_frame.text
    assert "Russia, CSTO" in text and "Jan 2021" in text
    assert BASE + "/alignments?partners=Russia%2CCSTO&from=2021-01&to=2023-12" in notes
    assert "moved the index most" in text  # no event selected: the quote behind the biggest move, said so
    quotes = re.findall(r"^1\. “(.+?)” — ", notes, flags=re.M)
    assert quotes and quotes[0][:40] in _squash(text)


@shipped
def test_without_chromium_the_chart_becomes_a_plain_notice(ds, monkeypatch):
    monkeypatch.setattr(pack, "chromium_path", lambda: None)
    (png,) = pack.chart_pictures([object()], [BASE + "/alignments"])
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG" and im.width >= 1600
    view = pack.ChartView(partners=("US",), first="2022-01", last="2023-12")
    files = pack.chart_view_pack(ds, view, BASE)  # a pack is still made, never a crash
    assert len(PdfReader(io.BytesIO(files.pdf)).pages) == 1


def test_cli_rejects_bad_data_for_packs(corpus, tmp_path):
    (corpus / "terms.yaml").write_text("- id: [")
    out = tmp_path / "b.pptx"
    res = subprocess.run([sys.executable, "-m", "atlas", "export", "pptx", "--out", str(out), "--data-dir", str(corpus)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and not out.exists() and "terms.yaml" in res.stderr

"""Slide packs that keep their evidence: the brief, or one view of the map or of the alignment chart, as PowerPoint
slides (python-pptx) or PDF pages (fpdf2) — the step's picture, its first quote with source and perspective on the
slide, every quote, the caveats and the address of the live view in the speaker notes.

Both formats are drawn from one layout, computed here in points on a 16:9 page with the font's own metrics (the shipped
DejaVu Sans), so every text box is sized for the lines its text wraps to and nothing leaves the slide."""
from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from atlas.analysis import alignment
from atlas.core import geo, paths
from atlas.core.load import Dataset, ResolvedCitation
from atlas.core.model import Area, Corridor, Place
from atlas.core.version import data_version
from atlas.views import charts, figures, links, render, staticmap
from atlas.views.cite import BASE_URL_ENV, DEFAULT_BASE_URL  # where the live views are served, as citations name them

log = logging.getLogger(__name__)

CHROMIUM_ENV = "ATLAS_CHROMIUM"  # the Chromium that draws chart pictures (default: Debian's chromium on the PATH)

SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13.333 × 7.5 inches, 16:9
MARGIN, TOP, BOTTOM = 36.0, 22.0, 22.0
FONT_NAME = "DejaVu Sans"
FONT_FILES = {False: paths.ASSETS / "fonts" / "AtlasSans.ttf", True: paths.ASSETS / "fonts" / "AtlasSans-Bold.ttf"}
LEADING = 1.2  # line height as a multiple of the font size, set exactly in both formats
FIT = 0.97  # text is wrapped at this share of its box's width: room for a viewer's own rounding or a narrower font
TITLE_PT, HEADLINE_PT, BODY_PT, MIN_PT = 40, 32, 20, 18  # nothing on a slide is smaller than MIN_PT
INK, MUTED, ACCENT, LINK = "111111", "4A5560", "F2B705", "0B5CAD"
CHART_PX = (900, 500)  # the chart's size in CSS pixels (its fonts are sized for it); rendered at CHART_SCALE
CHART_SCALE = 2
ELLIPSIS = "…"


# ---------------------------------------------------------------------------------------------------------------------
# Text measured with the font that draws it

@lru_cache(maxsize=2)
def _face(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILES[bold]), 1000)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of text at `size` points."""
    return _face(bold).getlength(text) * size / 1000


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Greedy line breaking at spaces, as a slide program does; a word longer than the line is split."""
    lines: list[str] = []
    for word in _words(text):
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while text_width(word, size, bold) > width and len(word) > 1:  # an address or a very long name
            cut = max(1, max(i for i in range(1, len(word) + 1) if text_width(word[:i], size, bold) <= width or i == 1))
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def _words(text: str) -> list[str]:
    """Words split at ordinary white space only: a no-break space keeps its neighbours on one line."""
    return [w for w in re.split(r"[ \t\r\n]+", text) if w]


def shorten(text: str, size: float, width: float, max_lines: int, bold: bool = False,
            opening: str = "", closing: str = "") -> tuple[str, bool]:
    """`opening + text + closing` cut at a word boundary with an ellipsis so it wraps to at most max_lines lines;
    (the shown text, whether it was cut). Never cuts inside a word."""
    words = _words(text)
    whole = f"{opening}{' '.join(words)}{closing}"
    if len(wrap(whole, size, width, bold)) <= max_lines:
        return whole, False
    lo, hi = 0, len(words) - 1  # the longest prefix of words that fits, with the ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        trial = f"{opening}{' '.join(words[:mid]).rstrip(',;:')}{ELLIPSIS}{closing}"
        if len(wrap(trial, size, width, bold)) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return f"{opening}{' '.join(words[:lo]).rstrip(',;:')}{ELLIPSIS}{closing}", True


# ---------------------------------------------------------------------------------------------------------------------
# The layout: pages of positioned boxes, in points, shared by the PowerPoint and the PDF writer

@dataclass
class Para:
    text: str
    size: float = BODY_PT
    bold: bool = False
    colour: str = INK
    space_before: float = 0.0
    link: str | None = None
    lines: list[str] = field(default_factory=list)

    def flow(self, width: float) -> Para:
        self.lines = wrap(self.text, self.size, width * FIT, self.bold)
        return self

    @property
    def height(self) -> float:
        return self.space_before + len(self.lines) * self.size * LEADING


@dataclass
class TextBox:
    x: float
    y: float
    w: float
    paras: list[Para]
    name: str = "text"

    def __post_init__(self) -> None:
        for p in self.paras:
            p.flow(self.w)

    @property
    def h(self) -> float:
        return sum(p.height for p in self.paras)


@dataclass
class Picture:
    x: float
    y: float
    w: float
    h: float
    png: bytes
    alt: str
    link: str | None = None


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    colour: str = ACCENT


@dataclass
class Page:
    title: str  # for the PDF's bookmarks
    boxes: list = field(default_factory=list)
    notes: str = ""


# ---------------------------------------------------------------------------------------------------------------------
# What goes on a slide

@dataclass
class Evidence:
    quote: str
    source: str  # title, publisher, date and paragraph
    perspective: str  # who is speaking, from where (the first sentence of the catalogue's note)


@dataclass
class Slide:
    label: str  # "Step 3 of 10", "Map view", …
    headline: str
    text: str
    picture: bytes | None
    alt: str
    evidence: Evidence | None
    more: int  # quotes behind the slide beyond the one shown
    url: str  # the live view
    notes: list[str]  # paragraphs of the speaker notes (every quote, caveats, the address)


@dataclass
class Listing:
    """A title or closing slide: a headline, a line under it, and entries of (bold line, plain lines)."""

    headline: str
    subtitle: list[str]
    heading: str
    entries: list[tuple[str, list[str]]]
    notes: list[str]
    headline_pt: float = HEADLINE_PT
    overflow: str = "{n} more: see the next slide"


def _first_sentence(text: str) -> str:
    head = text.split(". ")[0].strip()
    return head if head.endswith(".") else head + "."


source_line = render.source_text


def evidence(ds: Dataset, cit: ResolvedCitation) -> Evidence:
    src = ds.sources[cit.source_id]
    date = src.date_published.label() if src.date_published else "date not given"
    return Evidence(cit.quote, f"{src.title}, {date}, ¶{cit.passage}", _first_sentence(src.perspective))


def quote_note(ds: Dataset, n: int, cit: ResolvedCitation) -> str:
    """A quote for the speaker notes: verbatim, with where it stands in its source and who is speaking."""
    src = ds.sources[cit.source_id]
    return (f"{n}. “{cit.quote}” — {source_line(ds, cit.source_id)}; ¶{cit.passage}, characters {cit.start}–{cit.end}."
            f" Perspective: {src.perspective}")


def absolute(base_url: str, href: str) -> str:
    return base_url.rstrip("/") + href


def base_url_default() -> str:
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


# ---------------------------------------------------------------------------------------------------------------------
# Pictures: the static map, and the chart through plotly's own static export (kaleido, with Debian's Chromium)

def chromium_path() -> str | None:
    """The Chromium that kaleido drives: $ATLAS_CHROMIUM, else $BROWSER_PATH, else Debian's chromium on the PATH."""
    for candidate in (os.environ.get(CHROMIUM_ENV), os.environ.get("BROWSER_PATH"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def map_picture(ds: Dataset, view: figures.MapView) -> bytes:
    return staticmap.render_focus_png(ds, view)


async def _draw_charts(figs: list, browser: str) -> list[bytes]:
    import kaleido

    width, height = CHART_PX
    opts = {"format": "png", "width": width, "height": height, "scale": CHART_SCALE}
    # mathjax=False: kaleido would otherwise load MathJax from a CDN; plotly.js comes from the installed plotly package,
    # so the page Chromium renders loads nothing from the network.
    async with kaleido.Kaleido(mathjax=False, path=browser, timeout=90) as k:
        return [await k.calc_fig(fig, opts=opts) for fig in figs]


def chart_pictures(figs: list, urls: list[str]) -> list[bytes]:
    """PNGs of plotly figures, drawn in one Chromium session. Without Chromium (or if it fails) each picture is a
    plain panel saying so and where the live chart is, never an exception."""
    if not figs:
        return []
    browser = chromium_path()
    if browser is None:
        reason = "Chromium, which draws the chart pictures, is not installed on this server (apt-get install chromium)."
    else:
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # its own event loop, whatever the caller's
                return pool.submit(asyncio.run, _draw_charts(figs, browser)).result(timeout=300)
        except Exception as e:  # noqa: BLE001 - a missing picture must not lose the pack
            log.warning("chart pictures failed: %s", e)
            reason = f"Chromium could not draw the chart ({type(e).__name__})."
    return [unavailable_picture(reason, url) for url in urls]


def unavailable_picture(reason: str, url: str) -> bytes:
    width, height = CHART_PX[0] * CHART_SCALE, CHART_PX[1] * CHART_SCALE
    img = Image.new("RGB", (width, height), (242, 244, 247))
    draw = ImageDraw.Draw(img)
    draw.rectangle([4, 4, width - 5, height - 5], outline=(150, 160, 170), width=4)
    font = ImageFont.truetype(str(FONT_FILES[True]), 60)
    small = ImageFont.truetype(str(FONT_FILES[False]), 44)
    y = 200
    draw.text((120, y), "Chart picture not available", font=font, fill=(17, 17, 17))
    y += 120
    for line in _pixel_wrap(reason, small, width - 240) + [""] + _pixel_wrap(f"The live chart: {url}", small, width - 240):
        draw.text((120, y), line, font=small, fill=(60, 70, 80))
        y += 64
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _pixel_wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


# ---------------------------------------------------------------------------------------------------------------------
# The data version named on the title slide

def _day_label(iso: str) -> str:
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d:%B %Y}"


# ---------------------------------------------------------------------------------------------------------------------
# Slides: the brief's steps, one view of the map, one view of the chart

def chart_caveat(ds: Dataset) -> str:
    return (f"The alignment index is a running sum of coded events: each event moves {ds.settings.subject_name()} toward (+) "
            "or away from (−) a partner, weighted by the Goldstein score of its CAMEO code (codes and scores: GDELT). The "
            "coding is the Atlas's own, by the rules in data/README.md; a line with few events behind it says little.")
MAP_CAVEAT = ("Routes are schematic, not surveyed; a hollow dot is a position known only approximately; a dashed line is a "
              "route proposed, disputed or without a dated status. Basemap: Made with Natural Earth.")


def _sources_caveat(ds: Dataset) -> str:
    n = len(ds.sources)
    return (f"Every quote is one source's account, from its own vantage point (see its perspective), not an established "
            f"fact. The {n} source{'s' if n != 1 else ''} cover the period unevenly.")


def _notes(ds: Dataset, header: str, urls: list[str], cits: list[ResolvedCitation], caveats: list[str],
           shortened: bool = False) -> list[str]:
    out = [header, *urls]
    if cits:
        out.append("Every quote behind this slide, verbatim:")
        out += [quote_note(ds, i, c) for i, c in enumerate(cits, start=1)]
    out.append("Caveats:")
    if shortened:
        out.append("- The quote on the slide is shortened at a word boundary; quote 1 above is the full text.")
    out += [f"- {c}" for c in caveats]
    return out


def step_slides(ds: Dataset, base_url: str) -> list[Slide]:
    """One slide per brief step, each with its own picture: the map at the step's month with its feature selected, or
    the chart with the step's partners."""
    rows, default_partners = alignment.rows_and_defaults(ds, alignment.Options())
    known = set(rows["partner"])
    n = len(ds.brief)
    specs, figs, chart_urls = [], [], []
    for number, (step, cits) in enumerate(ds.brief, start=1):
        view = step.view
        if view.kind == "map":
            month = view.date.text if view.date else geo.last_month(ds)
            live = absolute(base_url, links.href("map", focus=view.focus, date=month))
            picture = figures.MapView(date=month, focus=view.focus)  # drawn below, while Chromium draws the charts
            alt = f"Map of {geo.the_region(ds)} as of {geo.month_label(month)}" + (
                f", {ds.records[view.focus].title} selected" if view.focus in ds.records else "")
            caveats = [f"The map shows the situation as of {geo.month_label(month)}.", MAP_CAVEAT]
        else:
            partners = tuple(p for p in view.partners if p in known) or tuple(default_partners)
            live = absolute(base_url, links.href("alignments", partners=",".join(partners), focus=view.focus))
            picture = None
            figs.append(charts.slide_figure(ds, partners, view.focus))
            chart_urls.append(live)
            alt = (f"Chart: {ds.settings.subject_possessive()} alignment index for {', '.join(partners)}, "
                   f"{geo.month_label(geo.first_month(ds))} to {geo.month_label(geo.last_month(ds))}, with key moments marked")
            caveats = [chart_caveat(ds)]
        caveats.append(_sources_caveat(ds))
        urls = [f"Live view: {live}", f"This step in the Atlas's brief: {absolute(base_url, links.href('brief', step=number))}"]
        specs.append((step, cits, picture, alt, live, urls, caveats, number))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        charts_drawn = pool.submit(chart_pictures, figs, chart_urls)
        maps = {id(spec[2]): map_picture(ds, spec[2]) for spec in specs if spec[2] is not None}
        pictures = iter(charts_drawn.result())
    slides = []
    for step, cits, view, alt, live, urls, caveats, number in specs:
        slides.append(Slide(
            label=f"Step {number} of {n}", headline=step.headline, text=step.text,
            picture=maps[id(view)] if view is not None else next(pictures), alt=alt,
            evidence=evidence(ds, cits[0]) if cits else None, more=max(0, len(cits) - 1), url=live,
            notes=_notes(ds, f"Step {number} of {n}: {step.headline}", urls, cits, caveats)))
    return slides


def _record_summary(rec) -> str:
    return getattr(rec, "summary", None) or ""


def map_view_slide(ds: Dataset, view: figures.MapView, base_url: str) -> Slide:
    """The map as the user set it up — month, layers, place names, selected feature — with the selection's evidence."""
    view = figures.resolved(ds, view)
    month = view.date
    when = geo.month_end(month)
    rec = ds.records.get(view.focus or "")
    live = absolute(base_url, links.href("map", date=month, focus=view.focus, names=None if view.names == "international"
                                         else view.names,
                                         layers=None if tuple(view.layers) == figures.default_layers(ds) else ",".join(view.layers)))
    cits: list[ResolvedCitation] = []
    if rec is not None:
        headline = f"{_display_title(rec, view.names)}, {geo.month_label(month)}"
        text = _record_summary(rec)
        if isinstance(rec, Corridor):
            status = geo.status_at(rec, when)
            if status is not None:
                text = f"{text} Status in {geo.month_label(month)}: {figures.status_label(status)} — {status.note}".strip()
                cits += [r for r in (ds.resolved(c) for c in status.citations) if r is not None]
        cits += [c for c in ds.citations_of(rec.id) if c not in cits]
    else:
        headline = f"{geo.region_titled(ds, 'corridors and borders')}, {geo.month_label(month)}"
        offered = figures.layer_labels(ds)
        shown = ", ".join(offered[k] for k in view.layers if k in offered) or "no layers"
        text = (f"Shown: {shown}. Place names: {figures.NAME_USAGES.get(view.names, view.names)}. "
                f"The notes give the quotes behind each corridor's status at this date.")
        current = [(c, s) for c in ds.of_kind("corridor") if (s := geo.status_at(c, when)) is not None]
        current.sort(key=lambda cs: cs[1].since.start, reverse=True)  # the latest change first: its quote is shown
        if current:
            corridor, status = current[0]
            text += (f" Latest change by {geo.month_label(month)}: {figures.short_name(corridor, view.names)}, "
                     f"{figures.status_label(status)} since {status.since.label()}.")
        for _, status in current:
            cits += [r for r in (ds.resolved(x) for x in status.citations) if r is not None and r not in cits]
    caveats = [f"The map shows the situation as of {geo.month_label(month)}.", MAP_CAVEAT, _sources_caveat(ds)]
    return Slide(label="Map view", headline=headline, text=text, picture=map_picture(ds, view),
                 alt=f"Map of {geo.the_region(ds)} as of {geo.month_label(month)}" + (f", {rec.title} selected" if rec else ""),
                 evidence=evidence(ds, cits[0]) if cits else None, more=max(0, len(cits) - 1), url=live,
                 notes=_notes(ds, headline, [f"Live view: {live}"], cits, caveats))


def _display_title(rec, names: str) -> str:
    if isinstance(rec, Place):
        return figures.place_name(rec, names)
    if isinstance(rec, Corridor | Area):
        return figures.label_name(rec.names, names)
    return rec.title


@dataclass(frozen=True)
class ChartView:
    """The alignments page as the user set it up (hashable, so a prepared slide is shared per view)."""

    partners: tuple[str, ...]
    first: str  # YYYY-MM
    last: str
    options: alignment.Options = alignment.Options()
    focus: str | None = None
    kind: str = "chart"  # or "heatmap"


def chart_view_slide(ds: Dataset, view: ChartView, base_url: str) -> Slide:
    """The alignment chart (or the quarterly heatmap) as the user set it up, with the focused event's quote — or, when
    no event is selected, the quote behind the event that moved the index most in this view."""
    opts = view.options
    rows = alignment.contributions(ds, opts)
    first, last = dt.date.fromisoformat(f"{view.first}-01"), geo.month_end(view.last)
    shown = rows[rows["partner"].isin(view.partners)]
    in_period = shown[(shown["mid"] >= pd.Timestamp(first)) & (shown["mid"] <= pd.Timestamp(last))]
    params = {"partners": ",".join(view.partners), "from": view.first, "to": view.last, "focus": view.focus,
              "view": None if view.kind == "chart" else view.kind,
              "weights": None if opts.weights == "goldstein" else opts.weights,
              "halflife": f"{opts.half_life_months:g}" if opts.half_life_months else None,
              "reported": None if opts.include_reported else "0",
              "nonstate": "1" if opts.include_non_state else None,
              "sources": ",".join(sorted(opts.sources)) if opts.sources is not None and set(opts.sources) != set(ds.sources) else None}
    live = absolute(base_url, links.href("alignments", **params))
    period = f"{geo.month_label(view.first)}–{geo.month_label(view.last)}"
    headline = f"{ds.settings.subject_possessive(capital=True)} alignment with {', '.join(view.partners) or 'no partner'}, {period}"
    weights = "weighted by Goldstein scores" if opts.weights == "goldstein" else "equal weights"
    extras = []
    if opts.half_life_months:
        extras.append(f"old events fade with a half-life of {opts.half_life_months:g} months")
    if not opts.include_reported:
        extras.append("events one side reports about another left out")
    if opts.sources is not None and set(opts.sources) != set(ds.sources):
        extras.append("only " + "; ".join(ds.sources[s].title for s in opts.sources if s in ds.sources))
    n_events = in_period["event_id"].nunique()
    text = (f"A running sum of {n_events} coded event{'s' if n_events != 1 else ''} in this period ({weights}"
            + "".join(f"; {e}" for e in extras) + "). " +
            ("Net signal by quarter." if view.kind == "heatmap" else "Each marker is one event; its shape tells the source."))
    focus = view.focus if view.focus in ds.records else None
    if focus is None and not in_period.empty:
        top = in_period.loc[in_period["contribution"].abs().idxmax()]
        focus = str(top["event_id"])
        text += f" The quote is from the event that moved the index most here: {ds.records[focus].title}."
    elif focus is not None:
        text += f" Selected: {ds.records[focus].title}."
    cits = list(ds.citations_of(focus)) if focus else []
    notes_cits = list(cits)
    for eid in dict.fromkeys(in_period["event_id"]):  # then one quote for every other event behind the lines
        more = ds.citations_of(eid)
        if eid != focus and more:
            notes_cits.append(more[0])
    if view.kind == "heatmap":
        fig = charts.slide_heatmap(ds, shown, tuple(view.partners), first, last)
    else:
        fig = charts.slide_figure(ds, tuple(view.partners), view.focus, opts, first, last)
    picture = chart_pictures([fig], [live])[0]
    caveats = [chart_caveat(ds), _sources_caveat(ds)]
    return Slide(label="Alignment view", headline=headline, text=text, picture=picture,
                 alt=f"Chart: {ds.settings.subject_possessive()} alignment index for {', '.join(view.partners)}, {period}",
                 evidence=evidence(ds, cits[0]) if cits else None, more=max(0, len(notes_cits) - 1), url=live,
                 notes=_notes(ds, headline, [f"Live view: {live}"], notes_cits, caveats))


def title_listing(ds: Dataset, base_url: str) -> Listing:
    date, digest = data_version(ds)
    n = len(ds.brief)
    entries = [(s.title, [_first_sentence(s.perspective)]) for s in ds.sources.values()]
    notes = [f"{ds.settings.title} briefing: {n} steps. Data version of {_day_label(date)} ({digest}).",
             f"The Atlas: {absolute(base_url, links.href('brief'))}", "The sources and their perspectives:"]
    notes += [f"- {s.title} — {s.publisher}: {s.perspective}" for s in ds.sources.values()]
    return Listing(headline=ds.settings.title, headline_pt=TITLE_PT,
                   subtitle=[f"The brief in {n} steps, each statement tied to an exact quote",
                             f"Data version of {_day_label(date)} ({digest})"],
                   heading="The sources and their perspectives", entries=entries, notes=notes,
                   overflow="…and {n} more sources: see the last slide")


def sources_listing(ds: Dataset, base_url: str, steps: dict[str, list[int]] | None = None) -> Listing:
    entries = []
    for sid, s in ds.sources.items():
        date = s.date_published.label() if s.date_published else "date not given"
        where = s.url or "no web address given by the document"
        quoted = steps.get(sid) if steps else None
        cited = f" Quoted in step{'s' if len(quoted) > 1 else ''} {', '.join(map(str, quoted))}." if quoted else ""
        entries.append((s.title, [f"{s.author}; {s.publisher}; {date}; {s.source_type}; {where}.{cited}"]))
    notes = ["Every source, with its perspective:"]
    notes += [f"- {s.title} ({s.author}; {s.publisher}): {s.perspective} Date: {s.date_basis}." for s in ds.sources.values()]
    notes.append(f"Read every source in the Atlas: {absolute(base_url, links.href('sources'))}")
    return Listing(headline="Sources", subtitle=[], heading="", entries=entries, notes=notes)


# ---------------------------------------------------------------------------------------------------------------------
# Layout

def _fit(text: str, width: float, sizes: tuple[float, ...], max_lines: int, bold: bool = False,
         opening: str = "", closing: str = "") -> tuple[str, float, bool]:
    """The largest size at which the text wraps to at most max_lines lines, else the smallest size with the text
    shortened at a word boundary: (text shown, size, whether it was cut)."""
    for size in sizes:
        whole = f"{opening}{' '.join(_words(text))}{closing}"
        if len(wrap(whole, size, width * FIT, bold)) <= max_lines:
            return whole, size, False
    shown, cut = shorten(text, sizes[-1], width * FIT, max_lines, bold, opening, closing)
    return shown, sizes[-1], cut


def step_page(slide: Slide, fmt: str) -> Page:
    """A step or view slide: label, headline and text across the top; the picture, and beside it the first quote with
    its source and perspective, a count of the other quotes, and a link to the live view."""
    page = Page(title=f"{slide.label}: {slide.headline}")
    x0, width = MARGIN, SLIDE_W - 2 * MARGIN
    label = TextBox(x0, TOP, width, [Para(slide.label, MIN_PT, bold=True, colour=MUTED)], name="label")
    head_text, head_pt, _ = _fit(slide.headline, width, (HEADLINE_PT, 30, 28), 2, bold=True)
    head = TextBox(x0, label.y + label.h + 2, width, [Para(head_text, head_pt, bold=True)], name="headline")
    body_text, body_pt, body_cut = _fit(slide.text, width, (BODY_PT, MIN_PT), 5)
    body = TextBox(x0, head.y + head.h + 6, width, [Para(body_text, body_pt, colour=INK)], name="body")
    page.boxes += [label, head, body]
    top = body.y + body.h + 14
    room = SLIDE_H - BOTTOM - top
    # the picture keeps its own proportions, at most 60% of the width
    if slide.picture:
        with Image.open(io.BytesIO(slide.picture)) as im:
            aspect = im.width / im.height
        pic_w = min(width * 0.6, room * aspect)
        pic_h = pic_w / aspect
        page.boxes.append(Picture(x0, top, pic_w, pic_h, slide.picture, slide.alt, slide.url))
    else:
        pic_w = 0.0
    px = x0 + pic_w + 22
    pw = x0 + width - px
    tail: list[Para] = []
    shortened = False
    if slide.evidence:
        ev = slide.evidence
        src_text, _, _ = _fit(f"— {ev.source}", pw - 14, (MIN_PT,), 5)
        persp_text, _, _ = _fit(ev.perspective, pw - 14, (MIN_PT,), 4)
        tail = [Para(src_text, MIN_PT, colour=MUTED, space_before=8), Para(persp_text, MIN_PT, colour=MUTED, space_before=4)]
    more = f"{slide.more} more quote{'s' if slide.more != 1 else ''}" if slide.more else ""
    if more and fmt == "pptx":
        tail.append(Para(f"{more} in the notes.", MIN_PT, colour=MUTED, space_before=8))
    tail.append(Para(f"{more}: open the live view\u00a0↗" if more and fmt != "pptx" else "Open the live view\u00a0↗", MIN_PT,
                     colour=LINK, space_before=8, link=slide.url))
    for p in tail:
        p.flow(pw - 14)
    tail_h = sum(p.height for p in tail)
    if slide.evidence:
        avail = room - tail_h
        for size in (BODY_PT, MIN_PT):  # the quote as large as fits; at the smallest size, shortened to fit
            quote_text, quote_pt, shortened = _fit(slide.evidence.quote, pw - 14, (size,),
                                                   max(1, int(avail // (size * LEADING))), opening="“", closing="”")
            if not shortened:
                break
        panel = TextBox(px + 14, top, pw - 14, [Para(quote_text, quote_pt, colour=INK)] + tail, name="evidence")
        quote_h = panel.paras[0].height
        page.boxes.append(Bar(px, top + 2, 5, quote_h - 4))
    else:
        panel = TextBox(px + 14, top, pw - 14, [Para("No quote is attached to this view.", MIN_PT, colour=MUTED)] + tail,
                        name="evidence")
    page.boxes.append(panel)
    notes = list(slide.notes)
    if body_cut:
        notes.insert(1, f"Full text of the slide: {slide.text}")
    if shortened:
        notes.insert(notes.index("Caveats:") + 1,
                     "- The quote on the slide is shortened at a word boundary; quote 1 above is the full text.")
    page.notes = "\n".join(notes)
    return page


def listing_pages(listing: Listing, continuation: bool = True) -> list[Page]:
    """A title or sources slide; entries that do not fit go on to further slides (or, for the title slide, are
    counted and left to the sources slide)."""
    pages: list[Page] = []
    entries = list(listing.entries)
    x0, width = MARGIN, SLIDE_W - 2 * MARGIN
    first = True
    while first or entries:
        headline = listing.headline if first else f"{listing.headline} (continued)"
        page = Page(title=headline)
        head_text, head_pt, _ = _fit(headline, width, (listing.headline_pt, HEADLINE_PT, 28), 2, bold=True)
        head = TextBox(x0, TOP + 10, width, [Para(head_text, head_pt, bold=True)], name="headline")
        page.boxes.append(head)
        y = head.y + head.h + 6
        if first and listing.subtitle:
            sub = TextBox(x0, y, width, [Para(t, BODY_PT, colour=MUTED) for t in listing.subtitle], name="subtitle")
            page.boxes.append(sub)
            y = sub.y + sub.h + 10
        if listing.heading:
            h2 = TextBox(x0, y, width, [Para(listing.heading, 24, bold=True)], name="heading")
            page.boxes.append(h2)
            y = h2.y + h2.h + 2
        paras: list[Para] = []
        used = y
        placed = 0
        reserve = MIN_PT * LEADING * 1.5  # room for the line that says what did not fit
        while entries:
            bold, plain = entries[0]
            group = [Para(bold, MIN_PT, bold=True, space_before=10).flow(width)]
            group += [Para(t, MIN_PT, colour=MUTED).flow(width) for t in plain]
            h = sum(p.height for p in group)
            if used + h > SLIDE_H - BOTTOM - (reserve if len(entries) > 1 else 0) and placed:
                break
            paras += group
            used += h
            placed += 1
            entries.pop(0)
        if entries and not continuation:
            paras.append(Para(listing.overflow.format(n=len(entries)), MIN_PT, colour=MUTED, space_before=10))
            entries = []
        page.boxes.append(TextBox(x0, y, width, paras, name="entries"))
        page.notes = "\n".join(listing.notes)
        pages.append(page)
        first = False
    return pages


# ---------------------------------------------------------------------------------------------------------------------
# Writers

def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)


def to_pptx(pages: list[Page], title: str, author: str = "") -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(SLIDE_W), Pt(SLIDE_H)
    prs.core_properties.title = title
    prs.core_properties.author = author
    blank = prs.slide_layouts[6]
    for page in pages:
        slide = prs.slides.add_slide(blank)
        for box in page.boxes:
            if isinstance(box, Picture):
                pic = slide.shapes.add_picture(io.BytesIO(box.png), Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
                pic._element.nvPicPr.cNvPr.set("descr", box.alt)  # alternative text for screen readers
                if box.link:
                    pic.click_action.hyperlink.address = box.link
            elif isinstance(box, Bar):
                shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
                shape.fill.solid()
                shape.fill.fore_color.rgb = RGBColor(*_rgb(box.colour))
                shape.line.fill.background()
                shape.shadow.inherit = False
            else:
                shape = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
                shape.name = box.name
                frame = shape.text_frame
                frame.word_wrap = True
                frame.auto_size = MSO_AUTO_SIZE.NONE
                frame.vertical_anchor = MSO_ANCHOR.TOP
                frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
                for i, para in enumerate(box.paras):
                    p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                    p.line_spacing = Pt(para.size * LEADING)
                    p.space_before = Pt(para.space_before)
                    p.space_after = Pt(0)
                    run = p.add_run()
                    run.text = para.text
                    run.font.name = FONT_NAME
                    run.font.size = Pt(para.size)
                    run.font.bold = para.bold
                    run.font.color.rgb = RGBColor(*_rgb(para.colour))
                    if para.link:
                        run.hyperlink.address = para.link
        if page.notes:
            slide.notes_slide.notes_text_frame.text = page.notes
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def to_pdf(pages: list[Page], title: str, author: str = "") -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="pt", format=(SLIDE_W, SLIDE_H))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("DejaVu", "", str(FONT_FILES[False]))
    pdf.add_font("DejaVu", "B", str(FONT_FILES[True]))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator(author)
    pdf.set_lang("en")
    for page in pages:
        pdf.add_page()
        pdf.start_section(page.title[:120])
        for box in page.boxes:
            if isinstance(box, Picture):
                pdf.image(io.BytesIO(box.png), x=box.x, y=box.y, w=box.w, h=box.h, link=box.link or "", alt_text=box.alt)
            elif isinstance(box, Bar):
                pdf.set_fill_color(*_rgb(box.colour))
                pdf.rect(box.x, box.y, box.w, box.h, style="F")
            else:
                y = box.y
                for para in box.paras:
                    y += para.space_before
                    pdf.set_font("DejaVu", "B" if para.bold else "", para.size)
                    pdf.set_text_color(*_rgb(para.colour))
                    line_h = para.size * LEADING
                    for line in para.lines:
                        pdf.text(box.x, y + line_h / 2 + para.size * 0.35, line)  # baseline: the line's centre + x-height/2
                        if para.link:
                            pdf.link(box.x, y, text_width(line, para.size, para.bold), line_h, para.link)
                        y += line_h
    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------------------------------------
# Packs

def _brief_title(ds: Dataset) -> str:
    return f"{ds.settings.title} — briefing"


def brief_pages(ds: Dataset, base_url: str | None, fmt: str, slides: list[Slide] | None = None) -> list[Page]:
    base_url = base_url or base_url_default()
    slides = slides if slides is not None else step_slides(ds, base_url)
    steps: dict[str, list[int]] = {}
    for number, (_, cits) in enumerate(ds.brief, start=1):
        for c in cits:
            if number not in steps.setdefault(c.source_id, []):
                steps[c.source_id].append(number)
    return (listing_pages(title_listing(ds, base_url), continuation=False)
            + [step_page(s, fmt) for s in slides]
            + listing_pages(sources_listing(ds, base_url, steps)))


@dataclass
class PackFiles:
    pptx: bytes
    pdf: bytes


def brief_pack(ds: Dataset, base_url: str | None = None) -> PackFiles:
    """The brief as slides and as PDF pages; the pictures are drawn once for both."""
    base_url = base_url or base_url_default()
    slides = step_slides(ds, base_url)
    title, author = _brief_title(ds), ds.settings.title
    return PackFiles(to_pptx(brief_pages(ds, base_url, "pptx", slides), title, author),
                     to_pdf(brief_pages(ds, base_url, "pdf", slides), title, author))


def brief_pptx(ds: Dataset, base_url: str | None = None) -> bytes:
    return to_pptx(brief_pages(ds, base_url, "pptx"), _brief_title(ds), ds.settings.title)


def brief_pdf(ds: Dataset, base_url: str | None = None) -> bytes:
    return to_pdf(brief_pages(ds, base_url, "pdf"), _brief_title(ds), ds.settings.title)


def view_pack(ds: Dataset, slide: Slide) -> PackFiles:
    title = f"{ds.settings.title} — {slide.headline}"
    return PackFiles(to_pptx([step_page(slide, "pptx")], title, ds.settings.title),
                     to_pdf([step_page(slide, "pdf")], title, ds.settings.title))


def map_view_pack(ds: Dataset, date: str, layers: tuple[str, ...], names: str, focus: str | None,
                  base_url: str | None = None) -> PackFiles:
    """The current map view as one slide and one PDF page (arguments are plain values, so a prepared pack is shared)."""
    view = figures.MapView(date=date, layers=tuple(layers), names=names, focus=focus)
    return view_pack(ds, map_view_slide(ds, view, base_url or base_url_default()))


def chart_view_pack(ds: Dataset, view: ChartView, base_url: str | None = None) -> PackFiles:
    return view_pack(ds, chart_view_slide(ds, view, base_url or base_url_default()))

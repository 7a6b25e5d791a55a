"""Shared widgets: URL-bound controls, notices, citation panels, the data error page."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import streamlit as st

from atlas.core import paths
from atlas.core.load import Dataset, Problem
from atlas.ui import data
from atlas.views import cite, links, render, viewstate

FONTS = ("app/static/fonts/AtlasSans.woff2", "app/static/fonts/AtlasSans-Bold.woff2")


def inject_css() -> None:
    css = (paths.ASSETS / "atlas.css").read_text(encoding="utf-8")
    # The map's font is fetched early, so deck.gl finds it loaded when it draws the labels.
    st.html(render.stylesheet(css, FONTS))


def show_notices(notices: list[str]) -> None:
    for notice in notices:
        st.warning(render.md(notice, limit=400), icon=":material/link_off:")


def write_param(param: str, value: str | None) -> None:
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def url_widget(param: str, url_value: Any, draw: Callable[[str], Any], *, default: Any = None,
               to_url: Callable[[Any], str] = str) -> Any:
    """A widget that starts from the URL and writes its value back, so the address is always a link.

    `draw(key)` renders the widget with that session-state key. When the URL changes from outside
    (a pasted link, the back button) the widget follows it; otherwise the user's choice wins.
    """
    key, seen = f"url:{param}", f"url-seen:{param}"
    if key not in st.session_state or st.session_state.get(seen) != url_value:
        st.session_state[key] = url_value
    value = draw(key)
    st.session_state[seen] = value
    write_param(param, None if value == default or value is None else to_url(value))
    return value


def url_month_range(label: str, months: list[str], url_value: tuple[str, str], format_func: Callable[[str], str]) -> tuple[str, str]:
    """A from–to month slider bound to ?from=…&to=….

    A select_slider is a range only when given a tuple `value=`, which Streamlit does not allow together
    with a value set through session state; so the key carries the URL's range instead, and a changed
    URL (a pasted link) simply makes a new slider.
    """
    value = st.select_slider(label, months, value=url_value, key=f"range:{url_value[0]}:{url_value[1]}",
                             format_func=format_func)
    at_default = tuple(value) == (months[0], months[-1])
    write_param("from", None if at_default else value[0])
    write_param("to", None if at_default else value[1])
    return value[0], value[1]


def url_pager(param: str, total: int, per_page: int, noun: str, context: object = None, home: int = 1) -> slice:
    """Which slice of a long list to show, as a page number bound to `?<param>=N`.

    A list that fits on one page gets no control and no parameter. Without the parameter the list shows
    page `home` (the page holding a linked record, say). When `context` (the list's filters) changes, the
    list starts again at that page.
    """
    ctx_key = f"pager-context:{param}"
    if ctx_key in st.session_state and st.session_state[ctx_key] != context:
        write_param(param, None)
    st.session_state[ctx_key] = context
    n_pages = max(1, -(-total // per_page))
    if n_pages == 1:
        write_param(param, None)
        return slice(0, total)
    home = min(max(home, 1), n_pages)
    page, notice = viewstate.parse_list_page(st.query_params.get(param), n_pages, noun, home)
    if notice:
        show_notices([notice])
    page = url_widget(param, page, lambda key: st.number_input(
        f"Page of the {noun} (1–{n_pages})", min_value=1, max_value=n_pages, step=1, key=key, width=260), default=home)
    start = (page - 1) * per_page
    end = min(total, start + per_page)
    st.caption(f"Showing {start + 1:,}–{end:,} of {total:,} {noun}.")
    return slice(start, end)


VISUAL_HEIGHT = 520  # px of a page's main map or chart; CSS lets it grow with a taller screen (assets/atlas.css)


def page_header(title: str, caption: str, ds: Dataset, notices: viewstate.Notices, compact: bool = False,
                with_cite: bool = True) -> None:
    """Title, one-line purpose, notices about the URL, and where to read a record this page cannot show.
    Compact: title and purpose on one line, for pages whose visual must start high on a laptop screen.
    With `with_cite`, the *Cite this view* control sits at the right of the title (pages with a control bar put it
    there instead)."""
    if with_cite:
        head, tool = st.columns([8, 1], vertical_alignment="center")
    else:
        head, tool = st.container(), None
    with head:
        if compact:
            st.html(render.compact_head(title, caption))
        else:
            st.title(title)
            st.caption(caption)
    if tool is not None:
        with tool:
            cite_button()
    show_notices(notices)
    focus_elsewhere(ds, notices)


def title_with_cite(title: str) -> None:
    """A page title (plain text: it may come from atlas.yaml, so it is escaped HTML, never Markdown) with the *Cite this
    view* control at its right."""
    head, tool = st.columns([8, 1], vertical_alignment="center")
    head.html(render.heading(title, 1))
    with tool:
        cite_button()


def home_notices(ds: Dataset) -> None:
    """Home takes no parameters but `focus`, which it cannot show: say where the record can be read."""
    _, notices = viewstate.HomeState.parse(st.query_params, ds)
    show_notices(notices)
    focus_elsewhere(ds, notices)


def new_pick(name: str, picked: str | None) -> str | None:
    """A record picked on a map, chart or table, reported once: the widget keeps its selection across
    reruns, and later reruns must not override what the user chose since."""
    last = f"{name}-last-pick"
    fresh = picked if picked and picked != st.session_state.get(last) else None
    st.session_state[last] = picked
    return fresh


def focus_elsewhere(ds: Dataset, notices: viewstate.Notices) -> None:
    """Say politely that this page cannot show the focused record, and show where it can be read."""
    rec = notices.elsewhere
    if rec is None:
        return
    href = links.record_href(rec, ds)
    st.markdown("Read its evidence here: " + render.md_link(rec.title, href))


def citation_panel(ds: Dataset, record_id: str) -> None:
    """Every citation of a record: the quote highlighted inside its passage, with its source."""
    for cit in ds.citations_of(record_id):
        st.html(render.citation_card(ds, cit))


READER_PAGE_PARAM = "passages_page"


def source_reader(ds: Dataset, source_id: str, passage: int | None, quote: str | None = None) -> None:
    """A source's numbered passages, a page at a time for a long source (`?passages_page=N`).

    Without the parameter the reader opens on the page holding the linked passage (else page 1); switching to another
    source starts again there. A source that fits on one page gets no control and no parameter.
    """
    text = ds.texts[source_id]
    pages = text.reader_pages()
    ctx_key = f"pager-context:{READER_PAGE_PARAM}"
    if ctx_key in st.session_state and st.session_state[ctx_key] != source_id:
        write_param(READER_PAGE_PARAM, None)
    st.session_state[ctx_key] = source_id
    page = 1
    if len(pages) > 1:
        noun = "pages of this source"
        home = text.page_of(passage) if passage else 1
        page, notice = viewstate.parse_list_page(st.query_params.get(READER_PAGE_PARAM), len(pages), noun, home)
        if notice:
            show_notices([notice])
        page = url_widget(READER_PAGE_PARAM, page, lambda key: st.number_input(
            f"Page of this source (1–{len(pages)})", min_value=1, max_value=len(pages), step=1, key=key, width=260),
            default=home)
    else:
        write_param(READER_PAGE_PARAM, None)
    first, end = pages[page - 1]
    shown = text.passages[first:end]
    if len(pages) > 1 and shown:
        st.caption(f"Page {page:,} of {len(pages):,}: passages ¶{shown[0].number:,}–¶{shown[-1].number:,} "
                   f"of {len(text.passages):,}.")
    linked = viewstate.quote_spans(ds, source_id, passage, quote) if passage and quote else []
    st.html(render.reader_page(ds, source_id, (p.number for p in shown), passage, linked))
    if len(pages) > 1:
        st.html(render.page_steps(
            links.href("sources", source=source_id, passages_page=page - 1) if page > 1 else None,
            links.href("sources", source=source_id, passages_page=page + 1) if page < len(pages) else None))
    if passage and first < passage <= end:
        target = f"#p{int(passage)} mark.{render.LINKED_CLASS}" if linked else f"p{int(passage)}"
        st.html(render.scroll_to(target), unsafe_allow_javascript=True)


def data_error_page(problems: list[Problem], data_dir: str) -> None:
    """The problems, each naming a file relative to the data directory: the server's own paths are not shown."""
    st.title("The evidence base could not be loaded")
    st.error(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the data directory. "
             "Nothing is shown until they are fixed, so no page shows half the data.", icon=":material/error:")
    st.markdown("Each line names the file (relative to the data directory), the record and how to fix it. "
                "Run `python -m atlas validate` to check again from the command line.")
    st.html(render.problems_list(problems, hide=data_dir))


def copy_link_button() -> None:
    """A button that copies the address bar (which always holds the current view) to the clipboard, and says so.
    Streamlit strips inline handlers, so one delegated listener (installed once per browser tab) does the work."""
    st.html(render.copy_link_button(), unsafe_allow_javascript=True)


def presenter_mode() -> None:
    """No sidebar, no Streamlit header or toolbar: the whole screen for the step."""
    st.html(render.PRESENTER_CSS)


def brief_keys() -> None:
    """Arrow keys (and PageUp/PageDown, as presentation clickers send) press the brief's buttons."""
    st.html(render.BRIEF_KEYS, unsafe_allow_javascript=True)


# ---------------------------------------------------------------------------------------------------------------------
# Cite this view: a popover whose text is written at the end of the run (dashboard.py), from the address as it stands
# once every widget of the page has written its value into it.

CITE_SLOTS = "atlas-cite-slots"


def begin_citations() -> None:
    st.session_state[CITE_SLOTS] = []


def cite_button(width: str = "stretch") -> None:
    """*Cite this view*: APA, Chicago and BibTeX for exactly this view, each with a copy button."""
    with st.popover("Cite", width=width,
                    help="Cite exactly this view: APA, Chicago or BibTeX, with the data version and this view's address"):
        st.session_state.setdefault(CITE_SLOTS, []).append(st.empty())


def cite_here() -> None:
    """The citation of this view, written where this is called (inside a popover that already exists, say)."""
    st.session_state.setdefault(CITE_SLOTS, []).append(st.empty())


def base_url() -> str:
    """Where this Atlas is served, for citations and the live views in slide notes: $ATLAS_BASE_URL if set, else the
    address this browser uses."""
    try:
        context_url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser (AppTest, bare mode): the default address
        context_url = ""
    return cite.base_url(os.environ.get(cite.BASE_URL_ENV), context_url)


def citation_of(ds: Dataset, page: str, params: dict[str, str]) -> cite.ViewCitation:
    """The citation of another view (a page and its parameters), as this browser would reach it today."""
    return cite.citation(ds, page, params, base_url(), data.derived(ds, cite.data_version), dt.date.today())


def view_citation(ds: Dataset, page: str, **overrides: str | None) -> cite.ViewCitation:
    """The citation of the view this run shows: the page, the address's parameters as they are now (with `overrides`:
    values this run chose that the address has not been given yet), today's date."""
    params = {k: st.query_params.get(k) for k in st.query_params}
    for k, v in overrides.items():
        params[k] = v
    return citation_of(ds, page, {k: v for k, v in params.items() if v not in (None, "")})


def fill_citations(ds: Dataset, page: str) -> None:
    """Write the citation into every *Cite* popover the page placed."""
    slots = st.session_state.pop(CITE_SLOTS, [])
    if not slots:
        return
    c = view_citation(ds, page)
    for slot in slots:
        with slot.container():
            st.markdown("**Cite this view**")
            st.caption(f"{render.md(c.title, limit=200)} · data version {render.md(cite.version_label(c.version))} · "
                       f"accessed {c.accessed.isoformat()}")
            for name, style in cite.STYLES.items():
                st.caption(name)
                st.code(style(c), language="latex" if name == "BibTeX" else "text", wrap_lines=True)

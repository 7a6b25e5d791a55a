"""The search box in the sidebar of every page, and the /search page's controls and results.

Result HTML is built with markupsafe: data text is escaped, only the Atlas's own tags are markup.
"""
from __future__ import annotations

import streamlit as st
from markupsafe import Markup, escape

from atlas.analysis import search
from atlas.core import paths
from atlas.core.load import Dataset
from atlas.ui import widgets
from atlas.views import links, render

PAGE = "pages/search.py"
OVERVIEW_CAP = 5  # results per kind when every kind is shown; "show all" opens the kind's own pages
PER_PAGE = 50  # results per page of one kind
QUERY_WIDTH = 760  # px: as wide as the results below it, not the whole screen


def sidebar_box() -> None:
    """A search field in the sidebar: Enter or the button opens /search?q=… (an empty field opens the page's help)."""
    with st.form("atlas-search", clear_on_submit=True, border=False, enter_to_submit=True):
        query = st.text_input("Search the Atlas", placeholder="A name, a word, a phrase", key="atlas-search-q",
                              max_chars=links.MAX_PARAM)
        go = st.form_submit_button("Search", icon=":material/search:")
    if go:
        query = (query or "").strip()
        st.switch_page(PAGE, query_params={"q": query} if query else None)


def inject_css() -> None:
    st.html(f"<style>{(paths.ASSETS / 'search.css').read_text(encoding='utf-8')}</style>")


def query_box(url_q: str) -> str:
    return widgets.url_widget("q", url_q, lambda key: st.text_input(
        "Search records and sources", key=key, placeholder="e.g. Berdzor, Xankəndi, CSTO, \"Lachin road\"",
        max_chars=links.MAX_PARAM, width=QUERY_WIDTH), default="")


# --- HTML ---------------------------------------------------------------------------------------------------------

def highlight(text: str, marks: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> Markup:
    """Text with [start, end) spans wrapped in <mark>; everything escaped."""
    out, at = [], 0
    for start, end in marks:
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>{}</mark>").format(text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def _link(href: str, text: object, cls: str = "") -> Markup:
    return Markup('<a href="{}" target="_self"{}>{}</a>').format(
        href, Markup(' class="{}"').format(cls) if cls else "", text)


def hit_item(h: search.Hit) -> Markup:
    meta = []
    if h.context:
        meta.append(Markup('<span class="atlas-hit-context">{}</span>').format(h.context))
    if h.found_as:
        meta.append(Markup('<span class="atlas-hit-as">found as “{}”</span>').format(h.found_as))
    snippet = ""
    if h.snippet:
        label = Markup('<span class="atlas-hit-label">{}:</span> ').format(h.label) if h.kind != "passage" else ""
        snippet = Markup('<div class="atlas-hit-snippet">{}{}</div>').format(label, highlight(h.snippet, h.snippet_marks))
    return Markup('<li class="atlas-hit">{} {}{}</li>').format(
        _link(h.href, highlight(h.title, h.title_marks), "atlas-hit-title"), Markup(" ").join(meta), snippet)


def hit_list(hits: list[search.Hit], more: Markup | str = "") -> str:
    items = Markup("").join(hit_item(h) for h in hits)
    return str(Markup('<ol class="atlas-hits">{}</ol>{}').format(items, more))


def _plural(kind: str, n: int) -> str:
    one, many = search.nouns(kind)
    return f"{n:,} {one if n == 1 else many}"


def summary(found: search.Results, kind: str | None) -> str:
    """One line: how many results of each kind (each a link to that kind alone), and which other names were searched."""
    counts = [_link(search.search_href(found.query, k), _plural(k, found.count(k)),
                    "atlas-search-kind atlas-on" if k == kind else "atlas-search-kind")
              for k in search.kinds() if found.count(k)]
    if kind:
        counts.append(_link(search.search_href(found.query), "every kind", "atlas-search-kind"))
    line = Markup('<p class="atlas-search-summary"><strong>{}</strong> for “{}”: {}</p>').format(
        _plural_results(found.total), found.query.strip(), Markup(" · ").join(counts))
    said = ""
    titles = list(dict.fromkeys(e.title for e in found.expansions))
    names = list(dict.fromkeys(n for e in found.expansions for n in e.names))
    if names:
        said = Markup('<p class="atlas-search-also">“{}” names {}, also written {}: every name is searched.</p>').format(
            found.query.strip(), Markup(" and ").join(titles),
            Markup(", ").join(Markup("<b>{}</b>").format(n) for n in names))
    return str(line + said)


def _plural_results(n: int) -> str:
    return f"{n:,} result{'' if n == 1 else 's'}"


def example_links(examples: list[str]) -> str:
    return str(Markup('<p class="atlas-search-examples">Try {}</p>').format(
        Markup(" · ").join(_link(search.search_href(x), x) for x in examples)))


# --- the page's parts -----------------------------------------------------------------------------------------------

def empty_state(ds: Dataset, index: search.Index) -> None:
    n_passages = len(index.keys["passage"])
    st.markdown(
        f"Search every event, place, corridor, area, claim and term ({index.size - n_passages:,} records) and the "
        f"{n_passages:,} passages of the {len(ds.sources):,} sources. A place is found under any side's name; capitals "
        "and accents do not matter (*xankendi* finds *Xankəndi*); every word must occur, and \"quotes\" keep a phrase "
        "together.")
    st.html(example_links(search.examples(ds)))


def no_results(ds: Dataset, query: str) -> None:
    st.info(f"Nothing in the records or the {len(ds.sources):,} sources matches “{render.md(query, 200)}”.",
            icon=":material/search_off:")
    st.markdown("Check the spelling, use fewer words, or try another name for the same thing: places are listed under "
                "each side's name.")
    st.html(example_links(search.examples(ds)))


def results(ds: Dataset, found: search.Results, kind: str | None) -> None:
    """Results grouped by kind, each heading with its count; one kind alone is paged, every kind is capped."""
    inject_css()
    if found.total == 0:
        no_results(ds, found.query)
        return
    st.html(summary(found, kind))
    if kind and not found.count(kind):
        st.info(f"No {search.nouns(kind)[1]} match; the links above show the kinds that do.", icon=":material/search_off:")
        return
    if not kind:
        widgets.write_param("page", None)
    for k in [kind] if kind else [k for k in search.kinds() if found.count(k)]:
        keys = found.found[k]
        st.header(f"{search.heading(k)} ({len(keys):,})", anchor=f"results-{k}")
        if kind:
            shown = widgets.url_pager("page", len(keys), PER_PAGE, search.nouns(k)[1], context=(found.query, kind))
            more = ""
        else:
            shown = slice(0, OVERVIEW_CAP if len(keys) > OVERVIEW_CAP + 1 else len(keys))
            more = ""
            if shown.stop < len(keys):
                more = Markup('<p class="atlas-hits-more">Showing {} of {} · {}</p>').format(
                    shown.stop, f"{len(keys):,}", _link(search.search_href(found.query, k), f"show all {_plural(k, len(keys))}"))
        st.html(hit_list([search.hit(ds, found, k, key) for key in keys[shown]], more))

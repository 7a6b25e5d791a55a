"""The search box in the sidebar of every page, and the /search page's controls and results.

Result HTML is built by atlas.views.render (markupsafe): data text is escaped, only the Atlas's own tags are markup.
"""
from __future__ import annotations

import streamlit as st

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
    st.html(render.stylesheet((paths.ASSETS / "search.css").read_text(encoding="utf-8")))


def query_box(url_q: str) -> str:
    return widgets.url_widget("q", url_q, lambda key: st.text_input(
        "Search records and sources", key=key, placeholder="e.g. Berdzor, Xankəndi, CSTO, \"Lachin road\"",
        max_chars=links.MAX_PARAM, width=QUERY_WIDTH), default="")


# --- HTML (atlas.views.render builds it) ---------------------------------------------------------------------------

highlight, hit_item, hit_list = render.highlight, render.hit_item, render.hit_list


def _plural(kind: str, n: int) -> str:
    one, many = search.nouns(kind)
    return f"{n:,} {one if n == 1 else many}"


def summary(found: search.Results, kind: str | None) -> str:
    """One line: how many results of each kind (each a link to that kind alone), and which other names were searched."""
    counts = [(search.search_href(found.query, k), _plural(k, found.count(k)), k == kind)
              for k in search.kinds() if found.count(k)]
    return render.search_summary(
        found.query.strip(), _plural_results(found.total), counts, search.search_href(found.query) if kind else None,
        list(dict.fromkeys(e.title for e in found.expansions)),
        list(dict.fromkeys(n for e in found.expansions for n in e.names)))


def _plural_results(n: int) -> str:
    return f"{n:,} result{'' if n == 1 else 's'}"


def example_links(examples: list[str]) -> str:
    return render.example_links([(search.search_href(x), x) for x in examples])


# --- the page's parts -----------------------------------------------------------------------------------------------

def empty_state(ds: Dataset, index: search.Index) -> None:
    n_passages = len(index.keys["passage"])
    st.markdown(render.md_format(
        "Search every event, place, corridor, area, claim and term ({records} records) and the "
        "{passages} passages of the {sources} sources. A place is found under any side's name; capitals "
        "and accents do not matter (*xankendi* finds *Xankəndi*); every word must occur, and \"quotes\" keep a phrase "
        "together.", records=f"{index.size - n_passages:,}", passages=f"{n_passages:,}", sources=f"{len(ds.sources):,}"))
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
                more = render.hits_more(shown.stop, len(keys), search.search_href(found.query, k),
                                        f"show all {_plural(k, len(keys))}")
        st.html(hit_list([search.hit(ds, found, k, key) for key in keys[shown]], more))

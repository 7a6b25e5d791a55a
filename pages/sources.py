"""Sources: each document's metadata and perspective, then its numbered passages with cited spans marked."""
import streamlit as st

from atlas.ui import data, widgets
from atlas.views import render, viewstate

ds = data.require()
view, notices = viewstate.SourcesState.parse(st.query_params, ds)
widgets.show_notices(notices)
widgets.focus_elsewhere(ds, notices)

widgets.title_with_cite("Sources")
if not ds.sources:
    st.info("This corpus has no sources yet. Add one as described in the README (How to add a source).")
else:
    ids = list(ds.sources)
    source_id = widgets.url_widget(
        "source", view.source,
        lambda key: st.selectbox("Source", ids, key=key, format_func=lambda i: ds.sources[i].title),
        default=None,
    )
    text = ds.texts[source_id]
    # The passage follows the URL, and is dropped when the reader switches to another source.
    passage = view.passage if source_id == view.source else None
    quote = view.quote if passage else None
    widgets.write_param("passage", str(passage) if passage else None)
    widgets.write_param("quote", quote)

    st.html(render.source_meta(ds, source_id))
    # built on click, not on every run: a long source is megabytes
    st.download_button("Download the stored text", lambda: text.text.encode("utf-8"), file_name=f"{source_id}.txt",
                       mime="text/plain", icon=":material/download:")

    n_cited = sum(1 for p in text.passages if (source_id, p.number) in ds.cited_by)
    st.header(f"{len(text.passages):,} passages · {n_cited:,} cited")
    st.caption("Highlighted words are quoted by a record; the links under a passage open those records. "
               "Click a ¶ number for a link to that passage.")
    if passage:
        st.info(f"Linked passage: ¶{passage}, highlighted below" + (", the quoted words marked." if quote else "."),
                icon=":material/my_location:")

    widgets.source_reader(ds, source_id, passage, quote)

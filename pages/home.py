"""Home: what the Atlas is, headline figures, who is speaking, where to start."""
import streamlit as st

from atlas import links, render
from atlas.ui import data, widgets

ds = data.require()
focus = links.parse_focus(st.query_params, ds, kinds=())
widgets.show_notices(focus.notices)
widgets.focus_elsewhere(ds, focus)

st.title("South Caucasus Security Atlas")
st.markdown(
    "How the security balance of the South Caucasus shifted after the 2020 Karabakh war: transport "
    "corridors, borders and Armenia's changing alignments, drawn from four documents written from "
    "Turkish, Russian, Iranian and news-wire vantage points. **Every record cites the exact sentence "
    "it rests on**, so any mark can be checked against its source and its author's perspective."
)

cited, total, _ = ds.coverage()
counts = {kind: len(ds.of_kind(kind)) for kind in ("event", "place", "corridor", "claim", "term")}
cols = st.columns(7)
cols[0].metric("Sources", len(ds.sources))
cols[1].metric("Events", counts["event"])
cols[2].metric("Places", counts["place"])
cols[3].metric("Corridors", counts["corridor"])
cols[4].metric("Claims", counts["claim"])
cols[5].metric("Citations", len(ds.citations))
cols[6].metric("Passages cited", f"{cited}/{total}", help="Substantive paragraphs of the sources cited by at least one record")

st.header("Where to start")
c0, c1, c2 = st.columns(3)
with c0:
    st.page_link("pages/map.py", label="Open the map of corridors and events", icon=":material/map:")
    st.caption("Corridors, borders and events month by month, 2020–2023; click any feature for its sources.")
with c1:
    st.page_link("pages/sources.py", label="Read the sources, passage by passage", icon=":material/menu_book:")
    st.caption("Each numbered passage shows the records that cite it, with the quoted words highlighted.")
with c2:
    st.page_link("pages/about.py", label="How provenance works, and the glossary", icon=":material/info:")
    st.caption("Methods, the perspective of each source, terms such as CSTO and 3+3, downloads.")

st.header("Who is speaking")
for src_id in ds.sources:
    st.html(f'<div class="atlas-srcitem"><a href="{render.esc(links.sources_href(src_id))}" target="_self">'
            f"<strong>{render.source_line(ds, src_id)}</strong></a><br>"
            f'<span class="atlas-perspective">{render.esc(ds.sources[src_id].perspective)}</span></div>')

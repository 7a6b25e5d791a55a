"""Brief: a presenter mode for screen-sharing — large type, one step at a time, the citation always on screen."""
import streamlit as st

from atlas import alignment, export, figures, geo, links, render
from atlas.render import esc
from atlas.ui import data, widgets

ds = data.require()
steps = ds.brief
parsed = links.parse_brief(st.query_params, len(steps))

# Presenter mode: no sidebar, no Streamlit header or toolbar; room at the bottom for the citation bar.
st.html("<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'],"
        "[data-testid='stToolbar'] { display: none !important; }"
        "[data-testid='stMainBlockContainer'] { padding-top: 1.2rem; padding-bottom: 9rem; max-width: 100%; }"
        "[data-testid='stBaseButton-primary'] p, [data-testid='stBaseButton-secondary'] p { font-size: 1.15rem; }</style>")
focus = links.parse_focus(st.query_params, ds, kinds=())
widgets.show_notices(parsed.notices + focus.notices)
widgets.focus_elsewhere(ds, focus)

if not steps:
    st.title("Brief")
    st.info("This corpus has no brief: add steps to brief.yaml (see data/README.md).", icon=":material/info:")
else:
    n = len(steps)
    number = parsed.values["step"]

    def go(to: int) -> None:
        st.query_params["step"] = str(max(1, min(n, to)))

    widgets.write_param("step", str(number))  # the address always names the step on screen
    step, cits = steps[number - 1]
    st.html(f"<div class='atlas-brief-step'>Step {number} of {n}</div>"
            f"<h1 class='atlas-brief-head'>{esc(step.headline)}</h1>"
            f"<p class='atlas-brief-text'>{esc(step.text)}</p>")
    b1, b2, b3, b4, _ = st.columns([1.2, 1.2, 1.2, 1.8, 3])
    b1.button("◀ Previous", key="brief-prev", on_click=go, args=(number - 1,), disabled=number == 1, width="stretch")
    b2.button("Next ▶", key="brief-next", on_click=go, args=(number + 1,), disabled=number == n, width="stretch",
              type="primary")
    b3.link_button("Leave the brief", "/", width="stretch")
    b4.download_button("Download briefing (HTML)", lambda: export.briefing_html(ds), file_name="atlas-briefing.html",
                       mime="text/html", width="stretch", help="One file, works offline: steps, chart, map image, every quote")

    view = step.view
    if view.kind == "map":
        month = view.date.text if view.date else geo.LAST_MONTH
        build = data.map_build(ds, figures.MapView(date=month, focus=view.focus))
        st.pydeck_chart(build.deck, height=520, key=f"brief-map-{step.id}",
                        alt=f"Map as of {geo.month_label(month)}: {step.headline}")
        st.markdown(f"Map as of {geo.month_label(month)} · schematic routes · Made with Natural Earth · "
                    f"[open this view on the map]({links.href('map', focus=view.focus, date=month)})")
    else:
        rows, default_partners = data.contributions(ds)
        partners = [p for p in view.partners if p in set(rows["partner"])] or default_partners
        fig = data.alignment_figure(ds, partners, geo.month_end(geo.FIRST_MONTH).replace(day=1), geo.month_end(geo.LAST_MONTH),
                                    alignment.Options(), focus=view.focus, height=470)
        st.plotly_chart(fig, key=f"brief-chart-{step.id}", config={"displaylogo": False})
        st.caption(f"Chart: Armenia's alignment index for {', '.join(partners)}, a running sum of coded events; its data table "
                   "is on the Alignments page.")
        st.markdown(f"[Open this view on the alignment chart]({links.href('alignments', partners=','.join(partners), focus=view.focus)})")

    st.header("Sources on this step")
    for cit in cits:
        st.html(render.citation_card(ds, cit))

    first = cits[0]
    src = ds.sources[first.source_id]
    more = f" (+{len(cits) - 1} more below)" if len(cits) > 1 else ""
    st.html(f"<div class='atlas-brief-cite'>"
            f"<q>{esc(first.quote)}</q>{esc(more)}<br><span class='atlas-brief-src'>{render.source_line(ds, first.source_id)}"
            f" — {esc(src.perspective.split('.')[0])}. "
            f"<a href='{esc(links.sources_href(first.source_id, first.passage))}' target='_self'>¶{first.passage}</a></span></div>")
    # Arrow keys (and PageUp/PageDown, as presentation clickers send) press the buttons.
    st.html("""<script>
if (!window.atlasBriefKeys) {
  window.atlasBriefKeys = true;
  document.addEventListener('keydown', (e) => {
    if (!location.pathname.endsWith('/brief')) return;
    if (['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)) return;
    const label = {ArrowRight: 'Next ▶', PageDown: 'Next ▶', ArrowLeft: '◀ Previous', PageUp: '◀ Previous'}[e.key];
    if (!label) return;
    const button = [...document.querySelectorAll('button')].find((b) => b.innerText.trim() === label && !b.disabled);
    if (button) { e.preventDefault(); button.click(); }
  });
}
</script>""", unsafe_allow_javascript=True)

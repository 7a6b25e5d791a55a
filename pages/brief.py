"""Brief: a presenter mode for screen-sharing — large type, one step at a time, the citation always on screen."""
import streamlit as st

from atlas.core import geo
from atlas.ui import data, packs, widgets
from atlas.views import charts, export, figures, links, render, viewstate

ds = data.require()
steps = ds.brief
state, notices = viewstate.BriefState.parse(st.query_params, ds, len(steps))

widgets.presenter_mode()
widgets.show_notices(notices)
widgets.focus_elsewhere(ds, notices)

if not steps:
    widgets.title_with_cite("Brief")
    st.info("This corpus has no brief: add steps to brief.yaml (see data/README.md).", icon=":material/info:")
else:
    n = len(steps)
    number = state.step

    def go(to: int) -> None:
        st.query_params["step"] = str(max(1, min(n, to)))

    widgets.write_param("step", str(number))  # the address always names the step on screen
    step, cits = steps[number - 1]
    head, controls = st.columns([4.4, 3.6], vertical_alignment="bottom")
    head.html(render.brief_head(step, number, n))
    with controls:
        b1, b2, b3, b4 = st.columns([1.45, 1.1, 1.3, 0.9])
        b1.button("◀ Previous", key="brief-prev", on_click=go, args=(number - 1,), disabled=number == 1, width="stretch")
        b2.button("Next ▶", key="brief-next", on_click=go, args=(number + 1,), disabled=number == n, width="stretch",
                  type="primary")
        with b3.popover(f"Sources ({len(cits)})", width="stretch", help="Every quote behind this step"):
            for cit in cits:
                st.html(render.citation_card(ds, cit))
            st.download_button("Download the whole briefing (HTML)", data.derived(ds, export.briefing_bytes),
                               file_name="atlas-briefing.html", mime="text/html",
                               help="One file, works offline: steps, chart, map image, every quote")
            packs.brief_downloads(ds)
            widgets.cite_here()  # the presenter's bar has no room for one more button: the citation sits with the sources
        b4.link_button("Leave", "/", width="stretch", help="Leave the brief for the Atlas")
    st.html(render.brief_text(step))

    # The visual fills the screen between the text and the citation bar (assets/atlas.css, .st-key-brief-visual).
    # One key per kind of visual: a step change updates the drawn map or chart in place instead of a blank remount.
    view = step.view
    with st.container(key=f"brief-visual-{view.kind}"):
        if view.kind == "map":
            month = view.date.text if view.date else geo.last_month(ds)
            build = data.map_build(ds, figures.MapView(date=month, focus=view.focus, presenter=True))
            st.pydeck_chart(build.deck, height=420, key="brief-map",
                            alt=f"Map as of {geo.month_label(month)}: {step.headline}")
            live = links.href("map", focus=view.focus, date=month)
            note = f"Map as of {geo.month_label(month)} · schematic routes · Made with Natural Earth"
        else:
            rows, default_partners = data.contributions(ds)
            partners = [p for p in view.partners if p in set(rows["partner"])] or default_partners
            fig = data.derived(ds, charts.presenter_figure, tuple(partners), view.focus)
            st.plotly_chart(fig, key="brief-chart", config={"displaylogo": False, "responsive": True})
            live = links.href("alignments", partners=",".join(partners), focus=view.focus)
            whose = ds.settings.subject_possessive(capital=True)  # plain text: brief_bar escapes the note
            note = (f"{whose} alignment index for {', '.join(partners)}: "
                    "a running sum of coded events")
    st.html(render.brief_bar(ds, cits, note, live))
    widgets.brief_keys()

"""Plotly figures built but not drawn: the alignment index over time and the partner × quarter heatmap."""
from __future__ import annotations

import datetime as dt
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from atlas.analysis import alignment
from atlas.core import geo
from atlas.core.load import Dataset
from atlas.views import wording
from atlas.views.render import esc

# Okabe–Ito, colour-blind safe, in an order that keeps look-alikes apart: partners take a colour by their rank in the
# dataset's evidence (most coded events first), so the four partners drawn by default get four distinct hues
# (vermillion, blue, green, purple), the fifth black, and only the sixth and seventh a lighter cousin of the second
# and first (sky blue, orange). A partner keeps its colour whatever else is shown. From the eighth partner on,
# colours repeat with a dashed line.
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#000000", "#56B4E9", "#E69F00"]
DASHES = ["solid", "dash", "dot"]
SOURCE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "star", "hexagon", "cross", "x"]
FONT = {"family": "sans-serif", "size": 16, "color": "#111111"}
LEGEND_WRAP = 30  # characters per legend line: long names wrap, never cut
FACET_BOTTOM = 230  # px under the panels: tick labels, the legend, the source line


def source_lines(ds: Dataset) -> str:
    """The source line as chart text (escaped: plotly reads markup), on two lines under a chart."""
    return wording.chart_source_line(ds, "<br>", esc)


def key_moments(ds: Dataset) -> dict[str, str]:
    """Moments annotated on the chart, event id -> label: atlas.yaml's key_moments."""
    return {k.event: k.label for k in ds.settings.key_moments}


def _source_line(ds: Dataset, fig: go.Figure, yshift: int = -62, yanchor: str = "top") -> None:
    """The source line inside the figure, so a downloaded image carries it."""
    fig.add_annotation(text=source_lines(ds), xref="paper", yref="paper", x=0, y=0, yshift=yshift, showarrow=False,
                       xanchor="left", yanchor=yanchor, align="left", font={"size": 12, "color": "#444444"})


CITE_WRAP = 140  # characters per line of the citation under a chart


def with_citation(fig: go.Figure, citation: str) -> go.Figure:
    """A copy of the figure with the view's citation (atlas.views.cite.image_line) printed at its foot, under the source
    line, so the PNG the chart's camera saves carries it; the figure grows by the citation's lines, the plot keeps its size."""
    out = go.Figure(fig)
    lines = textwrap.wrap(citation, CITE_WRAP, break_long_words=True) or [citation]
    extra = 16 * len(lines) + 10
    bottom = out.layout.margin.b if out.layout.margin.b is not None else 80
    out.add_annotation(text="<br>".join(esc(line) for line in lines), xref="paper", yref="paper", x=0, y=0,
                       yshift=-(bottom + extra) + 4, showarrow=False, xanchor="left", yanchor="bottom", align="left",
                       font={"size": 11, "color": "#333333"}, name="atlas-citation")
    out.update_layout(margin={"b": bottom + extra})
    if out.layout.height:
        height = out.layout.height
        legend = out.layout.legend
        if legend.yref == "container" and legend.y is not None:  # a legend placed from the foot keeps its place over the plot
            out.update_layout(legend={"y": (legend.y * height + extra) / (height + extra)})
        out.update_layout(height=height + extra)
    return out


def legend_name(title: str, width: int = LEGEND_WRAP) -> str:
    """A source title for a legend entry: whole, escaped, wrapped onto lines of about `width` characters."""
    return "<br>".join(esc(line) for line in textwrap.wrap(title.strip("[]"), width)) or esc(title)


def partner_style(ds: Dataset, partner: str, ranks: dict[str, int] | None = None) -> tuple[str, str]:
    """(colour, dash) of a partner's line: its colour in atlas.yaml, else its own hue by its rank in the evidence."""
    chosen = next((p.colour for p in ds.settings.partners if p.name == partner and p.colour), None)
    if chosen:
        return chosen, DASHES[0]
    rank = (ranks if ranks is not None else alignment.partner_ranks(ds)).get(partner)
    if rank is None:
        rank = len(PALETTE) + sum(map(ord, partner)) % len(PALETTE)
    return PALETTE[rank % len(PALETTE)], DASHES[(rank // len(PALETTE)) % len(DASHES)]


def partner_colour(ds: Dataset, partner: str) -> str:
    return partner_style(ds, partner)[0]


def source_symbols(ds: Dataset) -> dict[str, str]:
    return {sid: SOURCE_SYMBOLS[i % len(SOURCE_SYMBOLS)] for i, sid in enumerate(ds.sources)}


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _hover(ds: Dataset, r, partner: str, note: str = "") -> str:
    return (f"<b>{esc(r.title)}</b><br>{esc(r.date_label)}<br>{esc(partner)}: {r.direction} "
            f"({r.contribution:+.1f}; CAMEO {esc(r.cameo)} {esc(r.cameo_label)})<br>Source: {esc(ds.sources[r.source_id].title)}"
            + (f"<br><i>According to {esc(r.reported_by)}</i>" if r.reported_by else "") + note)


NON_STATE_OUT = "<br><b>Non-state act</b> (protesters, opposition): not counted in the state-level index"
NON_STATE_IN = "<br><b>Non-state act</b> (protesters, opposition): counted, as the options ask"


def alignment_figure(ds: Dataset, rows: pd.DataFrame, partners: list[str], first: dt.date, last: dt.date,
                     options: alignment.Options, focus: str | None = None, envelope: bool = True,
                     facets: bool | None = None) -> go.Figure:
    """Lines per partner starting at 0 on `first`, a marker per coded event (symbol by source, whiskers over a coarse
    date's interval), hollow markers for non-state acts, the robustness envelope as a pale band behind each line, and a
    note of the coded events before the period (context, not counted). With `facets` (the default when the envelope
    is drawn) each partner gets its own panel on shared axes, so no band hides another; else one panel holds all."""
    partners = list(partners)
    facets = envelope if facets is None else facets
    cols = 2 if facets and len(partners) > 1 else 1
    n_rows = math.ceil(len(partners) / cols) if facets and partners else 1
    cell = {p: (i // cols + 1, i % cols + 1) if facets else (1, 1) for i, p in enumerate(partners)}
    rows = rows[rows["partner"].isin(partners)]
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    hl = options.half_life_months
    band, table = alignment.robustness(ds, tuple(partners), first, last, options) if envelope else (None, None)
    titles = [_panel_title(p, table) for p in partners] if facets else None
    specs = [[{} if r * cols + c < max(len(partners), 1) else None for c in range(cols)] for r in range(n_rows)]
    fig = make_subplots(rows=n_rows, cols=cols, shared_xaxes="all", shared_yaxes="all", subplot_titles=titles,
                        specs=specs, horizontal_spacing=0.05, vertical_spacing=0.16 if n_rows > 1 else 0.1)
    ranks = alignment.partner_ranks(ds)
    style = {p: partner_style(ds, p, ranks) for p in partners}
    lines = alignment.series(rows, first, last, hl)
    values = alignment.marker_values(rows, hl, start=first)
    inside = alignment.in_period(rows, first, last)
    left_out = alignment.in_period(alignment.non_state_left_out(ds, options), first, last)
    left_out = left_out[left_out["partner"].isin(partners)]
    symbols = source_symbols(ds)
    if band is not None:  # bands first, so every line and marker lies over them
        for partner in partners:
            b = band[band["partner"] == partner]
            colour, _ = style[partner]
            fig.add_trace(go.Scatter(
                x=list(b["date"]) + list(b["date"])[::-1], y=list(b["high"]) + list(b["low"])[::-1], fill="toself",
                fillcolor=_rgba(colour, 0.2), line={"width": 0}, mode="lines", name=f"{partner} range over variants",
                legendgroup=partner, showlegend=False, hoverinfo="skip"), *cell[partner])
    for partner in partners:
        r_, c_ = cell[partner]
        colour, dash = style[partner]
        line = lines[lines["partner"] == partner]
        fig.add_trace(go.Scatter(
            x=line["date"], y=line["index"], mode="lines", name=esc(partner), legendgroup=partner, showlegend=not facets,
            line={"color": colour, "width": 3.5, "dash": dash, "shape": "linear" if hl else "hv"}, hoverinfo="skip"),
            r_, c_)
        pts = inside[inside["partner"] == partner]
        coarse = pts[pts["precision"] != "day"]
        if not coarse.empty:  # the interval a coarse date denotes: thin dotted whiskers with end caps, not a line
            xs, ys = [], []
            for r in coarse.itertuples():
                xs += [r.start, r.end, None]
                ys += [values[r.Index]] * 2 + [None]
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", line={"color": colour, "width": 1.5, "dash": "dot"},
                                     marker={"symbol": "line-ns-open", "size": 11, "color": colour, "line": {"width": 2}},
                                     name=f"{partner} date ranges", legendgroup=partner, showlegend=False,
                                     hoverinfo="skip"), r_, c_)
        if not pts.empty:
            ns = pts["non_state"].to_numpy(dtype=bool)
            fig.add_trace(go.Scatter(
                x=pts["mid"], y=values[pts.index], mode="markers", name=f"{partner} events", legendgroup=partner,
                showlegend=False,
                marker={"color": colour, "size": 13,
                        "symbol": [symbols.get(s, "circle") + ("-open" if n else "") for s, n in zip(pts["source_id"], ns, strict=True)],
                        "line": {"color": [colour if n else "#FFFFFF" for n in ns], "width": [2.5 if n else 1.5 for n in ns]}},
                customdata=pts[["event_id"]].to_numpy(),
                hovertext=[_hover(ds, r, partner, NON_STATE_IN if r.non_state else "") for r in pts.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>"), r_, c_)
        out = left_out[left_out["partner"] == partner]
        if not out.empty:  # drawn where the line stands, since they do not move it
            fig.add_trace(go.Scatter(
                x=out["mid"], y=alignment._values(rows[rows["partner"] == partner], out["mid"], hl, start=first),
                mode="markers", name=f"{partner} non-state acts (not counted)", legendgroup=partner, showlegend=False,
                marker={"color": colour, "size": 13, "symbol": [symbols.get(s, "circle") + "-open" for s in out["source_id"]],
                        "line": {"color": colour, "width": 2.5}},
                customdata=out[["event_id"]].to_numpy(),
                hovertext=[_hover(ds, r, partner, NON_STATE_OUT) for r in out.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>"), r_, c_)
        _before_note(fig, alignment.before(rows[rows["partner"] == partner], first), first,
                     None if facets else partner, r_, c_)
    if focus is not None and focus in set(inside["event_id"]) | set(left_out["event_id"]):
        for partner in partners:
            sel = inside[(inside["event_id"] == focus) & (inside["partner"] == partner)]
            xs, ys = list(sel["mid"]), list(values[sel.index])
            for r in left_out[(left_out["event_id"] == focus) & (left_out["partner"] == partner)].itertuples():
                xs.append(r.mid)
                ys.append(alignment.value_at(rows[rows["partner"] == partner], r.mid, hl, start=first))
            if xs:
                fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name="selected", showlegend=False,
                                         marker={"size": 26, "color": "rgba(0,0,0,0)", "line": {"color": "#111111", "width": 3}},
                                         hoverinfo="skip"), *cell[partner])
    _legend_keys(ds, fig, symbols, band is not None, len(alignment.variants(ds)), options,
                 not left_out.empty or bool(inside["non_state"].any()), wrap=2 * LEGEND_WRAP if facets else LEGEND_WRAP)
    _key_moments(ds, fig, first, last, vertical=facets, panels=len(partners) if facets else 1, cols=cols)
    weights = "Goldstein-weighted" if options.weights == "goldstein" else "equal weights"
    decay = f", half-life {hl:g} months" if hl else ""
    since = f"{first:%b %Y}"
    fig.update_layout(shapes=[*fig.layout.shapes, *[  # the zero line in every panel (one layout update: add_hline per
        # panel validates the whole figure each time)
        {"type": "line", "xref": f"{_axis('x', k)} domain", "yref": _axis("y", k), "x0": 0, "x1": 1, "y0": 0, "y1": 0,
         "line": {"color": "#777777", "width": 1}} for k in range(1, (len(partners) if facets else 1) + 1)]])
    fig.update_layout(
        title={"text": f"{esc(ds.settings.subject_possessive(capital=True))} alignment with each partner since {since}"
                       "<br><span style='font-size:14px'>Each line is the running "
                       f"sum of coded events ({weights}{decay}) from 0 at the period's start</span>",
               "font": {"size": 19}},
        template="plotly_white", font=FONT, height=600 if not facets else 200 + 250 * n_rows,
        margin={"l": 70, "r": 20, "t": 100, "b": 100}, hovermode="closest", hoverlabel={"font": {"size": 15}},
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "font": {"size": 14},
                "groupclick": "toggleitem", "tracegroupgap": 10},
    )
    fig.update_xaxes(range=[lo, hi])
    fig.update_yaxes(zeroline=False)
    if not facets:
        fig.update_xaxes(title="Date (events placed mid-interval; whiskers span dates known only to the month, quarter "
                               "or year)")
        fig.update_yaxes(title=f"Index since {since}: toward (+) or away (−)")
    else:
        fig.update_yaxes(title="Index: toward (+) / away (−)", col=1)
        ys = [0.0, *lines["index"], *values]
        if band is not None and not band.empty:
            ys += [band["low"].min(), band["high"].max()]
        pad = max(1.0, 0.08 * (max(ys) - min(ys)))
        fig.update_yaxes(range=[min(ys) - pad, max(ys) + pad])  # one scale for every panel, set (matched axes
        # autorange to the first panel's traces only)
        _facet_layout(fig, partners, n_rows, {p: style[p][0] for p in partners})
    if facets:
        _source_line(ds, fig, -(FACET_BOTTOM - 4), "bottom")  # under the legend, at the foot of the figure
    else:
        _source_line(ds, fig)
    return fig


def _panel_title(partner: str, table: pd.DataFrame | None) -> str:
    """A panel's title: the partner, and how far the direction of its line holds across the variants."""
    if table is None:
        return f"<b>{esc(partner)}</b>"
    row = table[table["partner"] == partner].iloc[0]
    if row["direction"] == "no change":
        verdict = "no change over the period"
    else:
        verdict = (f"{row['direction']} ({row['change']:+.1f}); " +
                   (f"holds in all {row['variants']} variants" if row["robust"]
                    else f"holds in only {row['holds']} of {row['variants']} variants"))
    return f"<b>{esc(partner)}</b>: {esc(verdict)}"


def _facet_layout(fig: go.Figure, partners: list[str], n_rows: int, colours: dict[str, str]) -> None:
    """Panel titles on a tint of their partner's colour, at the panel's left edge; the legend across the bottom."""
    cols = 2 if len(partners) > 1 else 1
    for i, (partner, ann) in enumerate(zip(partners, fig.layout.annotations, strict=False)):
        axis = fig.layout[f"xaxis{i + 1 if i else ''}"]
        if i + cols >= len(partners):  # no panel below this one: it shows the dates itself
            axis.showticklabels = True
        ann.update(font={"size": 15, "color": "#111111"}, xanchor="left", x=axis.domain[0],
                   bgcolor=_rgba(colours[partner], 0.18), borderpad=3)
    height = 280 + 250 * n_rows
    fig.update_layout(height=height,
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 42 / height, "yanchor": "bottom",
                              "yref": "container", "font": {"size": 13}, "entrywidth": 0},
                      margin={"l": 70, "r": 20, "t": 120, "b": FACET_BOTTOM})


def _legend_keys(ds: Dataset, fig: go.Figure, symbols: dict[str, str], band: bool, n_variants: int,
                 options: alignment.Options, non_state: bool, wrap: int = LEGEND_WRAP) -> None:
    """Legend entries for what the marks mean (band, whiskers, hollow markers) and for the marker shapes."""
    grey = "#555555"
    keys = []
    if band:
        keys.append(go.Scatter(x=[None], y=[None], mode="lines", fill="toself", fillcolor=_rgba(grey, 0.3),
                               line={"width": 0}, name=f"Range over {n_variants} variants of the method"))
    keys.append(go.Scatter(x=[None], y=[None], mode="lines+markers", line={"color": grey, "width": 1.5, "dash": "dot"},
                           marker={"symbol": "line-ns-open", "size": 11, "color": grey, "line": {"width": 2}},
                           name="Date known only to the month, quarter or year"))
    if non_state:
        keys.append(go.Scatter(x=[None], y=[None], mode="markers",
                               marker={"symbol": "circle-open", "size": 12, "color": grey, "line": {"width": 2.5}},
                               name="Non-state act: " + ("counted" if options.include_non_state else "not counted")))
    for i, trace in enumerate(keys):
        trace.update(legendgroup="marks", legendgrouptitle={"text": "Marks"} if i == 0 else None, hoverinfo="skip")
        fig.add_trace(trace)
    for i, (sid, symbol) in enumerate(symbols.items()):  # a legend for the marker shapes, every title whole
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=legend_name(ds.sources[sid].title, wrap),
                                 marker={"symbol": symbol, "color": grey, "size": 11}, legendgroup="sources",
                                 legendgrouptitle={"text": "Source (marker shape)"} if i == 0 else None, hoverinfo="skip"))


def _before_note(fig: go.Figure, earlier: pd.DataFrame, first: dt.date, partner: str | None, row: int, col: int) -> None:
    """Coded events before the period: named at the left edge of the panel as context, since the index starts at 0 on
    `first`. `partner` names the partner when several share the panel."""
    if earlier.empty:
        return
    n = earlier["event_id"].nunique()
    who = f"{esc(partner)}: " if partner else ""
    lines = [f"{esc(r.date_label)} · {esc(r.partner)} {r.contribution:+.1f} · {esc(r.title)}" for r in earlier.itertuples()]
    shown = lines[:12] + ([f"… and {len(lines) - 12} more (see the data table)"] if len(lines) > 12 else [])
    fig.add_annotation(
        x=pd.Timestamp(first), y=0, xanchor="left", yanchor="top", yshift=-3, showarrow=False, row=row, col=col,
        text=f"◂ before {first:%b %Y}, not counted: {who}{n} event{'s' if n != 1 else ''}, "
             f"net {earlier['contribution'].sum():+.1f}",
        align="left", font={"size": 12, "color": "#333333"}, bgcolor="rgba(255,255,255,0.85)",
        hovertext="Coded events before the period (context; the index starts at 0):<br>" + "<br>".join(shown))


def _axis(letter: str, k: int) -> str:
    return letter if k == 1 else f"{letter}{k}"


def _key_moments(ds: Dataset, fig: go.Figure, first: dt.date, last: dt.date, vertical: bool = False, panels: int = 1,
                 cols: int = 1) -> None:
    """Dotted lines at key moments in every panel; their labels staggered across the top (one panel), or written
    upward along the line in the top row of panels. Added in one layout update each (add_vline validates the whole
    figure on every call)."""
    shapes, notes, shown = [], [], 0
    for eid, label in key_moments(ds).items():
        event = ds.records.get(eid)
        if event is None or event.kind != "event" or not (first <= event.date.start <= last):
            continue
        when = pd.Timestamp(event.date.start) + (pd.Timestamp(event.date.end) - pd.Timestamp(event.date.start)) / 2
        shapes += [{"type": "line", "xref": _axis("x", k), "yref": f"{_axis('y', k)} domain", "x0": when, "x1": when,
                    "y0": 0, "y1": 1, "line": {"color": "#999999", "dash": "dot", "width": 1.5}}
                   for k in range(1, panels + 1)]
        if vertical:
            notes += [{"x": when, "y": 1.0, "xref": _axis("x", k), "yref": f"{_axis('y', k)} domain", "text": esc(label),
                       "textangle": -90, "showarrow": False, "xanchor": "right", "yanchor": "top", "xshift": -1,
                       "font": {"size": 11, "color": "#555555"}} for k in range(1, min(cols, panels) + 1)]
        else:
            late = when > pd.Timestamp(first) + (pd.Timestamp(last) - pd.Timestamp(first)) * 0.75
            notes.append({"x": when, "y": 1.0 - 0.07 * (shown % 3), "xref": "x", "yref": "paper", "text": esc(label),
                          "showarrow": False, "xanchor": "right" if late else "left",
                          "font": {"size": 13, "color": "#333333"}, "bgcolor": "rgba(255,255,255,0.85)"})
        shown += 1
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])


def _quarter_label(q: str) -> str:
    return f"{q[:4]} {q[4:]}"  # '2020Q1' -> '2020 Q1'


def heatmap_figure(ds: Dataset, rows: pd.DataFrame, partners: list[str], first: dt.date | None = None,
                   last: dt.date | None = None) -> go.Figure:
    """Net signal per partner and quarter on a regular axis (every quarter of the period, empty ones included);
    hover lists the events in the cell. Without a period, the quarters from the first to the last event."""
    first = first or geo.period_start(ds)  # by default the dataset's period, as on the page
    last = last or geo.period_end(ds)
    rows = alignment.in_period(rows[rows["partner"].isin(partners)], first, last)
    quarters = alignment.quarters(first, last)
    q = alignment.quarterly(rows)
    cells = {(r.partner, r.quarter): r for r in q.itertuples()}
    z, text = [], []
    for partner in partners:
        zs, ts = [], []
        for quarter in quarters:
            cell = cells.get((partner, quarter))
            zs.append(float(cell.net) if cell is not None else None)
            ts.append("<br>".join(esc(t) for t in cell.events) if cell is not None else "no coded events")
        z.append(zs)
        text.append(ts)
    limit = max([abs(v) for zs in z for v in zs if v is not None] or [1])
    fig = go.Figure(go.Heatmap(
        z=z, x=[_quarter_label(q) for q in quarters], y=[esc(p) for p in partners], text=text, colorscale="PuOr",
        zmid=0, zmin=-limit, zmax=limit, hoverongaps=True, xgap=2, ygap=2,
        hovertemplate="<b>%{y}, %{x}</b><br>net %{z:+.1f}<br>%{text}<extra></extra>",
        colorbar={"title": {"text": "net signal<br>(+ toward)"}}))
    fig.update_layout(title={"text": f"Net alignment signal by partner and quarter, {first:%b %Y}–{last:%b %Y}",
                             "font": {"size": 19}},
                      template="plotly_white", font=FONT, height=140 + 48 * max(len(partners), 1),
                      margin={"l": 90, "r": 20, "t": 60, "b": 90}, yaxis={"autorange": "reversed"},
                      xaxis={"title": "Quarter (events placed mid-interval; blank: no coded events)", "type": "category",
                             "tickangle": -45})
    fig.add_annotation(text=source_lines(ds), xref="paper", yref="paper", x=0, y=0, yshift=-80, showarrow=False,
                       xanchor="left", yanchor="top", font={"size": 12, "color": "#444444"})
    fig.update_layout(margin={"b": 120})
    return fig


def period_chart(ds: Dataset, partners: tuple[str, ...], first: dt.date, last: dt.date, options: alignment.Options,
                 focus: str | None = None, envelope: bool = True) -> go.Figure:
    """The alignment chart for a view, from the dataset alone (so a page can cache it per view)."""
    return alignment_figure(ds, alignment.contributions(ds, options), list(partners), first, last, options,
                            focus=focus, envelope=envelope)


def period_heatmap(ds: Dataset, partners: tuple[str, ...], first: dt.date, last: dt.date,
                   options: alignment.Options) -> go.Figure:
    return heatmap_figure(ds, alignment.contributions(ds, options), list(partners), first, last)


def cited_period_chart(ds: Dataset, partners: tuple[str, ...], first: dt.date, last: dt.date, options: alignment.Options,
                       focus: str | None, envelope: bool, citation: str) -> go.Figure:
    """period_chart with the view's citation at its foot, built once per view and citation (copying a figure costs
    tens of milliseconds a run)."""
    return with_citation(period_chart(ds, partners, first, last, options, focus, envelope), citation)


def cited_period_heatmap(ds: Dataset, partners: tuple[str, ...], first: dt.date, last: dt.date, options: alignment.Options,
                         citation: str) -> go.Figure:
    return with_citation(period_heatmap(ds, partners, first, last, options), citation)


def clicked_event(selection) -> str | None:
    """The event id of a clicked chart point, from st.plotly_chart's selection state."""
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        custom = point.get("customdata") if isinstance(point, dict) else None
        if custom:
            return str(custom[0] if isinstance(custom, list | tuple) else custom)
    return None


PRESENTER_FONT = 19  # px: chart text read from the back of a room


def presenter_figure(ds: Dataset, partners: tuple[str, ...], focus: str | None) -> go.Figure:
    """The alignment chart for the brief: the whole period, large type, no title (the step's headline is the title),
    and no fixed height, so it fills the space the page gives it."""
    rows = alignment.contributions(ds, alignment.Options())
    fig = alignment_figure(ds, rows, list(partners), geo.period_start(ds), geo.period_end(ds), alignment.Options(), focus=focus,
                           envelope=False)
    fig.update_layout(title=None, height=None, autosize=True, font={"size": PRESENTER_FONT},
                      margin={"l": 80, "r": 10, "t": 10, "b": 60}, legend={"font": {"size": PRESENTER_FONT}},
                      xaxis={"title": None, "tickfont": {"size": PRESENTER_FONT}},
                      yaxis={"title": {"text": "toward (+) / away (−)", "font": {"size": PRESENTER_FONT}},
                             "tickfont": {"size": PRESENTER_FONT}},
                      hoverlabel={"font": {"size": PRESENTER_FONT}})
    fig.update_annotations(font_size=PRESENTER_FONT - 1)
    for trace in fig.data:  # a short key for a room: the partners and the hollow marker; hover names each source
        if trace.legendgroup == "sources" or (trace.legendgroup == "marks" and not trace.name.startswith("Non-state")):
            trace.showlegend = False
    return fig


SLIDE_FONT = 20  # px at the figure's own size: about 12 pt once the image sits on a 16:9 slide


def _wrapped(text: str, width: int) -> str:
    import textwrap

    return "<br>".join(textwrap.wrap(text, width))


def slide_figure(ds: Dataset, partners: tuple[str, ...], focus: str | None = None, options: alignment.Options | None = None,
                 first: dt.date | None = None, last: dt.date | None = None) -> go.Figure:
    """The alignment chart as a picture for a slide, a printed page or the offline briefing: the partners' lines with
    their date bands and markers, the legend above the plot, each key moment written along its own dotted line (so two
    close moments never print over each other), and the source line under the axis, wrapped to the figure's width."""
    options = options or alignment.Options()
    rows = alignment.contributions(ds, options)
    first = first or geo.period_start(ds)
    last = last or geo.period_end(ds)
    fig = alignment_figure(ds, rows, list(partners), first, last, options, focus=focus, envelope=False)
    moments = key_moments(ds)
    labels = {esc(label) for label in moments.values()}
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text not in labels and a.text != source_lines(ds)]
    for eid, label in moments.items():
        event = ds.records.get(eid)
        if event is None or event.kind != "event" or not (first <= event.date.start <= last):
            continue
        when = pd.Timestamp(event.date.start) + (pd.Timestamp(event.date.end) - pd.Timestamp(event.date.start)) / 2
        fig.add_annotation(x=when, y=1, yref="paper", yanchor="top", xanchor="right", textangle=-90, text=esc(label),
                           showarrow=False, font={"size": SLIDE_FONT - 4, "color": "#333333"},
                           bgcolor="rgba(255,255,255,0.8)")
    fig.add_annotation(text=_wrapped(wording.chart_source_line(ds, quote=esc), 95), xref="paper", yref="paper", x=0, y=0,
                       yshift=-44, showarrow=False,
                       xanchor="left", yanchor="top", align="left", font={"size": 14, "color": "#444444"})
    weights = "Goldstein-weighted" if options.weights == "goldstein" else "equal weights"
    fig.update_layout(
        title=None, height=None, width=None, font={"size": SLIDE_FONT}, hovermode=False,
        margin={"l": 78, "r": 16, "t": 16, "b": 96},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom", "font": {"size": SLIDE_FONT - 2},
                "itemwidth": 30, "traceorder": "normal"},
        xaxis={"title": None, "tickfont": {"size": SLIDE_FONT}},
        yaxis={"title": {"text": f"toward (+) / away (−), {weights}", "font": {"size": SLIDE_FONT - 2}},
               "tickfont": {"size": SLIDE_FONT}},
    )
    return fig


def slide_heatmap(ds: Dataset, rows: pd.DataFrame, partners: tuple[str, ...], first: dt.date | None = None,
                  last: dt.date | None = None) -> go.Figure:
    """The quarterly heatmap as a picture for a slide: slide-sized type and the source line wrapped under the axis."""
    fig = heatmap_figure(ds, rows, list(partners), first, last)
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text != source_lines(ds)]
    fig.add_annotation(text=_wrapped(wording.chart_source_line(ds, quote=esc), 95), xref="paper", yref="paper", x=0, y=0,
                       yshift=-80, showarrow=False,
                       xanchor="left", yanchor="top", align="left", font={"size": 14, "color": "#444444"})
    fig.update_layout(title=None, height=None, font={"size": SLIDE_FONT}, margin={"l": 90, "r": 16, "t": 16, "b": 130},
                      xaxis={"title": {"text": "Quarter (events placed mid-interval)", "font": {"size": SLIDE_FONT - 2}},
                             "tickfont": {"size": SLIDE_FONT - 2}},
                      yaxis={"tickfont": {"size": SLIDE_FONT}})
    return fig

"""Cite this view: the citation formats parse and carry the view's title, the Atlas, the data version, the date accessed
and the view's own address; the same text goes under exported images."""
from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import plotly.graph_objects as go
import pytest
from PIL import Image

from atlas.core import version
from atlas.core.load import load_or_raise
from atlas.views import charts, cite, figures, staticmap
from tests.conftest import shipped

ACCESSED = dt.date(2026, 3, 7)
VERSION = ("2025-11-30", "0123456789ab")


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A small BibTeX parser: @type{key, name = {value with {nested} braces}, ...}; raises on anything else."""
    m = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}", text, flags=re.S)
    assert m, text
    kind, key, body = m.groups()
    fields, at = {}, 0
    while at < len(body):
        f = re.compile(r"\s*(\w+) = \{").match(body, at)
        assert f, body[at:]
        depth, i = 1, f.end()
        while depth:
            if body[i] == "\\":
                i += 2
                continue
            depth += {"{": 1, "}": -1}.get(body[i], 0)
            i += 1
        fields[f.group(1)] = body[f.end(): i - 1]
        rest = re.compile(r",\n|$").match(body, i)
        assert rest, body[i:]
        at = rest.end() if rest.end() > i else len(body)
    return kind, key, fields


@shipped
def test_every_style_carries_title_site_version_date_and_the_exact_address(ds):
    params = {"focus": "lachin-road", "date": "2022-12", "layers": "corridors,places"}
    c = cite.citation(ds, "map", params, "http://atlas.example:8080/", VERSION, ACCESSED)
    assert c.url == "http://atlas.example:8080/map?focus=lachin-road&date=2022-12&layers=corridors%2Cplaces"
    assert c.title == "Map of corridors, borders and events, Dec 2022: Lachin corridor"
    for text in (cite.apa(c), cite.chicago(c)):
        assert "South Caucasus Security Atlas" in text and c.title in text.replace("‘", "“").replace("’", "”")
        assert "2025-11-30 (0123456789ab)" in text and "March 7, 2026" in text and c.url in text
    assert cite.apa(c).startswith("South Caucasus Security Atlas. (2025). Map of corridors")
    assert re.search(r"Retrieved March 7, 2026, from http://atlas\.example:8080/map\?\S+$", cite.apa(c))
    assert re.fullmatch(r"South Caucasus Security Atlas\. “[^“”]+\.” Data version [^.]+\. Accessed March 7, 2026\. \S+\.",
                        cite.chicago(c))
    kind, key, fields = parse_bibtex(cite.bibtex(c))
    assert kind == "misc" and key.startswith("atlas-map-of-corridors") and key.endswith("0123456789ab")
    assert fields["author"] == "{South Caucasus Security Atlas}" and fields["year"] == "2025"
    assert fields["title"] == c.title and fields["url"] == c.url and fields["urldate"] == "2026-03-07"
    assert fields["howpublished"] == f"\\url{{{c.url}}}" and "0123456789ab" in fields["version"]
    # the address in the citation opens the same view
    assert parse_qs(urlsplit(fields["url"]).query) == {k: [v] for k, v in params.items()}


def test_bibtex_escapes_what_latex_would_read():
    c = cite.ViewCitation("The Atlas", "50% of {x} & y_z #1 $ ~ ^ \\", VERSION, ACCESSED, "http://h/search?q=a%26b{")
    kind, _, fields = parse_bibtex(cite.bibtex(c))
    assert fields["title"] == r"50\% of \{x\} \& y\_z \#1 \$ \~{} \^{} \textbackslash{}"
    assert "{" not in fields["url"] and fields["url"].endswith("%7B")


@shipped
@pytest.mark.parametrize(("page", "params", "expected"), [
    ("", {}, "Home"),
    ("map", {"date": "nonsense"}, "Map of corridors, borders and events, Dec 2023"),
    ("alignments", {"partners": "Russia,CSTO", "from": "2021-01", "to": "2022-06"},
     "Armenia's alignment index with Russia, CSTO, Jan 2021 to Jun 2022"),
    ("events", {"q": "Lachin"}, "Events matching “Lachin”"),
    ("sources", {"source": "nope"}, "Sources"),
    ("search", {"q": "Berdzor"}, "Search for “Berdzor”"),
    ("record", {"id": "lachin-road"}, "Corridor: Lachin corridor"),
    ("record", {"id": "<script>"}, "Record"),
    ("about", {"focus": "<b>x</b>"}, "About the Atlas"),
    ("changes", {"since": "2026-01-05"}, "What changed since 2026-01-05"),
    ("changes", {"since": "<b>2026</b>"}, "What changed"),
])
@shipped
def test_view_titles_name_the_view_and_never_echo_unknown_values(ds, page, params, expected):
    assert cite.view_title(ds, page, params) == expected


@shipped
def test_a_sources_view_is_titled_by_its_source_and_passage(ds):
    sid = next(iter(ds.sources))
    assert cite.view_title(ds, "sources", {"source": sid, "passage": "3"}) == f"{ds.sources[sid].title}, ¶3"


def test_data_version_is_a_stable_digest_of_the_files(corpus):
    date, digest = cite.data_version(load_or_raise(corpus))
    assert re.fullmatch(r"[0-9a-f]{12}", digest) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
    assert cite.data_digest(corpus) == digest == version.data_digest(corpus)
    assert cite.data_version is version.data_version  # one implementation: the sidebar, /changes, packs and bundle use it
    (corpus / "events.yaml").write_text((corpus / "events.yaml").read_text() + "\n", encoding="utf-8")
    assert cite.data_digest(corpus) != digest


def test_git_files_and_unfinished_writes_are_not_data(corpus):
    digest = version.data_digest(corpus)
    (corpus / ".git").mkdir()
    (corpus / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (corpus / ".events.yaml.atlas-tmp-1234").write_text("half a file")
    assert version.data_digest(corpus) == digest
    assert version.version_label(("2026-01-02", digest)) == f"2026-01-02 ({digest})"


def test_base_url_prefers_the_configured_then_the_browsers_address():
    assert cite.base_url("https://atlas.org", "http://localhost:8501/map?x=1") == "https://atlas.org"
    assert cite.base_url(None, "http://10.0.0.2:8080/map?x=1") == "http://10.0.0.2:8080"
    assert cite.base_url(None, "") == cite.DEFAULT_BASE_URL


@shipped
def test_the_map_image_prints_the_citation_under_it(ds):
    c = cite.citation(ds, "map", {"date": "2022-12"}, "http://h", VERSION, ACCESSED)
    plain = Image.open(io.BytesIO(staticmap.png_for(ds, "2022-12", figures.default_layers(ds), "international", None)))
    cited = Image.open(io.BytesIO(staticmap.png_for(ds, "2022-12", figures.default_layers(ds), "international", None,
                                                    cite.image_line(c))))
    assert cited.width == plain.width and cited.height > plain.height
    band = cited.convert("L").crop((0, plain.height, cited.width, cited.height))
    assert band.getextrema()[0] < 100  # dark text drawn in the band under the map


def test_a_long_address_wraps_inside_the_image():
    font = staticmap._font(staticmap.CITE_FONT)
    lines = staticmap._wrap_long("Cite as: " + "x" * 400, font, 500)
    assert len(lines) > 2 and all(font.getlength(line) <= 500 for line in lines)


@shipped
def test_the_chart_carries_the_citation_and_keeps_its_plot(ds):
    from atlas.analysis import alignment

    fig = charts.period_chart(ds, ("Russia",), dt.date(2020, 1, 1), dt.date(2023, 12, 31), alignment.Options())
    c = cite.citation(ds, "alignments", {"partners": "Russia"}, "http://h", VERSION, ACCESSED)
    out = charts.with_citation(fig, cite.image_line(c))
    notes = [a for a in out.layout.annotations if a.name == "atlas-citation"]
    assert len(notes) == 1 and "Retrieved March 7, 2026" in notes[0].text and "http://h/alignments?partners=Russia" in notes[0].text
    grow = out.layout.margin.b - fig.layout.margin.b
    assert grow > 0 and (out.layout.height or 0) - (fig.layout.height or 0) in (0, grow)
    assert not [a for a in fig.layout.annotations if a.name == "atlas-citation"]  # the cached figure is left alone


def test_the_citation_line_keeps_a_bottom_legend_clear_of_the_source_line():
    # a legend placed from the figure's foot (the faceted chart's) must move up by the citation's height, or it would
    # slide down over the source line printed under the plot
    fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))
    fig.update_layout(height=780, margin={"b": 230}, legend={"yref": "container", "y": 42 / 780, "yanchor": "bottom"})
    out = charts.with_citation(fig, "A citation long enough to wrap onto a second line " * 4)
    extra = out.layout.height - 780
    assert extra > 0 and out.layout.margin.b == 230 + extra
    assert out.layout.legend.y * out.layout.height == pytest.approx(42 + extra)  # same height above the plot's foot

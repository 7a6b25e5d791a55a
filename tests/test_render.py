"""Data text is always escaped: no markup from the data reaches the page as markup."""
from atlas.core.load import load_or_raise
from atlas.views import links, render
from tests.conftest import minimal_records, write_corpus

PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'


def injected_corpus(tmp_path):
    text = f"Heading {PAYLOAD}\n\nThe road near Alpha was closed {PAYLOAD} today. Observers in Alpha counted trucks.\n\n" \
           "and it goes on. Alpha appears again here. 14 December 2022\n"
    recs = minimal_records()
    recs["events"][0]["title"] = f"Road {PAYLOAD}"
    recs["terms"][0]["term"] = f"Term {PAYLOAD}"
    recs["terms"][0]["citations"] = [{"source": "mini", "quote": f"closed {PAYLOAD} today"}]
    root = write_corpus(tmp_path / "data", text=text, records=recs, source_extra={"perspective": PAYLOAD, "title": PAYLOAD})
    return load_or_raise(root)


def _assert_inert(html: str):
    assert "<script>" not in html and "<img" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;" in html


def test_passage_and_cards_escape_source_text_and_titles(tmp_path):
    ds = injected_corpus(tmp_path)
    for number in range(1, len(ds.texts["mini"].passages) + 1):
        html = render.source_passage(ds, "mini", number, focused=True)
        assert "<script>" not in html and "<img" not in html
    _assert_inert(render.source_passage(ds, "mini", 2))
    for cit in ds.citations:
        _assert_inert(render.citation_card(ds, cit))
    _assert_inert(render.source_meta(ds, "mini"))


def test_quote_is_highlighted_inside_its_passage(corpus):
    ds = load_or_raise(corpus)
    cit = next(c for c in ds.citations if c.record_id == "a-claims")
    html = render.citation_card(ds, cit)
    assert '<mark class="atlas-quote">Observers in Alpha counted trucks.</mark>' in html
    assert "The road near Alpha" in html  # the rest of the passage is shown around it
    assert links.sources_href("mini", cit.passage).replace("&", "&amp;") in html


def test_rejoined_passage_reads_as_one_paragraph(corpus):
    ds = load_or_raise(corpus)
    html = render.source_passage(ds, "mini", 3)
    assert "right about here, <mark class=\"atlas-cited\">and it goes on</mark>" in html


def test_markdown_literal_escapes_links_and_html():
    out = render.md("[click](javascript:alert(1)) <b>x</b> **bold**")
    assert "[" not in out.replace("\\[", "") and "<" not in out.replace("\\<", "") and "*" not in out.replace("\\*", "")
    assert len(render.md("x" * 500, limit=50)) <= 50 * 2


def test_yaml_payload_survives_loading_verbatim(tmp_path):
    ds = injected_corpus(tmp_path)
    assert ds.records["road-closed"].title == f"Road {PAYLOAD}"


def test_overlapping_quotes_read_as_one_mark(corpus):
    from atlas.views.render import _segments

    raw = "abcdefghij"
    html = _segments(0, raw, [(1, 4, "atlas-cited"), (3, 6, "atlas-cited"), (6, 8, "atlas-cited")])
    assert html == 'a<mark class="atlas-cited">bcdefgh</mark>ij'


def test_data_table_escapes_every_cell_and_header():
    import pandas as pd

    df = pd.DataFrame({"<b>name</b>": ["<script>alert(1)</script>", None], "n": [1.5, 2.0]})
    html = render.data_table(df, "A <label>", numeric=("n",))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;name&lt;/b&gt;" in html and "aria-label='A &lt;label&gt;'" in html
    assert "<td class='atlas-num'>1.5</td>" in html and "<td></td>" in html  # a missing value is an empty cell

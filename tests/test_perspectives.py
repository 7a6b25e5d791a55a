"""Stances by issue and actor, each source's telling, and contested names."""
import pytest

from atlas.analysis import perspectives
from atlas.core.load import load_or_raise


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


def test_matrix_cells_hold_every_claim_once(ds):
    cells = perspectives.matrix(ds)
    assert sum(len(c.claims) for c in cells.values()) == len(perspectives.claims(ds))
    iran = cells[("zangezur-route", "Iran")]
    assert iran.stance in perspectives.STANCES or iran.stance == "mixed"


def test_relayed_cells_are_marked(ds):
    cells = perspectives.matrix(ds)
    us_csto = cells[("csto-membership", "US")]
    assert us_csto.relayed and all(c.reported_by for c in us_csto.claims)


def test_each_source_tells_an_issue_in_its_own_quotes(ds):
    tellings = perspectives.by_source(ds, "zangezur-route")
    assert set(tellings) == set(ds.sources)
    for sid, items in tellings.items():
        for claim, cits in items:
            assert claim.issue == "zangezur-route" and all(c.source_id == sid for c in cits)
    assert tellings["scfr-kaleji-interview"] and tellings["avim-security-balance-2023"]


def test_contested_names_report_names_found_verbatim(ds):
    rows = {r["record"].id: r for r in perspectives.contested_names(ds)}
    assert rows["khankendi"]["names"]["azerbaijani"] == "Xankəndi"
    assert "Laçın" in rows["lachin"]["found"]  # the AVİM footnote uses the Turkish/Azerbaijani spelling
    for r in rows.values():
        for name, sources in r["found"].items():
            assert all(name in ds.texts[s].text for s in sources)


def test_contested_names_find_each_form_of_a_two_form_label(ds):
    rows = {r["record"].id: r for r in perspectives.contested_names(ds)}
    assert rows["khankendi"]["found"] == {"Khankendi": ["avim-security-balance-2023"]}


def test_labels_and_stance_symbols(ds):
    assert perspectives.issue_label(ds, "3plus3-format") == "3+3 format"  # atlas.yaml's label
    assert perspectives.issue_label(ds, "some-new-issue") == "Some new issue"
    symbols = [s for s, _ in perspectives.STANCES.values()]
    assert len(set(symbols)) == len(symbols)  # colour is never the only carrier of a stance


def test_source_titles_count_the_tail_instead_of_listing_it(ds):
    ids = list(ds.sources)
    assert perspectives.source_titles(ds, ids, 10) == ", ".join(ds.sources[s].title for s in ids)
    assert perspectives.source_titles(ds, ids, 1).endswith(f" and {len(ids) - 1} more")


def test_records_by_kind_and_position_are_indexed(ds):
    corridors = ds.of_kind("corridor")
    assert [c.id for c in corridors] == [r.id for r in ds.records.values() if r.kind == "corridor"]
    assert [ds.position(c.id) for c in corridors] == list(range(len(corridors)))
    assert ds.position("no-such-record") == -1

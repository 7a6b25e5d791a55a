"""Stances by issue and actor, each source's telling, and contested names: on a corpus built here, so each expected
value is known. The same views on the shipped corpus: tests/shipped/test_perspectives_shipped.py."""
import pytest

from atlas.analysis import perspectives
from tests.conftest import add_source, load_corpus, minimal_records, write_corpus

SECOND = "Second Source\n\nTrucks took the road through Laçın again.\n\nStepanakert saw them pass. It reopened later.\n"


def claim(cid: str, actor: str, issue: str, stance: str, quote: str, source: str = "mini", **extra) -> dict:
    return {"id": cid, "actor": actor, "issue": issue, "stance": stance, "summary": f"{actor} {stance}.",
            "citations": [{"source": source, "quote": quote}], **extra}


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    records = minimal_records()
    records["claims"] += [
        claim("a-claims-again", "Armenia", "lachin-road", "opposes", "Alpha appears again here."),
        claim("iran-for", "Iran", "zangezur-route", "supports", "and it goes on"),
        claim("iran-against", "Iran", "zangezur-route", "opposes", "It reopened later.", source="second"),
        claim("us-csto", "US", "csto-membership", "conditional", "Trucks took the road", source="second", reported_by="Russia"),
        claim("ru-csto", "Russia", "csto-membership", "supports", "14 December 2022"),
    ]
    records["places"].append({"id": "lachin", "names": {"international": "Lachin", "armenian": "Berdzor", "azerbaijani": "Laçın"},
                              "lon": 46.5, "lat": 39.6, "country": "AZE", "coord_status": "confirmed", "coord_source": "test",
                              "citations": [{"source": "second", "quote": "Laçın"}]})
    records["places"].append({"id": "khankendi", "names": {"international": "Stepanakert / Khankendi", "armenian": "Stepanakert",
                                                           "azerbaijani": "Xankəndi"},
                              "lon": 46.75, "lat": 39.8, "country": "AZE", "coord_status": "confirmed", "coord_source": "test",
                              "citations": [{"source": "second", "quote": "Stepanakert saw them pass."}]})
    root = write_corpus(tmp_path_factory.mktemp("perspectives") / "data", records=records)
    return load_corpus(add_source(root, "second", SECOND))


def test_matrix_cells_hold_every_claim_once_with_the_cells_stance(ds):
    cells = perspectives.matrix(ds)
    assert sum(len(c.claims) for c in cells.values()) == len(perspectives.claims(ds)) == 6
    assert {k: c.stance for k, c in cells.items()} == {
        ("lachin-road", "Armenia"): "opposes",  # two claims, one stance
        ("zangezur-route", "Iran"): "mixed",  # two claims that disagree
        ("csto-membership", "US"): "conditional", ("csto-membership", "Russia"): "supports"}
    assert [c.id for c in cells[("lachin-road", "Armenia")].claims] == ["a-claims", "a-claims-again"]


def test_relayed_cells_are_marked(ds):
    cells = perspectives.matrix(ds)
    assert cells[("csto-membership", "US")].relayed
    assert not cells[("csto-membership", "Russia")].relayed and not cells[("zangezur-route", "Iran")].relayed


def test_issues_and_actors_come_most_claimed_first(ds):
    assert perspectives.issues(ds) == ["lachin-road", "zangezur-route", "csto-membership"]
    assert perspectives.actors(ds) == ["Armenia", "Iran", "Russia", "US"]  # ties alphabetical


def test_each_source_tells_an_issue_in_its_own_quotes(ds):
    tellings = perspectives.by_source(ds, "zangezur-route")
    assert set(tellings) == {"mini", "second"}
    assert [(c.id, [x.quote for x in cits]) for c, cits in tellings["mini"]] == [("iran-for", ["and it goes on"])]
    assert [(c.id, [x.quote for x in cits]) for c, cits in tellings["second"]] == [("iran-against", ["It reopened later."])]
    assert perspectives.by_source(ds, "no-such-issue") == {"mini": [], "second": []}


def test_contested_names_report_names_found_verbatim(ds):
    rows = {r["record"].id: r for r in perspectives.contested_names(ds)}
    assert set(rows) == {"lachin", "khankendi"}  # alpha has no Azerbaijani name: nothing contested
    assert rows["lachin"]["names"]["azerbaijani"] == "Laçın"
    assert rows["lachin"]["found"] == {"Laçın": ["second"]}  # Berdzor and Lachin occur in no source


def test_contested_names_find_each_form_of_a_two_form_label(ds):
    rows = {r["record"].id: r for r in perspectives.contested_names(ds)}
    assert rows["khankendi"]["found"] == {"Stepanakert": ["second"]}


def test_labels_and_stance_symbols(ds):
    assert perspectives.issue_label(ds, "zangezur-route") == "Zangezur route"  # no atlas.yaml here: the slug, spaced
    assert perspectives.issue_label(ds, "some-new-issue") == "Some new issue"  # (atlas.yaml's labels: test_settings.py)
    symbols = [s for s, _ in perspectives.STANCES.values()]
    assert len(set(symbols)) == len(symbols)  # colour is never the only carrier of a stance


def test_source_titles_count_the_tail_instead_of_listing_it(ds):
    ids = list(ds.sources)
    assert perspectives.source_titles(ds, ids, 10) == "Mini, Second"
    assert perspectives.source_titles(ds, ids, 1) == "Mini and 1 more"


def test_records_by_kind_and_position_are_indexed(ds):
    corridors = ds.of_kind("place")
    assert [c.id for c in corridors] == ["alpha", "beta", "lachin", "khankendi"]
    assert [ds.position(c.id) for c in corridors] == list(range(len(corridors)))
    assert ds.position("no-such-record") == -1

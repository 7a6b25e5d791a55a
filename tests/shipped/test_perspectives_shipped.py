"""The perspectives views on the shipped corpus: facts about its claims and names that the corpus-free tests
(tests/test_perspectives.py) cannot know."""
import pytest

from atlas.analysis import perspectives
from atlas.core.load import load_or_raise


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


def test_every_claim_sits_in_one_cell(ds):
    cells = perspectives.matrix(ds)
    assert sum(len(c.claims) for c in cells.values()) == len(perspectives.claims(ds))
    iran = cells[("zangezur-route", "Iran")]
    assert iran.stance == "mixed" and len({c.stance for c in iran.claims}) > 1


def test_the_us_stance_on_the_csto_is_relayed(ds):
    us_csto = perspectives.matrix(ds)[("csto-membership", "US")]
    assert us_csto.relayed and all(c.reported_by for c in us_csto.claims)


def test_two_sources_speak_to_the_zangezur_route(ds):
    tellings = perspectives.by_source(ds, "zangezur-route")
    assert tellings["scfr-kaleji-interview"] and tellings["avim-security-balance-2023"]


def test_contested_names_of_the_shipped_places(ds):
    rows = {r["record"].id: r for r in perspectives.contested_names(ds)}
    assert rows["khankendi"]["names"]["azerbaijani"] == "Xankəndi"
    assert "Laçın" in rows["lachin"]["found"]  # the AVİM footnote uses the Turkish/Azerbaijani spelling
    assert rows["khankendi"]["found"] == {"Khankendi": ["avim-security-balance-2023"]}
    for r in rows.values():
        for name, sources in r["found"].items():
            assert all(name in ds.texts[s].text for s in sources)


def test_issue_labels_come_from_atlas_yaml(ds):
    assert perspectives.issue_label(ds, "3plus3-format") == "3+3 format"  # atlas.yaml's label, not the slug spaced

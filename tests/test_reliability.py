"""Reliability: Cohen's kappa on hand-computed cases, the pairing of codings, the second-coding and adjudication files
(validated like every data file), the command and the page section."""
import subprocess
import sys

import pytest
import yaml

from atlas.analysis import reliability
from atlas.analysis.reliability import Code, compare, kappa
from atlas.core.load import load_dataset, load_or_raise
from tests.conftest import REPO, minimal_records, shipped, write_corpus

# --- Cohen's kappa, by hand --------------------------------------------------------------------------------------

def test_kappa_two_categories():
    a = list("YYYYYYNNNN")
    b = list("YYYYYNNNNY")
    # agree on 8 of 10: p_o = 0.8. Each coder says Y 6 times: p_e = 0.6*0.6 + 0.4*0.4 = 0.52.
    # kappa = (0.8 - 0.52) / (1 - 0.52) = 0.28 / 0.48 = 0.5833
    got = kappa(list(zip(a, b, strict=True)))
    assert (got.units, got.agree, got.percent) == (10, 8, 80.0)
    assert got.kappa == pytest.approx(0.28 / 0.48)


def test_kappa_three_categories():
    a, b = list("aabbcc"), list("abbbca")
    # agree at positions 0, 2, 3, 4: p_o = 4/6. Shares: first a,b,c = 2/6 each; second a 2/6, b 3/6, c 1/6.
    # p_e = (2*2 + 2*3 + 2*1) / 36 = 1/3; kappa = (2/3 - 1/3) / (2/3) = 0.5
    assert kappa(list(zip(a, b, strict=True))).kappa == pytest.approx(0.5)


def test_kappa_perfect_and_opposite():
    assert kappa([("x", "x"), ("y", "y")]).kappa == 1.0
    # never agree, each coder half and half: p_o = 0, p_e = 0.5, kappa = -1
    assert kappa([("Y", "N"), ("N", "Y")]).kappa == -1.0


def test_kappa_is_undefined_when_both_coders_use_one_category():
    # p_e = 1*1 = 1: (p_o - p_e) / (1 - p_e) is 0/0. Reported as undefined with its reason, never as a number;
    # the agreement itself (100%) is still reported.
    got = kappa([(False, False)] * 5)
    assert got.kappa is None and got.percent == 100.0 and "same value, no" in got.undefined
    assert reliability.kappa_text(got) == "undefined"
    empty = kappa([])
    assert empty.kappa is None and empty.percent is None and empty.undefined == "no units to compare"


def test_one_coder_constant_the_other_not_is_defined_and_zero():
    # first coder always Y; second Y, N: p_o = 0.5, p_e = 1*0.5 + 0*0.5 = 0.5, kappa = 0
    assert kappa([("Y", "Y"), ("Y", "N")]).kappa == 0.0


# --- Pairing and the fields --------------------------------------------------------------------------------------

def c(partner, cameo, direction, non_state=False):
    return Code(partner, direction, cameo, non_state)


SHIPPED = {"e1": [c("Russia", "042", "toward")], "e2": [],
           "e3": [c("CSTO", "111", "away"), c("Russia", "111", "away")], "e4": [c("US", "057", "toward")]}
SECOND = {"e1": [c("Russia", "043", "toward")], "e2": [c("Russia", "042", "toward")],
          "e3": [c("Russia", "111", "away"), c("EU", "028", "toward")], "e4": [c("US", "057", "toward"), c("EU", "057", "toward")]}


def test_fields_on_a_hand_made_comparison():
    figures, found = compare(SHIPPED, SECOND)
    f = {a.field: a for a in figures}
    # coded or not: e2 differs: 3 of 4
    assert (f["coded"].units, f["coded"].agree) == (4, 3)
    # partner, over e1, e3, e4 (both coded): (Russia, Russia), (Russia, Russia), (CSTO, EU) left over and paired,
    # (US, US), ((none), EU): 3 of 5. Shares: first R 2, CSTO 1, US 1, none 1; second R 2, EU 2, US 1.
    # p_e = (2*2 + 1*1) / 25 = 0.2; kappa = (0.6 - 0.2) / 0.8 = 0.5
    assert (f["partner"].units, f["partner"].agree) == (5, 3) and f["partner"].kappa == pytest.approx(0.5)
    # matched pairs: e1 Russia, e3 Russia, e4 US. Direction all equal, toward 2/3 and away 1/3 each: kappa 1
    assert (f["direction"].units, f["direction"].agree, f["direction"].kappa) == (3, 3, 1.0)
    # CAMEO exact: 042/043 differ: p_o = 2/3; p_e = (1*1 [111] + 1*1 [057]) / 9 = 2/9; kappa = (4/9) / (7/9) = 4/7
    assert f["cameo"].agree == 2 and f["cameo"].kappa == pytest.approx(4 / 7)
    # CAMEO root: 04/04, 11/11, 05/05: all agree, three categories: kappa 1
    assert (f["cameo_root"].agree, f["cameo_root"].kappa) == (3, 1.0)
    # non-state: all False on both sides: undefined
    assert f["non_state"].kappa is None and f["non_state"].agree == 3
    keys = {(d.event, d.field, d.partner, d.shipped, d.second) for d in found}
    assert keys == {("e2", "coded", None, "not coded", "Russia 042 toward"),
                    ("e1", "cameo", "Russia", "042", "043"),
                    ("e3", "partner", "CSTO", "CSTO 111 away", "EU 028 toward"),
                    ("e4", "partner", "EU", "(none)", "EU 057 toward")}


def test_events_one_side_did_not_code_are_left_out():
    figures, _ = compare({"e1": [], "only-shipped": []}, {"e1": [], "only-second": []})
    assert figures[0].units == 1


# --- The files ---------------------------------------------------------------------------------------------------

def corpus_with(tmp_path, second: dict | None = None, adjudication: dict | None = None, events=None):
    recs = minimal_records()
    if events is not None:
        recs["events"] = events
    root = write_corpus(tmp_path / "data", records=recs)
    (root / "atlas.yaml").write_text("partners: [{name: Russia}, {name: US}]\n", encoding="utf-8")  # partners are checked
    (root / "reliability").mkdir()
    if second is not None:
        (root / reliability.SECOND_FILE).write_text(yaml.safe_dump(second, allow_unicode=True, sort_keys=False),
                                                    encoding="utf-8")
    if adjudication is not None:
        (root / reliability.ADJUDICATION_FILE).write_text(yaml.safe_dump(adjudication, allow_unicode=True, sort_keys=False),
                                                          encoding="utf-8")
    return root


def second(events):
    return {"coder": "test coder", "coded_on": "2026-12-01", "rules": "data/README.md", "events": events}


def test_a_corpus_without_a_second_coding_is_valid_and_reports_none(corpus):
    ds = load_or_raise(corpus)
    assert reliability.report(ds) is None and reliability.problems(ds) == []


def test_a_valid_second_coding_loads(tmp_path):
    root = corpus_with(tmp_path, second([{"id": "road-closed", "coded": True, "codings": [
        {"partner": "Russia", "direction": "away", "cameo": "043", "non_state": False, "rationale": "r"}],
        "doubt": "042 or 043"}]))
    rel = reliability.report(load_or_raise(root))
    assert rel.events == 1 and rel.coder == "test coder" and rel.not_second_coded == []
    d = rel.disagreements
    assert [(x.event, x.field, x.shipped, x.second, x.doubt) for x in d] == [("road-closed", "cameo", "042", "043", "042 or 043")]
    assert reliability.disagreement_rows(rel)[0]["ruling"] == "not adjudicated yet"


@pytest.mark.parametrize("bad,expected", [
    ({"id": "no-such-event", "coded": False}, "event 'no-such-event' does not exist"),
    ({"id": "alpha", "coded": False}, "event 'alpha' is a place"),
    ({"id": "road-closed", "coded": True, "codings": [{"partner": "Narnia", "direction": "away", "cameo": "042"}]},
     "field 'codings.0.partner'"),
    ({"id": "road-closed", "coded": True, "codings": [{"partner": "Russia", "direction": "away", "cameo": "999"}]},
     "CAMEO code '999' is not in cameo.csv"),
    ({"id": "road-closed", "coded": True, "codings": [{"partner": "Russia", "direction": "sideways", "cameo": "042"}]},
     "field 'codings.0.direction'"),
    ({"id": "road-closed", "coded": False, "codings": [{"partner": "Russia", "direction": "away", "cameo": "042"}]},
     "coded is false but codings are given"),
    ({"id": "road-closed", "coded": True}, "coded is true but no codings are given"),
    ({"id": "road-closed", "coded": True, "codings": [{"partner": "Russia", "direction": "away", "cameo": "042"},
                                                       {"partner": "Russia", "direction": "away", "cameo": "043"}]},
     "more than one coding for Russia"),
    ({"id": "road-closed", "coded": False, "colour": "red"}, "field 'colour'"),
])
def test_a_bad_second_coding_gives_one_readable_problem_naming_file_and_record(tmp_path, bad, expected):
    root = corpus_with(tmp_path, second([bad]))
    ds, problems = load_dataset(root)
    text = [str(p) for p in problems]
    assert any(expected in t for t in text), text
    assert all(t.startswith("reliability/second-coding.yaml: ") for t in text)
    assert any("(line " in t for t in text)


def test_a_second_coding_without_its_header_or_events_is_a_problem(tmp_path):
    root = corpus_with(tmp_path, {"events": []})
    problems = [str(p) for p in load_dataset(root)[1]]
    assert any("field 'coder'" in p for p in problems) and any("field 'coded_on'" in p for p in problems)
    (root / reliability.SECOND_FILE).write_text("- just a list\n", encoding="utf-8")
    assert any("not a mapping" in str(p) for p in load_dataset(root)[1])
    (root / reliability.SECOND_FILE).write_text("coder: [unclosed\n", encoding="utf-8")
    assert any("invalid YAML" in str(p) for p in load_dataset(root)[1])


def test_the_same_event_twice_is_a_problem(tmp_path):
    root = corpus_with(tmp_path, second([{"id": "road-closed", "coded": False}, {"id": "road-closed", "coded": False}]))
    assert any("coded twice" in str(p) for p in load_dataset(root)[1])


def adjudication(rulings, corrections=()):
    return {"adjudicator": "test", "adjudicated_on": "2026-12-02", "rulings": list(rulings), "corrections": list(corrections)}


def test_rulings_and_corrections(tmp_path):
    # the shipped coding is now Russia 043 (corrected); it was 042 when the second coder (043) worked
    recs = minimal_records()["events"]
    recs[0]["alignment"][0]["cameo"] = "043"
    root = corpus_with(tmp_path, second([{"id": "road-closed", "coded": True, "codings": [
        {"partner": "Russia", "direction": "away", "cameo": "043"}]}]), adjudication(
        [{"event": "road-closed", "field": "cameo", "partner": "Russia", "stands": "second", "note": "the visit was hosted"}],
        [{"event": "road-closed", "was": [{"partner": "Russia", "cameo": "042", "direction": "away"}], "note": "042 to 043"}]),
        events=recs)
    rel = reliability.report(load_or_raise(root))
    cameo = {a.field: a for a in rel.blind}["cameo"]
    assert (cameo.units, cameo.agree) == (1, 0)  # blind: against the coding as it was
    assert {a.field: a for a in rel.now}["cameo"].agree == 1  # now: after the correction
    row = reliability.disagreement_rows(rel)[0]
    assert row["ruling"] == "second coding stands; events.yaml corrected" and row["why"] == "the visit was hosted"


def test_a_ruling_on_a_disagreement_that_does_not_exist_is_a_problem(tmp_path):
    root = corpus_with(tmp_path, second([{"id": "road-closed", "coded": True, "codings": [
        {"partner": "Russia", "direction": "away", "cameo": "042"}]}]), adjudication(
        [{"event": "road-closed", "field": "direction", "partner": "Russia", "stands": "shipped", "note": "n"}]))
    problems = [str(p) for p in load_dataset(root)[1]]
    assert len(problems) == 1 and problems[0].startswith("reliability/adjudication.yaml: road-closed: the ruling on direction")


def test_an_adjudication_without_a_second_coding_is_a_problem(tmp_path):
    root = corpus_with(tmp_path, None, adjudication([]))
    assert any("no reliability/second-coding.yaml" in str(p) for p in load_dataset(root)[1])


# --- The shipped files, the command, the page ---------------------------------------------------------------------

@shipped
def test_the_shipped_second_coding_meets_the_target():
    rel = reliability.report(load_or_raise())
    assert rel is not None and rel.events == len(load_or_raise().of_kind("event")) and not rel.not_second_coded
    for a in rel.blind:
        assert a.kappa is None or a.kappa >= 0.8, (a.field, a.kappa)
    assert all(reliability.disagreement_rows(rel)[i]["ruling"] != "not adjudicated yet" for i in range(len(rel.disagreements)))


def run(*args):
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_the_reliability_command(tmp_path, corpus):
    shipped = run("reliability")
    assert shipped.returncode == 0, shipped.stderr
    for field in ("coded or not", "partner", "direction", "CAMEO exact", "CAMEO root"):
        assert f"  {field}" in shipped.stdout
    assert "Disagreements:" in shipped.stdout
    none = run("reliability", "--data-dir", str(corpus))
    assert none.returncode == 0 and "No second coding" in none.stdout
    root = corpus_with(tmp_path, second([{"id": "road-closed", "coded": True, "codings": [
        {"partner": "Russia", "direction": "away", "cameo": "043"}]}]))
    mine = run("reliability", "--data-dir", str(root))
    assert "road-closed: CAMEO exact [Russia]: shipped 042 | second 043" in mine.stdout
    assert "non-state          1      1     100.0%  undefined" in mine.stdout
    (root / reliability.SECOND_FILE).write_text("coder: x\n", encoding="utf-8")
    broken = run("reliability", "--data-dir", str(root))
    assert broken.returncode == 1 and "reliability/second-coding.yaml" in broken.stderr
    assert run("validate", "--data-dir", str(root)).returncode == 1


@shipped
def test_the_page_shows_the_figures_and_each_ruling(monkeypatch):
    from tests.test_pages import html_of, run_page

    at = run_page("alignments", monkeypatch=monkeypatch)
    assert not at.exception
    html = html_of(at)
    assert "Agreement between the two codings" in html and "CAMEO root" in html
    assert "un-security-council-lachin-2022" in html and "second coding stands" in html


def test_the_page_says_when_there_is_no_second_coding(corpus, monkeypatch):
    from tests.test_pages import run_page

    at = run_page("alignments", data_dir=corpus, monkeypatch=monkeypatch)
    assert not at.exception and any("No second coding exists" in i.value for i in at.info)

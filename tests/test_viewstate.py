"""Typed view state: parse(serialise(s)) == s for every valid state, and garbage in any parameter is a notice and
that parameter's default, never an exception. Runs on a small corpus built here, with its own months and lists."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.analysis.alignment import WEIGHTS
from atlas.analysis.search import kinds as search_kinds
from atlas.core import geo
from atlas.views import viewstate as vs
from atlas.views.figures import LAYERS, NAME_USAGES

MONTHS = geo.months("2021-03", "2022-11")  # not the shipped period: the states take their months as given
ALL_PARTNERS = ["CSTO", "EU", "Russia", "US"]
DEFAULT_PARTNERS = ["Russia", "US"]
OPTIONS = {"partner": ["CSTO", "Russia"], "tag": ["corridor", "war"], "source": ["mini", "second"], "actor": ["Armenia", "Azerbaijan"]}
ISSUES, ACTORS = ["zangezur-route", "lachin-road"], ["Iran", "Armenia"]
N_STEPS = 7
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# Each page: how to parse with this corpus's context, and the parameters it reads.
PARSERS = {
    "home": (lambda p, ds: vs.HomeState.parse(p, ds), ["focus"]),
    "about": (lambda p, ds: vs.AboutState.parse(p, ds), ["focus"]),
    "map": (lambda p, ds: vs.MapState.parse(p, ds, MONTHS), ["focus", "date", "layers", "names"]),
    "alignments": (lambda p, ds: vs.AlignmentsState.parse(p, ds, MONTHS, DEFAULT_PARTNERS, ALL_PARTNERS),
                   ["partners", "weights", "from", "to", "halflife", "reported", "sources", "view", "focus", "nonstate", "envelope"]),
    "events": (lambda p, ds: vs.EventsState.parse(p, ds, OPTIONS, MONTHS),
               ["q", "partner", "tag", "source", "actor", "from", "to", "focus"]),
    "perspectives": (lambda p, ds: vs.PerspectivesState.parse(p, ds, ISSUES, ACTORS), ["issue", "actor", "focus"]),
    "sources": (lambda p, ds: vs.SourcesState.parse(p, ds), ["source", "passage", "quote", "focus"]),
    "brief": (lambda p, ds: vs.BriefState.parse(p, ds, N_STEPS), ["step", "focus"]),
    "search": (lambda p, ds: vs.SearchState.parse(p, ds), ["q", "kind", "focus"]),
}
TEXT_PARAMS = {"q"}  # any text is a query: too long is cut, with a notice


def subset(items: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    """An ordered choice from a list, as every list parameter keeps the list's order."""
    return st.lists(st.booleans(), min_size=len(items), max_size=len(items)).map(
        lambda keep: tuple(x for x, k in zip(items, keep, strict=True) if k))


def quoted(ds, source: str, passage: int) -> st.SearchStrategy[str]:
    """Words of the passage, exactly as stored: any non-empty stretch of its text."""
    text = ds.texts[source]
    p = text.passages[passage - 1]
    raw = text.text[p.start:p.end]
    return st.tuples(st.integers(0, len(raw) - 1), st.integers(1, len(raw))).map(
        lambda r: raw[min(r[0], len(raw) - 1):][:r[1]])


def month_range() -> st.SearchStrategy[tuple[str, str]]:
    return st.tuples(st.sampled_from(MONTHS), st.sampled_from(MONTHS)).map(lambda r: tuple(sorted(r)))


def valid_states(page: str, ds) -> st.SearchStrategy:
    """Every state `parse` can return on this corpus, built from the default by replacing fields."""
    default = PARSERS[page][0]({}, ds)[0]
    of_kind = {kind: [r.id for r in ds.records.values() if r.kind == kind] for kind in ("term", "event", "claim")}
    if page == "home":
        return st.just(default)
    if page == "about":
        return st.builds(lambda f: replace(default, focus=f), st.sampled_from([None, *of_kind["term"]]))
    if page == "map":
        mappable = [r.id for r in ds.records.values() if r.kind in ("place", "corridor", "area", "event")]
        return st.builds(lambda d, la, n, f: replace(default, date=d, layers=la, names=n, focus=f),
                         st.sampled_from(MONTHS), subset(list(LAYERS)), st.sampled_from(list(NAME_USAGES)),
                         st.sampled_from([None, *mappable]))
    if page == "alignments":
        return st.builds(
            lambda pa, r, w, h, rep, ns, env, so, v, f: replace(
                default, partners=pa, first=r[0], last=r[1], weights=w, halflife=h, reported=rep, nonstate=ns, envelope=env,
                sources=so, view=v, focus=f),
            subset(ALL_PARTNERS), month_range(), st.sampled_from(list(WEIGHTS)), st.sampled_from(list(vs.HALF_LIVES)),
            st.booleans(), st.booleans(), st.booleans(), subset(list(ds.sources)).filter(bool),
            st.sampled_from(vs.ALIGNMENT_VIEWS), st.sampled_from([None, *of_kind["event"]]))
    if page == "events":
        return st.builds(
            lambda q, r, pa, tag, so, ac, f: replace(default, q=q, first=r[0], last=r[1], partner=pa, tag=tag, source=so,
                                                     actor=ac, focus=f),
            st.text(max_size=vs.MAX_PARAM), month_range(), *(subset(OPTIONS[n]) for n in vs.EVENT_FILTERS),
            st.sampled_from([None, *of_kind["event"]]))
    if page == "perspectives":
        free = st.builds(lambda i, a: replace(default, issue=i, actor=a), st.sampled_from(ISSUES), st.sampled_from([None, *ACTORS]))
        focused = st.sampled_from(of_kind["claim"]).map(
            lambda c: replace(default, issue=ds.records[c].issue, actor=ds.records[c].actor, focus=c))
        return st.one_of(free, focused)
    if page == "sources":
        return st.sampled_from(list(ds.sources)).flatmap(lambda s: st.one_of(
            st.builds(lambda p: replace(default, source=s, passage=p),
                      st.one_of(st.none(), st.integers(1, len(ds.texts[s].passages)))),
            st.integers(1, len(ds.texts[s].passages)).flatmap(lambda p: quoted(ds, s, p).map(
                lambda q: replace(default, source=s, passage=p, quote=q)))))
    if page == "brief":
        return st.builds(lambda n: replace(default, step=n), st.integers(1, N_STEPS))
    if page == "search":
        return st.builds(lambda q, k: replace(default, q=q, kind=k), st.text(max_size=vs.MAX_PARAM),
                         st.sampled_from([None, *search_kinds()]))
    raise AssertionError(page)


@pytest.mark.parametrize("page", sorted(PARSERS))
def test_every_valid_state_survives_its_link(page, mini_ds):
    parse = PARSERS[page][0]

    @SETTINGS
    @given(valid_states(page, mini_ds))
    def check(state):
        params = state.serialise()
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
        assert set(params) <= set(PARSERS[page][1])
        again, notices = parse(params, mini_ds)
        assert (again, list(notices)) == (state, [])

    check()


GARBAGE = st.one_of(
    st.text(max_size=300), st.integers(-10**40, 10**40).map(str), st.text("0123456789-", max_size=40),
    st.sampled_from(["", " ", ",", "None", "1e3", "٣", "2022-13", "2019-12", "<script>alert(1)</script>", "[x](javascript:1)",
                     "🙂" * 500, "\u202e", "x" * 5000, "road-closed,", "a-claims ", " 2 "]))


@pytest.mark.parametrize("page", sorted(PARSERS))
def test_garbage_in_one_parameter_is_a_notice_and_its_default(page, mini_ds):
    parse, names = PARSERS[page]
    default, _ = parse({}, mini_ds)

    @SETTINGS
    @given(st.sampled_from(names), GARBAGE)
    def check(name, value):
        state, notices = parse({name: value}, mini_ds)
        assert all(isinstance(n, str) and len(n) < 700 for n in notices)
        assert parse(state.serialise(), mini_ds) == (state, [])  # whatever was read is a valid state
        if name in TEXT_PARAMS:
            assert getattr(state, name) == value[:vs.MAX_PARAM] and bool(notices) == (len(value) > vs.MAX_PARAM)
        elif notices and "," not in value:  # a list keeps the items it knows: only a single unknown item falls back
            assert state == default, (name, value, notices)

    check()


@pytest.mark.parametrize("page", sorted(PARSERS))
def test_garbage_in_every_parameter_at_once_never_raises(page, mini_ds):
    parse, names = PARSERS[page]

    @SETTINGS
    @given(st.dictionaries(st.sampled_from(names), GARBAGE, max_size=len(names)))
    def check(params):
        state, notices = parse(params, mini_ds)
        assert parse(state.serialise(), mini_ds) == (state, [])

    check()


def test_context_fields_are_not_part_of_the_value(mini_ds):
    a, _ = vs.MapState.parse({}, mini_ds, MONTHS)
    b, _ = vs.MapState.parse({"date": MONTHS[-1]}, mini_ds, MONTHS)
    assert a == b and a.date == "2022-11" and a.serialise() == {} and "months" not in repr(a)
    later, notices = vs.MapState.parse({"date": "2025-08"}, mini_ds, geo.months("2020-01", "2025-12"))
    assert later.date == "2025-08" and not notices  # the period is whatever the caller's months say


def test_a_drawn_map_view_links_back_to_its_state(mini_ds):
    """MapState.of_view: the state behind a view the controls changed (the text alternative's links), parameter for
    parameter what parse reads, with the dataset's own months and layers as defaults."""
    months = geo.period_months(mini_ds)
    for params in ({}, {"date": months[0], "layers": "places,corridors", "names": "russian"}, {"layers": "", "focus": "alpha"}):
        state, _ = vs.MapState.parse(params, mini_ds, months)
        again = vs.MapState.of_view(mini_ds, state.view())
        assert again == state and again.serialise() == state.serialise()
    shuffled = vs.MapState.of_view(mini_ds, replace(state.view(), layers=("places", "areas"), focus=None, date=""))
    assert shuffled.serialise() == {"layers": "areas,places"} and shuffled.date == months[-1]


def test_default_states_serialise_to_no_parameters(mini_ds):
    for page, (parse, _) in PARSERS.items():
        state, notices = parse({}, mini_ds)
        assert state.serialise() == {} and not notices, page


def test_each_parameter_keeps_its_meaning(mini_ds):
    """The URL contract of each page, read as before (README's page table)."""
    m, n = vs.MapState.parse({"date": "2022-01", "layers": "places, corridors,bogus", "names": "armenian", "focus": "alpha"},
                             mini_ds, MONTHS)
    assert (m.date, m.layers, m.names, m.focus) == ("2022-01", ("corridors", "places"), "armenian", "alpha")
    assert n == ["Unknown layer(s) bogus; known layers: " + ", ".join(LAYERS) + "."]
    assert m.view().layers == ("corridors", "places") and vs.MapState.parse({"layers": ""}, mini_ds, MONTHS)[0].layers == ()
    assert vs.MapState.parse({"layers": "bogus"}, mini_ds, MONTHS)[0].layers == tuple(LAYERS)

    a, n = vs.AlignmentsState.parse({"partners": "US,CSTO", "from": "2022-02", "to": "2021-05", "sources": "second",
                                     "halflife": "12", "reported": "0", "view": "heatmap", "focus": "road-closed"},
                                    mini_ds, MONTHS, DEFAULT_PARTNERS, ALL_PARTNERS)
    assert (a.partners, a.first, a.last, a.sources, a.halflife, a.reported, a.view, a.focus) == (
        ("CSTO", "US"), MONTHS[0], MONTHS[-1], ("second",), "12", False, "heatmap", "road-closed")
    assert n == ["'from' (2022-02) is after 'to' (2021-05); showing the whole period."] and a.options_changed
    assert vs.AlignmentsState.parse({"partners": ""}, mini_ds, MONTHS, DEFAULT_PARTNERS, ALL_PARTNERS)[0].partners == ()
    assert vs.AlignmentsState.parse({"sources": ""}, mini_ds, MONTHS, DEFAULT_PARTNERS, ALL_PARTNERS)[0].sources == ("mini", "second")

    e, n = vs.EventsState.parse({"q": "road", "tag": "war,corridor", "focus": "alpha"}, mini_ds, OPTIONS, MONTHS)
    assert (e.q, e.tag, e.focus) == ("road", ("corridor", "war"), None)
    assert n == ["'Alpha' is a place; this page does not show places."] and n.elsewhere is mini_ds.records["alpha"]

    p, n = vs.PerspectivesState.parse({"issue": "zangezur-route", "actor": "Iran", "focus": "a-claims"}, mini_ds, ISSUES, ACTORS)
    assert (p.issue, p.actor, p.focus) == ("lachin-road", "Armenia", "a-claims") and not n  # a claim opens its cell

    s, n = vs.SourcesState.parse({"source": "second", "passage": "3", "focus": "road"}, mini_ds)
    assert (s.source, s.passage) == ("second", 3) and n.elsewhere.id == "road" and len(n) == 1
    s, n = vs.SourcesState.parse({"source": "second", "passage": "4"}, mini_ds)
    assert s.passage is None and n == ["This source has passages 1–3, not 4; showing the whole source."]
    s, n = vs.SourcesState.parse({"source": "second", "quote": "reopened later"}, mini_ds)  # the passage that holds it
    assert (s.passage, s.quote, n) == (3, "reopened later", [])
    at = mini_ds.texts["second"].text.index("reopened later")
    assert vs.quote_spans(mini_ds, "second", 3, "reopened later") == [(at, at + len("reopened later"))]
    s, n = vs.SourcesState.parse({"source": "second", "passage": "2", "quote": "Reopened later"}, mini_ds)
    assert (s.passage, s.quote) == (2, None) and len(n) == 1 and "match exactly" in n[0]  # capitals count
    s, n = vs.SourcesState.parse({"source": "second", "quote": "not in it"}, mini_ds)
    assert (s.passage, s.quote) == (None, None) and "do not occur in this source" in n[0]

    assert vs.BriefState.parse({"step": " 3 "}, mini_ds, N_STEPS) == (vs.BriefState(3), [])
    assert vs.BriefState.parse({"step": "9"}, mini_ds, 0) == (vs.BriefState(1), [])  # no brief: nothing to say
    assert vs.SearchState.parse({"q": "Alpha", "kind": "passage"}, mini_ds) == (vs.SearchState("Alpha", "passage"), [])
    assert vs.AboutState.parse({"focus": "road"}, mini_ds) == (vs.AboutState("road"), [])
    home, n = vs.HomeState.parse({"focus": "road"}, mini_ds)
    assert home == vs.HomeState() and n.elsewhere.id == "road"


def test_a_record_page_state_survives_its_link_and_says_what_is_missing(mini_ds):
    for rid in mini_ds.records:
        state, notices = vs.RecordState.parse({"id": rid}, mini_ds)
        assert (state, notices) == (vs.RecordState(rid), []) and vs.RecordState.parse(state.serialise(), mini_ds)[0] == state
    for params in ({}, {"id": " "}, {"id": "<b>nope</b>" * 100}):
        state, notices = vs.RecordState.parse(params, mini_ds)
        assert state == vs.RecordState() and state.serialise() == {} and len(notices) == 1 and len(notices[0]) < 700

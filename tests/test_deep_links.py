"""Property-based deep links: any value in any parameter of any page gives a page, never an exception."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.views.viewstate import parse_list_page
from tests.conftest import shipped
from tests.test_pages import PAGES, run_page

PARAMS = {
    "home": ["focus"], "map": ["focus", "date", "layers", "names"],
    "alignments": ["partners", "weights", "from", "to", "halflife", "reported", "sources", "view", "focus", "nonstate",
                   "envelope"],
    "events": ["q", "partner", "tag", "source", "actor", "from", "to", "focus"],
    "perspectives": ["issue", "actor", "focus", "claims_page", "sources_page", "names_page"], "sources": ["source", "passage", "focus"], "about": ["focus"],
    "brief": ["step", "focus"], "search": ["q", "kind", "page", "focus"],
}
NASTY = st.sampled_from(["", " ", "0", "-1", "1e9", "2022-13", "2019-12", "None", "null", "[]", "{}", ",", ",,,", "%",
                         "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
                         "lachin-road", "yerevan", "csto", "Russia,CSTO", "ß∂ƒ©", "🙂", "\u202e", "a" * 3000, "../..",
                         "2022-09", "heatmap", "equal", "12", "1", "step", "passage", "event", "Berdzor"])
VALUES = st.one_of(NASTY, st.text(max_size=60), st.integers(-10**6, 10**6).map(str))


@shipped
@pytest.mark.parametrize("page", sorted(PAGES))
def test_any_parameters_give_a_page_not_an_exception(page, monkeypatch):
    @settings(max_examples=25, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.dictionaries(st.sampled_from(PARAMS[page]), VALUES, max_size=len(PARAMS[page])))
    def check(params):
        at = run_page(page, params, monkeypatch=monkeypatch)
        assert not at.exception, (page, params, [e.value for e in at.exception])
        for w in at.warning:  # a notice never echoes more than a clipped value
            assert len(w.value) < 1200

    check()


@pytest.mark.parametrize("raw,pages,expected,noticed", [
    (None, 3, 2, False), ("3", 3, 3, False), (" 1 ", 3, 1, False), ("4", 3, 2, True), ("0", 3, 2, True),
    ("x", 3, 2, True), ("1e3", 3, 2, True), ("7", 1, 2, False),
])
def test_list_page_parameter(raw, pages, expected, noticed):
    page, notice = parse_list_page(raw, pages, "claims", home=2)
    assert page == expected and (notice is not None) == noticed

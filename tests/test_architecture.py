"""House rules enforced by scanning the code."""
import ast
import re

import pytest

from tests.conftest import REPO


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_atlas_never_imports_streamlit_outside_ui():
    offenders = [str(p.relative_to(REPO)) for p in (REPO / "atlas").rglob("*.py")
                 if "ui" not in p.relative_to(REPO / "atlas").parts[:1]
                 and any(m == "streamlit" or m.startswith("streamlit.") for m in _imports(p))]
    assert offenders == []


def test_the_rule_above_would_catch_an_offender(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from streamlit import session_state\n")
    assert "streamlit" in list(_imports(bad))


def test_no_unsafe_allow_html_anywhere():
    # HTML from data goes through atlas.views.render (escaped) into st.html; markdown never renders raw HTML.
    hits = [str(p) for d in ("pages", "atlas", ".") for p in (REPO / d).glob("*.py" if d == "." else "**/*.py")
            if "unsafe_allow_html=True" in p.read_text(encoding="utf-8")]
    assert hits == []


TAG = re.compile(r"</?[a-zA-Z][\w:-]*(\s[^<>]*)?/?>|&[a-zA-Z]+;|&#\d+;")
MARKUP_CALLS = {"markdown", "html"}  # st.markdown, st.html, and the same on a column or container


def markup_offences(source: str, name: str) -> list[str]:
    """HTML in a page's string literals (f-string parts included), and st.markdown / st.html handed an f-string:
    a page composes; atlas.views.render writes every piece of markup and escapes what it interpolates."""
    out = []
    tree = ast.parse(source)
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body and isinstance(n.body[0], ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TAG.search(node.value) and id(node) not in docstrings:
            out.append(f"{name}:{node.lineno}: HTML in a string literal: {node.value[:60]!r}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MARKUP_CALLS:
            if any(isinstance(a, ast.JoinedStr) for a in [*node.args, *(k.value for k in node.keywords)]):
                out.append(f"{name}:{node.lineno}: {node.func.attr}() given an f-string; use a render builder")
    return out


def test_pages_hold_no_html_and_hand_no_f_string_to_markdown_or_html():
    offences = [o for page in [*(REPO / "pages").glob("*.py"), REPO / "dashboard.py"]
                for o in markup_offences(page.read_text(encoding="utf-8"), page.name)]
    assert offences == []


def test_atlas_ui_holds_no_html_either():
    # atlas/ui draws what atlas.views.render builds; it writes no markup of its own
    offences = [o for p in (REPO / "atlas" / "ui").glob("*.py") for o in markup_offences(p.read_text(encoding="utf-8"), p.name)]
    assert offences == []


# Plotly's rich text (<b>, <br> in hover labels and titles) and deck.gl's tooltip template are those libraries' own text
# formats, not page HTML: charts.py escapes every data value it puts there with render.esc, and Streamlit escapes each
# tooltip field as it fills the template.
CHART_MARKUP = {"charts.py", "figures.py"}


def test_all_html_is_written_in_the_one_html_module():
    offences = [o for p in (REPO / "atlas").rglob("*.py") if p.name != "render.py" and p.name not in CHART_MARKUP
                for o in markup_offences(p.read_text(encoding="utf-8"), str(p.relative_to(REPO)))]
    assert offences == []


@pytest.mark.parametrize("plant", [
    'st.html(f"<p>{claim.summary}</p>")',
    "st.html('<div class=\"x\">' + esc(claim.summary) + '</div>')",
    'col.markdown(f"{claim.summary}")',
    'st.markdown(f"**{claim.actor}**")',
    "x = '&amp;'",
])
def test_the_markup_rule_catches_a_plant(plant):
    assert markup_offences(f"import streamlit as st\n{plant}\n", "page.py")


def test_the_markup_rule_lets_plain_composition_pass():
    assert markup_offences('st.html(render.claim_rows(ds, claims, focus))\nst.caption("a < b and c > d")\n', "p.py") == []


def test_every_page_file_is_routed_by_the_dashboard():
    routed = set(re.findall(r'st\.Page\("(pages/[^"]+)"', (REPO / "dashboard.py").read_text()))
    assert routed == {f"pages/{p.name}" for p in (REPO / "pages").glob("*.py")}


def test_pages_never_call_st_stop():
    # In Streamlit 1.67 a page that calls st.stop() loses st.navigation and the app falls back to
    # running pages/ bare; dashboard.py draws the error page instead of the page.
    hits = [p.name for p in (REPO / "pages").glob("*.py") if "st.stop()" in p.read_text(encoding="utf-8")]
    assert hits == []

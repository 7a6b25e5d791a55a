"""House rules enforced by scanning the code."""
import ast
import re

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


def test_pages_do_not_build_html_from_raw_data_without_escaping():
    # every f-string handed to st.html in pages/ interpolates only render.* helpers or literals
    for page in (REPO / "pages").glob("*.py"):
        for m in re.finditer(r"\{([^{}]+)\}", page.read_text(encoding="utf-8")):
            expr = m.group(1)
            if expr.startswith(("ds.", "src.", "term.", "rec.")):
                raise AssertionError(f"{page.name}: raw data {{{expr}}} interpolated; wrap it in render.esc()")


def test_every_page_file_is_routed_by_the_dashboard():
    routed = set(re.findall(r'st\.Page\("(pages/[^"]+)"', (REPO / "dashboard.py").read_text()))
    assert routed == {f"pages/{p.name}" for p in (REPO / "pages").glob("*.py")}


def test_pages_never_call_st_stop():
    # In Streamlit 1.67 a page that calls st.stop() loses st.navigation and the app falls back to
    # running pages/ bare; dashboard.py draws the error page instead of the page.
    hits = [p.name for p in (REPO / "pages").glob("*.py") if "st.stop()" in p.read_text(encoding="utf-8")]
    assert hits == []

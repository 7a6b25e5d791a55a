"""House rules enforced by scanning the code."""
import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

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


# --- Layers and cycles: import-linter's contracts (pyproject.toml) and what they cannot see ----------------------

LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)


def test_import_contracts_hold():
    got = _lint_imports(REPO)
    assert got.returncode == 0, got.stdout + got.stderr
    assert "4 kept, 0 broken" in got.stdout


def _copy_of_atlas(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "atlas", tmp_path / "atlas", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_contracts_catch_an_upward_import(tmp_path):
    root = _copy_of_atlas(tmp_path)
    geo = root / "atlas/core/geo.py"
    geo.write_text(geo.read_text() + "\nfrom atlas.views import figures  # noqa\n")
    got = _lint_imports(root)
    assert got.returncode != 0
    assert "Layers: ui > views > analysis | curate > core BROKEN" in got.stdout


def test_the_contracts_catch_a_cycle_hidden_in_a_function(tmp_path):
    root = _copy_of_atlas(tmp_path)
    geo = root / "atlas/core/geo.py"  # geo <- brief <- load: geo importing load closes a circle
    geo.write_text(geo.read_text() + "\n\ndef _late():\n    from atlas.core import load  # noqa\n    return load\n")
    got = _lint_imports(root)
    assert got.returncode != 0
    assert "No import cycles, at any level BROKEN" in got.stdout


# Deliberate lazy imports: (file, module) -> why. Only heavy optional libraries loaded for one command, never an atlas
# module imported late to get round a cycle.
LAZY_ALLOWED = {
    ("atlas/__main__.py", "atlas.views.downloads"): "the exports bring plotly, pydeck and pandas; validate needs none",
    ("atlas/__main__.py", "atlas.analysis.reliability"): "the comparison brings pandas; validate does without it",
}


def _function_level_atlas_imports(path: Path, rel: str) -> list[tuple[str, str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) and node.module
                     else [])
            found += [(rel, n, node.lineno) for n in names if n == "atlas" or n.startswith("atlas.")]
    return found


def test_no_function_level_atlas_imports():
    """A function-level import hides a cycle from the reader (import-linter still sees it): every atlas import sits at
    the top of its module, except the listed lazy loads of heavy libraries."""
    found = [hit for d in ("atlas", "pages") for p in sorted((REPO / d).rglob("*.py"))
             for hit in _function_level_atlas_imports(p, str(p.relative_to(REPO)))]
    found += _function_level_atlas_imports(REPO / "dashboard.py", "dashboard.py")
    assert [h for h in found if (h[0], h[1]) not in LAZY_ALLOWED] == []
    assert {(h[0], h[1]) for h in found} == set(LAZY_ALLOWED), "an allowed lazy import is gone: drop it from the list"


def test_the_function_level_scan_finds_one(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("import os\n\n\ndef f():\n    if os:\n        from atlas.core import geo\n        return geo\n")
    assert _function_level_atlas_imports(bad, "x.py") == [("x.py", "atlas.core.geo", 6)]


# Pages compose: they take the dataset from atlas.ui.data and draw through atlas.ui and atlas.views (with analysis
# and core helpers), never load or check data files themselves, never reach the command line or the tools.
PAGE_FORBIDDEN = ("atlas.tools", "atlas.__main__", "atlas.core.load", "atlas.core.files", "atlas.core.yamlio",
                  "atlas.core.geojson", "atlas.core.brief", "atlas.core.secondcoding", "atlas.core.validate")


def _page_offences(path: Path) -> list[str]:
    out = []
    for m in _imports(path):
        if m.startswith("atlas") and (m == "atlas" or m.startswith(PAGE_FORBIDDEN)
                                      or not m.startswith(("atlas.ui", "atlas.views", "atlas.analysis", "atlas.core"))):
            out.append(m)
    return out


def test_pages_import_only_the_layers_below_them():
    offenders = {p.name: _page_offences(p) for p in [*(REPO / "pages").glob("*.py"), REPO / "dashboard.py"]}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_page_rule_catches_an_offender(tmp_path):
    bad = tmp_path / "p.py"
    bad.write_text("from atlas.core.load import load_dataset\nfrom atlas.tools import basemap\nfrom atlas.ui import data\n")
    assert _page_offences(bad) == ["atlas.core.load", "atlas.tools"]

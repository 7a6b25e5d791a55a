"""Data is text, never markup (issue 13, point 4).

A copy of the shipped data whose every text field (titles, names, summaries, notes, reasons, rationales, definitions,
aliases, actors, perspectives, authors, publishers, brief headlines and texts, the coding rules) carries HTML, an
`onerror` image, a markdown image and link, LaTeX, an entity and markdown emphasis; each source gains a passage made of
the same markup, quoted by a record, so quotes carry it too. Every page (every route of dashboard.py, a focused view for
a record of each kind, every brief step, a stance's dialog, a search) is run with AppTest, and every element's text is
inspected: no Markdown-rendered text holds any of the markup unescaped, no HTML holds it as markup (and the HTML shows
its escaped form), no image and no link comes from the data. The last tests plant the bug the issue found (an unescaped
`{claim.summary}`) in a builder and in a page, and show that this check catches it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from atlas.core import kinds, paths
from atlas.core.load import load_dataset
from atlas.ui import curate
from atlas.views import render, suggestions
from tests.conftest import REPO

PIECES = ("<b>x</b>", "<img src=x onerror=alert(1)>", "![x](http://e/x.png)", "[x](http://e)", "$x^2$", "&amp;zq", "**bold**")
PAYLOAD = " " + " ".join(PIECES)
SEEN = "onerror=alert"  # survives every escaping: shows that the payload reached the page at all
ESCAPED_HTML = "&lt;img src=x onerror=alert(1)&gt;"

# Keys whose values are not free text: ids and references, enumerations checked by the model, dates, selectors that
# must match a source verbatim, and addresses. Every other string in the record files is poisoned.
STRUCTURAL = {"id", "source", "quote", "prefix", "suffix", "date", "date_end", "since", "valid_to", "date_published",
              "coord_status", "country", "mode", "status", "cameo", "direction", "partner", "issue", "stance",
              "geometry", "place", "kind", "focus", "sha256", "language", "source_type", "url", "boilerplate_from",
              "starts_with", "file", "tags", "route", "partners", "passage_kinds", "date_basis", "also_at"}
FREE_TEXT_IN_SOURCES = {"date_basis"}  # how a source's date was found: prose (in records it is an enumeration)
FREE_LISTS = {"actors", "aliases"}


def _poison(node, key: str = "", free: frozenset = frozenset()):
    if isinstance(node, dict):
        return {k: _poison(v, k, free) for k, v in node.items()}
    if isinstance(node, list):
        return [(v + PAYLOAD if isinstance(v, str) and key in FREE_LISTS else _poison(v, key, free)) for v in node]
    if isinstance(node, str) and (key not in STRUCTURAL or key in free) and key:
        return node + PAYLOAD
    return node


def _markup_passage(source_id: str) -> str:
    return f"Injected passage of {source_id}:{PAYLOAD}"


def build_corpus(root: Path) -> Path:
    """The shipped data, every text field poisoned, each source with one more passage of markup that a record quotes."""
    shutil.copytree(paths.DEFAULT_DATA_DIR, root)
    sources = yaml.safe_load((root / paths.SOURCES_FILE).read_text(encoding="utf-8"))
    for src in sources:
        text_path = root / "sources" / src.get("file", f"{src['id']}.txt")
        raw = text_path.read_bytes().rstrip(b"\n") + f"\n\n{_markup_passage(src['id'])}\n".encode()
        text_path.write_bytes(raw)
        src["sha256"] = hashlib.sha256(raw).hexdigest()
    (root / paths.SOURCES_FILE).write_text(yaml.safe_dump(_poison(sources, free=frozenset(FREE_TEXT_IN_SOURCES)),
                                                          allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in [*kinds.record_files().values(), paths.BRIEF_FILE]:
        path = root / name
        if not path.exists():
            continue
        items = _poison(yaml.safe_load(path.read_text(encoding="utf-8")))
        for item, src in zip(items, sources, strict=False):  # quotes carry markup too: one record per source quotes it
            item.setdefault("citations", []).append({"source": src["id"], "quote": _markup_passage(src["id"])})
        path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # an editor's save, as the changelog records it, so /changes lists records whose titles carry the markup
    saved = [item["id"] for name in kinds.record_files().values() if (root / name).exists()
             for item in yaml.safe_load((root / name).read_text(encoding="utf-8"))[:1]]
    (root / "changelog.jsonl").write_text(json.dumps({"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                                      "editor": PAYLOAD, "message": "Add " + PAYLOAD, "ids": saved}) + "\n",
                                          encoding="utf-8")
    # a Natural Earth town named by the markup that each source's last passage holds, so /curate suggests it
    from tests.test_gazetteer import collection, dump, feature

    dump(root / paths.POPULATED_PLACES_FILE, collection(feature(PAYLOAD.strip(), 44.9, 40.9, adm1name=PAYLOAD,
                                                                adm0name=PAYLOAD, featurecla=PAYLOAD)))
    readme = root / paths.README_FILE
    readme.write_text(readme.read_text(encoding="utf-8").replace("## Coding rules", "## Coding rules\n\n" + PAYLOAD, 1),
                      encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    root = build_corpus(tmp_path_factory.mktemp("injected") / "data")
    ds, problems = load_dataset(root)
    assert problems == [], problems[:3]
    return root, ds


# --- the check ---------------------------------------------------------------------------------------------------

HTML_ELEMENTS = {"html"}
PLAIN_ELEMENTS = {"plotly_chart", "deck_gl_json_chart", "arrow_data_frame", "code", "json", "text", "imgs", "vega_lite_chart",
                  "download_button", "exception"}
PLAIN_FIELDS = {"placeholder", "default", "value", "raw_value", "form_id", "id", "key", "url", "page", "icon",
                "script_hash", "data", "alt", "file_name", "mime"}
MARKDOWN_OPTIONS = {"radio", "button_group"}  # these widgets render their options as Markdown; selectboxes do not


def _strings(message):
    """Every string in a protobuf message, with its field name."""
    for field, value in message.ListFields():
        repeated = not isinstance(value, (str, bytes)) and not hasattr(value, "ListFields") and hasattr(value, "__iter__")
        values = value if repeated else [value]
        for v in values:
            if isinstance(v, (str, bytes)):  # bytes: a table's Arrow data, shown as plain text
                yield field.name, v
            elif hasattr(v, "ListFields"):
                yield from _strings(v)


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _unescaped_markdown(text: str) -> str:
    """What Markdown would still read as syntax: every backslash-escaped character removed."""
    return re.sub(r"\\.", "", text, flags=re.S)


def interpreted_markup(at: AppTest) -> list[str]:
    """Each place where markup from the data would be interpreted: in Markdown-rendered text (any element's body,
    label, help or title, a dialog's or expander's title, a radio's options), in HTML, or as an image or a link."""
    found = []
    for node in _nodes(at._tree):
        proto, kind = getattr(node, "proto", None), getattr(node, "type", "")
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        for name, text in _strings(proto):
            if isinstance(text, bytes):
                continue
            if kind in HTML_ELEMENTS:
                live = [p for p in ("<b>x</b>", "<img src=x", "&amp;zq") if p in text]
                if live:
                    found.append(f"html holds {live} as markup: …{text[max(0, text.find(live[0]) - 80):][:200]}")
            elif kind in PLAIN_ELEMENTS or name in PLAIN_FIELDS or (name == "options" and kind not in MARKDOWN_OPTIONS):
                if name == "url" and "http://e" in text:
                    found.append(f"{kind}.{name} links to the data's address: {text[:120]}")
            else:
                live = [p for p in PIECES if p in _unescaped_markdown(text)]
                if live:
                    found.append(f"{kind}.{name} is Markdown holding {live} unescaped: {text[:200]}")
    return found


def shown(at: AppTest) -> tuple[int, int]:
    """How often the payload reached the page at all, and how often as escaped HTML."""
    everything = [text if isinstance(text, str) else text.decode("utf-8", "replace")
                  for node in _nodes(at._tree) if hasattr(getattr(node, "proto", None), "ListFields")
                  for _, text in _strings(node.proto)]
    return (sum(SEEN in t or SEEN.replace("(", "\\(") in t for t in everything),
            sum(ESCAPED_HTML in t for t in everything))


PAGES = {"home": None, "map": "pages/map.py", "alignments": "pages/alignments.py", "events": "pages/events.py",
         "perspectives": "pages/perspectives.py", "brief": "pages/brief.py", "sources": "pages/sources.py",
         "about": "pages/about.py", "search": "pages/search.py", "record": "pages/record.py", "changes": "pages/changes.py",
         "curate": "pages/curate.py"}


def routes() -> set[str]:
    return {p for p in re.findall(r'st\.Page\("(pages/[^"]+)"', (REPO / "dashboard.py").read_text(encoding="utf-8"))}


def run(page: str, params: dict, data_dir: Path, monkeypatch, app: Path = REPO / "dashboard.py") -> AppTest:
    params = dict(params)
    suggesting = params.pop("_suggest", None)  # /curate: its suggestions shown, confirmed into the forms
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data_dir))
    at = AppTest.from_file(str(app), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    if PAGES[page]:
        at.switch_page(PAGES[page])
    if page != "curate":
        return at.run()
    # the editor's view: editing on, signed in with the passphrase, a poisoned source chosen for anchoring
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.setenv(curate.HASH_ENV, PasswordHasher().hash("injection"))
    at.run()
    inputs = {ti.label: ti for ti in at.main.text_input}
    inputs["Your name (recorded with every change)"].input(PAYLOAD)
    inputs["Editors' passphrase"].input("injection")
    at = at.button(key="curate_signin").click().run()
    if not suggesting:
        return at
    at = at.button(key="curate_suggest").click().run()
    ds, _ = load_dataset(data_dir)
    newest = list(ds.sources)[-1]
    rows = suggestions.rows(ds, newest, suggestions.found(ds, newest)[0])
    assert any(r.kind == "new place" for r in rows), [r.label for r in rows]  # the markup town is among them
    at = at.multiselect(key="curate_suggest_pick").set_value([r.key for r in rows if r.kind != "new place"]).run()
    at = at.button(key="curate_suggest_use").click().run()
    at = at.multiselect(key="curate_suggest_pick").set_value([next(r.key for r in rows if r.kind == "new place")]).run()
    return at.button(key="curate_suggest_place").click().run()


def views(ds):
    """Every route, a focused view of a record of each kind wherever it can be shown, every brief step, a stance's
    dialog (titled by an actor's name), a source at its injected passage, a search that finds the payload everywhere."""
    yield from ((page, {}) for page in PAGES if page != "record")  # a record page without an id shows no record
    first = {kind: ds.of_kind(kind)[0] for kind in ("corridor", "place", "area", "event", "claim", "term")}
    for kind in ("corridor", "place", "area", "event"):
        yield "map", {"focus": first[kind].id}
    coded = next(e for e in ds.of_kind("event") if e.alignment)
    yield "events", {"focus": first["event"].id}
    yield "alignments", {"focus": coded.id}
    claim = first["claim"]
    yield "perspectives", {"focus": claim.id}
    yield "perspectives", {"issue": claim.issue, "actor": claim.actor}
    yield "about", {"focus": first["term"].id}
    yield "home", {"focus": first["event"].id}  # a record home cannot show: a Markdown link to it, titled by data
    source_id = next(iter(ds.sources))
    yield "sources", {"source": source_id, "passage": str(len(ds.texts[source_id].passages))}
    for step in range(1, len(ds.brief) + 1):
        yield "brief", {"step": str(step)}
    yield "sources", {"source": source_id, "quote": _markup_passage(source_id)}  # a citation link: the quoted words marked
    yield "search", {"q": "onerror"}
    yield "search", {"q": "zq", "kind": "event"}
    for kind in ("corridor", "event", "claim", "term"):
        yield "record", {"id": first[kind].id}
    yield "changes", {"since": "2023-01-01"}
    yield "curate", {"_suggest": "1"}  # the suggestions of the newest source, put into the event and place forms


def test_the_views_cover_every_route(poisoned):
    _, ds = poisoned
    assert {f"pages/{p}.py" for p, _ in views(ds)} == routes()
    assert {PAGES[p] or "pages/home.py" for p in PAGES} == routes()


def test_the_corpus_carries_markup_in_every_text_field(poisoned):
    _, ds = poisoned
    for rec in ds.records.values():
        texts = [rec.title, getattr(rec, "summary", None) or getattr(rec, "definition", "")]
        assert all(PAYLOAD in t for t in texts), (rec.id, texts)
    assert all(PAYLOAD in s.perspective and PAYLOAD in s.author and PAYLOAD in s.publisher for s in ds.sources.values())
    assert all(PAYLOAD in step.headline and PAYLOAD in step.text for step, _ in ds.brief)
    assert sum(PAYLOAD in c.quote for c in ds.citations) >= len(ds.sources)


def test_no_page_interprets_markup_from_the_data(poisoned, monkeypatch):
    root, ds = poisoned
    for page, params in views(ds):
        at = run(page, params, root, monkeypatch)
        assert not at.exception, (page, params, [e.value for e in at.exception])
        assert interpreted_markup(at) == [], (page, params)
        reached, escaped = shown(at)
        assert reached, (page, params, "the payload never reached this view: the check would prove nothing")
        if page != "curate" and (page not in ("events", "alignments") or params):  # data in grids, charts and widgets only
            assert escaped, (page, params, "no HTML on this view shows the escaped payload")


# --- the check catches the bug the issue found ------------------------------------------------------------------------

def _claim_view(ds) -> dict:
    claim = ds.of_kind("claim")[0]
    return {"issue": claim.issue, "focus": claim.id}


def test_an_unescaped_builder_is_caught(poisoned, monkeypatch):
    root, ds = poisoned
    assert interpreted_markup(run("perspectives", _claim_view(ds), root, monkeypatch)) == []

    def careless(ds, claims, focus):  # the plant: `{claim.summary}` straight into the markup
        return render._trusted("".join(f"<div class='atlas-claimrow'><p>{c.summary}</p></div>" for c in claims))

    monkeypatch.setattr(render, "claim_rows", careless)
    found = interpreted_markup(run("perspectives", _claim_view(ds), root, monkeypatch))
    assert found and all(f.startswith("html holds") for f in found)


@pytest.mark.parametrize("plant", [
    'st.html(f"<p>{chosen[0].summary}</p>")',  # an f-string of data handed to st.html
    "st.markdown(chosen[0].summary)",  # data handed to Markdown
    'st.caption(f"Latest: {chosen[0].summary}")',
    "st.subheader(chosen[0].actor)",
])
def test_an_unescaped_page_is_caught(plant, poisoned, monkeypatch, tmp_path):
    root, ds = poisoned
    app = tmp_path / "app"
    shutil.copytree(REPO / "pages", app / "pages")
    shutil.copy(REPO / "dashboard.py", app / "dashboard.py")
    page = app / "pages" / "perspectives.py"
    source = page.read_text(encoding="utf-8")
    anchor = "    ids = [c.id for c in chosen]\n"
    assert anchor in source
    page.write_text(source.replace(anchor, f"    {plant}\n{anchor}"), encoding="utf-8")
    at = run("perspectives", _claim_view(ds), root, monkeypatch, app=app / "dashboard.py")
    assert not at.exception
    assert interpreted_markup(at)


def test_markdown_escaping_leaves_no_syntax():
    for piece in PIECES:
        assert _unescaped_markdown(render.md(piece, 400)).find(piece) < 0
    assert "\\$x\\^2\\$" in render.md("$x^2$") and "\\&amp;" in render.md("&amp;")
    link = render.md_link("[x](http://e) $y$", "/map?focus=a(b)")
    assert link.endswith("(/map?focus=a%28b%29)") and "](http" not in _unescaped_markdown(link)

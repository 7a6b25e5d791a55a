"""Data is text, never markup: a copy of the shipped data whose every free-text field carries a markdown image, a link,
LaTeX and an entity, on every page. Nothing of it may reach a markdown renderer unescaped, and no HTML the pages draw
may hold it as live markup (a tracking pixel in a record title would make every viewer's browser call out)."""
from __future__ import annotations

import shutil

import pytest
import yaml

from atlas.core import kinds, paths
from atlas.core.load import load_dataset
from tests.test_pages import PAGES, run_page

PAYLOAD = " ![pixel](http://track.invalid/p.png) [more](http://track.invalid/) $E=mc^2$ &amp; <b>bold</b>"
FIELDS = {"title", "summary", "reason", "note", "rationale", "definition", "actor", "perspective", "headline", "text",
          "area_type", "place_type", "international", "author", "publisher", "coord_source"}
MARKDOWN_ELEMENTS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


def _poison(node, fields=frozenset(FIELDS)):
    if isinstance(node, dict):
        return {k: (v + PAYLOAD if k in fields and isinstance(v, str) else _poison(v, fields)) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v, fields) for v in node]
    return node


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    root = tmp_path_factory.mktemp("poisoned") / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, root)
    for name in [*kinds.record_files().values(), paths.SOURCES_FILE, paths.BRIEF_FILE]:
        path = root / name
        if path.exists():
            fields = FIELDS | {"date_basis"} if name == paths.SOURCES_FILE else FIELDS  # free text only for sources
            path.write_text(yaml.safe_dump(_poison(yaml.safe_load(path.read_text(encoding="utf-8")), frozenset(fields)),
                                           allow_unicode=True,
                                           sort_keys=False), encoding="utf-8")
    readme = root / paths.README_FILE
    readme.write_text(readme.read_text(encoding="utf-8").replace("## Coding rules", "## Coding rules\n\n" + PAYLOAD, 1),
                      encoding="utf-8")
    ds, problems = load_dataset(root)
    assert problems == [], problems[:3]
    return root, ds


def _views(ds):
    first = {kind: next(iter(ds.of_kind(kind)), None) for kind in ("corridor", "event", "claim", "term")}
    yield from ((page, {}) for page in PAGES)
    yield "map", {"focus": first["corridor"].id}
    yield "map", {"focus": first["event"].id}
    yield "events", {"focus": first["event"].id}
    yield "perspectives", {"focus": first["claim"].id}
    yield "about", {"focus": first["term"].id}
    yield "search", {"q": "pixel"}


def test_no_page_interprets_markup_from_the_data(poisoned, monkeypatch):
    root, ds = poisoned
    for page, params in _views(ds):
        at = run_page(page, params, root, monkeypatch)
        assert not at.exception, (page, params)
        for kind in MARKDOWN_ELEMENTS:
            for element in at.get(kind):
                body = getattr(element.proto, "body", "") or getattr(element, "value", "") or ""
                assert "](http://track.invalid" not in body and "$E=mc^2$" not in body, (page, params, kind, body[:200])
        for element in at.get("html"):
            body = element.proto.body
            assert "track.invalid/p.png\"" not in body and "src='http://track.invalid" not in body, (page, params)
            assert "<b>bold</b>" not in body, (page, params, body[:200])
        for dialog in at.get("dialog"):
            assert "](http://track.invalid" not in str(dialog.proto), (page, params)

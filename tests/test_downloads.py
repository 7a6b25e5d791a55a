"""One export table (atlas.views.downloads) feeds both the command line and the Downloads of /about."""
from __future__ import annotations

import subprocess
import sys

import pytest

from atlas import __main__ as cli
from atlas.core.load import load_or_raise
from atlas.views import downloads
from atlas.views.downloads import EXPORTS, Export
from tests.conftest import REPO
from tests.test_pages import run_page

# The names scripts already use: they stay.
KNOWN = {"citations", "annotations", "events", "geojson", "briefing", "map-png", "pptx", "pdf"}


def _about_buttons(at) -> tuple[list[str], list[str]]:
    return [b.proto.label for b in at.get("download_button")], [b.label for b in at.button]


def test_the_table_keeps_every_existing_name_and_file():
    assert KNOWN <= set(EXPORTS)
    assert len({e.file_name for e in EXPORTS.values()}) == len(EXPORTS)  # no two downloads overwrite each other


def test_the_command_line_offers_exactly_the_table(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    text = capsys.readouterr().out
    offered = text[text.index("{") + 1:text.index("}")].split(",")
    assert sorted(offered) == sorted(EXPORTS)


def test_about_offers_exactly_the_table(corpus, monkeypatch):
    at = run_page("about", {}, corpus, monkeypatch)
    assert not at.exception
    ds = load_or_raise(corpus)
    quick, prepare = _about_buttons(at)
    assert sorted(quick) == sorted(e.label_for(ds) for e in EXPORTS.values() if e.on_about and not e.slow)
    assert sorted(b for b in prepare if b.startswith("Prepare: ")) == sorted(
        f"Prepare: {e.label_for(ds)}" for e in EXPORTS.values() if e.on_about and e.slow)
    caption = " ".join(c.value for c in at.caption)
    assert "python -m atlas export " + "|".join(EXPORTS) in caption


def test_the_command_line_and_about_write_the_same_bytes(corpus, monkeypatch, tmp_path):
    at = run_page("about", {}, corpus, monkeypatch)
    by_label = {b.proto.label: b for b in at.get("download_button")}
    ds = load_or_raise(corpus)
    for name in ("citations", "events"):
        entry = EXPORTS[name]
        out = tmp_path / entry.file_name
        res = subprocess.run([sys.executable, "-m", "atlas", "export", name, "--out", str(out), "--data-dir", str(corpus)],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        assert out.read_bytes() == entry.data(ds)
        assert by_label[entry.label_for(ds)].proto.help == entry.help


def _count(ds) -> str:
    return f"{len(ds.records)} records\n"


def test_a_new_export_is_one_registration(corpus, monkeypatch, capsys, tmp_path):
    """Registered once, an export is offered by the command line and by /about, with no other change."""
    monkeypatch.setattr(downloads, "EXPORTS", dict(EXPORTS))
    downloads.register(Export("count", "Record count (text)", "atlas-count.txt", "text/plain", _count, "How many records"))
    out = tmp_path / "n.txt"
    assert cli.main(["export", "count", "--out", str(out), "--data-dir", str(corpus)]) == 0
    assert out.read_text() == f"{len(load_or_raise(corpus).records)} records\n"
    monkeypatch.setattr("atlas.ui.downloads.EXPORTS", downloads.EXPORTS)
    at = run_page("about", {}, corpus, monkeypatch)
    assert "Record count (text)" in _about_buttons(at)[0]
    assert "|count --out FILE" in " ".join(c.value for c in at.caption)


def test_an_export_with_an_option_only_the_command_line_gives(corpus, monkeypatch, tmp_path):
    monkeypatch.setattr(downloads, "EXPORTS", dict(EXPORTS))
    monkeypatch.setitem(downloads.OPTIONS, "record_id", "the record to export")
    downloads.register(Export("one", "One record", "atlas-one.txt", "text/plain",
                              lambda ds, record_id: ds.records[record_id].title, "A record's title",
                              options=("record_id",), on_about=False))
    first = next(iter(load_or_raise(corpus).records.values()))
    out = tmp_path / "one.txt"
    assert cli.main(["export", "one", "--record-id", first.id, "--out", str(out), "--data-dir", str(corpus)]) == 0
    assert out.read_text() == first.title
    monkeypatch.setattr("atlas.ui.downloads.EXPORTS", downloads.EXPORTS)
    at = run_page("about", {}, corpus, monkeypatch)
    assert "One record" not in _about_buttons(at)[0]


def test_register_refuses_a_second_name_and_an_undescribed_option(monkeypatch):
    monkeypatch.setattr(downloads, "EXPORTS", dict(EXPORTS))
    with pytest.raises(ValueError, match="already registered"):
        downloads.register(Export("citations", "x", "x.csv", "text/csv", _count, "x"))
    with pytest.raises(ValueError, match="unknown options"):
        downloads.register(Export("x", "x", "x.txt", "text/plain", _count, "x", options=("colour",)))


def test_about_prepares_a_slow_export_when_asked(corpus, monkeypatch):
    at = run_page("about", {}, corpus, monkeypatch)
    entry = EXPORTS["pdf"]
    label = entry.label_for(load_or_raise(corpus))
    assert entry.slow and label not in _about_buttons(at)[0]
    next(b for b in at.button if b.label == f"Prepare: {label}").click().run()
    assert not at.exception
    assert label in _about_buttons(at)[0]
    assert f"Prepare: {label}" not in _about_buttons(at)[1]

"""What changed between two versions of the data (git commits of the data directory): in the engine, where a revision is
checked before git sees it, and on /changes?from=&to=, where the two versions are chosen from the history."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.core import paths
from atlas.curate import changes, records, writes
from tests.conftest import REPO, write_corpus

EVENT = {"id": "new-event-2025", "title": "A new event", "summary": "Our words.", "date": "2022-12", "date_basis": "stated",
         "actors": ["Armenia"], "citations": [{"source": "mini", "quote": "Observers in Alpha counted trucks."}]}


@pytest.fixture
def repo(tmp_path) -> tuple[Path, str]:
    """A data directory in git: a first commit, then an editor's save (a commit of its own). Returns (dir, first sha)."""
    data = write_corpus(tmp_path / "data")
    git = ["git", "-C", str(data), "-c", "user.name=Setup", "-c", "user.email=setup@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "First version"], check=True)
    first = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    records.create(data, "event", EVENT, "Ana Editor", writes.file_sha(data, "events.yaml"))
    return data, first


def test_revisions_list_the_commits_of_the_data_newest_first(repo):
    data, first = repo
    got = changes.revisions(data)
    assert [v.message for v in got] == ["Add event new-event-2025", "First version"]
    assert got[1].sha == first and got[0].author == "Ana Editor"
    assert changes.revisions(write_corpus(data.parent / "plain")) == []  # no git, no versions


def test_between_two_versions(repo):
    data, first = repo
    got = changes.between_revisions(data, first[:10])
    assert [c.id for c in got.added] == ["new-event-2025"] and not got.changed and not got.removed
    head = changes.revisions(data)[0].sha
    assert not changes.between_revisions(data, head, head)


@pytest.mark.parametrize("rev", ["--output=/tmp/atlas-pwned", "-p", "HEAD..HEAD~1", "a b", "", "x" * 200, "HEAD:events.yaml"])
def test_a_revision_that_is_not_one_is_refused_before_git_sees_it(repo, rev):
    data, _ = repo
    with pytest.raises(ValueError, match="is not a git revision"):
        changes.between_revisions(data, rev)


def test_an_unknown_revision_is_refused_not_read_as_an_empty_history(repo):
    data, _ = repo
    with pytest.raises(ValueError, match="there is no revision 'deadbeef'"):
        changes.between_revisions(data, "deadbeef")


def _changes(data: Path, monkeypatch, params: dict) -> AppTest:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/changes.py")
    return at.run()


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html") if not h.proto.body.startswith("<style>"))


def test_the_page_compares_two_versions_named_in_the_url(repo, monkeypatch):
    data, first = repo
    at = _changes(data, monkeypatch, {"from": first[:12]})
    assert not at.exception, at.exception
    assert at.selectbox(key="url:from").value == first
    assert at.selectbox(key="url:to").value == "now"
    assert any(s.value == "Added (1)" for s in at.subheader)
    assert 'href="/events?focus=new-event-2025"' in _html(at)
    head = changes.revisions(data)[0].sha
    same = _changes(data, monkeypatch, {"from": head[:12], "to": head[:12]})
    assert any("No records were added, changed or removed between" in i.value for i in same.info)


def test_switching_to_versions_writes_them_in_the_url_and_back(repo, monkeypatch):
    data, first = repo
    at = _changes(data, monkeypatch, {})
    assert at.get("button_group")[0].value in (None, "Since a day")
    at = at.get("button_group")[0].set_value("Between two versions").run()
    assert not at.exception, at.exception
    assert at.query_params["from"] in (first[:12], [first[:12]]) and "since" not in at.query_params
    assert any(s.value == "Added (1)" for s in at.subheader)


@pytest.mark.parametrize("bad", ["--output=/tmp/atlas-pwned", "<b>x</b>", "0000000"])
def test_a_bad_version_in_the_url_is_a_notice_and_the_default_comparison(repo, monkeypatch, bad):
    data, first = repo
    at = _changes(data, monkeypatch, {"from": bad})
    assert not at.exception, at.exception
    assert any("is not one of the versions listed here" in w.value for w in at.warning)
    assert at.selectbox(key="url:from").value == first
    assert not Path("/tmp/atlas-pwned").exists()

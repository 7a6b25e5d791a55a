"""The curation engine (atlas.curate): exact anchoring, safe saves, records, sources, suggestions and changes."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.core import kinds, paths
from atlas.core.corpus import SourceText
from atlas.core.load import Dataset, load_dataset, parse_yaml, resolve
from atlas.core.model import Citation
from atlas.curate import changes, records, sources, writes, yamlio
from atlas.curate.anchor import Anchor, Refusal, anchor, anchor_span, shortest_context
from atlas.curate.suggest import draft_events, suggest
from tests.conftest import REPO, shipped

EVENT = {"id": "mi6-chief-visit-again", "title": "Test event", "summary": "Our own words about it.", "date": "2022-12",
         "date_basis": "stated", "actors": ["Armenia", "UK"], "place": "yerevan", "tags": ["intelligence"],
         "alignment": [{"partner": "UK", "cameo": "043", "direction": "toward", "rationale": "A visit, hosted."}],
         "citations": [{"source": "avim-security-balance-2023", "quote": "the Chief of MI6 paid a visit to Yerevan"}]}


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data directory (not a git work tree)."""
    return Path(shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data"))


def _problems(d):
    return load_dataset(d)[1]


# --- anchoring ---------------------------------------------------------------------------------------------------

def _brute_shortest(st_: SourceText, start: int, end: int) -> int | None:
    quote = st_.text[start:end]
    best = None
    for p in range(start + 1):
        for q in range(len(st_.text) - end + 1):
            if best is not None and p + q >= best:
                break
            found = st_.find(quote, st_.text[start - p:start] if p else None, st_.text[end:end + q] if q else None)
            if [(m.start, m.end) for m in found] == [(start, end)]:
                best = p + q
    return best


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab c", min_size=2, max_size=24), st.data())
def test_shortest_context_is_the_shortest_that_resolves(text, draw):
    st_ = SourceText.build("t", text)
    start = draw.draw(st.integers(0, len(text) - 1))
    end = draw.draw(st.integers(start + 1, min(len(text), start + 4)))
    got = shortest_context(st_, start, end)
    want = _brute_shortest(st_, start, end)
    if want is None:
        assert got is None
        return
    assert got is not None
    prefix, suffix = got
    assert len(prefix or "") + len(suffix or "") == want
    assert [(m.start, m.end) for m in st_.find(text[start:end], prefix, suffix)] == [(start, end)]


@shipped  # anchors words of a shipped source
def test_unique_words_need_no_context():
    ds, _ = load_dataset()
    got = anchor(ds.texts["avim-security-balance-2023"], "  the Chief of MI6 paid a visit to Yerevan\n")
    assert isinstance(got, Anchor)
    assert got.as_dict() == {"source": "avim-security-balance-2023", "quote": "the Chief of MI6 paid a visit to Yerevan"}


def test_repeated_words_get_the_shortest_context_and_resolve_as_the_loader_resolves():
    text = "Alpha met Beta in the city.\n\nLater Alpha met Beta again.\n\nAlpha met Beta."
    st_ = SourceText.build("s", text)
    got = anchor(st_, "Alpha met Beta", passage=2)
    assert isinstance(got, Anchor)
    assert got.citation.prefix == " " and got.citation.suffix is None  # only passage 2's copy has a space before it
    assert resolve(Dataset(data_dir=None, texts={"s": st_}), got.citation) == (got.start, got.end, 2)
    third = anchor(st_, "Alpha met Beta", passage=3)
    assert isinstance(third, Anchor) and third.citation.suffix == "." and third.citation.prefix is None


def test_ambiguous_words_are_refused_with_every_occurrence():
    st_ = SourceText.build("s", "one two one\n\ntwo one")
    got = anchor(st_, "one")
    assert isinstance(got, Refusal) and len(got.occurrences) == 3
    assert "3 times" in got.message and "passage 1 (2 times)" in got.message
    second = anchor(st_, "one", passage=1, occurrence=2)
    assert isinstance(second, Anchor) and (second.start, second.end) == (8, 11)


def test_words_across_passages_are_refused():
    st_ = SourceText.build("s", "First passage ends.\n\nSecond one starts.")
    got = anchor_span(st_, 10, 30)
    assert isinstance(got, Refusal) and "more than one passage" in got.message


@shipped  # anchors words of a shipped source
def test_words_not_verbatim_are_refused_with_the_nearest_verbatim_span():
    ds, _ = load_dataset()
    text = ds.texts["avim-security-balance-2023"]
    got = anchor(text, "the chief of MI6 paid  a visit to yerevan")
    assert isinstance(got, Refusal) and "not verbatim" in got.message
    assert got.suggestions[0] == "the Chief of MI6 paid a visit to Yerevan"
    typo = anchor(text, "the Chief of MI-6 payed a visit to Yerevan")
    assert isinstance(typo, Refusal)
    assert any("paid a visit to Yerevan" in s for s in typo.suggestions)
    assert all(s in text.text for s in typo.suggestions)  # a suggestion is always verbatim


def test_curly_and_straight_apostrophes_are_different_characters():
    st_ = SourceText.build("s", "Azerbaijan’s borders are here.")
    assert isinstance(anchor(st_, "Azerbaijan's borders"), Refusal)
    assert anchor(st_, "Azerbaijan's borders").suggestions == ["Azerbaijan’s borders"]


# --- YAML round trip ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", [paths.SOURCES_FILE, *kinds.record_files().values(), paths.BRIEF_FILE])
def test_round_trip_keeps_every_shipped_file_byte_for_byte(rel):
    text = (paths.DEFAULT_DATA_DIR / rel).read_text(encoding="utf-8")
    assert yamlio.dump(yamlio.load(text)) == text


def test_strings_the_loader_would_misread_are_quoted():
    item = {"id": "x", "cameo": "042", "flag": "yes", "n": "null", "date": "2025-03-03", "year": "2025", "tags": ["on", "b"]}
    out = yamlio.dump([yamlio.node(item)])
    problems = []
    assert parse_yaml(out, "x.yaml", problems)[0] == [item] and problems == []
    assert "cameo: '042'" in out


# --- records and safe saves --------------------------------------------------------------------------------------

def test_create_an_event_keeps_the_file_and_loads(data):
    before = (data / "events.yaml").read_text(encoding="utf-8")
    saved = records.create(data, "event", EVENT, "Ana Editor", writes.file_sha(data, "events.yaml"))
    after = (data / "events.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # every existing byte, comments included, kept
    ds, problems = load_dataset(data)
    assert problems == []
    assert ds.records[EVENT["id"]].alignment[0].cameo == "043"
    assert saved.recorded == writes.CHANGELOG
    log = writes.read_changelog(data)
    assert log[-1]["editor"] == "Ana Editor" and log[-1]["ids"] == [EVENT["id"]]


def test_edit_changes_only_that_record(data):
    before = (data / "events.yaml").read_text(encoding="utf-8")
    item = records.find(data, "event", "mi6-chief-visits-yerevan-2022")
    item["summary"] = "A rewritten summary in our own words."
    records.update(data, "event", item["id"], item, "Ana Editor", writes.file_sha(data, "events.yaml"))
    after = (data / "events.yaml").read_text(encoding="utf-8")
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert all(line.startswith("    ") or line.startswith("  summary") for line in removed)
    assert "A rewritten summary in our own words." in after
    assert after.count("\n# ") == before.count("\n# ")
    assert _problems(data) == []
    records.create(data, "event", EVENT, "Ana", writes.file_sha(data, "events.yaml"))
    removed = records.remove(data, "event", EVENT["id"], "Ana", writes.file_sha(data, "events.yaml"))
    assert removed.files == ["events.yaml"] and records.find(data, "event", EVENT["id"]) is None
    assert _problems(data) == []


def test_a_save_that_would_make_the_data_invalid_is_refused_and_writes_nothing(data):
    bad = {**EVENT, "citations": [{"source": "avim-security-balance-2023", "quote": "the Chief of MI6 visited Yerevan"}]}
    before = (data / "events.yaml").read_bytes()
    with pytest.raises(writes.Invalid) as e:
        records.create(data, "event", bad, "Ana", writes.file_sha(data, "events.yaml"))
    assert any("quote not found verbatim" in p.message for p in e.value.problems)
    assert (data / "events.yaml").read_bytes() == before
    assert not (data / writes.CHANGELOG).exists()


def test_a_record_invalid_in_itself_is_refused_with_validate_s_words(data):
    with pytest.raises(writes.Invalid) as e:
        records.create(data, "event", {**EVENT, "date": "2022-13"}, "Ana", writes.file_sha(data, "events.yaml"))
    assert "has no month 13" in str(e.value)


def test_removing_a_record_others_refer_to_is_refused(data):
    with pytest.raises(writes.Invalid):
        records.remove(data, "place", "yerevan", "Ana", writes.file_sha(data, "places.yaml"))
    assert records.find(data, "place", "yerevan") is not None


def test_an_id_in_use_anywhere_is_refused(data):
    with pytest.raises(writes.Refused, match="already used in places.yaml"):
        records.create(data, "event", {**EVENT, "id": "yerevan"}, "Ana", writes.file_sha(data, "events.yaml"))


def test_a_stale_save_is_refused_with_both_versions_and_nothing_is_lost(data):
    opened = writes.file_sha(data, "events.yaml")  # both editors open the form
    records.create(data, "event", EVENT, "First Editor", opened)
    second = {**EVENT, "id": "second-editors-event", "title": "Second editor's event"}
    with pytest.raises(writes.Stale) as e:
        records.create(data, "event", second, "Second Editor", opened)
    conflict = e.value.conflicts[0]
    assert conflict.rel == "events.yaml" and EVENT["id"] in conflict.current and "second-editors-event" in conflict.proposed
    ds, problems = load_dataset(data)
    assert problems == [] and EVENT["id"] in ds.records and "second-editors-event" not in ds.records


def test_concurrent_saves_from_one_read_let_exactly_one_through(data):
    opened = writes.file_sha(data, "events.yaml")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def save(n):
        barrier.wait()
        try:
            records.create(data, "event", {**EVENT, "id": f"concurrent-{n}"}, f"Editor {n}", opened)
            outcomes.append("saved")
        except writes.Stale:
            outcomes.append("stale")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale", "stale", "stale"]
    ds, problems = load_dataset(data)
    assert problems == [] and sum(rid.startswith("concurrent-") for rid in ds.records) == 1


KILL_CHILD = textwrap.dedent("""
    import sys, time
    from atlas.curate import sources, writes
    real = writes.atomic_write
    def announced(path, data):
        print("writing", path.name, flush=True)
        real(path, data)
    writes.atomic_write = announced
    d = sys.argv[1]
    for i in range(1000):
        meta = {"id": f"killed-{i}", "title": "T", "author": "A", "publisher": "P", "date_basis": "none",
                "language": "en", "source_type": "news report", "perspective": "A test."}
        page = "<html><body><article>" + "<p>Paragraph %d of a page long enough to be an article's text.</p>" % i * 50
        sources.add(d, meta, "Killer", raw=(page + "</article></body></html>").encode(), suffix=".html")
""")


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.02, 0.2])
def test_a_process_killed_during_a_save_leaves_the_data_valid(data, delay):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(data)], stdout=subprocess.PIPE, text=True, env=env,
                             cwd=REPO)
    try:
        seen = 0
        for line in child.stdout:
            if line.startswith("writing"):
                seen += 1
                if seen >= 2:  # inside the second save's write phase: one source stored, its catalogue entry next
                    time.sleep(delay)
                    break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert _problems(data) == []
    leftovers = list(data.rglob(".*atlas-tmp-*"))
    # the next save removes what a killed one left behind, and goes through
    records.create(data, "event", EVENT, "Ana", writes.file_sha(data, "events.yaml"))
    assert not any(p.exists() for p in leftovers)
    assert _problems(data) == []


def test_each_save_is_a_git_commit_by_the_editor_when_the_data_is_a_repository(data):
    git = ["git", "-C", str(data), "-c", "user.name=Setup", "-c", "user.email=setup@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "initial"], check=True)
    (data / "terms.yaml").write_text((data / "terms.yaml").read_text() + "\n", encoding="utf-8")  # an unrelated edit
    saved = records.create(data, "event", EVENT, "Ana Petrosyan <ana@example.org>", writes.file_sha(data, "events.yaml"))
    log = subprocess.run([*git, "log", "-1", "--format=%an <%ae>|%s", "--name-only"], capture_output=True, text=True,
                         check=True).stdout
    assert log.startswith(f"Ana Petrosyan <ana@example.org>|Add event {EVENT['id']}")
    assert "events.yaml" in log and "terms.yaml" not in log  # only the saved file is committed
    assert saved.recorded.startswith("git commit")
    assert not (data / writes.CHANGELOG).exists()
    first = subprocess.run([*git, "rev-list", "--max-parents=0", "HEAD"], capture_output=True, text=True).stdout.strip()
    got = changes.between_revisions(data, first)
    assert [c.id for c in got.added] == [EVENT["id"]] and not got.changed and not got.removed


# --- sources ---------------------------------------------------------------------------------------------------------

META = {"id": "test-news-2025", "title": "A test article", "author": "A. Reporter", "publisher": "Test Wire",
        "date_published": "2025-03-04", "date_basis": "printed on the page", "language": "en",
        "source_type": "news report", "perspective": "A wire report written for the test."}
ARTICLE = ("Armenia and the United States hold talks\n\n"
           "On 3 March 2025 officials met in Yerevan to discuss border security. The talks were held in Yerevan.\n\n"
           "A second round is planned for April 2025 in Gyumri, with observers from the European Union.\n")


def test_add_a_text_source_stores_it_byte_for_byte(data, tmp_path):
    doc = tmp_path / "article.md"
    doc.write_bytes(ARTICLE.encode("utf-8"))
    catalogue_before = (data / "sources.yaml").read_text(encoding="utf-8")
    saved, text = sources.add(data, META, "Ana", path=doc)
    stored = (data / "sources" / "test-news-2025.txt").read_bytes()
    assert stored == ARTICLE.encode("utf-8")
    ds, problems = load_dataset(data)
    assert problems == [] and ds.sources["test-news-2025"].sha256 == hashlib.sha256(stored).hexdigest()
    assert (data / "sources.yaml").read_text(encoding="utf-8").startswith(catalogue_before.rstrip("\n"))
    assert [p.number for p in text.passages] == [1, 2, 3] and text.passages[0].kind == "heading"
    assert not (data / "sources" / "originals").exists()  # the stored text is the original
    with pytest.raises(writes.Refused, match="already used"):
        sources.add(data, META, "Ana", path=doc)
    with pytest.raises(writes.Refused, match="already used"):
        sources.add(data, {**META, "id": "yerevan"}, "Ana", path=doc)


def test_add_an_html_page_extracts_its_text_and_keeps_the_original(data, tmp_path):
    page = ("<html><head><title>x</title></head><body><nav>Home | World | Sport</nav><article><h1>Armenia and the "
            "United States hold talks</h1><p>On 3 March 2025 officials met in Yerevan to discuss border security, the "
            "ministry said in a statement.</p><p>A second round is planned for April 2025 in Gyumri, with observers "
            "from the European Union invited to attend.</p></article><footer>© Test Wire</footer></body></html>")
    doc = tmp_path / "page.html"
    doc.write_text(page, encoding="utf-8")
    _, text = sources.add(data, META, "Ana", path=doc)
    assert "On 3 March 2025 officials met in Yerevan" in text.text and "<p>" not in text.text
    assert len(text.passages) >= 2
    assert (data / "sources" / "originals" / "test-news-2025.html").read_text(encoding="utf-8") == page
    assert _problems(data) == []


def test_add_a_pdf_extracts_its_text(data, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "On 3 March 2025 officials met in Yerevan to discuss border security, the ministry said.")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "A second round is planned for April 2025 in Gyumri. " * 3)
    doc = tmp_path / "report.pdf"
    pdf.output(str(doc))
    _, text = sources.add(data, META, "Ana", path=doc)
    assert "officials met in Yerevan" in text.text and len(text.passages) == 2
    assert (data / "sources" / "originals" / "test-news-2025.pdf").read_bytes() == doc.read_bytes()
    assert _problems(data) == []


def test_add_refuses_non_utf8_and_unknown_types_and_bad_catalogue_fields(data, tmp_path):
    with pytest.raises(writes.Refused, match="not UTF-8"):
        sources.add(data, META, "Ana", raw=b"caf\xe9", suffix=".txt")
    with pytest.raises(writes.Refused, match=r"\.docx"):
        sources.add(data, META, "Ana", raw=b"x", suffix=".docx")
    with pytest.raises(writes.Invalid, match="language"):
        sources.add(data, {**META, "language": "English"}, "Ana", raw=ARTICLE.encode(), suffix=".txt")
    assert not (data / "sources" / "test-news-2025.txt").exists()


# --- suggestions -------------------------------------------------------------------------------------------------------

def test_suggestions_name_the_words_they_came_from(data):
    sources.add(data, META, "Ana", raw=ARTICLE.encode("utf-8"), suffix=".txt")
    ds, problems = load_dataset(data)
    assert problems == []
    found = suggest(ds, "test-news-2025")
    by = {k: {(s.value, s.words, s.passage) for s in v} for k, v in found.items()}
    assert ("2025-03-03", "3 March 2025", 2) in by["dates"]
    assert ("2025-04", "April 2025", 3) in by["dates"]
    assert ("yerevan", "Yerevan", 2) in by["places"] and ("gyumri", "Gyumri", 3) in by["places"]
    assert ("US", "United States", 1) in by["partners"] and ("EU", "European Union", 3) in by["partners"]
    assert ("Armenia", "Armenia", 1) in by["actors"]
    for items in found.values():  # every suggestion's citation resolves to its words
        for s in items:
            got = resolve(ds, Citation(**s.citation))
            assert not isinstance(got, str) and ds.texts["test-news-2025"].text[got[0]:got[1]] == s.words
    drafts = draft_events(ds, "test-news-2025", found)
    assert drafts[0]["date"] == "2025-03-03" and drafts[0]["place"] == "yerevan"


# --- changes ---------------------------------------------------------------------------------------------------------

def test_changes_between_two_data_directories(data, tmp_path):
    old = Path(shutil.copytree(data, tmp_path / "old"))
    records.create(data, "event", EVENT, "Ana", writes.file_sha(data, "events.yaml"))
    item = records.find(data, "term", "csto")
    item["definition"] = "A changed definition."
    records.update(data, "term", "csto", item, "Ana", writes.file_sha(data, "terms.yaml"))
    got = changes.between_dirs(old, data)
    assert [(c.id, c.kind) for c in got.added] == [(EVENT["id"], "event")]
    assert [c.id for c in got.changed] == ["csto"] and got.removed == []
    assert [c.id for c in changes.between_dirs(data, old).removed] == [EVENT["id"]]


def test_changes_since_a_date_from_the_changelog(data):
    import datetime as dt

    records.create(data, "event", EVENT, "Ana", writes.file_sha(data, "events.yaml"))
    today = dt.datetime.now(dt.UTC).date()
    got = changes.since(data, today)
    assert [c.id for c in got.added] == [EVENT["id"]]
    assert not changes.since(data, today + dt.timedelta(days=1))


def test_new_records_are_written_in_the_house_style(data):
    long = "A summary in our own words that runs on for long enough to need folding, " * 3
    item = {**EVENT, "summary": long.strip()}
    records.create(data, "event", item, "Ana", writes.file_sha(data, "events.yaml"))
    text = (data / "events.yaml").read_text(encoding="utf-8")
    block = text[text.index(f"- id: {EVENT['id']}"):]
    assert "\n  date: 2022-12\n" in block or "\n  date: '2022-12'\n" in block
    assert "\n  summary: >-\n    A summary" in block and max(len(line) for line in block.splitlines()) < 140
    assert "\n  actors: [Armenia, UK]\n" in block and "cameo: '043'" in block
    ds, problems = load_dataset(data)
    assert problems == [] and ds.records[EVENT["id"]].summary == long.strip()
    dated = {**EVENT, "id": "dated-event", "date": "2022-12-05"}
    records.create(data, "event", dated, "Ana", writes.file_sha(data, "events.yaml"))
    assert "\n  date: 2022-12-05\n" in (data / "events.yaml").read_text(encoding="utf-8")
    assert load_dataset(data)[0].records["dated-event"].date.text == "2022-12-05"


def test_editing_a_record_leaves_its_unchanged_dates_as_they_were(data):
    before = (data / "events.yaml").read_text(encoding="utf-8")
    item = records.find(data, "event", "mi6-chief-visits-yerevan-2022")
    assert isinstance(item["date"], str)
    item["tags"] = [*item.get("tags", []), "diplomacy"]
    records.update(data, "event", item["id"], item, "Ana", writes.file_sha(data, "events.yaml"))
    after = (data / "events.yaml").read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(changed) == 1 and "diplomacy" in changed[0]

"""The curating command line: `source add`, `anchor`, `suggest` and `changes`, run as a user runs them."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from atlas.core import paths
from atlas.core.load import load_dataset
from tests.conftest import REPO

ARTICLE = ("Armenia and the United States hold talks\n\n"
           "On 3 March 2025 officials met in Yerevan to discuss border security. The talks were held in Yerevan.\n\n"
           "A second round is planned for April 2025 in Gyumri, with observers from the European Union.\n")


def atlas(*args, **kw):
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=REPO, capture_output=True, text=True, timeout=180,
                          **kw)


@pytest.fixture
def data(tmp_path) -> Path:
    return Path(shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data"))


def _add(data, tmp_path, *extra):
    doc = tmp_path / "article.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    return atlas("source", "add", str(doc), "--id", "wire-2025-03-04", "--title", "Talks in Yerevan", "--publisher",
                 "Test Wire", "--date", "2025-03-04", "--perspective", "A wire report written for the test.",
                 "--editor", "Ana Editor", "--data-dir", str(data), *extra)


def test_source_add_stores_the_text_and_prints_its_passages(data, tmp_path):
    out = _add(data, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "added wire-2025-03-04: " in out.stdout and "3 passages" in out.stdout
    assert "   2 [text] On 3 March 2025 officials met in Yerevan" in out.stdout
    assert (data / "sources" / "wire-2025-03-04.txt").read_text(encoding="utf-8") == ARTICLE
    ds, problems = load_dataset(data)
    assert problems == []
    src = ds.sources["wire-2025-03-04"]
    assert (src.author, src.publisher, str(src.date_published), src.source_type) == ("Test Wire", "Test Wire", "2025-03-04",
                                                                                     "news report")
    again = _add(data, tmp_path)
    assert again.returncode == 1 and "already used" in again.stderr and "Traceback" not in again.stderr


def test_source_add_refuses_a_bad_field_without_a_traceback(data, tmp_path):
    out = _add(data, tmp_path, "--language", "English")
    assert out.returncode == 1 and "language" in out.stderr and "Traceback" not in out.stderr
    missing = atlas("source", "add", str(tmp_path / "nope.txt"), "--id", "x-1", "--title", "T", "--publisher", "P",
                    "--perspective", "p", "--data-dir", str(data))
    assert missing.returncode == 1 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr


def test_anchor_prints_the_citation_with_context_only_when_needed(data, tmp_path):
    assert _add(data, tmp_path).returncode == 0
    unique = atlas("anchor", "wire-2025-03-04", "officials met in Yerevan", "--data-dir", str(data))
    assert unique.returncode == 0, unique.stderr
    assert yaml.safe_load(unique.stdout) == {"source": "wire-2025-03-04", "quote": "officials met in Yerevan"}
    twice = atlas("anchor", "wire-2025-03-04", "in Yerevan", "--data-dir", str(data))
    assert twice.returncode == 1 and "occur 2 times" in twice.stderr and "--passage" in twice.stderr
    second = atlas("anchor", "wire-2025-03-04", "in Yerevan", "--passage", "2", "--occurrence", "2", "--data-dir", str(data))
    assert second.returncode == 0, second.stderr
    assert yaml.safe_load(second.stdout) == {"source": "wire-2025-03-04", "quote": "in Yerevan", "suffix": "."}


def test_anchor_refuses_words_that_are_not_verbatim_and_offers_the_nearest_span(data):
    out = atlas("anchor", "avim-security-balance-2023", "the chief of MI6 paid a visit to Yerevan", "--data-dir", str(data))
    assert out.returncode == 1 and out.stdout == ""
    assert "not verbatim" in out.stderr and "'the Chief of MI6 paid a visit to Yerevan'" in out.stderr
    assert "Traceback" not in out.stderr
    unknown = atlas("anchor", "no-such-source", "words", "--data-dir", str(data))
    assert unknown.returncode == 1 and "no source 'no-such-source'" in unknown.stderr and "Traceback" not in unknown.stderr


def test_suggest_prints_candidates_as_yaml(data, tmp_path):
    assert _add(data, tmp_path).returncode == 0
    out = atlas("suggest", "wire-2025-03-04", "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    got = yaml.safe_load(out.stdout)
    assert {"date": "2025-03-03", "words": "3 March 2025", "passage": 2, "precision": "day",
            "citation": {"source": "wire-2025-03-04", "quote": "3 March 2025"}} in got["dates"]
    assert any(p["place"] == "gyumri" and p["words"] == "Gyumri" for p in got["places"])
    assert any(p["partner"] == "EU" and p["words"] == "European Union" for p in got["partners"])
    assert got["draft_events"][0]["date"] == "2025-03-03"


def test_changes_against_an_older_directory(data, tmp_path):
    old = shutil.copytree(data, tmp_path / "old")
    assert _add(data, tmp_path).returncode == 0
    out = atlas("changes", "--against", str(old), "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    got = yaml.safe_load(out.stdout)
    assert got["added"] == [{"id": "wire-2025-03-04", "kind": "source", "title": "Talks in Yerevan"}]
    since = atlas("changes", "--since", "2000-01-01", "--data-dir", str(data))
    assert [c["id"] for c in yaml.safe_load(since.stdout)["added"]] == ["wire-2025-03-04"]
    nogit = atlas("changes", "--from", "HEAD~1", "--data-dir", str(data))
    assert nogit.returncode == 1 and "not in a git repository" in nogit.stderr


def test_record_add_saves_a_checked_record_and_refuses_a_bad_one(data, tmp_path):
    assert _add(data, tmp_path).returncode == 0
    event = tmp_path / "event.yaml"
    event.write_text(textwrap.dedent("""\
        id: talks-in-yerevan-2025
        title: Officials hold border-security talks in Yerevan
        summary: The wire reports a meeting on border security in Yerevan.
        date: 2025-03-03
        date_basis: stated
        actors: [Armenia, US]
        place: yerevan
        alignment:
          - {partner: US, cameo: '040', direction: toward, rationale: Talks with a partner are consultation.}
        citations:
          - {source: wire-2025-03-04, quote: On 3 March 2025 officials met in Yerevan}
        """), encoding="utf-8")
    out = atlas("record", "add", "event", str(event), "--editor", "Ana Editor", "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    ds, problems = load_dataset(data)
    assert problems == [] and ds.records["talks-in-yerevan-2025"].date.text == "2025-03-03"
    bad = tmp_path / "bad.yaml"
    bad.write_text(event.read_text().replace("talks-in-yerevan-2025", "other-talks").replace("officials met", "officials meet"))
    refused = atlas("record", "add", "event", str(bad), "--data-dir", str(data))
    assert refused.returncode == 1 and "quote not found verbatim" in refused.stderr and "Traceback" not in refused.stderr
    assert "other-talks" not in (data / "events.yaml").read_text(encoding="utf-8")


def test_record_remove_takes_a_record_out_and_refuses_one_still_referred_to(tmp_path):
    from atlas.curate import writes
    from tests.conftest import write_corpus

    data = write_corpus(tmp_path / "mini")
    out = atlas("record", "remove", "road", "--editor", "Ana Editor", "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("removed term road from terms.yaml, recorded as")
    assert "road" not in load_dataset(data)[0].records
    assert writes.read_changelog(data)[-1]["editor"] == "Ana Editor"
    places = (data / "places.yaml").read_bytes()
    refused = atlas("record", "remove", "alpha", "--data-dir", str(data))
    assert refused.returncode == 1 and "other records still refer to alpha" in refused.stderr
    assert "Traceback" not in refused.stderr and (data / "places.yaml").read_bytes() == places
    missing = atlas("record", "remove", "no-such-id", "--data-dir", str(data))
    assert missing.returncode == 1 and "no record 'no-such-id'" in missing.stderr
    source = atlas("record", "remove", "mini", "--data-dir", str(data))
    assert source.returncode == 1 and "is a source" in source.stderr


@pytest.mark.parametrize("break_it, says", [
    (lambda d: (d / "events.yaml").write_text("- id: [unclosed\n", encoding="utf-8"), "a record file cannot be read"),
    (lambda d: ((d / "terms.yaml").unlink(), (d / "terms.yaml").mkdir()), "a record file cannot be read"),
    (lambda d: (d / "terms.yaml").write_text("road: {}\n", encoding="utf-8"), "does not hold a list of records"),
    (lambda d: (d / "events.yaml").write_bytes(b"- id: caf\xe9\n"), "a record file cannot be read"),
])
def test_record_remove_on_a_broken_data_directory_says_why_without_a_traceback(tmp_path, break_it, says):
    from tests.conftest import write_corpus

    data = write_corpus(tmp_path / "mini")
    break_it(data)
    out = atlas("record", "remove", "alpha", "--data-dir", str(data))
    assert out.returncode == 1 and says in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


def test_record_remove_blocked_by_unrelated_problems_does_not_blame_references(tmp_path):
    from tests.conftest import write_corpus

    data = write_corpus(tmp_path / "mini")
    claims = (data / "claims.yaml").read_text(encoding="utf-8")
    (data / "claims.yaml").write_text(claims.replace("Observers in Alpha counted trucks.", "Words not in the text."),
                                      encoding="utf-8")
    out = atlas("record", "remove", "road", "--data-dir", str(data))
    assert out.returncode == 1 and "the data directory has problems to fix first" in out.stderr, out.stderr
    assert "still refer to" not in out.stderr

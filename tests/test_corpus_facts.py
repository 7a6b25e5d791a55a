"""No corpus fact is written into the code: record and source ids, the period, the partners, the documents' count and
names, the title, the region, key moments and layers all come from data/. The scan reads every string literal of
atlas/, pages/ and dashboard.py (docstrings and comments are prose about the code, not behaviour, and are skipped)."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import pytest

from atlas.core.kinds import KINDS
from atlas.core.load import load_or_raise
from tests.conftest import REPO, shipped

pytestmark = shipped  # the facts are the shipped corpus's

CODE = [*sorted((REPO / "atlas").rglob("*.py")), *sorted((REPO / "pages").glob("*.py")), REPO / "dashboard.py"]
NUMBER_WORDS = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# A count of the corpus's documents written as a fact ("four documents", "4 sources").
COUNTED_DOCUMENTS = re.compile(rf"\b({NUMBER_WORDS}|\d+) (documents?|sources?)\b", re.IGNORECASE)
YEAR = re.compile(r"(?<![\d.#])(19[5-9]\d|20\d\d)(?![\d])")  # a calendar year, not a colour or a decimal
# Literals that look like a fact but are generic, each with its reason. Keep this short: a new entry needs a reason.
ALLOWED = {
    ("atlas/core/yamlio.py", "tag:yaml.org,2002:timestamp"): "the YAML 1.1 timestamp tag's name, not a date of the corpus",
    ("atlas/curate/yamlio.py", "tag:yaml.org,2002:timestamp"): "the YAML 1.1 timestamp tag's name, not a date of the corpus",
    ("atlas/curate/yamlio.py", "tag:yaml.org,2002:str"): "the YAML 1.1 string tag's name, not a date of the corpus",
}
# Files left out of the scan, each with its reason.
NOT_SCANNED = {
    "atlas/tools/basemap.py": "builds the shipped corpus's geometry files from Natural Earth by named features; run by hand "
                              "(data/basemap/README.md), never imported by the app",
}


@dataclass(frozen=True)
class Hit:
    file: str
    line: int
    fact: str
    literal: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.fact} in {self.literal[:80]!r}"


def docstring_nodes(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def literals(source: str) -> list[tuple[int, str]]:
    """Every string literal of a module (f-string parts included), docstrings left out, with its line."""
    tree = ast.parse(source)
    skip = docstring_nodes(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip]


def collections(source: str) -> list[tuple[int, list[str]]]:
    """The string items of every tuple, list, set and dict (its keys) literal, with its line."""
    out = []
    for node in ast.walk(ast.parse(source)):
        items = node.keys if isinstance(node, ast.Dict) else node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else None
        if items:
            out.append((node.lineno, [k.value for k in items if isinstance(k, ast.Constant) and isinstance(k.value, str)]))
    return out


@dataclass(frozen=True)
class Facts:
    ids: frozenset[str]  # record, source and brief step ids: matched as words
    vocabulary: frozenset[str]  # tags and claim issues: matched as whole literals (a tag may be an English word)
    phrases: frozenset[str]  # names and labels written in the data: matched anywhere in a literal
    months: frozenset[str]  # the period's first and last month
    partners: frozenset[str]


def shipped_facts() -> Facts:
    ds = load_or_raise(REPO / "data")
    s = ds.settings
    ids = {*ds.records, *ds.sources, *(step.id for step, _ in ds.brief)}
    phrases = {s.title, s.description, s.subject, s.region.name, *(k.label for k in s.key_moments), *(x.label for x in s.layers),
               *(x.note for x in s.layers), *(src.short for src in ds.sources.values() if src.short)}
    vocabulary = {t for e in ds.of_kind("event") for t in e.tags} | {c.issue for c in ds.of_kind("claim")}
    vocabulary -= set(KINDS)  # a tag may name a record kind ('corridor'): the format's word, not the corpus's
    return Facts(frozenset(ids), frozenset(vocabulary), frozenset(p for p in phrases if p), frozenset({ds.period.first, ds.period.last}),
                 frozenset(s.partner_names()))


def scan(source: str, facts: Facts, file: str = "<planted>") -> list[Hit]:
    hits = []
    id_pattern = re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(sorted(map(re.escape, facts.ids), key=len, reverse=True))
                            + r")(?![A-Za-z0-9_-])")
    for line, text in literals(source):
        if (file, text) in ALLOWED or file in NOT_SCANNED:
            continue
        found = [f"record id '{m.group(1)}'" for m in id_pattern.finditer(text)]
        found += [f"tag or issue '{text}'" for _ in [0] if text in facts.vocabulary]
        found += [f"'{p}' from the data" for p in facts.phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        found += [f"period month '{m}'" for m in facts.months if m in text]
        found += [f"documents counted: '{m.group(0)}'" for m in COUNTED_DOCUMENTS.finditer(text)]
        found += [f"year '{m.group(1)}'" for m in YEAR.finditer(text)]
        hits += [Hit(file, line, fact, text) for fact in found]
    for line, items in collections(source):
        named = [x for x in items if x in facts.partners]
        if len(named) >= 3:
            hits.append(Hit(file, line, f"a list of partners ({', '.join(named)})", repr(items)))
    return hits


@pytest.fixture(scope="module")
def facts() -> Facts:
    return shipped_facts()


def test_the_facts_are_many_enough_to_mean_something(facts):
    assert len(facts.ids) > 150 and len(facts.partners) >= 19 and "Russia" in facts.partners
    assert {"lachin-road", "avim-security-balance-2023"} <= facts.ids and {"war", "zangezur-route"} <= facts.vocabulary
    assert facts.months == {"2020-01", "2023-12"} and "Sept 2022 fighting" in facts.phrases


def test_no_corpus_fact_is_written_in_the_code(facts):
    hits = [h for path in CODE for h in scan(path.read_text(encoding="utf-8"), facts, str(path.relative_to(REPO)))]
    assert not hits, "corpus facts in the code (move them to data/atlas.yaml or derive them):\n" + "\n".join(map(str, hits))


PLANTED = {
    "record id": 'KEY = {"september-2022-border-fighting": "x"}',
    "record id inside text": 'href = "/map?focus=lachin-road&date=x"',
    "source id": 'SRC = "avim-security-balance-2023"',
    "period month": 'FIRST = "2020-01"',
    "period in a sentence": 'note = f"not a month between 2020-01 and {last}"',
    "a year": 'since = "after the 2020 war"',
    "documents counted": 'line = f"coded from four documents ({names})"',
    "sources counted": 'text = "Four sources, written from four vantage points"',
    "partner list": 'PARTNERS = ("Russia", "US", "EU", "Iran")',
    "title": 'st.title("South Caucasus Security Atlas")',
    "subject": 'caption = f"How Armenia moved toward {partner}"',
    "key moment label": 'labels = {"x": "Russia invades Ukraine"}',
    "source short name": 'SOURCE = "Source: AVİM; an SCFR interview"',
    "tag as a key": 'COLOURS = {"war": "#882255"}',
    "issue as a key": 'LABELS = {"zangezur-route": "Zangezur route"}',
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_a_planted_literal_is_caught(facts, case):
    assert scan(f'"""A module."""\n\n\ndef f(names, last):\n    {PLANTED[case]}\n', facts), case


def test_docstrings_and_comments_are_prose_not_facts(facts):
    source = '"""Maps the 2020-01 to 2023-12 period of lachin-road."""\n# four documents\nX = 1\n'
    assert scan(source, facts) == []

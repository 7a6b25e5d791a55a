"""data/ -> a validated Dataset, or a list of problems that each name file, record and fix."""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from atlas import paths
from atlas.corpus import Passage, SourceText
from atlas.model import RECORD_TYPES, BriefStep, Citation, Record, Source


@dataclass(frozen=True)
class Problem:
    file: str
    record: str  # record id, or "" for the file as a whole
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" if self.record else self.file
        return f"{where}: {self.message} — fix: {self.fix}"


@dataclass(frozen=True)
class ResolvedCitation:
    record_id: str
    record_type: str
    source_id: str
    quote: str
    prefix: str | None
    suffix: str | None
    start: int
    end: int
    passage: int


@dataclass
class Dataset:
    data_dir: Path
    version: tuple = ()  # set by whoever caches the dataset: identifies the data files it was read from
    sources: dict[str, Source] = field(default_factory=dict)
    texts: dict[str, SourceText] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    citations: list[ResolvedCitation] = field(default_factory=list)
    cameo: dict[str, tuple[str, float]] = field(default_factory=dict)  # code -> (label, goldstein)
    # (source id, passage number) -> ids of records citing it, in load order
    cited_by: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    # the presenter's steps, each with its resolved citations (kept apart from the records' citations)
    brief: list[tuple[BriefStep, list[ResolvedCitation]]] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Record]:
        """The records of one kind, in load order (a shared list: do not change it)."""
        return self._index()["kind"].get(kind, [])

    def position(self, record_id: str) -> int:
        """Where a record stands among the records of its kind (its colour slot, for example); -1 if unknown."""
        return self._index()["position"].get(record_id, -1)

    def _index(self) -> dict:
        """Lookups by kind, record, selector and passage, built once (the dataset is not changed after loading)."""
        size = (len(self.citations), len(self.records))
        if getattr(self, "_built", None) is None or self._built[0] != size:
            by_kind: dict[str, list[Record]] = {}
            for r in self.records.values():
                by_kind.setdefault(r.kind, []).append(r)
            position = {r.id: i for recs in by_kind.values() for i, r in enumerate(recs)}
            by_record: dict[str, list[ResolvedCitation]] = {}
            by_selector: dict[tuple, ResolvedCitation] = {}
            by_passage: dict[tuple[str, int], list[ResolvedCitation]] = {}
            for c in self.citations:
                by_record.setdefault(c.record_id, []).append(c)
                by_selector.setdefault((c.source_id, c.quote, c.prefix, c.suffix), c)
                by_passage.setdefault((c.source_id, c.passage), []).append(c)
            self._built = (size, {"kind": by_kind, "position": position, "record": by_record,
                                  "selector": by_selector, "passage": by_passage})
        return self._built[1]

    def citations_of(self, record_id: str) -> list[ResolvedCitation]:
        return self._index()["record"].get(record_id, [])

    def resolved(self, cit: Citation) -> ResolvedCitation | None:
        """The resolved form of a citation held inside a record (a corridor status or position)."""
        return self._index()["selector"].get((cit.source, cit.quote, cit.prefix, cit.suffix))

    def citations_in(self, source_id: str, passage: int) -> list[ResolvedCitation]:
        return self._index()["passage"].get((source_id, passage), [])

    def passage_of(self, cit: ResolvedCitation) -> Passage:
        return self.texts[cit.source_id].passages[cit.passage - 1]

    def coverage(self) -> tuple[int, int, list[Passage]]:
        """(cited, substantive, uncited passages) over all sources."""
        from atlas.corpus import SUBSTANTIVE_KINDS

        substantive = [p for t in self.texts.values() for p in t.passages if p.kind in SUBSTANTIVE_KINDS]
        uncited = [p for p in substantive if (p.source_id, p.number) not in self.cited_by]
        return len(substantive) - len(uncited), len(substantive), uncited


class DataError(Exception):
    """Raised by load_or_raise when the data directory has problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


# libyaml's parser when PyYAML was built with it (the wheels are): ten times faster than the pure-Python one
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeBase):
    """A safe loader that refuses duplicate keys, which plain YAML silently overwrites."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.MarkedYAMLError(
                "while reading a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: FuzzyDate parses them with their precision and says which record holds an impossible one
# (PyYAML's own timestamp constructor would raise a bare ValueError on 2020-11-31).
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    if not path.is_file():
        problems.append(Problem(rel, "", "file is missing", f"create {rel} (see data/README.md for its format)"))
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(rel, "", f"not UTF-8 (byte {e.start})", "save the file as UTF-8"))
    except OSError as e:
        problems.append(Problem(rel, "", f"cannot be read ({e.strerror})", "check the file's permissions"))
    return None


def read_yaml_list(path: Path, rel: str, problems: list[Problem]) -> list[tuple[dict, int]]:
    """The items of a YAML file holding a list of mappings, each with its line number."""
    text = _read_text(path, rel, problems)
    if text is None:
        return []
    if not text.strip():
        problems.append(Problem(rel, "", "file is empty", "write [] for no records, or add records"))
        return []
    try:
        loader = _UniqueKeyLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        problems.append(Problem(rel, "", f"invalid YAML{at}: {reason}", "correct the YAML syntax there"))
        return []
    except (ValueError, TypeError, OverflowError) as e:  # a constructor refusing a value PyYAML resolved
        problems.append(Problem(rel, "", f"a value cannot be read ({e})", "quote the value, or correct it"))
        return []
    if data is None:
        problems.append(Problem(rel, "", "file holds no data", "write [] for no records, or add records"))
        return []
    if not isinstance(data, list):
        problems.append(Problem(rel, "", f"top level is a {type(data).__name__}, not a list",
                                "make the file a YAML list: one '- id: …' item per record"))
        return []
    items = []
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(Problem(rel, f"line {line}", f"item is a {type(item).__name__}, not a mapping",
                                    "write each record as a mapping of field: value"))
            continue
        items.append((item, line))
    return items


def _label(item: dict, line: int) -> str:
    rid = item.get("id")
    return f"{rid} (line {line})" if isinstance(rid, str) and rid else f"record at line {line}"


def _pydantic_problems(rel: str, label: str, err: ValidationError, allowed: list[str]) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(record)"
        kind = e["type"]
        if kind == "missing":
            fix = f"add the field '{loc}'"
        elif kind == "extra_forbidden":
            fix = f"remove or rename '{loc}' (allowed fields: {', '.join(allowed)})"
        elif kind == "string_pattern_mismatch" and (loc.endswith("id") or loc.endswith("place")):
            fix = "use a lower-case slug such as 'lachin-road' (letters, digits, single hyphens)"
        elif kind == "string_type" and "cameo" in loc:
            fix = "write the CAMEO code as a quoted string, e.g. cameo: '042'"
        elif kind == "string_pattern_mismatch":
            fix = f"match the pattern {e.get('ctx', {}).get('pattern', '')}"
        else:
            fix = "correct the value (see data/README.md)"
        msg = e["msg"].removeprefix("Value error, ")
        out.append(Problem(rel, label, f"field '{loc}': {msg}", fix))
    return out


def _load_cameo(ds: Dataset, problems: list[Problem]) -> None:
    rel = paths.CAMEO_FILE
    text = _read_text(ds.data_dir / rel, rel, problems)
    if text is None:
        return
    rows = list(csv.DictReader(text.splitlines()))
    for n, row in enumerate(rows, start=2):
        try:
            ds.cameo[row["cameo_code"]] = (row["event_type"], float(row["goldstein_score"]))
        except (KeyError, TypeError, ValueError):
            problems.append(Problem(rel, f"line {n}", "row lacks cameo_code, event_type or a numeric goldstein_score",
                                    "restore the row from the GDELT CAMEO/Goldstein table"))


def _validated(ds: Dataset, rel: str, cls, problems: list[Problem]):
    """Each item of a YAML list file that validates as `cls`, with its label; the rest become problems."""
    allowed = [f.alias or name for name, f in cls.model_fields.items() if name != "kind"]
    for item, line in read_yaml_list(ds.data_dir / rel, rel, problems):
        label = _label(item, line)
        try:
            yield cls.model_validate(item), label
        except ValidationError as e:
            problems.extend(_pydantic_problems(rel, label, e, allowed))


def _load_sources(ds: Dataset, problems: list[Problem]) -> None:
    rel = paths.SOURCES_FILE
    for src, label in _validated(ds, rel, Source, problems):
        if src.id in ds.sources:
            problems.append(Problem(rel, label, f"duplicate source id '{src.id}'", "give each source its own id"))
            continue
        path = ds.data_dir / src.file
        if not path.is_file():
            problems.append(Problem(src.file, src.id, "source text is missing",
                                    f"store the document as {src.file}, byte for byte"))
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != src.sha256:
            problems.append(Problem(src.file, src.id, f"sha256 is {digest}, catalogue says {src.sha256}",
                                    "restore the original bytes, or (for a new source) record the new sha256"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(Problem(src.file, src.id, f"not UTF-8 (byte {e.start})", "store the text as UTF-8"))
            continue
        built = SourceText.build(src.id, text)
        overrides = _passage_overrides(src, built, problems)
        built.passages = [replace(p, kind=overrides.get(p.number, p.kind)) for p in built.passages]
        ds.sources[src.id] = src
        ds.texts[src.id] = built


def _passage_overrides(src: Source, st: SourceText, problems: list[Problem]) -> dict[int, str]:
    overrides: dict[int, str] = {}
    for pk in src.passage_kinds:
        hits = [p.number for p in st.passages if st.raw(p).startswith(pk.starts_with)]
        if not hits:
            problems.append(Problem(paths.SOURCES_FILE, src.id, f"passage_kinds: no passage starts with {pk.starts_with!r}",
                                    "copy the start of the passage exactly"))
        for n in hits:
            overrides[n] = pk.kind
    if src.boilerplate_from:
        first = next((p.number for p in st.passages if st.raw(p).startswith(src.boilerplate_from)), None)
        if first is None:
            problems.append(Problem(paths.SOURCES_FILE, src.id,
                                    f"boilerplate_from: no passage starts with {src.boilerplate_from!r}",
                                    "copy the start of the first footer passage exactly"))
        else:
            for p in st.passages[first - 1:]:
                overrides[p.number] = "boilerplate"
    return overrides


def _load_records(ds: Dataset, problems: list[Problem]) -> dict[str, str]:
    """Load every record file; return record id -> file it came from."""
    origin: dict[str, str] = {}
    for kind, rel in paths.RECORD_FILES.items():
        for rec, label in _validated(ds, rel, RECORD_TYPES[kind], problems):
            if rec.id in ds.records or rec.id in ds.sources:
                other = origin.get(rec.id, paths.SOURCES_FILE)
                problems.append(Problem(rel, label, f"id '{rec.id}' is already used in {other}",
                                        "ids are unique across the whole dataset: rename one of them"))
                continue
            ds.records[rec.id] = rec
            origin[rec.id] = rel
    return origin


def resolve(ds: Dataset, cit: Citation) -> tuple[int, int, int] | str:
    """(start, end, passage number) of a citation, or why it does not resolve exactly once."""
    text = ds.texts.get(cit.source)
    if text is None:
        return f"cites unknown source '{cit.source}'"
    matches = text.find(cit.quote, cit.prefix, cit.suffix)
    short = cit.quote if len(cit.quote) <= 60 else cit.quote[:57] + "..."
    if not matches:
        return f"quote not found verbatim in {cit.source}: {short!r}"
    if len(matches) > 1:
        return f"quote is ambiguous: {len(matches)} occurrences in {cit.source}: {short!r}"
    m = matches[0]
    first, last = text.passage_at(m.start), text.passage_at(m.end - 1)
    if first is None or last is None or first.number != last.number:
        return f"quote spans more than one passage in {cit.source}: {short!r}"
    return m.start, m.end, first.number


def _record_citations(rec: Record) -> list[Citation]:
    """Every citation inside a record, including those of corridor statuses and positions."""
    out = list(rec.citations)
    for attr in ("statuses", "promoters", "opponents"):
        for part in getattr(rec, attr, []):
            out.extend(part.citations)
    return out


def load_dataset(data_dir: str | Path | None = None) -> tuple[Dataset, list[Problem]]:
    """Read and check everything; the dataset is only usable when the problem list is empty."""
    from atlas import reliability
    from atlas.validate import check_references

    ds = Dataset(paths.data_dir(data_dir))
    problems: list[Problem] = []
    if not ds.data_dir.is_dir():
        return ds, [Problem(str(ds.data_dir), "", "data directory does not exist",
                            "pass --data-dir or set ATLAS_DATA_DIR to a directory in the Atlas format")]
    _load_cameo(ds, problems)
    _load_sources(ds, problems)
    origin = _load_records(ds, problems)
    for rid, rec in ds.records.items():
        for cit in _record_citations(rec):
            got = resolve(ds, cit)
            if isinstance(got, str):
                problems.append(Problem(origin[rid], rid, got,
                                        "copy the quote exactly from the source text; add prefix/suffix if it occurs twice"))
                continue
            start, end, number = got
            ds.citations.append(ResolvedCitation(rid, rec.kind, cit.source, cit.quote, cit.prefix, cit.suffix,
                                                 start, end, number))
            ids = ds.cited_by.setdefault((cit.source, number), [])
            if rid not in ids:
                ids.append(rid)
    problems.extend(check_references(ds, origin))
    _load_brief(ds, problems)
    problems.extend(reliability.problems(ds))  # the optional second coding and its adjudication
    return ds, problems


def _load_brief(ds: Dataset, problems: list[Problem]) -> None:
    """The optional brief.yaml: steps whose views name real records and whose quotes resolve exactly."""
    from atlas.geo import months

    rel = paths.BRIEF_FILE
    if not (ds.data_dir / rel).exists():
        return
    seen: set[str] = set()
    for step, label in _validated(ds, rel, BriefStep, problems):
        if step.id in seen:
            problems.append(Problem(rel, label, f"duplicate step id '{step.id}'", "give each step its own id"))
        seen.add(step.id)
        view = step.view
        if view.focus and view.focus not in ds.records:
            problems.append(Problem(rel, step.id, f"view.focus '{view.focus}' is not a record id", "name an existing record"))
        if view.date and (view.date.precision != "month" or view.date.text not in months()):
            problems.append(Problem(rel, step.id, f"view.date '{view.date}' is not a month of the map (2020-01 to 2023-12)",
                                    "write the month as YYYY-MM"))
        resolved = []
        for cit in step.citations:
            got = resolve(ds, cit)
            if isinstance(got, str):
                problems.append(Problem(rel, step.id, got, "copy the quote exactly from the source text"))
                continue
            resolved.append(ResolvedCitation(step.id, "brief", cit.source, cit.quote, cit.prefix, cit.suffix, *got))
        ds.brief.append((step, resolved))


def load_or_raise(data_dir: str | Path | None = None) -> Dataset:
    ds, problems = load_dataset(data_dir)
    if problems:
        raise DataError(problems)
    return ds

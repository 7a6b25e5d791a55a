"""data/ -> a validated Dataset, or a list of problems that each name file, record and fix."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from atlas.core import paths
from atlas.core.corpus import Passage, SourceText
from atlas.core.model import RECORD_TYPES, AtlasSettings, BriefStep, Citation, Corridor, Event, Record, Source


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


@dataclass(frozen=True)
class Period:
    """The months the Atlas shows (the map's slider, the chart's axis): first and last as 'YYYY-MM'."""

    first: str
    last: str


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
    # GeoJSON files (basemap and area geometries), read and checked with everything else: path -> FeatureCollection
    geojson: dict[str, dict] = field(default_factory=dict)
    readme: str | None = None  # the data directory's README.md (its "Coding rules" are shown on /alignments)
    settings: AtlasSettings = field(default_factory=AtlasSettings)  # atlas.yaml, or its defaults when there is none

    @property
    def period(self) -> Period:
        """atlas.yaml's period, else the records': from the first to the last month an event begins (or a corridor's
        status changes). A `last` in atlas.yaml is a floor, not a cap: a later event extends the period to its month."""
        if getattr(self, "_period", None) is None or self._period[0] != len(self.records):
            starts = [r.date.start for r in self.records.values() if isinstance(r, Event)]
            starts += [s.since.start for r in self.records.values() if isinstance(r, Corridor) for s in r.statuses]
            dated = sorted(f"{d:%Y-%m}" for d in starts)
            setting = self.settings.period
            first = setting.first or (dated[0] if dated else None) or setting.last or f"{dt.date.today():%Y-%m}"
            last = max([first, *([setting.last] if setting.last else []), *dated[-1:]])
            self._period = (len(self.records), Period(first, last))
        return self._period[1]

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
        from atlas.core.corpus import SUBSTANTIVE_KINDS

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


# Limits on what one data file may hold (stated, with the reasons, in data/README.md under "Limits"). Each refusal is
# one problem line naming the file and the fix, so a hostile or broken file can neither stall nor crash the loader.
MiB = 2**20
MAX_YAML_BYTES = 16 * MiB  # a record file: 300 times the shipped events.yaml, and about 6 s to parse and check
MAX_SOURCE_BYTES = 8 * MiB  # a stored source text: several books long
MAX_GEOJSON_BYTES = 8 * MiB  # one GeoJSON file
MAX_OTHER_BYTES = 1 * MiB  # cameo.csv and README.md
MAX_NESTING = 32  # levels of lists and mappings in a YAML or GeoJSON file (records need 6, GeoJSON 8)
MAX_PASSAGE_CHARS = 50_000  # one passage (paragraph) of a source, about twenty printed pages
MAX_VERTICES = 50_000  # positions in one GeoJSON file: the shipped basemap has 3,200, an area 300
MAX_TOTAL_VERTICES = 100_000  # in all GeoJSON files together: each map view sends about 100 bytes per position


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n:,} bytes"


class Unreadable(Exception):
    """A data file that is not read: missing, outside the data directory, not a regular file, too big, unreadable."""

    def __init__(self, message: str, fix: str, missing: bool = False):
        super().__init__(message)
        self.message, self.fix, self.missing = message, fix, missing


def read_data_file(data_dir: Path, rel: str, limit: int, too_big_fix: str) -> bytes:
    """The bytes of a file of the data directory, or Unreadable saying why not.

    A file that is (or sits under) a link resolving outside the data directory is refused, so a link to /etc/passwd is
    never loaded, shown or offered for download; so is anything but a regular file (a FIFO would block the loader, a
    device never end). Links that stay inside the data directory are followed.
    """
    root = os.path.realpath(data_dir)
    real = os.path.realpath(os.path.join(root, rel))
    if os.path.commonpath([root, real]) != root:
        raise Unreadable("is a link to a file outside the data directory (or a path leading out of it)",
                         "copy the file into the data directory instead of linking to it")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except FileNotFoundError:
        raise Unreadable("file is missing", f"create {rel} (see data/README.md for its format)", missing=True) from None
    except OSError as e:
        raise Unreadable(f"cannot be read ({e.strerror})", "check the file's permissions") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "directory" if stat.S_ISDIR(info.st_mode) else "FIFO, socket or device"
            raise Unreadable(f"is a {kind}, not a regular file", "replace it with a regular file")
        if info.st_size > limit:
            raise Unreadable(f"is {_size(info.st_size)}, more than the limit of {_size(limit)} (see Limits in data/README.md)",
                             too_big_fix)
        with os.fdopen(os.dup(fd), "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise Unreadable(f"cannot be read ({e.strerror})", "check the file's permissions") from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # grew while being read
        raise Unreadable(f"is more than the limit of {_size(limit)} (see Limits in data/README.md)", too_big_fix)
    return raw


def _read_text(data_dir: Path, rel: str, problems: list[Problem], limit: int = MAX_YAML_BYTES,
               too_big_fix: str = "keep the file under the limit: shorten its texts, or move records out") -> str | None:
    try:
        raw = read_data_file(data_dir, rel, limit, too_big_fix)
    except Unreadable as e:
        problems.append(Problem(rel, "", e.message, e.fix))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(rel, "", f"not UTF-8 (byte {e.start})", "save the file as UTF-8"))
    return None


def _nesting_problem(text: str) -> str | None:
    """Where a YAML text nests lists and mappings deeper than MAX_NESTING, read from libyaml's event stream.

    The event parser keeps its own stack, so it reads any depth; the composer that builds nodes recurses once per
    level (libyaml's segfaults at about 100,000 levels, the pure-Python one raises RecursionError), so it only ever
    sees a text that passed this check.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_SafeBase):
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                return f"lists and mappings nested more than {MAX_NESTING} levels deep at line {mark.line + 1}, column {mark.column + 1}"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def parse_yaml(text: str, rel: str, problems: list[Problem], too_deep_fix: str = "remove the extra brackets or "
               "indentation there") -> tuple[object, yaml.Node | None] | None:
    """A data file's YAML as (data, its node), or None with one problem line: nesting is checked on libyaml's event
    stream before anything is composed (libyaml's composer crashes on very deep nesting), keys must be unique, and
    dates stay text."""
    try:
        too_deep = _nesting_problem(text)
        if too_deep:
            problems.append(Problem(rel, "", too_deep, too_deep_fix))
            return None
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
        return None
    except (ValueError, TypeError, OverflowError) as e:  # a constructor refusing a value PyYAML resolved
        problems.append(Problem(rel, "", f"a value cannot be read ({e})", "quote the value, or correct it"))
        return None
    return data, node


def read_yaml_list(data_dir: Path, rel: str, problems: list[Problem]) -> list[tuple[dict, int]]:
    """The items of a YAML file of the data directory holding a list of mappings, each with its line number."""
    text = _read_text(data_dir, rel, problems)
    if text is None:
        return []
    if not text.strip():
        problems.append(Problem(rel, "", "file is empty", "write [] for no records, or add records"))
        return []
    parsed = parse_yaml(text, rel, problems, "records need only a few levels (a record, its citations, a citation's "
                                              "fields): remove the extra brackets or indentation there")
    if parsed is None:
        return []
    data, node = parsed
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
            fix = "use a lower-case slug such as 'border-road' (letters, digits, single hyphens)"
        elif "partner" in loc and kind == "value_error":
            fix = f"use a partner listed in {paths.SETTINGS_FILE}, or add the new partner to its 'partners' list"
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
    text = _read_text(ds.data_dir, rel, problems, MAX_OTHER_BYTES, "restore cameo.csv from the GDELT CAMEO/Goldstein table")
    if text is None:
        return
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as e:  # a NUL byte, or an unclosed quote running into a field beyond the csv module's limit
        problems.append(Problem(rel, "", f"not a readable CSV table ({e})",
                                "restore the file from the GDELT CAMEO/Goldstein table"))
        return
    for n, row in enumerate(rows, start=2):
        try:
            ds.cameo[row["cameo_code"]] = (row["event_type"], float(row["goldstein_score"]))
        except (KeyError, TypeError, ValueError):
            problems.append(Problem(rel, f"line {n}", "row lacks cameo_code, event_type or a numeric goldstein_score",
                                    "restore the row from the GDELT CAMEO/Goldstein table"))


def _validated(ds: Dataset, rel: str, cls, problems: list[Problem]):
    """Each item of a YAML list file that validates as `cls`, with its label; the rest become problems. Partner names
    are checked against atlas.yaml's partners, when it lists them."""
    allowed = [f.alias or name for name, f in cls.model_fields.items() if name != "kind"]
    context = validation_context(ds)
    for item, line in read_yaml_list(ds.data_dir, rel, problems):
        label = _label(item, line)
        try:
            yield cls.model_validate(item, context=context), label
        except ValidationError as e:
            problems.extend(_pydantic_problems(rel, label, e, allowed))


def validation_context(ds: Dataset) -> dict:
    """What record validation needs from atlas.yaml: the partner names (None: any name)."""
    return {"partners": ds.settings.partner_names() or None}


def _load_settings(ds: Dataset, problems: list[Problem]) -> None:
    """The optional atlas.yaml: one mapping, validated; missing means every default (see data/README.md)."""
    rel = paths.SETTINGS_FILE
    if not os.path.lexists(ds.data_dir / rel):
        return
    text = _read_text(ds.data_dir, rel, problems, MAX_OTHER_BYTES, "atlas.yaml holds a few settings: shorten it")
    if text is None:
        return
    parsed = parse_yaml(text, rel, problems)
    if parsed is None:
        return
    data = parsed[0]
    if data is None:
        return  # an empty file: every default
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", f"top level is a {type(data).__name__}, not a mapping",
                                "write atlas.yaml as 'field: value' lines (title, region, period, partners, ...)"))
        return
    allowed = list(AtlasSettings.model_fields)
    try:
        ds.settings = AtlasSettings.model_validate(data)
    except ValidationError as e:
        problems.extend(_pydantic_problems(rel, "", e, allowed))


def _load_sources(ds: Dataset, problems: list[Problem]) -> None:
    rel = paths.SOURCES_FILE
    for src, label in _validated(ds, rel, Source, problems):
        if src.id in ds.sources:
            problems.append(Problem(rel, label, f"duplicate source id '{src.id}'", "give each source its own id"))
            continue
        try:
            raw = read_data_file(ds.data_dir, src.file, MAX_SOURCE_BYTES,
                                 "split the document into several sources, each under the limit")
        except Unreadable as e:
            if e.missing:
                problems.append(Problem(src.file, src.id, "source text is missing",
                                        f"store the document as {src.file}, byte for byte"))
            else:
                problems.append(Problem(src.file, src.id, f"source text {e.message}", e.fix))
            continue
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
        too_long = [p for p in built.passages if p.end - p.start > MAX_PASSAGE_CHARS]
        if too_long:
            first = too_long[0]
            more = f" (and {len(too_long) - 1:,} more passages)" if len(too_long) > 1 else ""
            problems.append(Problem(src.file, src.id, f"passage {first.number} is {first.end - first.start:,} characters "
                                    f"long{more}, more than the limit of {MAX_PASSAGE_CHARS:,} (see Limits in data/README.md)",
                                    "separate its paragraphs with blank lines, then record the new sha256"))
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
    from atlas.analysis import reliability
    from atlas.core.validate import check_references, check_settings

    ds = Dataset(paths.data_dir(data_dir))
    problems: list[Problem] = []
    if not ds.data_dir.is_dir():
        # named relative to itself: the problem is shown to every visitor of the app, the server's path is not theirs
        return ds, [Problem(".", "", "the data directory does not exist",
                            "pass --data-dir or set ATLAS_DATA_DIR to a directory in the Atlas format")]
    _load_settings(ds, problems)
    _load_cameo(ds, problems)
    _load_sources(ds, problems)
    origin = _load_records(ds, problems)
    _load_geojson(ds, origin, problems)
    _load_readme(ds, problems)
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
    problems.extend(check_settings(ds))
    _load_brief(ds, problems)
    problems.extend(reliability.problems(ds))  # the optional second coding and its adjudication
    return ds, problems


def _load_geojson(ds: Dataset, origin: dict[str, str], problems: list[Problem]) -> None:
    """Read the basemap layers (optional) and every area's geometry into the dataset, each file once, with limits.
    Pages draw from these, so a geometry file being rewritten while the app runs cannot break a map."""
    from atlas.core.model import Area
    from atlas.core.validate import GeoJSONError, parse_geojson

    total = 0
    wanted: list[tuple[str, str, str]] = [(rel, rel, "") for rel in (paths.BASEMAP_50M, paths.BASEMAP_10M)]
    wanted += [(rec.geometry, origin[rid], rid) for rid, rec in ds.records.items() if isinstance(rec, Area) and rec.geometry]
    seen: set[str] = set()
    for rel, file, record in wanted:
        if rel in seen:  # each file is read and judged once, however many areas name it
            continue
        seen.add(rel)
        basemap = not record
        what = "basemap file" if basemap else f"geometry file '{rel}'"
        simplify = "simplify the outlines (e.g. shapely's simplify, as atlas/tools/basemap.py does) or clip them to the region"
        try:
            raw = read_data_file(ds.data_dir, rel, MAX_GEOJSON_BYTES, simplify)
            doc, vertices = parse_geojson(raw, MAX_VERTICES, MAX_NESTING)
        except Unreadable as e:
            if e.missing and basemap:
                continue  # a corpus without a basemap draws its map on plain water
            if e.missing:
                problems.append(Problem(file, record, f"{what} is missing",
                                        "name a GeoJSON file inside the data directory, or remove 'geometry' "
                                        "to describe the area without drawing it"))
            else:
                problems.append(Problem(file, record, f"{what} {e.message}" if record else e.message, e.fix))
            continue
        except GeoJSONError as e:
            if e.too_big:
                fix = simplify
            elif basemap:
                fix = "regenerate it with python -m atlas.tools.basemap (see data/basemap/README.md)"
            else:
                fix = "write the area as a GeoJSON Polygon or MultiPolygon in lon, lat (WGS 84) (see data/README.md)"
            problems.append(Problem(file, record, f"{what} {e}" if record else str(e), fix))
            continue
        total += vertices
        if total > MAX_TOTAL_VERTICES:
            problems.append(Problem(file, record, f"the GeoJSON files together hold more than {MAX_TOTAL_VERTICES:,} "
                                    f"positions (reached at {rel}); every map view draws them all",
                                    simplify))
            return
        ds.geojson[rel] = doc


def _load_readme(ds: Dataset, problems: list[Problem]) -> None:
    """The data directory's README.md (optional): read now, as UTF-8 within its limit, or the data do not load."""
    rel = paths.README_FILE
    try:
        raw = read_data_file(ds.data_dir, rel, MAX_OTHER_BYTES, "shorten the README: it documents the data, it is not data")
    except Unreadable as e:
        if not e.missing:
            problems.append(Problem(rel, "", e.message, e.fix))
        return
    try:
        ds.readme = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(rel, "", f"not UTF-8 (byte {e.start})", "save the file as UTF-8"))


def _load_brief(ds: Dataset, problems: list[Problem]) -> None:
    """The optional brief.yaml: steps whose views name real records and whose quotes resolve exactly."""
    from atlas.core.geo import period_months

    rel = paths.BRIEF_FILE
    if not os.path.lexists(ds.data_dir / rel):
        return
    seen: set[str] = set()
    for step, label in _validated(ds, rel, BriefStep, problems):
        if step.id in seen:
            problems.append(Problem(rel, label, f"duplicate step id '{step.id}'", "give each step its own id"))
        seen.add(step.id)
        view = step.view
        if view.focus and view.focus not in ds.records:
            problems.append(Problem(rel, step.id, f"view.focus '{view.focus}' is not a record id", "name an existing record"))
        if view.date and (view.date.precision != "month" or view.date.text not in period_months(ds)):
            problems.append(Problem(rel, step.id, f"view.date '{view.date}' is not a month of the map "
                                    f"({ds.period.first} to {ds.period.last})",
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

"""data/ -> a validated Dataset, or a list of problems that each name file, record and fix.

The loader runs the other core modules in order: the optional atlas.yaml (settings), the catalogue and its source
texts, the record files (one per kind, atlas.core.kinds), the GeoJSON files, the README, the cross-record checks, the
brief and the reliability files.
"""
from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from atlas.core import paths, secondcoding
from atlas.core.brief import load_brief
from atlas.core.corpus import SourceText
from atlas.core.dataset import Dataset, ResolvedCitation, resolve, validation_context
from atlas.core.files import (  # noqa: F401 (the limits are read from here by the tests and data/README.md)
    MAX_GEOJSON_BYTES,
    MAX_NESTING,
    MAX_OTHER_BYTES,
    MAX_PASSAGE_CHARS,
    MAX_SOURCE_BYTES,
    MAX_TOTAL_VERTICES,
    MAX_VERTICES,
    MAX_YAML_BYTES,
    Unreadable,
    read_data_file,
    read_text,
)
from atlas.core.geojson import load_geojson
from atlas.core.kinds import KINDS
from atlas.core.model import AtlasSettings, Citation, Record, Source
from atlas.core.problems import DataError, Problem
from atlas.core.validate import check_references, check_settings
from atlas.core.yamlio import parse_yaml, pydantic_problems, read_yaml_list, validated

__all__ = ["DataError", "Dataset", "Problem", "ResolvedCitation", "load_dataset", "load_or_raise", "parse_yaml",
           "read_yaml_list", "resolve"]


def _load_cameo(ds: Dataset, problems: list[Problem]) -> None:
    rel = paths.CAMEO_FILE
    text = read_text(ds.data_dir, rel, problems, MAX_OTHER_BYTES, "restore cameo.csv from the GDELT CAMEO/Goldstein table")
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


def _load_settings(ds: Dataset, problems: list[Problem]) -> None:
    """The optional atlas.yaml: one mapping, validated; missing means every default (see data/README.md)."""
    rel = paths.SETTINGS_FILE
    if not os.path.lexists(ds.data_dir / rel):
        return
    text = read_text(ds.data_dir, rel, problems, MAX_OTHER_BYTES, "atlas.yaml holds a few settings: shorten it")
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
        problems.extend(pydantic_problems(rel, "", e, allowed))


def _load_sources(ds: Dataset, problems: list[Problem]) -> None:
    rel = paths.SOURCES_FILE
    for src, label in validated(ds.data_dir, rel, Source, problems, validation_context(ds)):
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
    """Load every record file there is (each is optional: a missing file means no records of that kind); return record
    id -> file it came from."""
    origin: dict[str, str] = {}
    context = validation_context(ds)  # partner names are checked against atlas.yaml's list
    for kind in KINDS.values():
        rel = kind.file
        if not os.path.lexists(ds.data_dir / rel):
            continue
        for rec, label in validated(ds.data_dir, rel, kind.model, problems, context):
            if rec.id in ds.records or rec.id in ds.sources:
                other = origin.get(rec.id, paths.SOURCES_FILE)
                problems.append(Problem(rel, label, f"id '{rec.id}' is already used in {other}",
                                        "ids are unique across the whole dataset: rename one of them"))
                continue
            ds.records[rec.id] = rec
            origin[rec.id] = rel
    return origin


def _record_citations(rec: Record) -> list[Citation]:
    """Every citation inside a record, including those of corridor statuses and positions."""
    out = list(rec.citations)
    for attr in ("statuses", "promoters", "opponents"):
        for part in getattr(rec, attr, []):
            out.extend(part.citations)
    return out


def load_dataset(data_dir: str | Path | None = None) -> tuple[Dataset, list[Problem]]:
    """Read and check everything; the dataset is only usable when the problem list is empty."""
    ds = Dataset(paths.data_dir(data_dir))
    problems: list[Problem] = []
    if not ds.data_dir.is_dir():
        # named relative to itself: the problem is shown to every visitor of the app, the server's path is not theirs
        return ds, [Problem(".", "", "the data directory does not exist",
                            "pass --data-dir or set ATLAS_DATA_DIR to a directory in the Atlas format")]
    _load_settings(ds, problems)
    _load_settings(ds, problems)
    _load_cameo(ds, problems)
    _load_sources(ds, problems)
    origin = _load_records(ds, problems)
    load_geojson(ds, origin, problems)
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
    load_brief(ds, problems)
    problems.extend(secondcoding.problems(ds))  # the optional second coding and its adjudication
    return ds, problems


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


def load_or_raise(data_dir: str | Path | None = None) -> Dataset:
    ds, problems = load_dataset(data_dir)
    if problems:
        raise DataError(problems)
    return ds

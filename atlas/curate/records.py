"""Create, edit and remove records of every kind in their YAML files, keeping comments, order and layout."""
from __future__ import annotations

import os

from pydantic import ValidationError

from atlas.core import kinds, paths
from atlas.core.problems import Problem
from atlas.core.yamlio import pydantic_problems
from atlas.curate import yamlio
from atlas.curate.writes import Invalid, Refused, Saved, save, sha256_bytes


def source_ids(data_dir: str | os.PathLike | None) -> list[str]:
    """The ids in the source catalogue, read loosely (the loader has the final word on save)."""
    path = paths.data_dir(data_dir) / paths.SOURCES_FILE
    if not path.exists():
        return []
    data = yamlio.load(path.read_text(encoding="utf-8")) or []
    return [s["id"] for s in data if isinstance(s, dict) and isinstance(s.get("id"), str)]


def record_file(kind: str) -> str:
    files = kinds.record_files()
    if kind not in files:
        raise Refused(f"not saved: no record kind '{kind}' (kinds: {', '.join(files)})")
    return files[kind]


def record_files_label() -> str:
    """The record files, for a message: 'events.yaml, claims.yaml, …'."""
    return ", ".join(kinds.record_files().values())


def kinds_with_files() -> list[str]:
    """The record kinds a curator can create (events and claims first: the common ones)."""
    names = list(kinds.record_files())
    return sorted(names, key=lambda k: (k not in ("event", "claim"), names.index(k)))


def _fields(kind: str) -> list[str]:
    cls = kinds.KINDS[kind].model
    return [f.alias or name for name, f in cls.model_fields.items() if name != "kind"]


def check_record(kind: str, item: dict) -> list[Problem]:
    """The record's own problems, worded as `validate` words them (the whole dataset is checked again on save)."""
    rel = record_file(kind)
    label = item.get("id") if isinstance(item.get("id"), str) and item.get("id") else f"new {kind}"
    try:
        kinds.KINDS[kind].model.model_validate(item)
    except ValidationError as e:
        return pydantic_problems(rel, label, e, _fields(kind))
    return []


def ordered(kind: str, item: dict) -> dict:
    """A new record's fields in the house order: id first, then the model's fields, citations last; empty ones out."""
    keys = ["id"] + [k for k in _fields(kind) if k not in ("id", "citations")] + ["citations"]
    out = {k: item[k] for k in keys if k in item and item[k] not in (None, "", [], {})}
    out.update({k: v for k, v in item.items() if k not in out and k not in keys})  # unknown fields: validation names them
    return out


def read(data_dir: str | os.PathLike | None, kind: str) -> tuple[str, str | None, list]:
    """(the file's text, its sha256 — keep it to save against — and its round-trip list of records)."""
    rel = record_file(kind)
    path = paths.data_dir(data_dir) / rel
    if not path.exists():
        return "", None, yamlio.load("[]\n")
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    data = yamlio.load(text) if text.strip() else None
    if data is None:
        data = yamlio.load("[]\n")
    if not isinstance(data, list):
        raise Refused(f"not saved: {rel} does not hold a list of records")
    return text, sha256_bytes(raw), data


def find(data_dir: str | os.PathLike | None, kind: str, rid: str) -> dict | None:
    """A stored record as plain data, or None."""
    _, _, data = read(data_dir, kind)
    for rec in data:
        if isinstance(rec, dict) and rec.get("id") == rid:
            return yamlio.plain(rec)
    return None


def append_text(text: str, item: dict) -> str:
    """The file's text with one more list item at the end; the existing bytes are kept exactly. Items are separated by
    a blank line where the file already separates them so."""
    block = yamlio.dump([yamlio.node(item)])
    if not text.strip() or text.strip() == "[]":
        head = "".join(line for line in text.splitlines(True) if line.lstrip().startswith("#"))
        return head + block
    sep = "\n\n" if "\n\n- " in text else "\n"
    return text.rstrip("\n") + sep + block


def _refuse_problems(problems: list[Problem]):
    if problems:
        raise Invalid(problems)


def all_ids(data_dir) -> dict[str, str]:
    """Every id in use -> the file holding it (read loosely: the loader has the final word on save)."""
    out = {sid: paths.SOURCES_FILE for sid in source_ids(data_dir)}
    for kind, rel in kinds.record_files().items():
        _, _, data = read(data_dir, kind)
        for rec in data:
            if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                out.setdefault(rec["id"], rel)
    return out


def create(data_dir: str | os.PathLike | None, kind: str, item: dict, editor: str, read_sha: str | None) -> Saved:
    """Add a record at the end of its file. `read_sha` is the file's sha256 when the form opened."""
    rel = record_file(kind)
    _refuse_problems(check_record(kind, item))
    used = all_ids(data_dir).get(item["id"])
    if used:
        raise Refused(f"not saved: the id '{item['id']}' is already used in {used} — ids are unique across all files")
    text, _, _ = read(data_dir, kind)
    new = append_text(text, ordered(kind, item))
    return save(data_dir, {rel: new.encode("utf-8")}, {rel: read_sha}, editor, f"Add {kind} {item['id']}", [item["id"]])


def _apply(stored, item: dict, kind: str) -> None:
    """Change a stored record in place to hold `item`: unchanged fields keep their layout, removed ones go, new ones
    are placed before the citations."""
    for key in [k for k in stored if k not in item or item[k] in (None, "", [], {})]:
        del stored[key]
    for key, value in ordered(kind, item).items():
        if key in stored:
            if yamlio.plain(stored[key]) != value:
                stored[key] = yamlio.node(value)
        else:
            at = list(stored).index("citations") if "citations" in stored else len(stored)
            stored.insert(at, key, yamlio.node(value))


def update(data_dir: str | os.PathLike | None, kind: str, rid: str, item: dict, editor: str, read_sha: str | None) -> Saved:
    """Replace the record `rid` with `item` (which may carry a new id, if that id is free)."""
    rel = record_file(kind)
    _refuse_problems(check_record(kind, item))
    _, _, data = read(data_dir, kind)
    stored = next((r for r in data if isinstance(r, dict) and r.get("id") == rid), None)
    if stored is None:
        raise Refused(f"not saved: there is no {kind} '{rid}' in {rel} (it may have been removed meanwhile)")
    if item["id"] != rid and item["id"] in all_ids(data_dir):
        raise Refused(f"not saved: the id '{item['id']}' is already used — ids are unique across all files")
    _apply(stored, item, kind)
    new = yamlio.dump(data)
    return save(data_dir, {rel: new.encode("utf-8")}, {rel: read_sha}, editor, f"Edit {kind} {rid}", [rid])


def remove(data_dir: str | os.PathLike | None, kind: str, rid: str, editor: str, read_sha: str | None) -> Saved:
    """Remove a record (refused, like any save, when another record still refers to it)."""
    rel = record_file(kind)
    _, _, data = read(data_dir, kind)
    at = next((i for i, r in enumerate(data) if isinstance(r, dict) and r.get("id") == rid), None)
    if at is None:
        raise Refused(f"not saved: there is no {kind} '{rid}' in {rel}")
    del data[at]
    return save(data_dir, {rel: yamlio.dump(data).encode("utf-8")}, {rel: read_sha}, editor, f"Remove {kind} {rid}", [rid])

"""What changed: records added, changed and removed between two versions of the data — two git revisions of the data
directory, two data directories, or the git history (else the changelog) since a date."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass, field

from atlas.core import kinds, paths
from atlas.core.load import Problem, parse_yaml
from atlas.curate.writes import git_root, read_changelog

FILES = {"source": paths.SOURCES_FILE, **kinds.record_files()}  # the kinds registered when this module loads


@dataclass(frozen=True)
class Change:
    id: str
    kind: str
    title: str  # the record's title or name as the newer version has it (the older one for a removal)


@dataclass
class Changes:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def as_dict(self) -> dict:
        return {k: [{"id": c.id, "kind": c.kind, "title": c.title} for c in getattr(self, k)]
                for k in ("added", "changed", "removed")}


def _title(kind: str, item: dict) -> str:
    for key in ("title", "term"):
        if isinstance(item.get(key), str):
            return item[key]
    names = item.get("names")
    if isinstance(names, dict) and isinstance(names.get("international"), str):
        return names["international"]
    if kind == "claim":
        return f"{item.get('actor', '?')} {item.get('stance', '?')}: {str(item.get('issue', '?')).replace('-', ' ')}"
    return str(item.get("id"))


def _records(texts: dict[str, str | None]) -> dict[str, tuple[str, dict]]:
    """kind -> file text (None: absent) ==> id -> (kind, item)."""
    out: dict[str, tuple[str, dict]] = {}
    for kind, text in texts.items():
        if not text or not text.strip():
            continue
        problems: list[Problem] = []
        parsed = parse_yaml(text, FILES[kind], problems)
        if parsed is None or not isinstance(parsed[0], list):
            continue
        for item in parsed[0]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.setdefault(item["id"], (kind, item))
    return out


def records_in(data_dir: str | os.PathLike | None) -> dict[str, tuple[str, dict]]:
    root = paths.data_dir(data_dir)
    texts = {}
    for kind, rel in FILES.items():
        path = root / rel
        texts[kind] = path.read_text(encoding="utf-8") if path.is_file() else None
    return _records(texts)


# a commit id, tag or branch, optionally with ~N or ^N: never an option ('--output=…') nor a range ('a..b')
_REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}(?:[~^][0-9]{0,3})*$")


@dataclass(frozen=True)
class Revision:
    """A version of the data: a git commit that changed the data directory."""
    sha: str
    when: dt.datetime
    author: str
    message: str

    def label(self) -> str:
        return f"{self.when:%d %b %Y %H:%M} · {self.author}: {self.message[:70]} ({self.sha[:10]})"


def _checked(top, rev: str) -> str:
    """The full commit id of `rev`, or ValueError saying why it is not one (nothing else is handed to git)."""
    if not isinstance(rev, str) or not _REVISION.match(rev) or ".." in rev:
        raise ValueError(f"'{str(rev)[:40]}' is not a git revision: give a commit id, a tag or a branch")
    out = subprocess.run(["git", "-C", str(top), "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0 or not out.stdout.strip():
        raise ValueError(f"there is no revision '{rev}' in the git history of the data")
    return out.stdout.strip()


def revisions(data_dir: str | os.PathLike | None, limit: int = 200) -> list[Revision]:
    """The newest commits that changed the data directory, newest first (none without git)."""
    root = paths.data_dir(data_dir)
    top = git_root(root)
    if top is None:
        return []
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    out = subprocess.run(["git", "-C", str(top), "log", f"-n{int(limit)}", "--format=%H%x1f%aI%x1f%an%x1f%s", "--", prefix],
                         capture_output=True, text=True, timeout=60)
    found = []
    for line in out.stdout.splitlines() if out.returncode == 0 else []:
        parts = line.split("\x1f")
        if len(parts) != 4:
            continue
        try:
            when = dt.datetime.fromisoformat(parts[1])
        except ValueError:
            continue
        found.append(Revision(parts[0], when, parts[2], parts[3]))
    return found


def records_at(data_dir: str | os.PathLike | None, rev: str) -> dict[str, tuple[str, dict]]:
    """The records as they were at a git revision of the repository holding the data directory."""
    root = paths.data_dir(data_dir)
    top = git_root(root)
    if top is None:
        raise ValueError(f"{root} is not in a git repository: compare two data directories instead")
    rev = _checked(top, rev)
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    texts = {}
    for kind, rel in FILES.items():
        spec = f"{rev}:{prefix}/{rel}" if prefix != "." else f"{rev}:{rel}"
        out = subprocess.run(["git", "-C", str(top), "show", spec], capture_output=True, timeout=60)
        texts[kind] = out.stdout.decode("utf-8", "replace") if out.returncode == 0 else None
    return _records(texts)


def diff(old: dict[str, tuple[str, dict]], new: dict[str, tuple[str, dict]]) -> Changes:
    ch = Changes()
    for rid, (kind, item) in new.items():
        if rid not in old:
            ch.added.append(Change(rid, kind, _title(kind, item)))
        elif old[rid][1] != item:
            ch.changed.append(Change(rid, kind, _title(kind, item)))
    for rid, (kind, item) in old.items():
        if rid not in new:
            ch.removed.append(Change(rid, kind, _title(kind, item)))
    return ch


def between_dirs(old_dir: str | os.PathLike, new_dir: str | os.PathLike) -> Changes:
    return diff(records_in(old_dir), records_in(new_dir))


def between_revisions(data_dir: str | os.PathLike | None, old_rev: str, new_rev: str | None = None) -> Changes:
    """Between two git revisions; without `new_rev`, against the files as they are now."""
    new = records_at(data_dir, new_rev) if new_rev else records_in(data_dir)
    return diff(records_at(data_dir, old_rev), new)


def revision_before(data_dir: str | os.PathLike | None, when: dt.date) -> str | None:
    """The last commit made before a day began (None if there is none, or no git)."""
    top = git_root(paths.data_dir(data_dir))
    if top is None:
        return None
    out = subprocess.run(["git", "-C", str(top), "rev-list", "-1", f"--before={when.isoformat()}T00:00:00Z", "HEAD"],
                         capture_output=True, text=True, timeout=60)
    return out.stdout.strip() or None if out.returncode == 0 else None


def since(data_dir: str | os.PathLike | None, when: dt.date) -> Changes:
    """What changed from the start of a day until now: from git history when there is one, else from the changelog
    (which names the ids each save touched; those still present are added or changed, the rest removed)."""
    root = paths.data_dir(data_dir)
    if git_root(root) is not None:
        rev = revision_before(root, when)
        if rev is None:  # the history starts after that day: everything is new
            return diff({}, records_in(root))
        return between_revisions(root, rev)
    now = records_in(root)
    ch = Changes()
    seen: set[str] = set()
    for entry in read_changelog(root):
        try:
            at = dt.datetime.fromisoformat(str(entry.get("at"))).date()
        except ValueError:
            continue
        if at < when:
            continue
        verb = str(entry.get("message", "")).split(" ", 1)[0]
        for rid in entry.get("ids", []):
            if rid in seen:
                continue
            seen.add(rid)
            if rid not in now:
                ch.removed.append(Change(rid, "", rid))
            elif verb == "Add":
                ch.added.append(Change(rid, now[rid][0], _title(*now[rid])))
            else:
                ch.changed.append(Change(rid, now[rid][0], _title(*now[rid])))
    return ch

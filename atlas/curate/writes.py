"""Saving that never loses data.

One save writes a few files of the data directory. Under an exclusive lock it (1) refuses when a file changed since the
editor read it (optimistic concurrency: the editor's form carries each file's sha256 as read), (2) validates the whole
dataset on a staged copy with the new files in place and refuses with the problem list when it would not load, then
(3) writes each file atomically (temporary file in the same directory, fsync, os.replace, fsync of the directory),
new files before the file that names them, so a process killed at any point leaves a data directory that loads, and
(4) records the change: a git commit authored by the editor when the data directory is in a git work tree, else a line
appended to changelog.jsonl.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from atlas.core import paths
from atlas.core.load import Problem, load_dataset

CHANGELOG = "changelog.jsonl"
ORIGINALS = "sources/originals"  # uploaded documents kept beside their extracted text
_TMP_MARK = ".atlas-tmp-"  # temporary files of an atomic write: `.<name>.atlas-tmp-XXXX`, removed after a crash
_NOT_STAGED = {".git", "originals", CHANGELOG}  # what the loader never reads, so validation need not copy it


class Refused(Exception):
    """A save that was not made; nothing was written."""


class Invalid(Refused):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        n = len(problems)
        super().__init__(f"not saved: the data would have {n} problem{'s' if n != 1 else ''}:\n" + "\n".join(map(str, problems)))


@dataclass(frozen=True)
class Conflict:
    rel: str
    read_sha: str | None  # as the editor read it (None: it did not exist)
    current_sha: str | None
    current: str | None  # the file as it is now (the other editor's version)
    proposed: str  # this editor's version


class Stale(Refused):
    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        names = ", ".join(c.rel for c in conflicts)
        super().__init__(f"not saved: {names} changed since you opened it (someone else saved first); "
                         "both versions are kept here — reload, reapply your change and save again")


@dataclass(frozen=True)
class Saved:
    files: list[str]
    version: str  # the git commit, or the changelog line's time stamp
    recorded: str  # how the change was recorded ("git commit …" or "changelog.jsonl")
    warnings: list[str] = field(default_factory=list)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(data_dir: str | os.PathLike | None, rel: str) -> str | None:
    """The sha256 of a data file as it is now, or None when it does not exist (what a form keeps when it opens)."""
    try:
        return sha256_bytes((paths.data_dir(data_dir) / rel).read_bytes())
    except FileNotFoundError:
        return None


def _safe_rel(rel: str) -> str:
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise Refused(f"not saved: {rel!r} is not a path inside the data directory")
    return p.as_posix()


@contextmanager
def locked(data_dir: Path):
    """One save at a time per data directory (flock on the directory itself: no lock file is left behind)."""
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace (or create) a file so that a reader or a crash sees either the old bytes or the new, never a mixture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{_TMP_MARK}", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _remove_leftovers(data_dir: Path) -> None:
    """Temporary files of a save that was killed (only called under the lock, so none belongs to a live save)."""
    for tmp in data_dir.rglob(f".*{_TMP_MARK}*"):
        if ".git" not in tmp.relative_to(data_dir).parts:
            tmp.unlink(missing_ok=True)


def validate_staged(data_dir: Path, files: dict[str, bytes]) -> list[Problem]:
    """The problems the whole dataset would have with `files` written: loaded from a staged copy of the directory."""
    with tempfile.TemporaryDirectory(prefix="atlas-stage-") as tmp:
        stage = Path(tmp) / "data"
        shutil.copytree(data_dir, stage, symlinks=True, ignore=lambda d, names: [n for n in names if n in _NOT_STAGED
                                                                                 or _TMP_MARK in n])
        for rel, data in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _, problems = load_dataset(stage)
    return problems


def git_root(data_dir: Path) -> Path | None:
    """The top of the git work tree holding the data directory, or None (no git, or not in a work tree)."""
    try:
        out = subprocess.run(["git", "-C", str(data_dir), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def _identity(editor: str) -> tuple[str, str]:
    """'Ana Petrosyan <ana@example.org>' -> (name, email); a bare name gets an address under .invalid."""
    m = re.match(r"^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$", editor)
    if m and m.group(1):
        return m.group(1), m.group(2)
    name = editor.strip() or "unknown editor"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "editor"
    return name, f"{slug}@atlas.invalid"


def _git_commit(root: Path, data_dir: Path, rels: list[str], editor: str, message: str) -> str:
    name, email = _identity(editor)
    files = [str((data_dir / rel).resolve().relative_to(root.resolve())) for rel in rels]
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email}
    base = ["git", "-C", str(root), "-c", f"user.name={name}", "-c", f"user.email={email}"]
    subprocess.run([*base, "add", "--", *files], check=True, capture_output=True, timeout=60, env=env)
    subprocess.run([*base, "commit", "-q", "--no-verify", "-m", message, "--only", "--", *files], check=True,
                   capture_output=True, timeout=60, env=env)
    out = subprocess.run([*base, "rev-parse", "HEAD"], check=True, capture_output=True, text=True, timeout=20)
    return out.stdout.strip()


def append_changelog(data_dir: Path, entry: dict) -> None:
    """One JSON line, appended (O_APPEND) and flushed to disk; earlier lines are never rewritten."""
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(data_dir / CHANGELOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_changelog(data_dir: str | os.PathLike | None) -> list[dict]:
    """The changelog's entries in order (a line cut short by a crash is skipped)."""
    path = paths.data_dir(data_dir) / CHANGELOG
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


def save(data_dir: str | os.PathLike | None, files: dict[str, bytes], read_shas: dict[str, str | None], editor: str,
         message: str, ids: list[str] | tuple[str, ...] = (), extra: dict[str, bytes] | None = None) -> Saved:
    """Write `files` (data-directory-relative path -> bytes) if every file is as the editor read it and the whole
    dataset stays valid; else raise Stale or Invalid and write nothing.

    `read_shas` gives, for each file, its sha256 when the editor read it (None: it must not exist yet). `extra` files
    (an uploaded original) are written with the rest but are not data the loader reads.
    """
    root = paths.data_dir(data_dir)
    if not root.is_dir():
        raise Refused(f"not saved: the data directory {root} does not exist")
    if not editor or not editor.strip():
        raise Refused("not saved: every write records who made it — give the editor's name")
    files = {_safe_rel(k): v for k, v in files.items()}
    extra = {_safe_rel(k): v for k, v in (extra or {}).items()}
    with locked(root):
        _remove_leftovers(root)
        conflicts = []
        for rel, data in {**files, **extra}.items():
            if rel not in read_shas:
                raise Refused(f"not saved: no record of {rel} as it was read (its sha256, or None for a new file)")
            want, now = read_shas[rel], file_sha(root, rel)
            if want != now:
                current = (root / rel).read_bytes().decode("utf-8", "replace") if now is not None else None
                conflicts.append(Conflict(rel, want, now, current, data.decode("utf-8", "replace")))
        if conflicts:
            raise Stale(conflicts)
        problems = validate_staged(root, files)
        if problems:
            raise Invalid(problems)
        # new files first: until the file that names them is replaced, nothing refers to them
        order = sorted({**files, **extra}.items(), key=lambda kv: read_shas.get(kv[0]) is not None)
        for rel, data in order:
            atomic_write(root / rel, data)
        written = [rel for rel, _ in order]
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        git = git_root(root)
        if git is not None:
            try:
                commit = _git_commit(git, root, written, editor, message)
                return Saved(written, commit, f"git commit {commit[:10]} by {_identity(editor)[0]}")
            except (OSError, subprocess.SubprocessError) as e:
                err = getattr(e, "stderr", b"") or b""
                warning = f"saved, but the git commit failed ({err.decode('utf-8', 'replace').strip() or e}); " \
                          f"recorded in {CHANGELOG} instead"
                append_changelog(root, {"at": stamp, "editor": editor, "message": message, "ids": list(ids),
                                        "files": {rel: sha256_bytes(files.get(rel, extra.get(rel, b""))) for rel in written}})
                return Saved(written, stamp, CHANGELOG, [warning])
        append_changelog(root, {"at": stamp, "editor": editor, "message": message, "ids": list(ids),
                                "files": {rel: sha256_bytes({**files, **extra}[rel]) for rel in written}})
        return Saved(written, stamp, CHANGELOG)

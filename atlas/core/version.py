"""The data version: one value for the data files a page, a citation, a pack or a bundle was drawn from.

It is (date, digest). The digest is the first 12 hex digits of a sha256 over every data file's path and bytes, so the
same files always give the same version and any change to a record, a source or its text gives another. The date is
that of the last commit touching the data directory when it is a clean git checkout, else the day its newest file was
written (a save from /curate, say). The sidebar, /changes, every citation, the slide packs and the data bundle all
print this value, as `version_label` writes it: '2026-12-01 (3fa2c19be0d4)'.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from pathlib import Path

from atlas.core.dataset import Dataset

# Not data: git's own files and the temporary files of an atomic write (atlas.curate.writes) are left out.
_SKIPPED_DIRS = {".git"}
_TMP_MARK = ".atlas-tmp-"


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and _TMP_MARK not in p.name
                  and not _SKIPPED_DIRS.intersection(p.relative_to(root).parts))


def data_digest(root: str | os.PathLike) -> str:
    """The first 12 hex digits of a sha256 over every data file's path and bytes: the same files give the same digest."""
    root = Path(root)
    digest = hashlib.sha256()
    for p in _files(root):
        digest.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _commit_date(root: Path) -> str | None:
    """The date of the last commit touching the directory, if it is in a git work tree with nothing uncommitted."""
    try:
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "."], capture_output=True,
                               text=True, timeout=10)
        if dirty.returncode != 0 or dirty.stdout.strip():
            return None
        last = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs", "--", "."], capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return (last.stdout.strip() or None) if last.returncode == 0 else None


def dir_version(data_dir: str | os.PathLike) -> tuple[str, str]:
    """(date, digest) of a data directory (see the module's docstring)."""
    root = Path(data_dir)
    date = _commit_date(root) if root.is_dir() else None
    if date is None:
        files = _files(root)
        if files:
            date = dt.date.fromtimestamp(max(p.stat().st_mtime for p in files)).isoformat()
    return date or "unknown", data_digest(root)


def data_version(ds: Dataset) -> tuple[str, str]:
    """(date, digest) of the data files the dataset was read from."""
    return dir_version(ds.data_dir)


def version_label(version: tuple[str, str]) -> str:
    """'2026-12-01 (3fa2c19be0d4)': the data version as the sidebar, a citation or a pack prints it."""
    return f"{version[0]} ({version[1]})"

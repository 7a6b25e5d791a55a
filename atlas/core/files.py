"""Reading a file of the data directory safely: inside the directory, a regular file, within its size limit."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from atlas.core.problems import Problem

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
    return read_regular(real, limit, too_big_fix, missing_fix=f"create {rel} (see data/README.md for its format)",
                        limit_note=" (see Limits in data/README.md)")


def read_regular(path: str | os.PathLike, limit: int, too_big_fix: str, *, missing_fix: str, follow_links: bool = False,
                 limit_note: str = "") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or Unreadable saying why not (missing, a link when
    `follow_links` is off, a directory, FIFO or device, too big, or grown past the limit while read)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Unreadable("file is missing", missing_fix, missing=True) from None
    except OSError as e:
        raise Unreadable(f"cannot be read ({e.strerror})", "check the file's permissions") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "directory" if stat.S_ISDIR(info.st_mode) else "FIFO, socket or device"
            raise Unreadable(f"is a {kind}, not a regular file", "replace it with a regular file")
        if info.st_size > limit:
            raise Unreadable(f"is {_size(info.st_size)}, more than the limit of {_size(limit)}{limit_note}", too_big_fix)
        with os.fdopen(os.dup(fd), "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise Unreadable(f"cannot be read ({e.strerror})", "check the file's permissions") from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # grew while being read
        raise Unreadable(f"is more than the limit of {_size(limit)}{limit_note}", too_big_fix)
    return raw


def read_text(data_dir: Path, rel: str, problems: list[Problem], limit: int = MAX_YAML_BYTES,
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

"""A problem with the data: one line naming file, record and fix; and the error that carries a list of them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    record: str  # record id, or "" for the file as a whole
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" if self.record else self.file
        return f"{where}: {self.message} — fix: {self.fix}"


class DataError(Exception):
    """Raised by load_or_raise when the data directory has problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems

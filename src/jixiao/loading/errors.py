"""Load errors that name the file, the line and the key, in Chinese."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.model.field_path import FieldPath


def format_path(path: Sequence[str | int]) -> str:
    """("indicators", 3, "weight") → "indicators[3].weight", the key as the file writes it
    (list positions 0-based as in JSON); empty for the file as a whole."""
    return str(FieldPath(tuple(path))) if path else ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in an input file."""

    file: str
    message: str
    line: int | None = None
    path: tuple[str | int, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = format_path(self.path)
        return f"{where}: {key}：{self.message}" if key else f"{where}: {self.message}"


class LoadError(Exception):
    """An input that could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, line: int | None = None) -> LoadError:
        return cls([Problem(file, message, line)])

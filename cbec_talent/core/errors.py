"""The one error type of the project, and the problem list that imports return."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (sheet, row, field) and what."""

    message: str
    row: int | None = None
    field: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"{self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return (", ".join(where) + ": " if where else "") + str(self.message)

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "field": self.field, "message": str(self.message)}


class CbecError(Exception):
    """A user-facing error: carries one or more problems, each naming row and field where known."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:20]))

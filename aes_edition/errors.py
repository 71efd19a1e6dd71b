"""One error type for bad data, so that every message names the file, the row and
the field an editor has to fix, whichever table it comes from."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """A data row the edition cannot accept; the message says exactly where."""

    def __init__(self, path: Path | str, row: int | None, field: str | None, problem: str) -> None:
        self.path = Path(path)
        self.row = row
        self.field = field
        self.problem = problem
        where = self.path.name
        if row is not None:
            where += f", row {row}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")

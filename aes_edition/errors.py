"""One error type for bad data, so that every message names the file, the row and
the field an editor has to fix, whichever table it comes from."""

from __future__ import annotations

from pathlib import Path

from .paths import ROOT


def shown_path(path: Path) -> str:
    """The path as an editor would type it: relative to the book, so that two files of
    the same name (``chapters/references.md``, ``references.bib``) are never confused."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


class DataError(ValueError):
    """A data row the edition cannot accept; the message says exactly where.

    ``row_name`` and ``field_name`` say what the row and the field are in a file that is
    not a table (a line and an entry of a .bib file, an entry of ``_toc.yml``).
    """

    def __init__(
        self,
        path: Path | str,
        row: int | None,
        field: str | None,
        problem: str,
        *,
        row_name: str = "row",
        field_name: str = "field",
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.field = field
        self.problem = problem
        where = shown_path(self.path)
        if row is not None:
            where += f", {row_name} {row}"
        if field:
            where += f", {field_name} '{field}'"
        super().__init__(f"{where}: {problem}")

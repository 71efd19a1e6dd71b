"""Reading the edition's CSV tables with their row numbers, because every complaint
about a row must tell the editor which line of which file to open."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import DataError
from .strict_files import read_csv_table


def read_rows(path: Path, required: Iterable[str], optional: Iterable[str] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, row)`` for each data row of a CSV file.

    Row numbers are the lines the rows stand on (the header is row 1), as a spreadsheet
    shows them. The file is read strictly (:mod:`aes_edition.strict_files`: encoding,
    quoting, the number of values in each row); a missing column or an empty required
    field raises :class:`DataError` naming it.
    """
    required = list(required)
    known = set(required) | set(optional)
    header, records = read_csv_table(path)
    for name in required:
        if name not in header:
            raise DataError(path, 1, name, "required column is missing from the header")
    for name in header:
        if name not in known:
            raise DataError(path, 1, name, "unknown column")
    for number, values in records:
        clean = {key: value.strip() for key, value in zip(header, values, strict=True)}
        for name in required:
            if not clean.get(name):
                raise DataError(path, number, name, "required field is empty")
        yield number, clean


def check_unique(path: Path, field: str, rows: Iterable[tuple[int, str]]) -> None:
    """Raise :class:`DataError` at the second row that repeats an id."""
    seen: dict[str, int] = {}
    for number, value in rows:
        if value in seen:
            raise DataError(path, number, field, f"duplicate id '{value}' (first used in row {seen[value]})")
        seen[value] = number

"""The data-validation API: reading an edition's data files strictly, with one error type
whose message names the file, the line and the field an editor has to fix.

An edition keeps much of itself as data (registers of emendations, glossaries, timelines,
tables of findings). The standard readers are lenient where an edition cannot be: ``csv``
lets an unclosed quote swallow the rows after it into one field and fills a short row with
nothing, ``DictReader`` merges two columns of the same name, PyYAML keeps the last of two
equal keys, and a byte-order mark or a file saved in another encoding turns into a strange
first column name or a traceback. Each of these silently drops or merges data, so each
raises :class:`DataError` here, in plain words. An edition's own loaders read through this
module and raise :class:`DataError` for the faults only they can see (an unknown kind, a
date out of order), so every message has one form.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

#: Files that mark the folder of a project: a Sphinx ``conf.py`` or a Jupyter Book ``_config.yml``.
PROJECT_MARKERS = ("conf.py", "_config.yml")


def shown_path(path: Path) -> str:
    """The path as an editor would type it: relative to the project it belongs to (the
    nearest folder above it that holds a ``conf.py`` or ``_config.yml``), so that two files
    of the same name (``chapters/references.md``, ``references.bib``) are never confused;
    the bare name when no such folder holds it."""
    resolved = path.resolve()
    for folder in resolved.parents:
        if any((folder / marker).is_file() for marker in PROJECT_MARKERS):
            return resolved.relative_to(folder).as_posix()
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


LINE = "line"
BOMS = {
    codecs.BOM_UTF8: "UTF-8",
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
# Tab, line feed and carriage return are the only control characters a text file holds. The
# control characters (Unicode category Cc) are exactly U+0000-U+001F and U+007F-U+009F; one
# regular expression finds the first of the others at C speed (a loop over the characters cost
# seconds per build for the larger files).
ALLOWED_CONTROLS = {"\t", "\n", "\r"}
FORBIDDEN_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _line_of(data: bytes | str, offset: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def read_text(path: Path) -> str:
    """The file's text, which must be UTF-8 without a byte-order mark and without control
    characters; a missing file, a mark, another encoding or a control character raises
    :class:`DataError` with its line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, None, None, "file is missing") from None
    except IsADirectoryError:
        raise DataError(path, None, None, "is a folder, not a file") from None
    for bom, encoding in BOMS.items():
        if data.startswith(bom):
            raise DataError(path, 1, None, f"starts with a {encoding} byte-order mark: save the file as UTF-8 "
                            "without a byte-order mark", row_name=LINE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(path, _line_of(data, error.start), None,
                        f"not UTF-8 text (byte 0x{data[error.start]:02x} at byte {error.start}): save the file as UTF-8",
                        row_name=LINE) from None
    control = FORBIDDEN_CONTROL.search(text)
    if control:
        raise DataError(path, _line_of(text, control.start()), None,
                        f"control character U+{ord(control.group()):04X} in the text", row_name=LINE)
    return text


def read_csv(path: Path) -> list[tuple[int, list[str]]]:
    """Every record of a CSV file as ``(line, values)``, the header first.

    Records are numbered by the line they stand on, as an editor's text editor and
    spreadsheet number them. Blank lines are skipped (they hold nothing). A quote that is
    not closed, text after a closing quote, a quote inside an unquoted field, or a field
    that runs over a line break (almost always a quote closed rows too late, having
    swallowed the rows between) raises :class:`DataError` at the record's first line.
    """
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problem = str(error)
            if "unexpected end of data" in problem:
                problem = "a quoted field is not closed (a quote is missing, or a quote in the text is not doubled)"
            elif "expected after" in problem:
                problem = "text after the closing quote of a field (a quote in the text must be doubled: \"\")"
            raise DataError(path, start, None, f"malformed CSV: {problem}", row_name=LINE) from None
        end = reader.line_num
        if values:
            if end != start:
                raise DataError(path, start, None, f"malformed CSV: a quoted field runs over lines {start}–{end} "
                                "(a quote is not closed where it should be)", row_name=LINE)
            for value in values:
                if '"' in value and not _is_quoted(text, start, value):
                    raise DataError(path, start, None, "malformed CSV: a quote inside an unquoted field (quote the "
                                    "whole field and double the quote: \"a \"\"b\"\" c\")", row_name=LINE)
            records.append((start, values))
        start = end + 1
    return records


def _is_quoted(text: str, line: int, value: str) -> bool:
    """Whether ``value``, which holds a quote, was written as a quoted field on ``line``."""
    source = text.splitlines()[line - 1]
    return f'"{value.replace(chr(34), chr(34) * 2)}"' in source


def read_csv_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data records of a CSV table, each record as long as the header.

    A record with fewer or more values than the header has columns (a stray or missing
    comma shifts every value after it), an empty or repeated column name, or an empty
    file raises :class:`DataError`.
    """
    records = read_csv(path)
    if not records:
        raise DataError(path, None, None, "the file is empty: a table needs at least its header")
    header_line, header = records[0]
    header = [name.strip() for name in header]
    seen: set[str] = set()
    for name in header:
        if not name:
            raise DataError(path, header_line, None, "the header has a column without a name", row_name=LINE)
        if name in seen:
            raise DataError(path, header_line, name, "column named twice in the header", row_name=LINE,
                            field_name="column")
        seen.add(name)
    rows = []
    for line, values in records[1:]:
        if len(values) != len(header):
            more = "more" if len(values) > len(header) else "fewer"
            raise DataError(path, line, None, f"{len(values)} values for {len(header)} columns ({more} values than "
                            "columns in the header: a stray or a missing comma?)", row_name=LINE)
        rows.append((line, values))
    return header, rows


# PyYAML's safe loader on libyaml's parser when PyYAML was built with it (its wheels are): the
# same documents, errors and marks, several times faster than the parser written in Python.
_SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SAFE_LOADER):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader, refusing a key repeated in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                first = None
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' repeated (first given in line {first})", key_node.start_mark)
            try:
                seen[key] = key_node.start_mark.line + 1
            except TypeError:
                pass
        return super().construct_mapping(node, deep=deep)


class _UniqueKeyTextLoader(_UniqueKeyLoader):
    """The same, with every scalar read as the text written (no ``NO`` read as false, no
    ``1.10`` read as 1.1): for data whose values are all text."""


# Only strings: drop the implicit resolvers (booleans, numbers, dates, null).
_UniqueKeyTextLoader.yaml_implicit_resolvers = {}


def load_yaml(path: Path, *, text_only: bool = False) -> Any:
    """The file's YAML, parsed strictly: syntax errors and repeated keys raise
    :class:`DataError` with their line. ``text_only`` reads every scalar as text."""
    text = read_text(path)
    loader = _UniqueKeyTextLoader if text_only else _UniqueKeyLoader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        detail = f"{context}, {problem}" if context else problem
        raise DataError(path, mark.line + 1 if mark else None, None, f"not valid YAML: {detail}",
                        row_name=LINE) from None


def compose_yaml(path: Path) -> yaml.Node | None:
    """The file's YAML as a node tree (with lines), after :func:`load_yaml` accepted it."""
    return yaml.compose(read_text(path), Loader=_UniqueKeyLoader)


def read_rows(path: Path, required: Iterable[str], optional: Iterable[str] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, row)`` for each data row of a CSV file.

    Row numbers are the lines the rows stand on (the header is row 1), as a spreadsheet
    shows them. The file is read strictly (:func:`read_csv_table`: encoding,
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

"""A bad row in any data table stops ``make html`` with the file, the row and the field,
on every run until it is fixed.

The faults are derived from the tables themselves, so a table added to ``data/`` is
covered the day it lands: every table must be read by a loader registered in
``aes_edition.check_data.CHECKS``; a table with an ``id`` column must refuse a duplicate
id and an empty id; and any column whose values are all ids of something (paragraph ids,
or the ids of a table such as ``concepts.csv``) is a reference, which must refuse an id
that does not exist. The Makefile stops before Sphinx on bad data, so each case runs the
real ``make html`` twice in one shared copy of the book, restoring the table afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from bookcopy import BookCopy, read_table, write_table

from aes_edition.paragraphs import paragraph_index
from aes_edition.paths import DATA
from aes_edition.reference_register import bib_keys
from aes_edition.sources import EDITORS_BIB

# Files in data/ that are not tables the build reads, and why.
NOT_TABLES = {
    "copy-text.txt": "the paper as received; the fidelity tests compare the edition with it",
}
STRUCTURED_SUFFIXES = (".csv", ".yml", ".yaml", ".json")
SPLIT = re.compile(r"[;,\s]+")


def id_sets() -> dict[str, set[str]]:
    """Every kind of id a table may refer to: paragraphs, each table's own ids, and the
    keys of the editors' sources (the timeline cites its sources by key)."""
    known = {"paragraph": set(paragraph_index()), "editors.bib": set(bib_keys(EDITORS_BIB))}
    for path in sorted(DATA.glob("*.csv")):
        header, rows = read_table(path)
        if "id" in header and rows:
            known[path.stem] = {row["id"] for row in rows if row["id"]}
    return known


def unknown_like(value: str, known: set[str]) -> str:
    """An id of the same form as ``value`` that names nothing (E04 -> E99)."""
    digits = re.search(r"[0-9]+$", value)
    stem = value[: digits.start()] if digits else f"{value}-"
    width = len(digits.group()) if digits else 2
    for candidate in (f"{stem}{'9' * n}" for n in range(width, width + 4)):
        if candidate not in known:
            return candidate
    return f"{value}-unknown"


@dataclass(frozen=True)
class RowFault:
    """One damaged cell of one table and what the failure must name."""

    table: str  # file name in data/
    row: int  # spreadsheet row (the header is row 1)
    field: str
    value: str
    problem: str  # how the test names the fault

    @property
    def name(self) -> str:
        return f"{self.table}: {self.problem}"


def row_faults() -> list[RowFault]:
    faults: list[RowFault] = []
    known = id_sets()
    for path in sorted(DATA.glob("*.csv")):
        header, rows = read_table(path)
        if not rows:
            continue
        if "id" in header:
            faults.append(RowFault(path.name, 2, "id", "", "missing required field 'id'"))
            if len(rows) > 1:
                faults.append(RowFault(path.name, 3, "id", rows[0]["id"], "duplicate id"))
        for field in header:
            if field == "id":
                continue
            values = [v for row in rows for v in SPLIT.split(row[field] or "") if v]
            kinds = [kind for kind, ids in known.items() if values and all(v in ids for v in values)]
            if not kinds:
                continue
            number, row = next((n, r) for n, r in enumerate(rows, start=2) if r[field])
            bad = unknown_like(SPLIT.split(row[field])[0], set().union(*known.values()))
            faults.append(RowFault(path.name, number, field, bad, f"unknown {kinds[0]} id in '{field}'"))
    return faults


FAULTS = row_faults()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> BookCopy:
    return BookCopy(tmp_path_factory.mktemp("data-faults") / "book", notebook_cache=False)


def _fails_twice(book: BookCopy, *culprits: str) -> None:
    for attempt in ("first", "second"):
        build = book.make()
        assert build.failed, f"{attempt} make html passed with the fault in place:\n{build.tail()}"
        missing = build.names(*culprits)
        assert not missing, f"{attempt} failure does not name {missing}:\n{build.tail()}"
        assert "data error:" in build.output, f"the fault was not caught by the data check:\n{build.tail()}"


def test_the_tables_give_faults_to_inject():
    """Guard against a vacuous suite: the emendation register alone gives three."""
    tables = {f.table for f in FAULTS}
    assert "emendations.csv" in tables
    assert {f.problem for f in FAULTS if f.table == "emendations.csv"} >= {
        "missing required field 'id'", "duplicate id", "unknown paragraph id in 'para'"}
    assert "unknown editors.bib id in 'source'" in {f.problem for f in FAULTS if f.table == "timeline.csv"}


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_bad_row_fails_the_build_twice_naming_it(book: BookCopy, fault: RowFault):
    relative = f"data/{fault.table}"
    original = book.read(relative)
    header, rows = read_table(book.path(relative))
    rows[fault.row - 2][fault.field] = fault.value
    book.write(relative, write_table(header, rows))
    try:
        _fails_twice(book, relative, f"row {fault.row}", f"'{fault.field}'")
    finally:
        book.write(relative, original)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.suffix in STRUCTURED_SUFFIXES))
def test_every_table_is_checked_before_the_build(book: BookCopy, name: str):
    """A table no loader reads would let any fault through: a damaged header (or, for a
    YAML or JSON file, damaged syntax) must stop the build naming the file."""
    relative = f"data/{name}"
    original = book.read(relative)
    if name.endswith(".csv"):
        first, _, rest = original.partition("\n")
        book.write(relative, first.replace(first.split(",")[0], "no_such_column", 1) + "\n" + rest)
    else:
        book.write(relative, "{ not: [valid\n" + original)
    try:
        build = book.make()
        assert build.failed, f"{relative} is read by no loader in aes_edition.check_data.CHECKS: a damaged copy passes"
        _fails_twice(book, relative)
    finally:
        book.write(relative, original)


def test_data_folder_holds_only_known_kinds_of_file():
    unknown = [p.name for p in DATA.iterdir() if p.is_file() and p.suffix not in STRUCTURED_SUFFIXES and p.name not in NOT_TABLES]
    assert unknown == [], "say in NOT_TABLES why these files are not checked, or give them a loader"


def _version_lines(path=DATA / "changelog.yaml") -> list[int]:
    """The lines of data/changelog.yaml on which a version's entry starts."""
    text = path.read_text(encoding="utf-8")
    return [number for number, line in enumerate(text.splitlines(), 1) if line.startswith("- version:")]


def _first_version_lowered(text: str) -> str:
    """The newest version renumbered 0.0.1, below every other."""
    return re.sub(r"^- version: \S+", "- version: 0.0.1", text, count=1, flags=re.M)


# Malformed files, each of a kind the standard readers let through silently (rows dropped,
# keys merged) or with a traceback: the build must stop with one line naming file and line.
SYNTAX_FAULTS = [
    ("unclosed quote", "data/emendations.csv", lambda t: t.rstrip("\n").removesuffix('"') + "\n",
     f"line {len((DATA / 'emendations.csv').read_text(encoding='utf-8').splitlines())}", "a quoted field is not closed"),
    ("stray delimiter", "data/timeline.csv", lambda t: t.replace("\n", "\n,", 2).replace("\n,", "\n", 1), "line 3",
     "values for"),
    ("byte-order mark", "data/concepts.csv", lambda t: "\ufeff" + t, "line 1", "byte-order mark"),
    ("repeated YAML key", "data/glossary.yaml", lambda t: t.replace("  kind:", "  kind: concept\n  kind:", 1), "line",
     "repeated"),
    # The versions out of order: the entry after the first is named by its line.
    ("changelog out of order", "data/changelog.yaml", lambda t: _first_version_lowered(t),
     f"line {_version_lines()[1]}", "follows"),
]


@pytest.mark.parametrize(("what", "relative", "damage", "line", "problem"), SYNTAX_FAULTS, ids=[f[0] for f in SYNTAX_FAULTS])
def test_a_malformed_file_fails_the_build_naming_file_and_line(book: BookCopy, what, relative, damage, line, problem):
    original = book.read(relative)
    damaged = damage(original)
    assert damaged != original, f"cannot inject {what} into {relative}"
    book.write(relative, damaged)
    try:
        _fails_twice(book, f"{relative}, {line}", problem)
        build = book.make()
        errors = [row for row in build.output.splitlines() if row.startswith("data error:")]
        assert not any("Traceback" in row for row in build.output.splitlines()), build.tail()
        assert errors and all(relative in row for row in errors[:1]), build.tail()
    finally:
        book.write(relative, original)

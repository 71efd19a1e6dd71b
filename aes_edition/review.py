"""The record of the editorial review (``data/review/*.csv``).

A second editorial pass checks every piece of the apparatus against its sources: each
emendation, each row of the reference register, each editors' note, glossary entry and
timeline event, and the prose of the analysis. Each reviewer keeps one file per scope,
so that their work merges cleanly, in one shared format::

    item,sources,outcome,finding

``item`` names what was checked as a reader finds it (``E04``, ``R07``,
``impact: Realignment, as it happened`` for a note, a glossary term as written in
``data/glossary.yaml``, a timeline date), ``sources`` the bib keys or web addresses
consulted, ``outcome`` what the check did to the item, and ``finding`` what the source
says and what changed. The record is published on the page "Record of the editorial
review" so a reader can see what was checked and how it came out; this module holds the
files to that format, strictly, because a record that names a source nobody can follow
or an item nobody can find is no record.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.strict_data import DataError, read_csv, read_text

from .emendations import load_emendations
from .glossary import load_glossary
from .myst_blocks import find
from .paragraphs import toc_files
from .paths import COPY_TEXT, DATA, ROOT
from .reference_register import load_register
from .sources import known_keys
from .timeline import load_timeline

FOLDER = DATA / "review"
COLUMNS = ["item", "sources", "outcome", "finding"]
OUTCOMES: dict[str, str] = {
    "kept": "the item stands as it was: its source says what it says",
    "corrected": "the item said something its source does not; it now says what the source says",
    "narrowed": "the item claimed more than its source carries; the claim was narrowed",
    "sourced": "a new or better source was added",
    "removed": "the item was taken out",
    "added": "a new note, entry or event",
    "unverifiable": "the record cannot settle it; the item says so",
}
SOURCE_URL = re.compile(r"^https://[^\s<>\"]+$")
COPY_TEXT_LINE = re.compile(r"^copy-text(:[0-9]+)?$")  # the copy-text as a whole, or one line of it


@dataclass(frozen=True)
class Scope:
    """What one file of the record covers."""

    file: str  # its name in data/review/
    title: str  # as the record page heads it
    what: str  # what its rows are, in a phrase


# In the order the page shows them: the text, its references, the commentary, the analysis.
SCOPES: tuple[Scope, ...] = (
    Scope("emendations.csv", "Emendations", "each row of the textual apparatus (data/emendations.csv)"),
    Scope("register.csv", "Reference register", "each row of the reference register (data/reference-register.csv)"),
    Scope("notes.csv", "Editors' notes", "each editors' note, named by its chapter and title"),
    Scope("later.csv", "After the paper", "the notes on what followed the paper, and notes or events added on it"),
    Scope("glossary.csv", "Glossary", "each glossary entry (data/glossary.yaml)"),
    Scope("timeline.csv", "Timeline", "each timeline event, named by its date (data/timeline.csv)"),
    Scope("analysis.csv", "Analysis", "the prose of the analysis and the findings that rest on unverified works"),
)
SCOPE_BY_FILE = {scope.file: scope for scope in SCOPES}


@dataclass(frozen=True)
class ReviewRow:
    """One item checked, the sources consulted and what came of it."""

    item: str
    sources: tuple[str, ...]
    outcome: str
    finding: str
    row: int


@dataclass(frozen=True)
class ReviewFile:
    """One scope of the record and its rows, in the file's order."""

    scope: Scope
    path: Path
    rows: tuple[ReviewRow, ...]

    def counts(self) -> dict[str, int]:
        """Rows per outcome, in the order of :data:`OUTCOMES`, outcomes with no rows left out."""
        found = Counter(row.outcome for row in self.rows)
        return {outcome: found[outcome] for outcome in OUTCOMES if found[outcome]}


@dataclass(frozen=True)
class EditorsNote:
    """One ``{ednote}`` of a chapter, as the record names it."""

    chapter: str  # the chapter's file name without .md
    title: str
    kind: str
    path: Path
    line: int

    @property
    def name(self) -> str:
        """``impact: Realignment, as it happened``: how the record names the note."""
        return f"{self.chapter}: {self.title}"


def editors_notes(root: Path = ROOT) -> list[EditorsNote]:
    """Every editors' note of the book's chapters, in reading order, read from the MyST
    source (the record is checked before Sphinx runs)."""
    found: list[EditorsNote] = []
    for docname in toc_files(root):
        path = root / f"{docname}.md"
        if not path.is_file():
            continue  # a notebook: it holds no editors' notes
        for note in find(read_text(path), "ednote"):
            kind = note.options.get("kind", "").strip()
            found.append(EditorsNote(path.stem, " ".join(note.argument.split()), kind, path, note.line))
    return found


def _known_items(scope: str) -> tuple[set[str], str] | None:
    """The items a file of this scope may name, and what they are; None where the scope
    names items freely (the analysis, and the record of what followed the paper, which
    adds notes and events of its own)."""
    if scope == "notes.csv":
        return {n.name for n in editors_notes() if n.kind != "later"}, \
            "an editors' note (chapter: title) of the chapters, other than a note of :kind: later"
    if scope == "emendations.csv":
        return set(load_emendations()), "an emendation id of data/emendations.csv"
    if scope == "register.csv":
        return {row.id for row in load_register()}, "an id of data/reference-register.csv"
    if scope == "glossary.csv":
        return {term.term for term in load_glossary()}, "a term of data/glossary.yaml"
    if scope == "timeline.csv":
        return {event.date for event in load_timeline()}, "a date of data/timeline.csv"
    return None


def _copy_text_lines() -> int:
    return len(read_text(COPY_TEXT).splitlines())


def _item_key(scope: str, item: str) -> str:
    """The part of an item that names it: a timeline item is its date, and may add a few
    words to tell apart two events of the same day."""
    return item.split()[0] if scope == "timeline.csv" else item


def _records(path: Path) -> list[list[str]]:
    """The file's records, the header first; a file that is not UTF-8 or not CSV is named."""
    return [values for _line, values in read_csv(path)]


def load_review_file(path: Path) -> ReviewFile:
    """Load one file of the record; raise :class:`DataError` at the first fault, naming
    the file, the row and the field."""
    scope = SCOPE_BY_FILE.get(path.name)
    if scope is None:
        raise DataError(path, None, None, f"not a file of the record (one of {', '.join(SCOPE_BY_FILE)})")
    records = _records(path)
    header = records[0] if records else []
    if header != COLUMNS:
        raise DataError(path, 1, None, f"the header must be {','.join(COLUMNS)} (found {','.join(header) or 'nothing'})")
    known = _known_items(path.name)
    keys = known_keys()  # once per file, not per source named
    rows: list[ReviewRow] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(records[1:], start=2):
        if not any(value.strip() for value in values):
            raise DataError(path, number, None, "empty row")
        if len(values) != len(COLUMNS):
            raise DataError(path, number, None, f"{len(values)} values for {len(COLUMNS)} columns")
        item, sources, outcome, finding = (" ".join(value.split()) for value in values)
        if not item:
            raise DataError(path, number, "item", "required field is empty")
        if item in seen:
            raise DataError(path, number, "item", f"duplicate item '{item}' (first reviewed in row {seen[item]})")
        seen[item] = number
        if outcome not in OUTCOMES:
            raise DataError(path, number, "outcome", f"unknown outcome '{outcome}' (one of {', '.join(OUTCOMES)})")
        if not finding:
            raise DataError(path, number, "finding", "required field is empty: say what the source says")
        for source in sources.split():
            if COPY_TEXT_LINE.match(source):
                if ":" in source and not 1 <= int(source.split(":")[1]) <= _copy_text_lines():
                    raise DataError(path, number, "sources", f"'{source}': the copy-text has no such line "
                                    f"(it has {_copy_text_lines()})")
            elif not (source in keys or SOURCE_URL.match(source)):
                raise DataError(path, number, "sources", f"'{source}' is neither a key of editors.bib or "
                                "references.bib nor an https address (nor copy-text or copy-text:<line>)")
        if known is not None and outcome != "removed" and _item_key(path.name, item) not in known[0]:
            raise DataError(path, number, "item", f"'{item}' is not {known[1]}")
        rows.append(ReviewRow(item, tuple(sources.split()), outcome, finding, number))
    return ReviewFile(scope, path, tuple(rows))


def load_review(folder: Path = FOLDER) -> list[ReviewFile]:
    """Every file of the record present in ``folder``, in the order of :data:`SCOPES`.

    A file of a scope not yet reviewed is simply absent; any other file in the folder is
    refused, so that no record is kept where the page does not show it.
    """
    if not folder.is_dir():
        return []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in SCOPE_BY_FILE:
            continue
        raise DataError(path, None, None, f"not a file of the record (one of {', '.join(SCOPE_BY_FILE)})")
    return [load_review_file(folder / scope.file) for scope in SCOPES if (folder / scope.file).is_file()]

"""The PDF edition's text, read back with pdftotext, as the PDF fidelity test needs it.

``pdftotext -raw`` gives each page's text in the order it was set. The print design
(``aes_edition/sphinxext/latex/aes-edition.sty``) keeps the editors' layer separable
there, and this module takes the pages apart along those lines:

- a body page opens with its running head, the chapter's title and the page number
  on one line; a page without one (the contents, a part's title page) ends with its
  number alone on a line (the folio). Either is dropped; pages numbered in roman
  figures are the table of contents and are left out whole, so that a heading is
  found where the text has it, not in the contents;
- every footnote is the editors' and opens "N Editors" (a note on the text) or
  "N Address" (the web address of a link) at the foot of its page: from there to the
  end of the page are the page's notes, kept apart from the running text;
- TeX's own line-end hyphens are soft hyphens (U+00AD), so "secu-/rity" is rejoined as
  "security" while "sub-/region" keeps its hyphen;
- an emendation's note reads ``N Editors, E01: “lemma”; printed “reading” (kind). …``,
  the lemma being the edition's reading as it stands in the text, followed there by
  the note's mark N. That is enough to turn the text back into the copy-text's words,
  or to keep the edition's reading without the marks.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.fidelity import normalise

from .emendations import Emendation

FOLIO = re.compile(r"^(?:[0-9]+|[ivxlcdm]+)$")
ROMAN = re.compile(r"^[ivxlcdm]+$")
RUNNING_HEAD = re.compile(r"^(?P<head>\S.*?) (?P<folio>[0-9]+)$")
NOTE_OPEN = re.compile(r"^([0-9]+) (?:Editors(?:, E[0-9]{2})?|Address):")
ADDRESS_NOTE = re.compile(r"^([0-9]+) Address: https?://")
EMENDATION_NOTE = re.compile(r"^([0-9]+) Editors, (E[0-9]{2}): (.*)$", re.S)
PARA_NUMBER = re.compile(r"¶[0-9]+ ?")


@dataclass(frozen=True)
class Footnote:
    """One of the editors' footnotes: its mark, the page it is printed on, its text."""

    number: int
    page: int
    text: str


@dataclass(frozen=True)
class PdfText:
    """The running text of the PDF (pages joined, notes and folios out) and its notes."""

    pages: list[str]
    contents: list[str]  # the pages left out as front matter (roman folios): the table of contents
    body: str
    footnotes: list[Footnote]
    heads: dict[int, str]  # page (1-based) → its running head, for the pages that have one


@dataclass(frozen=True)
class EmendationNote:
    """An emendation's footnote, read: the reading in the text and the printed one."""

    number: int
    key: str
    lemma: str  # normalised
    printed: str  # normalised; "" where the source prints nothing


def pdftotext(pdf: Path) -> str:
    """The PDF's text in the order it was set, one form feed after each page."""
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout


def join_lines(text: str) -> str:
    """Undo line breaks inside words: drop TeX's soft hyphens, keep real hyphens and dashes."""
    text = re.sub("\u00ad[ \t]*\n", "", text)
    return re.sub(r"(?<=\S)([-\u2013\u2014])\n(?=\S)", r"\1", text)


def read_pdf(pdf: Path) -> PdfText:
    """Split the PDF's text into running text and footnotes, as described above."""
    pages = pdftotext(pdf).split("\f")
    body: list[str] = []
    contents: list[str] = []
    footnotes: list[Footnote] = []
    heads: dict[int, str] = {}
    for page_number, page in enumerate(pages, start=1):
        lines = page.rstrip("\n").split("\n")
        folio = lines[-1].strip() if lines and FOLIO.match(lines[-1].strip()) else None
        if folio is not None:
            lines = lines[:-1]
        elif lines and (head := RUNNING_HEAD.match(lines[0].strip())):
            folio, heads[page_number] = head["folio"], head["head"]
            lines = lines[1:]
        if folio and ROMAN.match(folio):
            contents.append("\n".join(lines))
            continue
        start = next((i for i, line in enumerate(lines) if NOTE_OPEN.match(line)), len(lines))
        body.extend(lines[:start])
        current: list[str] = []
        for line in lines[start:]:
            if NOTE_OPEN.match(line) and current:
                footnotes.append(_footnote(current, page_number))
                current = []
            current.append(line)
        if current:
            footnotes.append(_footnote(current, page_number))
    return PdfText(pages, contents, join_lines("\n".join(body)), footnotes, heads)


def _footnote(lines: list[str], page: int) -> Footnote:
    text = join_lines("\n".join(lines))
    number = NOTE_OPEN.match(text)
    assert number is not None
    return Footnote(int(number.group(1)), page, text)


def read_emendation_note(note: Footnote, register: dict[str, Emendation]) -> EmendationNote:
    """Read an emendation's note against the register; ValueError says what is wrong."""
    match = EMENDATION_NOTE.match(note.text)
    if not match:
        raise ValueError(f"footnote {note.number} (page {note.page}) is not an emendation's note: {note.text[:80]!r}")
    key = match.group(2)
    if key not in register:
        raise ValueError(f"footnote {note.number} names {key}, which is not a row of the register")
    printed = normalise(register[key].printed)
    rest = normalise(match.group(3))
    tail = f'"; printed "{printed}" (' if printed else '"; not in the source ('
    end = rest.find(tail)
    if not rest.startswith('"') or end < 0:
        raise ValueError(f"footnote {note.number} ({key}) does not give the register's printed reading "
                         f"{register[key].printed!r}: {note.text[:120]!r}")
    return EmendationNote(note.number, key, rest[1:end], printed)


def reading(body: str, notes: list[EmendationNote], printed: bool) -> tuple[str, list[str]]:
    """The normalised running text with each emendation's mark taken out, and its reading
    replaced by the printed one (``printed=True``) or kept; paragraph numbers removed.

    Each note's lemma must stand in the text, in the notes' order, directly before the
    note's mark; a note whose reading is not found is reported, not skipped.
    """
    text = normalise(body)
    problems: list[str] = []
    pieces: list[str] = []
    cursor = 0
    for note in notes:
        found = re.compile(re.escape(note.lemma) + rf" ?{note.number}(?![0-9])").search(text, cursor)
        if not found:
            problems.append(f"footnote {note.number} ({note.key}): the reading {note.lemma!r} with its mark "
                            "is not in the text after the previous emendation")
            continue
        pieces += [text[cursor:found.start()], note.printed if printed else note.lemma]
        cursor = found.end()
    pieces.append(text[cursor:])
    return normalise(PARA_NUMBER.sub("", "".join(pieces)) if printed else "".join(pieces)), problems

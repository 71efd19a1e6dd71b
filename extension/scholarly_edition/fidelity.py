"""What "faithful" means, as code: the copy-text cut into headings, sentences and lines, the
one normalisation allowed when an output is compared with it (whitespace, quotes, dashes and
spacing around punctuation), and the comparison of an edition's paragraphs, as a reader reads
them, with the copy-text's words.

Sphinx-free, like :mod:`.strict_data`: the build's check (:mod:`.faithful`) and an edition's
tests of its published HTML or PDF hold the text to the same standard, and an edition's
analysis can cut the copy-text the same way where Sphinx is not installed.

The copy-text is a plain UTF-8 file, one paragraph (or heading) a line: a line may open with
a list bullet (``- ``) and carry emphasis asterisks, which are not the text's. A heading is a
short line (under 80 characters) that does not end a sentence or a clause (``.`` or ``,``),
open a numbered item (``ii. ``) or a labelled one (``Keywords: ``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .strict_data import read_text

SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9(\"'“‘])")
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def normalise(text: str) -> str:
    """Fold the differences that typesetting may introduce and nothing else."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    text = DASHES.sub("-", text).replace("\u00ad", "")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:)\]!?])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return text.strip()


def copy_text_lines(path: Path) -> list[tuple[int, str]]:
    """Non-empty lines of the copy-text without list bullets or markdown emphasis."""
    result = []
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        line = re.sub(r"^- ", "", line).replace("*", "")
        result.append((number, line))
    return result


def is_heading(line: str) -> bool:
    """The copy-text's headings: short lines that do not end a sentence or open a list item."""
    return (
        len(line) < 80
        and not line.endswith((".", ","))
        and not re.match(r"^[ivx]+\. ", line)
        and not re.match(r"^\w+: ", line)
    )


@dataclass(frozen=True)
class Segment:
    """A heading or sentence of the copy-text, with its line for error messages."""

    line: int
    text: str
    heading: bool


def segments(path: Path) -> list[Segment]:
    """Headings and sentences, in the copy-text's order."""
    found: list[Segment] = []
    for number, line in copy_text_lines(path):
        if is_heading(line):
            found.append(Segment(number, normalise(line), True))
            continue
        for sentence in SENTENCE_END.split(line):
            if sentence.strip():
                found.append(Segment(number, normalise(sentence), False))
    return found


def missing_segments(corpus: str, path: Path, in_order_until: str = "") -> list[str]:
    """Segments of the copy-text not found in ``corpus`` (already normalised).

    Up to the heading ``in_order_until`` (to the end when it is "" or no heading) each
    segment must also come after the one before it; after it a segment may be found anywhere
    (a reference list that an edition spreads over its bibliography and its registers).
    """
    problems: list[str] = []
    position = 0
    ordered = True
    for segment in segments(path):
        if in_order_until and segment.heading and segment.text == in_order_until:
            ordered = False
        found = corpus.find(segment.text, position) if ordered else corpus.find(segment.text)
        if found < 0:
            anywhere = corpus.find(segment.text)
            reason = "out of order" if anywhere >= 0 else "missing"
            problems.append(f"copy-text line {segment.line}: {reason}: {segment.text[:120]!r}")
            continue
        if ordered:
            position = found
    return problems


# --- The reading text, paragraph by paragraph -------------------------------------------
#
# The segment test above finds each sentence somewhere after the one before it, so a word
# that an emendation's edited reading repeats from its neighbour (a join printed twice) is
# not seen. The checks below hold each paragraph, as a reader reads it, to the copy-text's
# words for that paragraph, and look for words doubled where the copy-text has none.

DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)

# A citation whose words are generated when the page is written (from a bibliography) stands
# in a unit's text, before that, as a character of Unicode's private use area: the first
# form of :class:`CitationForms` as U+E000, the second as U+E001, and so on.
_MARKER_BASE = 0xE000
_MARKERS = re.compile("([\ue000-\ue0ff])")


@dataclass(frozen=True)
class CitationForms:
    """How the copy-text prints the citations that an edition generates.

    ``forms``: pairs of a regular expression of the citation's role, as ``domain:type``
    (``cite:p``, ``cite:t``), and a regular expression of what the copy-text prints in its
    place (``\\([^()]{1,160}\\)`` for "(Doe, 2020)"). The first pair whose role pattern
    matches the whole role wins. A citation stands only for what its form matches, so words
    dropped or changed beside it are still found.
    """

    forms: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_mapping(cls, forms: Mapping[str, str]) -> CitationForms:
        """From a setting's mapping, in its order; a pattern that does not compile raises
        :class:`re.error`."""
        made = cls(tuple((str(role), str(printed)) for role, printed in forms.items()))
        for role, printed in made.forms:
            re.compile(role)
            re.compile(printed)
        if len(made.forms) > 0x100:
            raise ValueError("at most 256 citation forms")
        return made

    def marker(self, role: str) -> str | None:
        """What stands for a citation of ``role`` in a unit's text; ``None`` when no form
        names the role (the reference is then read as its words)."""
        for index, (pattern, _printed) in enumerate(self.forms):
            if re.fullmatch(pattern, role):
                return chr(_MARKER_BASE + index)
        return None

    def pattern(self, text: str) -> re.Pattern[str] | None:
        """A unit's text as a pattern, each marker matching its citation; ``None`` without any."""
        parts = _MARKERS.split(text)
        if len(parts) == 1:
            return None
        printed = {chr(_MARKER_BASE + index): form for index, (_role, form) in enumerate(self.forms)}
        # split() with a group: the markers are the odd parts.
        return re.compile("".join(printed.get(part, re.escape(part)) if index % 2 else re.escape(part)
                                  for index, part in enumerate(parts)))


@dataclass(frozen=True)
class CopyLine:
    """A non-empty line of the copy-text, normalised, and where it sits in the stream."""

    line: int
    start: int
    end: int
    heading: bool


def copy_text_stream(path: Path) -> tuple[str, list[CopyLine]]:
    """The copy-text as one normalised string, its lines joined by single spaces, with the
    place of each line, so that a paragraph of the edition can be matched to whole lines."""
    parts: list[str] = []
    lines: list[CopyLine] = []
    position = 0
    for number, raw in copy_text_lines(path):
        text = normalise(raw)
        lines.append(CopyLine(number, position, position + len(text), is_heading(raw)))
        parts.append(text)
        position += len(text) + 1
    return " ".join(parts), lines


@dataclass(frozen=True)
class ReadingUnit:
    """A paragraph of the edition (or a block such as a title page) reduced to the authors' words.

    ``printed``: the text with every emendation read as printed (normalised);
    ``joins``: how many of the copy-text's paragraph breaks its emendations join;
    ``moved``: it holds a transposition, so it may stand anywhere in the copy-text and
    begin mid-line; ``block``: its copy-text lines are lines of one block (a title page).
    """

    name: str
    printed: str
    joins: int = 0
    moved: bool = False
    block: bool = False


@dataclass(frozen=True)
class Mismatch:
    """One difference between the edition and the copy-text: a unit that reads otherwise
    (``unit``), or a line of the copy-text that no unit holds (``line``)."""

    problem: str
    unit: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.unit}: {self.problem}" if self.unit is not None else f"copy-text line {self.line}: {self.problem}"


def _first_difference(text: str, stream: str) -> str:
    """Where ``text`` parts from the copy-text line it begins like, for the error message."""
    text = _MARKERS.sub("…", text)
    anchor = stream.find(text[:40])
    if anchor < 0:
        return f"its opening {text[:60]!r} is not in the copy-text"
    i = 0
    while i < len(text) and anchor + i < len(stream) and text[i] == stream[anchor + i]:
        i += 1
    return f"edition …{text[max(0, i - 40):i + 30]!r}… / copy-text …{stream[anchor + max(0, i - 40):anchor + i + 30]!r}…"


def mismatches(units: Iterable[ReadingUnit], path: Path, until: str = "",
               citations: CitationForms = CitationForms()) -> list[Mismatch]:
    """The differences found holding each unit to the copy-text's words for it.

    Each unit must be a run of whole copy-text lines (a transposed unit may begin after a
    sentence ends mid-line), in the copy-text's order, crossing a line break only where the
    apparatus records a join; and every line before the heading ``until`` (all lines when it
    is "") that is not a heading must be some unit's, except the lines where a unit that
    reads otherwise stands (reported once, as that unit). An emended reading that repeats its
    neighbour's word leaves a paragraph that is in no line of the copy-text and is reported
    here. A citation marker in a unit's text (:class:`CitationForms`) matches what the
    copy-text prints for it.
    """
    stream, lines = copy_text_stream(path)
    starts = {line.start: line for line in lines}
    ends = {line.end: line for line in lines}
    limit = next((line.start for line in lines if until and line.heading and stream[line.start:line.end] == until),
                 len(stream))
    covered: set[int] = set()
    problems: list[Mismatch] = []
    position = 0
    lost_after: list[int] = []  # where a unit found nowhere should have stood (after this position)
    placed: list[int] = []  # where the units found in order begin
    for unit in units:
        text = unit.printed
        found = -1
        end = 0
        search_from = 0 if unit.moved else position
        pattern = citations.pattern(text)
        while True:
            if pattern is None:
                found = stream.find(text, search_from)
                end = found + len(text)
            else:
                match = pattern.search(stream, search_from)
                found, end = (match.start(), match.end()) if match else (-1, -1)
            if found < 0:
                break
            begins = found in starts or (unit.moved and stream[max(0, found - 2):found] == ". ")
            if begins and end in ends:
                break
            search_from = found + 1
        if found < 0:
            problems.append(Mismatch(f"not the copy-text's words for any paragraph: {_first_difference(text, stream)}",
                                     unit=unit.name))
            if not unit.moved:
                lost_after.append(position)
            continue
        spanned = [line for line in lines if line.end > found and line.start < end]
        if len(spanned) - 1 != unit.joins and not unit.block:
            problems.append(Mismatch(f"spans {len(spanned)} lines of the copy-text (lines {spanned[0].line}–"
                                     f"{spanned[-1].line}) but the apparatus records {unit.joins} join(s)",
                                     unit=unit.name))
        covered.update(line.line for line in spanned)
        if not unit.moved:
            placed.append(found)
            position = end
    # The lines between a unit found nowhere and the next unit found are that unit's: it is
    # reported, not each of its lines again (one difference, one message).
    for after in lost_after:
        before = min((start for start in placed if start >= after), default=limit)
        covered.update(line.line for line in lines if line.start >= after and line.end <= before)
    for line in lines:
        if line.start >= limit or line.heading or line.line in covered:
            continue
        problems.append(Mismatch(f"in no paragraph of the edition: {stream[line.start:line.end][:80]!r}",
                                 line=line.line))
    return problems


def unmatched_units(units: Iterable[ReadingUnit], path: Path, until: str = "",
                    citations: CitationForms = CitationForms()) -> list[str]:
    """:func:`mismatches` as messages, each naming the unit or the copy-text's line."""
    return [str(mismatch) for mismatch in mismatches(units, path, until, citations)]


def doubled_words(text: str) -> list[str]:
    """Words printed twice in a row (case aside), each occurrence listed."""
    return [match.group(1).lower() for match in DOUBLED.finditer(text)]


def context_in_copy_text(before: str, printed: str, after: str, path: Path) -> str | None:
    """The printed reading between the words the edition sets on either side of it, if the
    copy-text does not have that sequence; ``None`` when it does.

    The check the build makes for each emendation: a reading that repeats the word before
    or after it (a join that prints "of of") gives a sequence the copy-text lacks.
    """
    head, tail = before.rstrip(), after.lstrip()
    left = re.search(r"\S*$", head).group(0)  # type: ignore[union-attr]
    right = re.match(r"\S*", tail).group(0)  # type: ignore[union-attr]
    # The edition's own spacing: "word {emend}" or "word{emend}".
    context = left + (" " if left and head != before else "") + printed
    context += (" " if right and tail != after else "") + right
    context = normalise(context)
    return None if context in _stream(str(path), hashlib.sha256(read_text(path).encode()).hexdigest()) else context


@lru_cache(maxsize=4)
def _stream(path: str, digest: str) -> str:
    """The copy-text stream, made once per content of the file (the build asks per emendation;
    keyed by the content's digest, not the file's time, which a copy can keep while the text
    changes)."""
    return copy_text_stream(Path(path))[0]

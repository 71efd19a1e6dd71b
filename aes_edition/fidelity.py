"""What "faithful" means, as code: the copy-text cut into headings and sentences, and
the one normalisation allowed when comparing them with an output (whitespace, quotes,
dashes and spacing around punctuation). The HTML and PDF tests both use it, so the two
outputs are held to the same standard."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scholarly_edition.strict_data import read_text

from .paths import COPY_TEXT

SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9(\"'“‘])")
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
DASHES = re.compile(r"[\u2010-\u2015\u2212]")


@dataclass(frozen=True)
class Segment:
    """A heading or sentence of the copy-text, with its line for error messages."""

    line: int
    text: str
    heading: bool


def normalise(text: str) -> str:
    """Fold the differences that typesetting may introduce and nothing else."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    text = DASHES.sub("-", text).replace("\u00ad", "")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:)\]!?])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return text.strip()


def copy_text_lines(path: Path = COPY_TEXT) -> list[tuple[int, str]]:
    """Non-empty lines of the copy-text without list bullets or markdown emphasis."""
    result = []
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        line = re.sub(r"^- ", "", line).replace("*", "")
        result.append((number, line))
    return result


def segments(path: Path = COPY_TEXT) -> list[Segment]:
    """Headings (short lines without a full stop) and sentences, in the paper's order."""
    found: list[Segment] = []
    for number, line in copy_text_lines(path):
        heading = (
            len(line) < 80
            and not line.endswith((".", ","))
            and not re.match(r"^[ivx]+\. ", line)
            and not re.match(r"^\w+: ", line)
        )
        if heading:
            found.append(Segment(number, normalise(line), True))
            continue
        for sentence in SENTENCE_END.split(line):
            if sentence.strip():
                found.append(Segment(number, normalise(sentence), False))
    return found


def missing_segments(corpus: str, path: Path = COPY_TEXT, in_order_until: str = "References") -> list[str]:
    """Segments of the copy-text not found in ``corpus`` (already normalised).

    Up to the heading ``in_order_until`` each segment must also come after the one
    before it; the reference list may be found anywhere (it is spread over the
    References chapter and the register of corrections).
    """
    problems: list[str] = []
    position = 0
    ordered = True
    for segment in segments(path):
        if segment.heading and segment.text == in_order_until:
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
# Stand, in a unit's text, for a citation whose words the bibliography writes when the page
# is written (the build checks pages before that), and match only what such a citation
# prints: a parenthesis ("(Baldwin, 1997)", "(2024)"); for a citation in the text, names
# and a parenthesis ("Buzan et al. (1998)"); for a year alone, a year. Nothing else can
# hide behind one.
CITATION = "\ue000"
CITATION_IN_TEXT = "\ue001"
CITATION_YEAR = "\ue002"
_MARKERS = re.compile("([\ue000-\ue002])")
_YEAR = r"(?:[0-9]{4}[a-z]?|n\.d\.)"
_CITED = {
    CITATION: r"\([^()]{1,160}\)",
    CITATION_IN_TEXT: r"[A-Z][^()]{0,80}?\s\([^()]{1,160}\)",
    CITATION_YEAR: rf"{_YEAR}(?:[,;] {_YEAR})*",
}


def _pattern(text: str) -> re.Pattern[str] | None:
    """A unit's text as a pattern, its citation markers matching citations; None without any."""
    parts = _MARKERS.split(text)
    if len(parts) == 1:
        return None
    return re.compile("".join(_CITED[part] if part in _CITED else re.escape(part) for part in parts))


@dataclass(frozen=True)
class CopyLine:
    """A non-empty line of the copy-text, normalised, and where it sits in the stream."""

    line: int
    start: int
    end: int
    heading: bool


def is_heading(line: str) -> bool:
    """The copy-text's headings: short lines that do not end a sentence or open a list item."""
    return (
        len(line) < 80
        and not line.endswith((".", ","))
        and not re.match(r"^[ivx]+\. ", line)
        and not re.match(r"^\w+: ", line)
    )


def copy_text_stream(path: Path = COPY_TEXT) -> tuple[str, list[CopyLine]]:
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
    """A paragraph of the edition (or the title block) reduced to the authors' words.

    ``printed``: the text with every emendation read as printed (normalised);
    ``joins``: how many of the copy-text's paragraph breaks its emendations join;
    ``moved``: it holds a transposition, so it may stand anywhere in the copy-text and
    begin mid-line; ``block``: its copy-text lines are lines of one block (the title block).
    """

    name: str
    printed: str
    joins: int = 0
    moved: bool = False
    block: bool = False


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


def unmatched_units(units: list[ReadingUnit], path: Path = COPY_TEXT, until: str = "References") -> list[str]:
    """Problems found holding each unit to the copy-text's words for it.

    Each unit must be a run of whole copy-text lines (a transposed unit may begin after a
    sentence ends mid-line), in the paper's order, crossing a line break only where the
    apparatus records a join; and every line of the paper before ``until`` that is not a
    heading must be some unit's. An emended reading that repeats its neighbour's word
    leaves a paragraph that is in no line of the copy-text and is reported here.
    """
    stream, lines = copy_text_stream(path)
    starts = {line.start: line for line in lines}
    ends = {line.end: line for line in lines}
    limit = next((line.start for line in lines if line.heading and stream[line.start:line.end] == until), len(stream))
    covered: set[int] = set()
    problems: list[str] = []
    position = 0
    for unit in units:
        text = unit.printed
        found = -1
        end = 0
        search_from = 0 if unit.moved else position
        pattern = _pattern(text)
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
            problems.append(f"{unit.name}: not the copy-text's words for any paragraph: "
                            f"{_first_difference(text, stream)}")
            continue
        spanned = [line for line in lines if line.end > found and line.start < end]
        if len(spanned) - 1 != unit.joins and not unit.block:
            problems.append(f"{unit.name}: spans {len(spanned)} lines of the copy-text "
                            f"(lines {spanned[0].line}–{spanned[-1].line}) but the apparatus records "
                            f"{unit.joins} join(s)")
        covered.update(line.line for line in spanned)
        if not unit.moved:
            position = end
    for line in lines:
        if line.start >= limit or line.heading or line.line in covered:
            continue
        problems.append(f"copy-text line {line.line}: in no paragraph of the edition: {stream[line.start:line.end][:80]!r}")
    return problems


def doubled_words(text: str) -> list[str]:
    """Words printed twice in a row (case aside), each occurrence listed."""
    return [match.group(1).lower() for match in DOUBLED.finditer(text)]


def context_in_copy_text(before: str, printed: str, after: str, path: Path = COPY_TEXT) -> str | None:
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

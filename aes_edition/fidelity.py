"""What "faithful" means, as code: the copy-text cut into headings and sentences, and
the one normalisation allowed when comparing them with an output (whitespace, quotes,
dashes and spacing around punctuation). The HTML and PDF tests both use it, so the two
outputs are held to the same standard."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

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
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
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

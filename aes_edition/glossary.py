"""The glossary of the edition (``data/glossary.yaml``): organisations, armed groups,
operations, treaties, concepts and acronyms the paper uses.

Each entry has a term, its expansion where the term is an acronym, a kind, a short
sourced definition and, optionally, the other forms in which the paper names it
(``aliases``). The Glossary page is generated from this file, the chapters link to it
with ``{term}`` roles, and the tests use the same forms to check that each term is linked
at its first use in every chapter.
"""

from __future__ import annotations

import re
from pathlib import Path

from scholarly_edition.fidelity import SENTENCE_END
from scholarly_edition.glossary_data import Term, read_glossary
from scholarly_edition.strict_data import DataError

from .paths import DATA
from .sources import check_source

FILE = DATA / "glossary.yaml"
MAX_SENTENCES = 3


def name_pattern(name: str) -> re.Pattern[str]:
    """A form of a term as a whole word: acronyms exactly ("AES"), other names in any case
    ("Collective security" as well as "collective security")."""
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", 0 if name.isupper() else re.IGNORECASE)


def first_uses(text: str, terms: list[Term]) -> dict[str, tuple[int, int]]:
    """Where each term is first named in ``text``, as (start, end), by term.

    A longer name wins over a shorter one it contains ("G5 Sahel Joint Force" over
    "G5 Sahel", "Regional Security Complex Theory" over "security complex"), so that the
    chapters and the tests agree on what counts as the first use of each term.
    """
    spans = [(match.start(), match.end(), term.term)
             for term in terms for name in term.names for match in name_pattern(name).finditer(text)]
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= other[0] or span[0] >= other[1] for other in kept):
            kept.append(span)
    result: dict[str, tuple[int, int]] = {}
    for start, end, term in sorted(kept):
        result.setdefault(term, (start, end))
    return result


def count_sentences(text: str) -> int:
    """Sentences in a definition, split as the fidelity check splits the paper."""
    return len([s for s in SENTENCE_END.split(re.sub(r"\s+", " ", text.strip())) if s.strip()])


def check_term(path: Path, term: Term) -> None:
    """This edition's own rules for an entry, beyond the extension's: a definition of one to
    three sentences, and every source a key of editors.bib or references.bib, or a web address."""
    sentences = count_sentences(term.definition)
    if sentences > MAX_SENTENCES:
        raise DataError(path, term.row, "definition",
                        f"{sentences} sentences; a definition has one to {MAX_SENTENCES} (entry at line {term.line})")
    for source in term.sources:
        check_source(path, term.row, "sources", source)


def load_glossary(path: Path = FILE) -> list[Term]:
    """Load and validate the glossary, sorted by term; raise :class:`DataError` naming
    the file, the entry (its number in the list, and its line) and the field. The reading
    is the extension's (:func:`scholarly_edition.glossary_data.read_glossary`); the checks
    of :func:`check_term` are this edition's."""
    return read_glossary(path, check=check_term)

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
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.fidelity import SENTENCE_END
from scholarly_edition.strict_data import DataError, compose_yaml, load_yaml

from .paths import DATA
from .sources import check_source

FILE = DATA / "glossary.yaml"
FIELDS = {"term", "expansion", "kind", "definition", "sources", "aliases"}
MAX_SENTENCES = 3


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term: str
    expansion: str
    kind: str
    definition: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...]
    row: int

    @property
    def names(self) -> tuple[str, ...]:
        """The forms in which the paper's text names this entry: the term and its aliases.

        The expansion is not among them: it is the editors' gloss (it may say, for example,
        how the paper's form differs from the official one), not a form of the text.
        """
        return tuple(dict.fromkeys(n for n in (self.term, *self.aliases) if n))


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


def _entries(path: Path) -> list[tuple[int, int, object]]:
    """(entry number, line, value) for each entry of the YAML list."""
    data = load_yaml(path, text_only=True)
    tree = compose_yaml(path)
    if isinstance(data, dict) and "terms" in data:
        data = data["terms"]
        tree = next(value for key, value in tree.value if key.value == "terms")
    if not isinstance(data, list):
        raise DataError(path, None, None, "expected a list of entries (or a mapping with a 'terms' list)")
    return [(n, node.start_mark.line + 1, value) for n, (node, value) in enumerate(zip(tree.value, data, strict=True), start=1)]


def _text(path: Path, number: int, line: int, entry: dict, field: str, required: bool = True) -> str:
    value = entry.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DataError(path, number, field, f"required field is empty (entry at line {line})")
        return ""
    if not isinstance(value, str | int | float):
        raise DataError(path, number, field, f"expected text (entry at line {line})")
    return re.sub(r"\s+", " ", str(value)).strip()


def _list(path: Path, number: int, line: int, entry: dict, field: str) -> list[str]:
    value = entry.get(field) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(path, number, field, f"expected a list of texts (entry at line {line})")
    return [v.strip() for v in value]


def load_glossary(path: Path = FILE) -> list[Term]:
    """Load and validate the glossary, sorted by term; raise :class:`DataError` naming
    the file, the entry (its number in the list, and its line) and the field."""
    terms: list[Term] = []
    names: dict[str, int] = {}
    for number, line, entry in _entries(path):
        if not isinstance(entry, dict):
            raise DataError(path, number, None, f"entry at line {line} is not a mapping of fields")
        unknown = sorted(set(entry) - FIELDS)
        if unknown:
            raise DataError(path, number, unknown[0], f"unknown field (entry at line {line}; known: {', '.join(sorted(FIELDS))})")
        term = _text(path, number, line, entry, "term")
        expansion = _text(path, number, line, entry, "expansion", required=False)
        kind = _text(path, number, line, entry, "kind").lower()
        definition = _text(path, number, line, entry, "definition")
        sentences = count_sentences(definition)
        if sentences > MAX_SENTENCES:
            raise DataError(path, number, "definition",
                            f"{sentences} sentences; a definition has one to {MAX_SENTENCES} (entry at line {line})")
        sources = _list(path, number, line, entry, "sources")
        if not sources:
            raise DataError(path, number, "sources", f"every definition needs a source (entry at line {line})")
        for source in sources:
            check_source(path, number, "sources", source)
        aliases = _list(path, number, line, entry, "aliases")
        result = Term(term, expansion, kind, definition, tuple(sources), tuple(aliases), number)
        for name in result.names:
            if name.lower() in names:
                raise DataError(path, number, "term",
                                f"'{name}' already names entry {names[name.lower()]} (entry at line {line})")
            names[name.lower()] = number
        terms.append(result)
    if not terms:
        raise DataError(path, None, None, "the glossary has no entries")
    return sorted(terms, key=lambda t: t.term.lower())

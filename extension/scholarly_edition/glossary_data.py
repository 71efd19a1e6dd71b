"""A glossary as data, read without Sphinx: a YAML list of entries (or a mapping whose
``terms`` is that list), each with ``term``, ``kind``, ``definition`` and, optionally,
``expansion`` (what an acronym stands for), ``sources`` (bib keys or web addresses) and
``aliases`` (the other forms in which the text names the entry).

Kept apart from :mod:`.glossary` (the Sphinx side) so that an edition's data checks,
analysis and notebooks can read the glossary where Sphinx is not installed (a Binder image).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .strict_data import DataError, compose_yaml, load_yaml

FIELDS = ("term", "expansion", "kind", "definition", "sources", "aliases")


@dataclass(frozen=True)
class Term:
    """One glossary entry; ``row`` is its number in the list, ``line`` the line it starts on."""

    term: str
    expansion: str
    kind: str
    definition: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...]
    row: int
    line: int = field(default=0, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The forms in which the text names this entry: the term and its aliases.

        The expansion is not among them: it is the editors' gloss (it may say, for example,
        how the text's form differs from the official one), not a form of the text.
        """
        return tuple(dict.fromkeys(n for n in (self.term, *self.aliases) if n))


def _entries(path: Path) -> list[tuple[int, int, object]]:
    """(entry number, line, value) for each entry of the YAML list."""
    data = load_yaml(path, text_only=True)
    tree = compose_yaml(path)
    if isinstance(data, dict) and "terms" in data:
        data = data["terms"]
        tree = next(value for key, value in tree.value if key.value == "terms")
    if not isinstance(data, list):
        raise DataError(path, None, None, "expected a list of entries (or a mapping with a 'terms' list)")
    return [(n, node.start_mark.line + 1, value)
            for n, (node, value) in enumerate(zip(tree.value, data, strict=True), start=1)]


def _text(path: Path, number: int, line: int, entry: dict, name: str, required: bool = True) -> str:
    value = entry.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DataError(path, number, name, f"required field is empty (entry at line {line})")
        return ""
    if not isinstance(value, str | int | float):
        raise DataError(path, number, name, f"expected text (entry at line {line})")
    return re.sub(r"\s+", " ", str(value)).strip()


def _list(path: Path, number: int, line: int, entry: dict, name: str) -> list[str]:
    value = entry.get(name) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(path, number, name, f"expected a list of texts (entry at line {line})")
    return [v.strip() for v in value]


def read_glossary(path: Path, kinds: Iterable[str] = (), *, sources_required: bool = True,
                  check: Callable[[Path, Term], None] | None = None) -> list[Term]:
    """The glossary's entries, read strictly and sorted by term (case aside); the first
    fault raises :class:`DataError` naming the file, the entry (its number in the list, and
    the line it starts on) and the field.

    ``kinds`` (when not empty) are the kinds an entry may give (compared in lower case, as
    kinds are kept); ``sources_required`` refuses an entry without a source (an edition's
    definitions are sourced); ``check`` is the edition's own test of each entry (a known
    bib key, a short definition), called in order and raising :class:`DataError`. A name
    (term or alias) given to two entries is refused: a link to it would be ambiguous.
    """
    allowed = {kind.lower() for kind in kinds}
    terms: list[Term] = []
    names: dict[str, int] = {}
    for number, line, entry in _entries(path):
        if not isinstance(entry, dict):
            raise DataError(path, number, None, f"entry at line {line} is not a mapping of fields")
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise DataError(path, number, unknown[0],
                            f"unknown field (entry at line {line}; known: {', '.join(sorted(FIELDS))})")
        term = _text(path, number, line, entry, "term")
        expansion = _text(path, number, line, entry, "expansion", required=False)
        kind = _text(path, number, line, entry, "kind").lower()
        if allowed and kind not in allowed:
            raise DataError(path, number, "kind",
                            f"unknown kind '{kind}' (entry at line {line}; one of {', '.join(sorted(allowed))})")
        definition = _text(path, number, line, entry, "definition")
        sources = _list(path, number, line, entry, "sources")
        if sources_required and not sources:
            raise DataError(path, number, "sources", f"every definition needs a source (entry at line {line})")
        aliases = _list(path, number, line, entry, "aliases")
        result = Term(term, expansion, kind, definition, tuple(sources), tuple(aliases), number, line)
        if check is not None:
            check(path, result)
        for name in result.names:
            if name.lower() in names:
                raise DataError(path, number, "term",
                                f"'{name}' already names entry {names[name.lower()]} (entry at line {line})")
            names[name.lower()] = number
        terms.append(result)
    if not terms:
        raise DataError(path, None, None, "the glossary has no entries")
    return sorted(terms, key=lambda t: t.term.lower())

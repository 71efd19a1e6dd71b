"""The edition's BibTeX files, checked strictly before Sphinx reads them.

sphinxcontrib-bibtex parses with pybtex in its lenient mode: a syntax error is printed
by pybtex on the side, not reported to Sphinx, and the damaged entry silently loses its
fields or vanishes, so a strict build still passes with a broken reference list. This
module parses every file named in ``_config.yml`` (``bibtex_bibfiles``) in pybtex's
strict mode and holds each entry to the fields BibTeX itself requires, so a malformed
file stops ``make html`` with its name, line and entry key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from scholarly_edition.strict_data import DataError, load_yaml, read_text

from .paths import ROOT

# The fields BibTeX's standard styles require for each entry type (Patashnik, "BibTeXing",
# section 4); a tuple means "one of these". Types outside this list cannot be formatted by
# the reference styles the edition uses.
REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": (("author", "editor"), "title", "publisher", "year"),
    "booklet": ("title",),
    "inbook": (("author", "editor"), "title", ("chapter", "pages"), "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school", "year"),
    "misc": (),
    "phdthesis": ("author", "title", "school", "year"),
    "proceedings": ("title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "unpublished": ("author", "title", "note"),
    # biblatex's type for a web page, which the edition's reference style prints as misc:
    # a page is cited by its title and address.
    "online": ("title", "url"),
}
NOT_ENTRIES = {"comment", "string", "preamble"}
ENTRY_START = re.compile(r"@\s*(?P<type>[A-Za-z]+)\s*[{(]\s*(?P<key>[^,\s{}()=\"#%']+)\s*(?P<after>.?)", re.S)
LINE = "line"


def bib_files(root: Path = ROOT) -> list[Path]:
    """The .bib files the book cites from, as ``_config.yml`` lists them, then any other
    .bib file of the book (its entries may be read by the data before Sphinx cites them)."""
    config = load_yaml(root / "_config.yml") or {}
    listed = [root / name for name in config.get("bibtex_bibfiles", [])]
    return listed + [path for path in sorted(root.glob("*.bib")) if path not in listed]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _check_entry_heads(path: Path, text: str) -> None:
    """BibTeX requires a comma after the key; pybtex quietly accepts its absence."""
    for match in ENTRY_START.finditer(text):
        if match["type"].lower() in NOT_ENTRIES:
            continue
        if match["after"] != ",":
            raise DataError(path, _line(text, match.start()), match["key"], "a comma must follow the entry key",
                            row_name=LINE, field_name="entry")


def parse_bib_text(path: Path, text: str):
    """Parse one file's text with pybtex in strict mode, turning its errors into DataError:
    the one way the edition reads a .bib file (a comma missing after a key, a syntax error
    or a repeated entry or field is named with its line)."""
    _check_entry_heads(path, text)
    import pybtex.errors
    from pybtex.database import BibliographyDataError
    from pybtex.database.input.bibtex import Parser
    from pybtex.scanner import PybtexSyntaxError

    was_strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    try:
        return Parser().parse_string(text)
    except PybtexSyntaxError as error:
        parser = error.parser
        start = getattr(parser, "command_start", None)
        line = _line(text, start) if start is not None else error.lineno
        noticed = f" (noticed in line {error.lineno})" if error.lineno != line else ""
        raise DataError(path, line, getattr(parser, "current_entry_key", None),
                        f"BibTeX syntax error: {error.args[0]}{noticed}", row_name=LINE, field_name="entry") from error
    except BibliographyDataError as error:
        duplicate = re.match(r"entry with key (\S+) has a duplicate (\S+) field", str(error))
        key = duplicate[1] if duplicate else str(error).rsplit(":", 1)[-1].strip()
        starts = [m for m in ENTRY_START.finditer(text) if m["key"].lower() == key.lower()]
        line = _line(text, starts[-1].start()) if starts else None
        raise DataError(path, line, key, f"BibTeX data error: {error}", row_name=LINE, field_name="entry") from error
    finally:
        pybtex.errors.set_strict_mode(was_strict)


def _has(entry, field: str) -> bool:
    if field in ("author", "editor"):
        return bool(entry.persons.get(field)) or bool(entry.fields.get(field, "").strip())
    return bool(entry.fields.get(field, "").strip())


def load_bibliography(paths: Iterable[Path] | None = None) -> dict[str, object]:
    """Every entry of the book's .bib files by key (pybtex ``Entry`` objects).

    Raises :class:`DataError` naming the file, line and key at the first syntax error,
    repeated key, unknown entry type or missing required field.
    """
    entries: dict[str, object] = {}
    where: dict[str, Path] = {}
    for path in bib_files() if paths is None else paths:
        if not path.is_file():
            raise DataError(path, None, None, "bibliography file is missing (listed in _config.yml, bibtex_bibfiles)")
        text = read_text(path)
        data = parse_bib_text(path, text)
        lines = {m["key"].lower(): _line(text, m.start()) for m in ENTRY_START.finditer(text)}
        for key, entry in data.entries.items():
            line = lines.get(key.lower())
            if key.lower() in (k.lower() for k in entries):
                raise DataError(path, line, key, f"key already used in {where[key.lower()].name}",
                                row_name=LINE, field_name="entry")
            kind = entry.type.lower()
            if kind not in REQUIRED:
                raise DataError(path, line, key, f"unknown entry type '@{entry.type}' (one of {', '.join(REQUIRED)})",
                                row_name=LINE, field_name="entry")
            for need in REQUIRED[kind]:
                options = need if isinstance(need, tuple) else (need,)
                if not any(_has(entry, name) for name in options):
                    raise DataError(path, line, key, f"@{kind} needs the field {' or '.join(options)}",
                                    row_name=LINE, field_name="entry")
            entries[key] = entry
            where[key.lower()] = path
    return entries

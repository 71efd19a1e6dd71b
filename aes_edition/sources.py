"""The editors' own sources (``editors.bib``) and how a piece of data names a source.

The paper's works live in ``references.bib``; everything the editors cite for their
notes, glossary and timeline lives in ``editors.bib``. Keeping them apart lets the
References page show the paper's list exactly and the Editors' sources page show the
editors' list, and lets a check catch a key that would make the two collide.
"""

from __future__ import annotations

import re
from pathlib import Path

from scholarly_edition.strict_data import DataError, read_text

from .paths import ROOT
from .reference_register import BIB as REFERENCES_BIB
from .reference_register import bib_keys, parsed_bib

EDITORS_BIB = ROOT / "editors.bib"
URL = re.compile(r"^https?://[^\s<>\"]+$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _keys(path: Path) -> frozenset[str]:
    """The keys of a .bib file as it is now (its parse is cached by content, in
    :func:`aes_edition.reference_register.parsed_bib`)."""
    return frozenset(bib_keys(path)) if path.exists() else frozenset()


def known_keys() -> frozenset[str]:
    """Every citation key a note, a glossary entry or a timeline row may use."""
    return _keys(EDITORS_BIB) | _keys(REFERENCES_BIB)


def check_source(path: Path, row: int | None, field: str, value: str) -> str:
    """Accept a source given as a bib key of either .bib file or as a web address.

    Raise :class:`DataError` naming the place otherwise: a source that cannot be
    followed is no source.
    """
    value = value.strip()
    if URL.match(value) or value in known_keys():
        return value
    raise DataError(path, row, field, f"'{value}' is neither a web address nor a key of editors.bib or references.bib")


# What each kind of entry of editors.bib must state, beyond a title, an author or editor and a
# date, so that a reader can find the work (the reference styles print these fields). The
# paper's references.bib is held only to what BibTeX requires (aes_edition.bibfiles): it is
# the paper's list as printed, while this one is the editors' own.
EDITORS_REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "online": ("url", "urldate"),
    "article": ("journal",),
    "book": ("publisher",),
    "inbook": ("publisher",),
    "incollection": ("booktitle", "publisher"),
    "inproceedings": ("booktitle",),
    "techreport": ("institution",),
    "report": ("institution",),
    "phdthesis": ("school",),
    "mastersthesis": ("school",),
}
YEAR = re.compile(r"^\d{4}$")
WORK_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# A work that states no date of its own (an organisation's page, an encyclopaedia article) says
# so in its note, instead of being given a date it does not have.
UNDATED = re.compile(r"\bundated\b", re.I)
ENTRY_LINE = re.compile(r"@\s*[A-Za-z]+\s*[{(]\s*([^,\s]+)\s*,")


def _lines(path: Path) -> dict[str, int]:
    text = read_text(path)
    return {m[1].lower(): text.count("\n", 0, m.start()) + 1 for m in ENTRY_LINE.finditer(text)}


def load_editors_sources(path: Path = EDITORS_BIB, references: Path = REFERENCES_BIB) -> dict[str, dict[str, str]]:
    """Load ``editors.bib`` and check that each entry is complete for its type.

    Every entry needs a title; an author or editor; its date (``year`` or ``date``), or, for a
    work that states none, a ``note`` saying it is undated (``urldate``, the day the editors
    read a page, is not the work's date). A web page (``@online``) needs its address and the
    day it was read (``url``, ``urldate``); an article its journal, a book its publisher, a
    report its institution (``EDITORS_REQUIRED``); any other work a web address, a DOI, or the
    publisher or journal by which a library finds it. No key may repeat a key of the paper's
    ``references.bib``, since both files feed one citation namespace, and no two entries may
    give the same address (one work listed twice among the sources). A fault is reported with
    the entry's line and key.
    """
    if not path.exists():
        raise DataError(path, None, None, "file is missing")
    parsed = parsed_bib(path).entries
    types = {key: entry.type.lower() for key, entry in parsed.items()}
    entries = bib_keys(path)
    lines = _lines(path)
    clash = sorted(set(entries) & set(bib_keys(references)))
    if clash:
        raise DataError(path, None, "key", f"keys also used in {references.name}: {', '.join(clash)}")
    first_with_url: dict[str, str] = {}
    for key, fields in entries.items():
        def fault(field: str, problem: str, key: str = key) -> DataError:
            return DataError(path, lines.get(key.lower()), f"{key}.{field}", problem, row_name="line")

        kind = types[key]
        if not fields.get("title"):
            raise fault("title", "entry has no title")
        url = fields.get("url", "")
        if kind == "online" and not url:
            raise fault("url", "a web page (@online) without its url")
        if url and not URL.match(url):
            raise fault("url", f"'{url}' is not a web address")
        if url and first_with_url.setdefault(url, key) != key:
            # One work, one entry: two keys would list it twice among the sources.
            raise fault("url", f"the same address as the entry '{first_with_url[url]}'; cite that one")
        for need in EDITORS_REQUIRED.get(kind, ()):
            options = need if isinstance(need, tuple) else (need,)
            if not any(fields.get(name, "").strip() for name in options):
                raise fault(options[0], f"@{kind} needs the field {' or '.join(options)}")
        if not (url or fields.get("doi") or fields.get("publisher") or fields.get("journal")):
            raise fault("url", "entry has no url, doi, publisher or journal to find it by")
        if not (parsed[key].persons.get("author") or parsed[key].persons.get("editor")):
            raise fault("author", "entry names no author or editor (a body as {Name of the body})")
        year, date = fields.get("year", "").strip(), fields.get("date", "").strip()
        if year and not YEAR.match(year):
            raise fault("year", f"'{year}' is not a year")
        if date and not WORK_DATE.match(date):
            raise fault("date", f"'{date}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if year and date and not date.startswith(year):
            raise fault("date", f"'{date}' is not in the entry's year {year}")
        if not (year or date or UNDATED.search(fields.get("note", ""))):
            raise fault("year", "entry has no year or date; a work that states none says 'undated' in its note")
        urldate = fields.get("urldate", "").strip()
        if urldate and not ISO_DATE.match(urldate):
            raise fault("urldate", f"'{urldate}' is not a date (YYYY-MM-DD)")
    return entries

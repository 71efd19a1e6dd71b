"""The editors' own sources (``editors.bib``) and how a piece of data names a source.

The paper's works live in ``references.bib``; everything the editors cite for their
notes, glossary and timeline lives in ``editors.bib``. Keeping them apart lets the
References page show the paper's list exactly and the Editors' sources page show the
editors' list, and lets a check catch a key that would make the two collide.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import DataError
from .paths import ROOT
from .reference_register import BIB as REFERENCES_BIB
from .reference_register import bib_keys, parsed_bib

EDITORS_BIB = ROOT / "editors.bib"
URL = re.compile(r"^https?://[^\s<>\"]+$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@lru_cache(maxsize=4)
def _keys(path: Path) -> frozenset[str]:
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


def load_editors_sources(path: Path = EDITORS_BIB, references: Path = REFERENCES_BIB) -> dict[str, dict[str, str]]:
    """Load ``editors.bib`` and check that each entry can be followed and found.

    Every entry needs a title and a year or date. A web page (``@online``) needs its web
    address and the date the editors read it (``urldate``, ISO 8601, which the Editors'
    sources page prints: a page may change after it was cited); any other work needs a web
    address, a DOI, or the publisher or journal by which a library finds it. No key may
    repeat a key of the paper's ``references.bib``, since both files feed one citation
    namespace.
    """
    if not path.exists():
        raise DataError(path, None, None, "file is missing")
    types = {key: entry.type.lower() for key, entry in parsed_bib(path).entries.items()}
    entries = bib_keys(path)
    clash = sorted(set(entries) & set(bib_keys(references)))
    if clash:
        raise DataError(path, None, "key", f"keys also used in {references.name}: {', '.join(clash)}")
    for key, fields in entries.items():
        if not fields.get("title"):
            raise DataError(path, None, f"{key}.title", "entry has no title")
        if not (fields.get("year") or fields.get("date") or fields.get("urldate")):
            raise DataError(path, None, f"{key}.year", "entry has no year or date")
        url = fields.get("url", "")
        if types[key] == "online" and not url:
            raise DataError(path, None, f"{key}.url", "a web page (@online) without its url")
        urldate = fields.get("urldate", "")
        if types[key] == "online" and not urldate:
            raise DataError(path, None, f"{key}.urldate", "a web page (@online) without the date it was read (urldate)")
        if urldate and not ISO_DATE.match(urldate):
            raise DataError(path, None, f"{key}.urldate", f"'{urldate}' is not a date of the form 2026-11-25")
        if not (url or fields.get("doi") or fields.get("publisher") or fields.get("journal")):
            raise DataError(path, None, f"{key}.url", "entry has no url, doi, publisher or journal to find it by")
        if url and not URL.match(url):
            raise DataError(path, None, f"{key}.url", f"'{url}' is not a web address")
    return entries

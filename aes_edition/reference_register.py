"""The register of the paper's references (``data/reference-register.csv``).

One row per work the source prints (R01 …) and one per printed text that is not a work
(N01 …): the reading as printed, the corrected reading, what changed, the evidence and a
status. The References chapter shows the corrected works; this register shows how they
were established, and the tests hold ``references.bib`` and the register to each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from scholarly_edition.strict_data import DataError, check_unique, read_rows, read_text

from .paths import DATA, ROOT

FILE = DATA / "reference-register.csv"
BIB = ROOT / "references.bib"
STATUSES = ("verified", "corrected", "unverified")
ID_FORM = re.compile(r"^[RN][0-9]{2}$")
EVIDENCE = re.compile(r"^(https://\S+|copy-text:[0-9]+)$")


@dataclass(frozen=True)
class RegisterRow:
    """How one printed reference (or stray printed text) was checked and settled."""

    id: str
    key: str
    printed: str
    corrected: str
    changes: str
    evidence: tuple[str, ...]
    status: str
    searched: str
    suggestion: str


@lru_cache(maxsize=8)
def _parsed(path: Path, text: str):
    from .bibfiles import parse_bib_text

    return parse_bib_text(path, text)


def parsed_bib(path: Path):
    """pybtex's strict reading of a .bib file (:func:`aes_edition.bibfiles.parse_bib_text`),
    made once per content of the file: the data check reads each file several times, and
    parsing is most of its time. Read-only."""
    return _parsed(path, read_text(path))


@lru_cache(maxsize=8)
def _fields(path: Path, text: str) -> Mapping[str, Mapping[str, str]]:
    data = _parsed(path, text)
    return MappingProxyType({key: MappingProxyType({k.lower(): str(v) for k, v in entry.fields.items()})
                             for key, entry in data.entries.items()})


def bib_keys(path: Path = BIB) -> Mapping[str, Mapping[str, str]]:
    """Entries of a .bib file by key, with their fields (pybtex does the parsing), made once
    per content of the file and read-only: the data check asks for them once per row of
    the review record, over a thousand times."""
    return _fields(path, read_text(path))


def load_register(path: Path = FILE, bib: Path = BIB) -> list[RegisterRow]:
    """Load and validate the register against ``references.bib``."""
    rows = list(read_rows(path, ["id", "printed", "corrected", "status"],
                          ["key", "changes", "evidence", "searched", "suggestion"]))
    check_unique(path, "id", [(n, r["id"]) for n, r in rows])
    check_unique(path, "key", [(n, r["key"]) for n, r in rows if r["key"]])
    entries = bib_keys(bib)
    result: list[RegisterRow] = []
    for number, row in rows:
        if not ID_FORM.match(row["id"]):
            raise DataError(path, number, "id", f"'{row['id']}' is not of the form R01 or N01")
        if row["status"] not in STATUSES:
            raise DataError(path, number, "status", f"'{row['status']}' is not one of {', '.join(STATUSES)}")
        evidence = tuple(row["evidence"].split())
        for item in evidence:
            if not EVIDENCE.match(item):
                raise DataError(path, number, "evidence", f"'{item}' is neither an https URL nor copy-text:<line>")
        if row["status"] in ("verified", "corrected") and not evidence:
            raise DataError(path, number, "evidence", f"a {row['status']} row needs evidence")
        if row["status"] == "unverified" and not row["searched"]:
            raise DataError(path, number, "searched", "an unverified row must say what was searched")
        if row["id"].startswith("R"):
            if row["key"] not in entries:
                raise DataError(path, number, "key", f"'{row['key']}' is not an entry of {bib.name}")
            note = entries[row["key"]].get("note", "")
            if (row["status"] == "unverified") != note.lower().startswith("unverified"):
                raise DataError(path, number, "status",
                                f"status '{row['status']}' disagrees with the note of {row['key']} in {bib.name}")
        result.append(RegisterRow(row["id"], row["key"], row["printed"], row["corrected"], row["changes"], evidence,
                                  row["status"], row["searched"], row["suggestion"]))
    missing = sorted(set(entries) - {r.key for r in result})
    if missing:
        raise DataError(path, None, "key", f"works of {bib.name} with no row in the register: {', '.join(missing)}")
    return result

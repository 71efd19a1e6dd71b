"""The register of emendations, read without Sphinx: every change to the copy-text is a row
of one CSV file (``id``, ``para``, ``kind``, ``printed``, ``edition``, ``note``).

Kept apart from :mod:`.emendations` (the Sphinx side) so that an edition's data checks,
analysis and notebooks can read the register where Sphinx is not installed (a Binder image).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .strict_data import DataError, check_unique, read_rows

COLUMNS = ("id", "para", "kind", "printed", "edition", "note")


@dataclass(frozen=True)
class Emendation:
    """One row of the register: an editorial change to the text and the reading it replaces."""

    id: str
    para: str  # the paragraph's id, or "" outside the numbered text
    kind: str
    printed: str
    edition: str  # text and roles only; [bracketed] parts are the editors' supplements
    note: str  # text: why, with sources
    line: int = field(default=0, compare=False)  # the row's line in the register, for messages

    @property
    def anchor(self) -> str:
        """The id of the row in the apparatus."""
        return f"apparatus-{self.id.lower()}"


def read_register(path: Path, kinds: dict[str, str] | None = None, id_form: str = "") -> dict[str, Emendation]:
    """The register's rows by id, read strictly; the first fault raises :class:`DataError`
    naming the file, the row and the field. ``kinds`` (when not empty) are the kinds a row
    may give, ``id_form`` a regular expression every id must match."""
    rows = list(read_rows(path, ["id", "kind", "edition", "note"], ["para", "printed"]))
    check_unique(path, "id", [(line, row["id"]) for line, row in rows])
    result: dict[str, Emendation] = {}
    for line, row in rows:
        if id_form and not re.fullmatch(id_form, row["id"]):
            raise DataError(path, line, "id", f"'{row['id']}' is not of the form {id_form}")
        if kinds and row["kind"] not in kinds:
            raise DataError(path, line, "kind", f"unknown kind '{row['kind']}' (one of {', '.join(kinds)})")
        result[row["id"]] = Emendation(*(row.get(column, "") for column in COLUMNS), line=line)
    return result

"""The register of emendations to the paper's text (``data/emendations.csv``).

Every place where the edition's text differs from the copy-text is a row here, with
the printed reading kept. The chapters only name the row (``{emend}`E04```), so the
printed reading, the edited reading and the reason live in one place that the text,
the apparatus page and the fidelity test all read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.strict_data import DataError, check_unique, read_rows

from .paragraphs import paragraph_index
from .paths import DATA

FILE = DATA / "emendations.csv"
KINDS = {
    "punctuation": "punctuation regularised",
    "citation": "citation regularised",
    "lacuna": "text wanting in the source",
    "join": "paragraphs joined",
    "supplied": "supplied by the editors",
    "transposition": "moved by the editors",
    "sic": "kept as printed",
    "omission": "omitted by the editors",
}
ID_FORM = re.compile(r"^E[0-9]{2}$")


@dataclass(frozen=True)
class Emendation:
    """One editorial change to the text and the reading it replaces."""

    id: str
    para: str  # paragraph id, or "" for the title block
    kind: str
    printed: str
    edition: str  # text and {cite:…} roles only (aes_edition.myst_text); [bracketed] parts are the editors' supplements
    note: str  # text: why, with sources

    @property
    def anchor(self) -> str:
        """The id of the emendation's row on the apparatus page."""
        return f"apparatus-{self.id.lower()}"


def load_emendations(path: Path = FILE, check_paragraphs: bool = True) -> dict[str, Emendation]:
    """Load and validate the register; raise :class:`DataError` at the first bad row."""
    rows = list(read_rows(path, ["id", "kind", "edition", "note"], ["para", "printed"]))
    check_unique(path, "id", [(n, r["id"]) for n, r in rows])
    known = paragraph_index() if check_paragraphs else {}
    result: dict[str, Emendation] = {}
    for number, row in rows:
        if not ID_FORM.match(row["id"]):
            raise DataError(path, number, "id", f"'{row['id']}' is not of the form E01")
        if row["kind"] not in KINDS:
            raise DataError(path, number, "kind", f"unknown kind '{row['kind']}' (one of {', '.join(KINDS)})")
        if check_paragraphs and row["para"] and row["para"] not in known:
            raise DataError(path, number, "para", f"unknown paragraph id '{row['para']}'")
        result[row["id"]] = Emendation(row["id"], row["para"], row["kind"], row["printed"], row["edition"], row["note"])
    return result

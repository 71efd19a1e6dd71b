"""Test projects' registers of emendations, written as the CSV file the extension reads."""

from __future__ import annotations

import csv
from pathlib import Path

from scholarly_edition.register import COLUMNS, Emendation


def write_register(path: Path, rows: dict[str, Emendation]) -> Path:
    """Write ``rows`` to ``path`` as a register (``scholarly_edition_emendations``)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([getattr(row, column) for column in COLUMNS] for row in rows.values())
    return path

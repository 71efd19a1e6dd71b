"""The register of emendations to the paper's text (``data/emendations.csv``).

Every place where the edition's text differs from the copy-text is a row here, with
the printed reading kept. The chapters only name the row (``{emend}`E04```), so the
printed reading, the edited reading and the reason live in one place that the text,
the apparatus page and the fidelity test all read.

The register is the extension's (:mod:`scholarly_edition.register`, set in the text by
:mod:`scholarly_edition.emendations`): it reads the rows
and sets them in the text and the apparatus. What is the edition's is its settings in
``_config.yml`` (the file, the kinds of change and their names, the form of an id), read
here too so that the data check and the analysis hold the rows to the same rules before
Sphinx runs, and that every row names a paragraph of the chapters.
"""

from __future__ import annotations

from pathlib import Path

from scholarly_edition.register import Emendation, read_register
from scholarly_edition.strict_data import DataError, load_yaml

from .paragraphs import paragraph_index
from .paths import DATA, ROOT

__all__ = ["FILE", "Emendation", "load_emendations"]

FILE = DATA / "emendations.csv"


def _settings() -> dict:
    """The extension's settings as ``_config.yml`` gives them (``sphinx.config``), read each
    time the register is loaded (rarely: the data check, the analysis), so never stale."""
    config = load_yaml(ROOT / "_config.yml") or {}
    return ((config.get("sphinx") or {}).get("config") or {})


def load_emendations(path: Path = FILE, check_paragraphs: bool = True) -> dict[str, Emendation]:
    """Load and validate the register; raise :class:`DataError` at the first bad row."""
    settings = _settings()
    kinds = dict(settings.get("scholarly_edition_emendation_kinds") or {})
    rows = read_register(path, kinds, settings.get("scholarly_edition_emendation_id", ""))
    known = paragraph_index() if check_paragraphs else {}
    for row in rows.values():
        if check_paragraphs and row.para and row.para not in known:
            raise DataError(path, row.line, "para", f"unknown paragraph id '{row.para}'")
    return rows

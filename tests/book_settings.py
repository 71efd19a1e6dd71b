"""The extension's settings as the book's ``_config.yml`` gives them, for the tests that hold
the published HTML and PDF to the copy-text with the extension's Sphinx-free comparison
(``scholarly_edition.fidelity``), by the same settings as the build's own check."""

from __future__ import annotations

from typing import Any

from scholarly_edition.fidelity import CitationForms
from scholarly_edition.strict_data import load_yaml

from aes_edition.paths import ROOT


def extension_settings() -> dict[str, Any]:
    """``sphinx: config:`` of ``_config.yml``."""
    config = load_yaml(ROOT / "_config.yml") or {}
    return dict((config.get("sphinx") or {}).get("config") or {})


def copy_text_until() -> str:
    """The copy-text's heading from which its lines need not stand in a paragraph (the reference list)."""
    return extension_settings().get("scholarly_edition_copy_text_until", "")


def citation_forms() -> CitationForms:
    """How the copy-text prints the citations the build generates."""
    return CitationForms.from_mapping(extension_settings().get("scholarly_edition_copy_text_citations") or {})

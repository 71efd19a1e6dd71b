"""The table of contents (``_toc.yml``) held to the files of the book.

Jupyter Book builds only the files ``_toc.yml`` lists (``only_build_toc_files``), so a
chapter or notebook left out of it vanishes from the edition without a word, and an
entry naming a missing file is reported against the root page rather than against
``_toc.yml``. This check names the entry or the file instead, before Sphinx runs.
"""

from __future__ import annotations

from pathlib import Path

from scholarly_edition.strict_data import DataError, load_yaml, read_text

from .paragraphs import toc_files
from .paths import ROOT

# The folders whose every page belongs in the book, and the kinds of page Jupyter Book reads.
CONTENT_DIRS = ("chapters", "notebooks")
SUFFIXES = (".md", ".ipynb")


def _entry_lines(text: str, docname: str) -> list[int]:
    """The lines of ``_toc.yml`` that name ``docname`` (with or without its suffix)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        key, _, value = line.strip().lstrip("-").strip().partition(":")
        if key in ("file", "root") and value.strip().strip("'\"").removesuffix(".md").removesuffix(".ipynb") == docname:
            found.append(number)
    return found


def content_files(root: Path = ROOT) -> list[Path]:
    """Every page in the book's content folders, checkpoints left out."""
    found = []
    for folder in CONTENT_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and ".ipynb_checkpoints" not in path.parts:
                found.append(path)
    return found


def check_toc(root: Path = ROOT) -> list[str]:
    """The documents of ``_toc.yml`` in reading order, after checking that each names a
    file, none is listed twice, and every page in the content folders is listed."""
    toc = root / "_toc.yml"
    text = read_text(toc)
    parsed = load_yaml(toc)
    if not isinstance(parsed, dict) or "root" not in parsed:
        raise DataError(toc, None, None, "has no 'root' entry")
    listed = toc_files(root)
    seen: set[str] = set()
    for docname in listed:
        lines = _entry_lines(text, docname) or [None]
        if docname in seen:
            raise DataError(toc, lines[-1], docname, "listed twice", row_name="line", field_name="entry")
        seen.add(docname)
        if not any((root / f"{docname}{suffix}").is_file() for suffix in SUFFIXES):
            raise DataError(toc, lines[0], docname, f"names a file that does not exist (no {docname}.md or {docname}.ipynb)",
                            row_name="line", field_name="entry")
    for path in content_files(root):
        docname = path.relative_to(root).with_suffix("").as_posix()
        if docname not in seen:
            raise DataError(path, None, None, "this page is not listed in _toc.yml, so the edition would leave it out")
    return listed

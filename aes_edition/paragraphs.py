"""The paragraph registry: every paragraph of the paper, derived from the chapters.

The chapters are the one place where paragraph ids are written (``:::{para} <id>``);
this module reads them so that data validation, notebooks and tests agree with the
book without a second list that could drift. An id is ``<chapter-file-stem>-p<N>``,
N counting the paper's paragraphs (list items included) within the chapter, and is
shown to readers as ``¶N``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scholarly_edition.strict_data import DataError, load_yaml, read_text

from .myst_blocks import find
from .paths import CHAPTERS, ROOT

ID_FORM = re.compile(r"^(?P<slug>[a-z0-9-]+)-p(?P<n>[1-9][0-9]*)$")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the paper as the edition numbers it."""

    id: str
    chapter: str  # chapter file stem, e.g. "introduction"
    number: int
    chapter_title: str
    source: str  # the MyST source of the paragraph's text
    line: int  # line of the opening fence in the chapter file

    @property
    def label(self) -> str:
        """How a reader sees the paragraph named: 'Introduction ¶2'."""
        return f"{self.chapter_title} ¶{self.number}"

    @property
    def url(self) -> str:
        """The paragraph's address relative to the HTML root."""
        return f"chapters/{self.chapter}.html#{self.id}"


def toc_files(root: Path = ROOT) -> list[str]:
    """Document names listed in ``_toc.yml``, in reading order."""
    toc = load_yaml(root / "_toc.yml")
    files: list[str] = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                files.append(str(entry["file"]).removesuffix(".md").removesuffix(".ipynb"))
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def parse_chapter(path: Path) -> list[Paragraph]:
    """Read the numbered paragraphs of one chapter file, checking their ids.

    The paragraphs are found as MyST finds them (:mod:`aes_edition.myst_blocks`), in any
    spelling of the directive MyST accepts. Ids must have the chapter's stem as prefix and
    count 1, 2, 3 … in order, so a paragraph can never silently take another's number.
    """
    return list(_parsed_chapter(path, read_text(path)))


@lru_cache(maxsize=64)
def _parsed_chapter(path: Path, text: str) -> tuple[Paragraph, ...]:
    """The paragraphs of one content of a chapter file, parsed once per process (the data
    check, the notebooks' input digests and the build all ask for them)."""
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
    found: list[Paragraph] = []
    for block in find(text, "para"):
        pid = block.argument
        if not pid or len(pid.split()) != 1:
            raise DataError(path, block.line, pid or None, "a paragraph needs one id, such as "
                            f"'{path.stem}-p{len(found) + 1}'", row_name="line", field_name="paragraph")
        if not block.closed:
            raise DataError(path, block.line, pid, "paragraph is not closed", row_name="line", field_name="paragraph")
        form = ID_FORM.match(pid)
        expected = f"{path.stem}-p{len(found) + 1}"
        if not form or pid != expected:
            raise DataError(path, block.line, pid, f"paragraph id out of sequence: expected '{expected}'",
                            row_name="line", field_name="paragraph")
        found.append(Paragraph(pid, path.stem, len(found) + 1, title, block.body.strip(), block.line))
    return tuple(found)


def _registry(chapters: Path) -> tuple[Paragraph, ...]:
    """The paragraphs of the chapter files as they are now (each file parsed once per content,
    :func:`parse_chapter`: the build asks for them per note and per link)."""
    return tuple(p for path in sorted(chapters.glob("*.md")) for p in parse_chapter(path))


def all_paragraphs(chapters: Path = CHAPTERS) -> list[Paragraph]:
    """Every numbered paragraph in every chapter file."""
    return list(_registry(chapters))


def paragraph_index(chapters: Path = CHAPTERS) -> dict[str, Paragraph]:
    """Paragraphs by id, the look-up that data validation uses."""
    return {p.id: p for p in _registry(chapters)}

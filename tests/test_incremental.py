"""An incremental ``make html`` does the work a change needs, and no less (issue 8).

An editor who adds a sentence to a note waits for that chapter and the pages that point
into it, not for the whole book; a change that other pages show (a title, a label) writes
every page; a build with nothing to do does nothing. Each case builds a copy of the book
(tests/bookcopy.py) with the real Makefile and reads what the build says it wrote.
"""

from __future__ import annotations

import re

import pytest
from bookcopy import BookCopy

from aes_edition.paragraphs import toc_files

CHAPTER = "chapters/introduction"


def _written(output: str) -> set[str]:
    return set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output))


def _read(output: str) -> set[str]:
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", output))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> BookCopy:
    copy = BookCopy(tmp_path_factory.mktemp("incremental") / "book")
    first = copy.make()
    assert not first.failed, first.tail()
    return copy


def test_a_build_with_nothing_to_do_does_nothing(book):
    build = book.make()
    assert not build.failed, build.tail()
    assert "Running Sphinx" not in build.output and "the HTML edition is in _build/html" in build.output


def test_a_note_added_to_a_chapter_writes_that_chapter_and_the_pages_pointing_into_it(book):
    text = book.read(f"{CHAPTER}.md")
    closing = text.index("\n::::\n", text.index("::::{ednote}"))
    book.write(f"{CHAPTER}.md", text[:closing] + "\n\nAn added sentence, only in this copy." + text[closing:])
    build = book.make()
    assert not build.failed, build.tail()
    assert _read(build.output) == {CHAPTER}, "only the edited chapter is read again"
    written = _written(build.output)
    assert CHAPTER in written
    # Pages that link to the chapter's paragraphs carry its text in their previews.
    pointing = {doc for doc in toc_files() if doc != CHAPTER
                and f"{CHAPTER.split('/')[1]}.html#introduction-p" in book.read(f"_build/html/{doc}.html")}
    assert pointing and pointing <= written
    assert len(written) < len(toc_files()) / 2, f"far more pages written than point into the chapter: {sorted(written)}"
    assert "An added sentence, only in this copy." in book.read(f"_build/html/{CHAPTER}.html")


def test_a_changed_title_writes_every_page(book):
    """Every page's navigation shows every chapter's title."""
    text = book.read(f"{CHAPTER}.md")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    book.write(f"{CHAPTER}.md", text.replace(title, title + " (retitled)", 1))
    build = book.make()
    assert not build.failed, build.tail()
    assert _written(build.output) >= set(toc_files())
    assert "(retitled)" in book.read("_build/html/chapters/glossary.html")

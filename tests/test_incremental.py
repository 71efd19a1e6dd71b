"""An incremental ``make html`` does the work a change needs, and no less (issue 8).

An editor who adds a sentence to a note waits for that chapter, not for the whole book
(the pages that link into it preview the new text all the same); a change that other pages show (a title, a label) writes
every page; a build with nothing to do does nothing. Each case builds a copy of the book
(tests/bookcopy.py) with the real Makefile and reads what the build says it wrote.
"""

from __future__ import annotations

import os
import re

import pytest
from bookcopy import BookCopy, site_differences

from aes_edition.paragraphs import toc_files

CHAPTER = "chapters/introduction"


def _written(output: str) -> set[str]:
    return set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output))


def _read(output: str) -> set[str]:
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", output))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> BookCopy:
    copy = BookCopy(tmp_path_factory.mktemp("incremental") / "book")
    # The copy keeps the working tree's file times, and without git the text's revision date is
    # the newest of them (aes_edition/revision.py): an edit made today to a text last touched on
    # another day moves that date, which every page's footer shows, so every page would rightly
    # be written. Dating the copy now keeps these tests about what an edit itself rewrites.
    for path in copy.root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path)
    first = copy.make()
    assert not first.failed, first.tail()
    return copy


def test_a_build_with_nothing_to_do_does_nothing(book):
    build = book.make()
    assert not build.failed, build.tail()
    assert "Running Sphinx" not in build.output and "the HTML edition is in _build/html" in build.output


def test_python_writing_its_bytecode_cache_is_not_a_change(book):
    """Editors' machines write ``__pycache__`` folders into the package while building; the
    next build must still have nothing to do."""
    writes_bytecode = {"PYTHONDONTWRITEBYTECODE": ""}  # empty: Python writes its cache
    book.write("aes_edition/sphinxext/__init__.py", book.read("aes_edition/sphinxext/__init__.py"))
    first = book.make(env=writes_bytecode)
    assert not first.failed, first.tail()
    assert book.path("aes_edition/__pycache__").is_dir()
    second = book.make(env=writes_bytecode)
    assert not second.failed and "Running Sphinx" not in second.output, second.tail()


def _pointing_to(book: BookCopy, anchor: str) -> set[str]:
    """The pages of the built copy that link to ``anchor`` on the edited chapter."""
    link = f"{CHAPTER.split('/')[1]}.html#{anchor}"
    return {doc for doc in toc_files() if doc != CHAPTER and link in book.read(f"_build/html/{doc}.html")}


def _preview_data(book: BookCopy, doc: str) -> str:
    """The hover previews shipped with a page (sphinx-tippy's data file for it)."""
    folder = book.path(f"_build/html/_static/tippy/{doc.rpartition('/')[0]}")
    return "".join(p.read_text(encoding="utf-8") for p in folder.glob(f"{doc.rpartition('/')[2]}.*.js"))


def test_a_sentence_added_to_a_note_writes_that_chapter_not_the_book(book):
    text = book.read(f"{CHAPTER}.md")
    closing = text.index("\n::::\n", text.index("::::{ednote}"))
    book.write(f"{CHAPTER}.md", text[:closing] + "\n\nAn added sentence, only in this copy." + text[closing:])
    build = book.make()
    assert not build.failed, build.tail()
    assert _read(build.output) == {CHAPTER}, "only the edited chapter is read again"
    written = _written(build.output)
    assert CHAPTER in written and "An added sentence, only in this copy." in book.read(f"_build/html/{CHAPTER}.html")
    # The rewritten chapter still previews what it links to on pages not written in this build.
    assert "glossary.html#term-JNIM" in _preview_data(book, CHAPTER)
    # Pages that link to the chapter's paragraphs show only the paragraphs, which did not change.
    pointing = _pointing_to(book, "introduction-p1")
    assert pointing and not pointing & written, f"pages written for an unchanged paragraph: {sorted(pointing & written)}"
    # The chapter, and the contents page whose table of contents lists it (Sphinx's own rule).
    assert len(written) <= 2, f"more pages written than the change needs: {sorted(written)}"


def test_a_changed_paragraph_reaches_the_previews_of_the_pages_linking_to_it(book):
    """A link to a paragraph shows the paragraph's text on hover. The page holding the link
    shows none of that text itself, so it is not written again: its preview file, which
    every build writes for every page, shows the new text."""
    # Marked as the editors' (the build holds the paper's own words to the copy-text).
    book.replace(f"{CHAPTER}.md", ":::{para} introduction-p1\n",
                 ":::{para} introduction-p1\n[Previewed-word-in-copy.]{.editorial} ")
    build = book.make()
    assert not build.failed, build.tail()
    pointing = _pointing_to(book, "introduction-p1") - {CHAPTER}
    written = _written(build.output)
    # The notebooks that quote the paper are read again (they run again) and so written.
    previewing_only = pointing - _read(build.output)
    assert previewing_only and not previewing_only & written, \
        f"pages written only for a preview: {sorted(previewing_only & written)}"
    for doc in pointing:
        assert "Previewed-word-in-copy." in _preview_data(book, doc), f"{doc} previews the old paragraph"
    assert len(written) < len(toc_files()), "an unchanged inventory does not write every page"


def test_a_changed_title_writes_every_page(book):
    """Every page's navigation shows every chapter's title."""
    text = book.read(f"{CHAPTER}.md")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    book.write(f"{CHAPTER}.md", text.replace(title, title + " (retitled)", 1))
    build = book.make()
    assert not build.failed, build.tail()
    assert _written(build.output) >= set(toc_files())
    assert "(retitled)" in book.read("_build/html/chapters/glossary.html")


def test_a_changed_glossary_definition_reaches_the_previews_of_pages_using_the_term(book):
    old = "    Jihadist coalition announced"
    book.replace("data/glossary.yaml", old, "    Changed-definition-in-copy." + old[3:])
    build = book.make()
    assert not build.failed, build.tail()
    assert "Changed-definition-in-copy." in book.read("_build/html/chapters/glossary.html")
    users = [doc for doc in toc_files() if "glossary.html#term-JNIM" in book.read(f"_build/html/{doc}.html")]
    assert users
    for doc in users:
        assert "Changed-definition-in-copy." in _preview_data(book, doc), f"{doc} previews the old definition"


def test_a_changed_work_reaches_every_page_citing_it(book):
    """A citation previews the formatted entry on hover; a corrected title must reach the
    previews of every page citing the work (they are the only place a page shows the entry)."""
    old = "title = {Islamist groups in Mali merge"
    book.replace("editors.bib", old, old.replace("{", "{Retitled-work-in-copy: "))
    build = book.make()
    assert not build.failed, build.tail()
    citing = [doc for doc in toc_files() if doc.startswith("chapters/") and "africanews2017jnim" in book.read(f"{doc}.md")]
    assert CHAPTER in citing
    for doc in citing:
        assert "Retitled-work-in-copy" in _preview_data(book, doc), f"{doc} previews the old title"


def test_a_work_removed_while_still_cited_fails_the_build(tmp_path_factory):
    copy = BookCopy(tmp_path_factory.mktemp("removed-work") / "book")
    assert not copy.make().failed
    text = copy.read("editors.bib")
    start = text.index("@online{africanews2017jnim,")
    end = text.index("\n}\n", start) + 3
    copy.write("editors.bib", text[:start] + text[end:])
    copy.replace("data/glossary.yaml", "sources: [africanews2017jnim, religionandgeopolitics2017jnim]",
                 "sources: [religionandgeopolitics2017jnim]")
    for attempt in ("first", "second"):
        build = copy.make()
        assert build.failed, f"{attempt} build passed with a citation of a removed work"
        assert "africanews2017jnim" in build.output, build.tail()


def test_a_renamed_part_reaches_every_page(book):
    book.replace("_toc.yml", "caption: Apparatus", "caption: Apparatus-renamed-in-copy")
    build = book.make()
    assert not build.failed, build.tail()
    for doc in toc_files():
        assert "Apparatus-renamed-in-copy" in book.read(f"_build/html/{doc}.html"), f"{doc} shows the old part caption"


def test_a_change_that_keeps_an_old_file_time_is_built(book):
    """Checkouts, unpacked archives and ``cp -p`` give a changed file an old time: the
    content decides, both whether make has work to do and which pages Sphinx reads again."""
    chapter, table = book.path(f"{CHAPTER}.md"), book.path("data/glossary.yaml")
    times = {path: path.stat() for path in (chapter, table)}
    book.replace(f"{CHAPTER}.md", ":::{para} introduction-p1\n",
                 ":::{para} introduction-p1\n[Old-time-word-in-copy.]{.editorial} ")
    book.replace("data/glossary.yaml", "Jihadist coalition", "Old-time-definition-in-copy. Jihadist coalition")
    for path, stat in times.items():
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    build = book.make()
    assert not build.failed, build.tail()
    assert {CHAPTER, "chapters/glossary"} <= _read(build.output)
    assert "Old-time-word-in-copy." in book.read(f"_build/html/{CHAPTER}.html")
    assert "Old-time-definition-in-copy." in book.read("_build/html/chapters/glossary.html")


def test_a_new_commit_date_reaches_every_page(book):
    build = book.make(env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert not build.failed, build.tail()
    assert _written(build.output) >= set(toc_files())
    assert "Last updated on Nov 14, 2023." in book.read("_build/html/chapters/glossary.html")
    assert not book.make(env={"SOURCE_DATE_EPOCH": "1700000000"}).output.count("Running Sphinx")


def test_after_all_these_changes_the_site_is_the_one_a_clean_build_gives(book, tmp_path_factory):
    """The incremental builds above, one after another, left exactly what a clean build of
    the same sources writes: no stale page, preview, figure or file."""
    fresh = BookCopy(tmp_path_factory.mktemp("clean") / "book", notebook_cache=False, source=book.root)
    build = fresh.make(env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert not build.failed, build.tail()
    differences = site_differences(book.path("_build/html"), fresh.path("_build/html"))
    assert differences == [], "\n".join(differences)


def test_a_file_added_to_the_record_of_the_review_reads_its_page_again(book):
    """Sphinx watches files, not folders: a reviewer's new file in data/review/ must still
    reach the page "Record of the editorial review", and leave it when the file goes."""
    relative = "data/review/analysis.csv"
    book.write(relative, "item,sources,outcome,finding\npage: concept-map,,kept,A row only in this copy.\n")
    try:
        build = book.make()
        assert not build.failed, build.tail()
        assert "chapters/review-record" in _read(build.output)
        assert "A row only in this copy." in book.read("_build/html/chapters/review-record.html")
    finally:
        book.path(relative).unlink()
    build = book.make()
    assert not build.failed, build.tail()
    assert "chapters/review-record" in _read(build.output)
    assert "A row only in this copy." not in book.read("_build/html/chapters/review-record.html")

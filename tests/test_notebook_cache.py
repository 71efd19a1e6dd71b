"""A change to a data file re-executes exactly the notebooks that read it, though
jupyter-cache recognises notebooks by their code alone (issue: executable notebooks)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from bookcopy import BookCopy, read_table, write_table
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from aes_edition.notebook_cache import STATE_FILE, UNDECLARED, fingerprint, inputs_of, refresh


def _notebook(path: Path, reads: list[str], code: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["aes_edition"] = {"reads": reads}
    nbformat.write(nb, path)


def _cache_both(cache_dir: Path, notebooks: list[Path]) -> dict[str, int]:
    """Put each notebook in the cache as if executed; return record ids by notebook name."""
    cache = get_cache(str(cache_dir))
    for path in notebooks:
        cache.cache_notebook_bundle(CacheBundleIn(nbformat.read(path, as_version=4), str(path)),
                                    check_validity=False, overwrite=True)
    return {Path(r.uri).name: r.pk for r in cache.list_cache_records()}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "data" / "b.csv").write_text("y\n2\n", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    _notebook(tmp_path / "notebooks" / "a.ipynb", ["data/a.csv", "data/shared-*.csv"], "print('a')")
    _notebook(tmp_path / "notebooks" / "b.ipynb", ["data/b.csv", "data/shared-*.csv"], "print('b')")
    return tmp_path


def test_the_fingerprint_follows_content_not_time(book):
    before = fingerprint(["data/a.csv"], book)
    os.utime(book / "data" / "a.csv", (1, 1))
    assert fingerprint(["data/a.csv"], book) == before
    (book / "data" / "a.csv").write_text("x\n3\n", encoding="utf-8")
    assert fingerprint(["data/a.csv"], book) != before


def test_a_file_appearing_or_disappearing_changes_the_fingerprint(book):
    before = fingerprint(["data/glossary.yaml", "data/shared-*.csv"], book)
    (book / "data" / "glossary.yaml").write_text("[]\n", encoding="utf-8")
    after = fingerprint(["data/glossary.yaml", "data/shared-*.csv"], book)
    assert after != before
    (book / "data" / "shared-1.csv").write_text("z\n", encoding="utf-8")
    assert fingerprint(["data/glossary.yaml", "data/shared-*.csv"], book) != after


def test_a_paragraphs_pattern_follows_the_papers_words_not_the_notes_beside_them(book):
    """Editors add notes to chapters all the time; the notebooks draw only on the paper's
    paragraphs, so a note must not re-execute them, and a change to a paragraph must."""
    chapter = book / "chapters" / "intro.md"
    chapter.parent.mkdir()
    text = "# Intro\n\n:::{para} intro-p1\nThe paper's words.\n:::\n"
    chapter.write_text(text, encoding="utf-8")
    before = fingerprint(["chapters/*.md#paragraphs"], book)
    assert fingerprint(["chapters/*.md"], book) != before
    chapter.write_text("# Intro\n\n```{ednote} A note\nEditors' words.\n```\n\n" + text[9:], encoding="utf-8")
    assert fingerprint(["chapters/*.md#paragraphs"], book) == before
    chapter.write_text(text.replace("words", "word"), encoding="utf-8")
    assert fingerprint(["chapters/*.md#paragraphs"], book) != before
    chapter.write_text(text.replace("# Intro", "# Introduction"), encoding="utf-8")
    assert fingerprint(["chapters/*.md#paragraphs"], book) != before
    chapter.write_text(text.replace("intro-p1", "intro-p2"), encoding="utf-8")  # a fault: hashed whole
    assert fingerprint(["chapters/*.md#paragraphs"], book) != before


def test_only_the_notebook_whose_data_changed_loses_its_cached_outputs(book):
    cache_dir = book / "_build" / ".jupyter_cache"
    notebooks = [book / "notebooks" / "a.ipynb", book / "notebooks" / "b.ipynb"]
    assert refresh(notebooks, cache_dir, book) == notebooks  # first build: nothing recorded yet
    records = _cache_both(cache_dir, notebooks)
    assert refresh(notebooks, cache_dir, book) == []  # nothing changed
    assert {Path(r.uri).name: r.pk for r in get_cache(str(cache_dir)).list_cache_records()} == records

    (book / "data" / "a.csv").write_text("x\n9\n", encoding="utf-8")
    assert refresh(notebooks, cache_dir, book) == [notebooks[0]]
    left = {Path(r.uri).name: r.pk for r in get_cache(str(cache_dir)).list_cache_records()}
    assert left == {"b.ipynb": records["b.ipynb"]}
    assert refresh(notebooks, cache_dir, book) == []  # recorded: not stale twice

    records = _cache_both(cache_dir, notebooks)
    (book / "data" / "shared-2.csv").write_text("w\n", encoding="utf-8")
    assert refresh(notebooks, cache_dir, book) == notebooks  # a file both read: both run again
    assert get_cache(str(cache_dir)).list_cache_records() == []
    state = json.loads((cache_dir / STATE_FILE).read_text(encoding="utf-8"))
    assert set(state) == {"notebooks/a.ipynb", "notebooks/b.ipynb"}


def test_a_notebook_that_declares_nothing_runs_again_on_any_change(book):
    cache_dir = book / "_build" / ".jupyter_cache"
    loose = book / "notebooks" / "loose.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('c')")])
    nbformat.write(nb, loose)
    assert inputs_of(loose) == UNDECLARED
    notebooks = [book / "notebooks" / "a.ipynb", loose]
    refresh(notebooks, cache_dir, book)
    (book / "data" / "b.csv").write_text("y\n7\n", encoding="utf-8")  # read by b only, which is not listed
    assert refresh(notebooks, cache_dir, book) == [loose]


# --- the whole build ---------------------------------------------------------------


def _records(book: BookCopy) -> dict[str, tuple[int, str]]:
    cache = get_cache(str(book.path("_build/.jupyter_cache")))
    return {Path(r.uri).name: (r.pk, r.hashkey) for r in cache.list_cache_records()}


def _set_field(book: BookCopy, table: str, key: str, value: str, field: str, new: str) -> None:
    header, rows = read_table(book.path(table))
    for row in rows:
        if row[key] == value:
            row[field] = new
    book.write(table, write_table(header, rows))


def test_a_data_change_re_executes_exactly_the_notebooks_that_read_it(html_dir, tmp_path):
    """In a copy of the edition, change one notebook's table and run ``make html``: that
    notebook alone is executed again, and its page shows the change. The copy starts from
    this build's cache, so only the executions the change causes take time."""
    book = BookCopy(tmp_path / "book")
    baseline = book.make()  # it may re-execute if the tree changed since `make html`
    assert not baseline.failed, baseline.tail()
    start = _records(book)
    assert set(start) == {"concept-map.ipynb", "traceability-matrix.ipynb"}

    _set_field(book, "data/concepts.csv", "id", "securitisation", "label", "securitization (as changed)")
    second = book.make()
    assert not second.failed, second.tail()
    assert "notebooks/concept-map: its inputs changed" in second.output
    assert "notebooks/traceability-matrix: its inputs changed" not in second.output
    after = _records(book)
    assert after["traceability-matrix.ipynb"] == start["traceability-matrix.ipynb"]
    assert after["concept-map.ipynb"][0] != start["concept-map.ipynb"][0]
    assert "securitization (as changed)" in book.read("_build/html/notebooks/concept-map.html")

    _set_field(book, "data/findings.csv", "id", "F14", "short", "theatres too vast (as changed)")
    third = book.make()
    assert not third.failed, third.tail()
    assert "notebooks/traceability-matrix: its inputs changed" in third.output
    assert "notebooks/concept-map: its inputs changed" not in third.output
    final = _records(book)
    assert final["concept-map.ipynb"] == after["concept-map.ipynb"]
    assert final["traceability-matrix.ipynb"][0] != after["traceability-matrix.ipynb"][0]
    assert "theatres too vast (as changed)" in book.read("_build/html/notebooks/traceability-matrix.html")

    book.append("data/timeline.csv", "")  # read by neither notebook: neither runs again
    fourth = book.make()
    assert not fourth.failed, fourth.tail()
    assert "is executed again" not in fourth.output
    assert _records(book) == final

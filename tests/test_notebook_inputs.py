"""A change to a data file re-executes exactly the notebooks that read it, though
jupyter-cache recognises notebooks by their code alone (issue: executable notebooks).

The digests are tested alone, then in a small Sphinx project (myst-nb executing through
jupyter-cache, with :mod:`aes_edition.sphinxext.notebooks`), then with ``make html`` on a
copy of the book."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import nbformat
import pytest
from bookcopy import BookCopy, read_table, write_table
from jupyter_cache import get_cache
from notebook_project import notebook_conf
from sphinx.testing.util import SphinxTestApp

from aes_edition.notebook_inputs import UNDECLARED, fingerprint, inputs_of


def _notebook(path: Path, reads: list[str], code: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["aes_edition"] = {"reads": reads}
    nbformat.write(nb, path)


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




def _build(book: Path, fresh: bool = False, parallel: int = 0, read_in_parallel: bool = False) -> set[str]:
    """Build the small project (``fresh``: without the saved environment, as after a failed
    build; ``parallel``: Sphinx's ``-j``, which reads in parallel only more than five pages);
    return the notebooks executed, by name (all of them ahead of their reading: myst-nb found
    each in its cache)."""
    if not (book / "conf.py").exists():
        (book / "conf.py").write_text(notebook_conf(book / "_build" / ".jupyter_cache"), encoding="utf-8")
    if not (book / "index.md").exists():
        (book / "index.md").write_text("# Book\n\n```{toctree}\n:glob:\nnotebooks/*\n```\n", encoding="utf-8")
    status, warnings = io.StringIO(), io.StringIO()
    app = SphinxTestApp("html", srcdir=book, freshenv=fresh, status=status, warning=warnings, parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    assert "Executing notebook failed" not in warnings.getvalue(), warnings.getvalue()
    assert "Executing notebook using" not in status.getvalue(), "myst-nb found a notebook not in its cache"
    assert not read_in_parallel or re.search(r"reading sources\.\.\. .*\S \.\. \S", status.getvalue()), \
        "Sphinx read the pages in parallel, a chunk of them at a time"
    return set(re.findall(r"notebooks/([\w-]+)\.ipynb: Executed notebook ahead", status.getvalue()))


def _cached(cache_dir: Path) -> dict[str, tuple[int, str]]:
    return {Path(r.uri).name: (r.pk, r.hashkey) for r in get_cache(str(cache_dir)).list_cache_records()}


@pytest.fixture
def project(book: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("IPYTHONDIR", "AES_EDITION_KERNEL_LOG", "AES_EDITION_KERNEL_BOOK"):  # the build sets them
        monkeypatch.delenv(name, raising=False)
    return book


def test_only_the_notebook_whose_data_changed_is_executed_again(project):
    cache_dir = project / "_build" / ".jupyter_cache"
    assert _build(project) == {"a", "b"}  # first build: nothing cached yet
    records = _cached(cache_dir)
    assert _build(project) == set()  # nothing changed
    assert _cached(cache_dir) == records

    (project / "data" / "a.csv").write_text("x\n9\n", encoding="utf-8")
    assert _build(project) == {"a"}
    left = _cached(cache_dir)
    assert left["b.ipynb"] == records["b.ipynb"] and left["a.ipynb"] != records["a.ipynb"]
    assert len(get_cache(str(cache_dir)).list_cache_records()) == 2, "the record for the old data is dropped"
    assert _build(project) == set()  # recorded: not stale twice

    (project / "data" / "shared-2.csv").write_text("w\n", encoding="utf-8")
    assert _build(project) == {"a", "b"}  # a file both read: both run again


def test_a_fresh_environment_keeps_what_the_cache_holds_and_no_more(project):
    """After a failed build Sphinx's saved environment is discarded: the cache alone must
    say which outputs still hold (its key includes the inputs' digest)."""
    _build(project)
    assert _build(project, fresh=True) == set()
    (project / "data" / "b.csv").write_text("y\n8\n", encoding="utf-8")
    assert _build(project, fresh=True) == {"b"}


def test_a_notebook_that_declares_nothing_runs_again_on_any_change(project):
    loose = project / "notebooks" / "loose.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('c')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, loose)
    assert inputs_of(loose) == UNDECLARED
    assert _build(project) == {"a", "b", "loose"}
    (project / "data" / "b.csv").write_text("y\n7\n", encoding="utf-8")  # read by b, and by what declares nothing
    assert _build(project) == {"b", "loose"}


def test_the_notebooks_to_execute_run_side_by_side(project, monkeypatch):
    """Each of two notebooks leaves a mark and waits for the other's: run one after the
    other, the first would wait in vain and fail; side by side, both pass."""
    import aes_edition.sphinxext.notebooks as glue

    monkeypatch.setattr(glue, "workers_available", lambda: 2)
    meeting = project / "_build" / "meeting"
    meeting.mkdir(parents=True)
    for me, other in (("a", "b"), ("b", "a")):
        _notebook(project / "notebooks" / f"{me}.ipynb", [], f"""\
import pathlib, time
pathlib.Path({str(meeting / me)!r}).touch()
for _ in range(200):
    if pathlib.Path({str(meeting / other)!r}).exists():
        break
    time.sleep(0.1)
else:
    raise RuntimeError("{me} ran alone")
""")
    assert _build(project) == {"a", "b"}


def test_a_parallel_read_finds_every_notebook_in_the_cache(project):
    """With ``-j 2`` Sphinx forks its readers: the notebooks' outcomes are taken before."""
    for number in range(6):  # Sphinx reads in parallel only when there are more than five pages
        (project / f"page{number}.md").write_text(f"# Page {number}\n", encoding="utf-8")
    (project / "index.md").write_text("# Book\n\n```{toctree}\n:glob:\npage*\nnotebooks/*\n```\n", encoding="utf-8")
    assert _build(project, parallel=2, read_in_parallel=True) == {"a", "b"}
    for name in ("a", "b"):
        page = (project / "_build" / "html" / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        assert f"<pre><span></span>{name}\n" in page, f"notebooks/{name}: its output is on its page"
    (project / "data" / "a.csv").write_text("x\n5\n", encoding="utf-8")
    assert _build(project, parallel=2) == {"a"}


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

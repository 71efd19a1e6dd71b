"""Notebooks fail fast and clearly (issue 16, class 7).

A hung cell, a dead kernel, a notebook that writes into the book or reads a file it does not
declare, and a file that is not a notebook: each is reported once, naming the notebook's cell
and what happened (for a hung cell, the timeout and the setting that set it). The first tests
build a small Sphinx project laid out like the book (myst-nb executing through jupyter-cache,
with :mod:`aes_edition.sphinxext.notebooks`); the last ones run ``make html`` on a copy of the
book.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import nbformat
import pytest
from bookcopy import ANSI, BookCopy
from jupyter_cache import get_cache
from notebook_project import notebook_conf
from sphinx.testing.util import SphinxTestApp


def _notebook(path: Path, cells: list[tuple[str, str]], reads: list[str] | None = None,
              metadata: dict | None = None) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code, id=cell_id) for cell_id, code in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if reads is not None:
        nb.metadata["aes_edition"] = {"reads": reads}
    nb.metadata.update(metadata or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path




@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    (root / "data" / "declared.csv").write_text("x\n1\n", encoding="utf-8")
    (root / "data" / "undeclared.csv").write_text("y\n2\n", encoding="utf-8")
    (root / "_build").mkdir()
    (root / "index.md").write_text("# Book\n\n```{toctree}\n:glob:\nnotebooks/*\n```\n", encoding="utf-8")
    for name in ("IPYTHONDIR", "AES_EDITION_KERNEL_LOG", "AES_EDITION_KERNEL_BOOK"):  # the build sets them
        monkeypatch.delenv(name, raising=False)
    return root


def _cache(book: Path) -> Path:
    return book / "_build" / "cache"


def _run(book: Path, notebook: Path, timeout: int = 60) -> tuple[str | None, nbformat.NotebookNode | None]:
    """Build the small project; return the one warning on the notebook (None without) and
    the notebook as myst-nb executed it."""
    (book / "conf.py").write_text(notebook_conf(_cache(book), timeout), encoding="utf-8")
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=book, status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    name = notebook.relative_to(book).as_posix()
    entries = re.split(rf"(?m)^(?={re.escape(str(book))})", ANSI.sub("", warnings.getvalue()))
    reports = [e for e in entries if e.startswith(f"{book / name}:") and "Executing notebook failed: " in e]
    assert len(reports) <= 1, f"{name} reported more than once:\n{warnings.getvalue()}"
    error = reports[0].split("Executing notebook failed: ", 1)[1].rstrip("\n").removesuffix(" [aes_edition.notebook]") \
        if reports else None
    executed = book / "_build" / "jupyter_execute" / name  # myst-nb's copy of the notebook as it ran
    return error, (nbformat.read(executed, as_version=4) if executed.is_file() else None)


def test_a_clean_notebook_that_reads_what_it_declares_passes(book):
    notebook = _notebook(book / "notebooks" / "fine.ipynb", [("reads", "print(open('../data/declared.csv').read())")],
                         reads=["data/declared.csv"])
    error, _executed = _run(book, notebook)
    assert error is None
    page = (book / "_build" / "html" / "notebooks" / "fine.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="output stream[^>]*><div class="highlight"><pre><span></span>x\n1\n', page), \
        "the page shows what the cell printed"
    assert len(get_cache(str(_cache(book))).list_cache_records()) == 1, "a notebook that passed is cached"


def test_a_hung_cell_is_stopped_at_the_timeout_naming_the_cell_and_the_setting(book):
    notebook = _notebook(book / "notebooks" / "hangs.ipynb", [("first", "x = 1"), ("sleeper", "import time\ntime.sleep(3600)")],
                         reads=[])
    error, executed = _run(book, notebook, timeout=3)
    assert error is not None and error.startswith(
        "cell 2 (id 'sleeper') did not finish within the notebook timeout (3 seconds, set by execute.timeout in _config.yml)")
    assert executed is not None and executed.cells[0].execution_count == 1, "the cells that ran are kept, to be shown"


def test_a_timeout_set_by_the_notebook_is_named_as_such(book):
    notebook = _notebook(book / "notebooks" / "hangs.ipynb", [("sleeper", "import time\ntime.sleep(3600)")], reads=[],
                         metadata={"execution": {"timeout": 2}})
    error, _executed = _run(book, notebook, timeout=600)
    assert "(2 seconds, set by the notebook's metadata.execution.timeout)" in error


def test_a_dead_kernel_is_named(book):
    notebook = _notebook(book / "notebooks" / "dies.ipynb", [("ok", "x = 1"), ("exits", "import os\nos._exit(1)")], reads=[])
    error, _executed = _run(book, notebook)
    assert error is not None and error.startswith("the kernel died while running cell 2 (id 'exits')"), error


def test_a_kernel_that_does_not_start_is_named(book):
    """jupyter-cache and myst-nb let this through too: it ended the build with a traceback."""
    notebook = _notebook(book / "notebooks" / "nokernel.ipynb", [("one", "x = 1")], reads=[],
                         metadata={"kernelspec": {"name": "no-such-kernel", "display_name": "None", "language": "python"}})
    error, executed = _run(book, notebook)
    assert error == "the notebook could not run: NoSuchKernel: No such kernel named no-such-kernel", error
    assert executed is not None and executed.cells[0].execution_count is None, "the cells are shown, unexecuted"


def test_a_cell_that_raises_is_named_with_its_traceback(book):
    notebook = _notebook(book / "notebooks" / "raises.ipynb", [("raises", "raise ValueError('injected fault')")], reads=[])
    error, _executed = _run(book, notebook)
    assert error.startswith("cell 1 (id 'raises') raised ValueError: injected fault"), error
    assert "Traceback" in error or "ValueError" in error.splitlines()[-1] and "\x1b[" not in error


@pytest.mark.parametrize("code, what", [
    ("open('../data/declared.csv', 'a').write('3\\n')", "data/declared.csv"),
    ("import pandas\npandas.DataFrame({'a': [1]}).to_csv('../data/new.csv')", "data/new.csv"),
    ("open('scratch.txt', 'w').write('x')", "notebooks/scratch.txt"),
    ("import os\nos.remove('../data/undeclared.csv')", "data/undeclared.csv"),
])
def test_a_notebook_that_writes_into_the_book_fails_naming_the_file_and_cell(book, code, what):
    notebook = _notebook(book / "notebooks" / "writes.ipynb", [("first", "x = 1"), ("writer", code)],
                         reads=["data/declared.csv", "data/undeclared.csv"])
    error, _executed = _run(book, notebook)
    assert error is not None and f"cell 2 (id 'writer') writes into the book's sources ({what})" in error, error
    assert get_cache(str(_cache(book))).list_cache_records() == [], "a notebook that failed is not cached"


def test_a_notebook_may_write_into_the_build_folder(book):
    notebook = _notebook(book / "notebooks" / "scratch.ipynb", [("writer", "open('../_build/scratch.txt', 'w').write('x')")],
                         reads=[])
    assert _run(book, notebook)[0] is None


def test_a_read_the_notebook_does_not_declare_fails_naming_the_file(book):
    notebook = _notebook(book / "notebooks" / "reads.ipynb",
                         [("reader", "open('../data/declared.csv').read()\nopen('../data/undeclared.csv').read()")],
                         reads=["data/declared.csv"])
    error, _executed = _run(book, notebook)
    assert error is not None
    assert "cell 1 (id 'reader') reads data/undeclared.csv, which metadata.aes_edition.reads does not declare" in error
    assert "declared.csv," not in error.replace("undeclared.csv", "")


def test_a_failure_is_reported_again_by_the_next_build_and_a_clean_one_is_served_from_the_cache(book):
    """A failed notebook is not cached, so the next build runs and reports it again; one
    that passed is not executed a second time."""
    bad = _notebook(book / "notebooks" / "raises.ipynb", [("raises", "raise ValueError('injected fault')")], reads=[])
    good = _notebook(book / "notebooks" / "fine.ipynb", [("fine", "print(1)")], reads=[])
    assert _run(book, bad)[0] is not None and _run(book, good)[0] is None
    records = [(r.pk, r.hashkey) for r in get_cache(str(_cache(book))).list_cache_records()]
    (book / "_build" / "doctrees").rename(book / "_build" / "doctrees-before")  # a fresh environment
    assert _run(book, bad)[0] is not None
    assert [(r.pk, r.hashkey) for r in get_cache(str(_cache(book))).list_cache_records()] == records


# --- the whole build -------------------------------------------------------------------------


def test_notebook_faults_fail_the_build_once_each_naming_notebook_cell_and_setting(tmp_path):
    """A copy with a hanging, a dying, a writing and an undeclared-reading notebook, and the
    timeout lowered to five seconds in _config.yml: one build reports all four, each once."""
    book = BookCopy(tmp_path / "book")
    book.replace("_config.yml", "  timeout: 120\n", "  timeout: 5\n")
    faults = {
        "hangs": ([("sleeper", "import time\ntime.sleep(3600)")], []),
        "dies": ([("exits", "import os\nos._exit(1)")], []),
        "writes": ([("writer", "open('../data/glossary.yaml', 'a').write('# a notebook was here\\n')")], ["data/glossary.yaml"]),
        "reads": ([("reader", "open('../data/timeline.csv').read()")], ["data/glossary.yaml"]),
    }
    glossary = book.read("data/glossary.yaml")
    for name, (cells, reads) in faults.items():
        _notebook(book.path(f"notebooks/fault-{name}.ipynb"), cells, reads=reads)
        book.add_to_toc(f"notebooks/fault-{name}")
    build = book.make()
    assert build.failed, build.tail()
    expected = {
        "hangs": ("cell 1 (id 'sleeper') did not finish within the notebook timeout "
                  "(5 seconds, set by execute.timeout in _config.yml)"),
        "dies": "the kernel died while running cell 1 (id 'exits')",
        "writes": "cell 1 (id 'writer') writes into the book's sources (data/glossary.yaml)",
        "reads": "cell 1 (id 'reader') reads data/timeline.csv, which metadata.aes_edition.reads does not declare",
    }
    for name, message in expected.items():
        lines = [line for line in build.output.splitlines() if f"fault-{name}.ipynb" in line and "WARNING" in line]
        assert [line for line in lines if message in line], f"no warning on fault-{name}.ipynb says {message!r}:\n{build.tail()}"
        assert build.output.count(message) == 1, f"fault-{name}: reported {build.output.count(message)} times"
    for name in expected:  # myst-nb, had it run a notebook again, would have reported it a second time
        reports = re.findall(rf"fault-{name}\.ipynb[^\n]*Executing notebook failed", build.output)
        assert len(reports) == 1, f"fault-{name} was reported {len(reports)} times:\n{build.tail()}"
    book.write("data/glossary.yaml", glossary)  # what the writing notebook did, undone


def test_a_file_that_is_not_a_notebook_stops_the_build_before_sphinx(tmp_path):
    book = BookCopy(tmp_path / "book")
    text = book.read("notebooks/concept-map.ipynb")
    book.write("notebooks/concept-map.ipynb", text.replace('"cells": [', '"cells": [,', 1))
    line = 1 + text[:text.index('"cells": [')].count("\n")
    build = book.make()
    assert build.failed
    assert f"data error: notebooks/concept-map.ipynb, line {line}" in build.output and "not a valid notebook" in build.output, \
        build.tail()
    assert "Running Sphinx" not in build.output
    assert json.loads(text)  # the original was valid

"""A change to a data file re-executes exactly the notebooks that read it, though
jupyter-cache recognises notebooks by their code alone (issue: executable notebooks)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from aes_edition.notebook_cache import STATE_FILE, fingerprint, refresh
from aes_edition.paths import ROOT


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


# --- the whole build -----------------------------------------------------------------


def _records(build: Path) -> dict[str, tuple[int, str]]:
    cache = get_cache(str(build / "_build" / ".jupyter_cache"))
    return {Path(r.uri).name: (r.pk, r.hashkey) for r in cache.list_cache_records()}


def _build(book: Path) -> str:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    env = {**os.environ, "PYTHONPATH": str(book)}  # the copy's package, which reads the copy's data
    result = subprocess.run([str(jupyter_book), "build", ".", "--builder", "html", "-W", "-n", "--keep-going"],
                            cwd=book, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def _set_field(path: Path, key: str, value: str, field: str, new: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row[key] == value:
            row[field] = new
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_data_change_re_executes_exactly_the_notebooks_that_read_it(html_dir, tmp_path):
    """Build a copy of the edition, change one notebook's table, build again: that notebook
    alone is executed again, and its page shows the change. The copy starts from this
    build's cache, so only the executions the change causes take time."""
    book = tmp_path / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", ".ruff_cache",
                                                              "__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "_build" / ".jupyter_cache", book / "_build" / ".jupyter_cache")
    _build(book)  # the baseline (it may re-execute if the tree changed since `make html`)
    start = _records(book)
    assert set(start) == {"concept-map.ipynb", "traceability-matrix.ipynb"}

    _set_field(book / "data" / "concepts.csv", "id", "securitisation", "label", "securitization (as changed)")
    second = _build(book)
    assert "the data read by notebooks/concept-map changed" in second
    assert "notebooks/traceability-matrix changed" not in second
    after = _records(book)
    assert after["traceability-matrix.ipynb"] == start["traceability-matrix.ipynb"]
    assert after["concept-map.ipynb"][0] != start["concept-map.ipynb"][0]
    page = (book / "_build" / "html" / "notebooks" / "concept-map.html").read_text(encoding="utf-8")
    assert "securitization (as changed)" in page

    _set_field(book / "data" / "findings.csv", "id", "F14", "short", "theatres too vast (as changed)")
    third = _build(book)
    assert "the data read by notebooks/traceability-matrix changed" in third
    assert "notebooks/concept-map changed" not in third
    final = _records(book)
    assert final["concept-map.ipynb"] == after["concept-map.ipynb"]
    assert final["traceability-matrix.ipynb"][0] != after["traceability-matrix.ipynb"][0]
    page = (book / "_build" / "html" / "notebooks" / "traceability-matrix.html").read_text(encoding="utf-8")
    assert "theatres too vast (as changed)" in page

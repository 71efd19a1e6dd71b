"""The published site changes only when a build succeeds (issue 16, class 5).

``aes_edition/build.py`` builds into ``_build/.staging`` under a lock and puts the new site in
place of ``_build/html`` in one step when the strict build succeeds. The first tests hold its
parts to small folders; the last ones run the real ``make html`` in a copy of the book
(tests/bookcopy.py) and fail it, run it twice at once and interrupt it, requiring each time
that ``_build/html`` is byte for byte the last good site, and that nothing is left running.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from bookcopy import ANSI, VENV, BookCopy

from aes_edition import build

PAGE = "chapters/editorial-principles.md"


def _tree(folder: Path) -> dict[str, str]:
    """Every file of a folder with a digest of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


# --- the parts ---------------------------------------------------------------------------


def test_exchange_swaps_two_folders(tmp_path):
    a = _files(tmp_path / "a", {"index.html": "new"})
    b = _files(tmp_path / "b", {"index.html": "old", "gone.html": "x"})
    build.exchange(a, b)
    assert _tree(b) == _tree(_files(tmp_path / "expect-b", {"index.html": "new"}))
    assert (a / "gone.html").read_text(encoding="utf-8") == "x"


def test_publish_replaces_the_site_and_keeps_the_pdf(tmp_path):
    site = _files(tmp_path / "html", {"index.html": "old", "stale.html": "old", build.PDF: "%PDF"})
    staged = _files(tmp_path / "staged", {"index.html": "new", "page.html": "new"})
    build.publish(staged, site)
    assert set(_tree(site)) == {"index.html", "page.html", build.PDF}
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert not (tmp_path / "html.new").exists()
    assert _tree(staged) == {k: v for k, v in _tree(site).items() if k != build.PDF}, "staging is left as built"


def test_a_second_build_is_refused_naming_the_first(tmp_path):
    lock = tmp_path / ".lock"
    with build.exclusive("html", lock):
        with pytest.raises(build.BuildError, match=r"another build of this book is running \(make html, process \d+\)"):
            with build.exclusive("pdf", lock):
                pass
    with build.exclusive("pdf", lock):  # released when the first build ends
        pass


def test_without_git_the_edition_is_dated_from_its_newest_source(tmp_path, monkeypatch):
    root = _files(tmp_path, {name: "x" for name in build.SOURCE_FILES} | {"data/a.csv": "x", "chapters/a.md": "x"})
    for path in root.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    os.utime(root / "data" / "a.csv", (1_710_000_000, 1_710_000_000))
    for given in ("", "0", " "):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", given)
        epoch, note = build.source_date_epoch(root)
        assert epoch == "1710000000" and "no git history" in note
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert build.source_date_epoch(root) == ("1600000000", None)


def test_the_inputs_digest_follows_content_not_times(tmp_path):
    root = _files(tmp_path, {"_config.yml": "a", "data/a.csv": "x\n1\n", "aes_edition/__pycache__/m.pyc": "b"})
    before = build.inputs_digest("1", root)
    os.utime(root / "data" / "a.csv", (1, 1))
    (root / "data" / ".~lock.a.csv#").write_text("editor's lock", encoding="utf-8")
    (root / "aes_edition" / "__pycache__" / "n.pyc").write_text("b", encoding="utf-8")
    assert build.inputs_digest("1", root) == before
    (root / "data" / "a.csv").write_text("x\n2\n", encoding="utf-8")
    os.utime(root / "data" / "a.csv", (1, 1))
    changed = build.inputs_digest("1", root)
    assert changed != before
    (root / "data" / "b.csv").write_text("", encoding="utf-8")
    assert build.inputs_digest("1", root) != changed
    assert build.inputs_digest("2", root) != build.inputs_digest("1", root)


# --- the real build ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> BookCopy:
    """A copy built once, without git history: its sources all dated 1 March 2025."""
    copy = BookCopy(tmp_path_factory.mktemp("publishing") / "book")
    for path in copy.root.rglob("*"):
        os.utime(path, (1_740_830_400, 1_740_830_400), follow_symlinks=False)
    first = copy.make(env={"SOURCE_DATE_EPOCH": ""})
    assert not first.failed, first.tail()
    assert "no git history here: the pages are dated from the newest source file (01 March 2025)" in first.output
    return copy


def test_a_copy_without_git_history_states_an_honest_date(book):
    page = book.read("_build/html/chapters/glossary.html")
    assert re.findall(r"Last updated on ([^.<]*)", page) == ["Mar 01, 2025"]


def test_a_failed_strict_build_leaves_the_published_site_as_it_was(book):
    site = _tree(book.path("_build/html"))
    pristine = book.read(PAGE)
    book.append(PAGE, "A sentence only in the failed build. See {ref}`no-such-label-in-copy`.")
    try:
        failed = book.make(env={"SOURCE_DATE_EPOCH": ""})
        assert failed.failed and "undefined label: 'no-such-label-in-copy'" in failed.output, failed.tail()
        assert "The published site, _build/html, is unchanged." in failed.output
        assert _tree(book.path("_build/html")) == site
        assert "A sentence only in the failed build." in book.read("_build/.staging/_build/html/" + PAGE[:-3] + ".html"), \
            "the failed build did write its pages, into the staging folder"
    finally:
        book.write(PAGE, pristine)
    again = book.make(env={"SOURCE_DATE_EPOCH": ""})
    assert not again.failed, again.tail()
    assert "A sentence only in the failed build." not in book.read("_build/html/" + PAGE[:-3] + ".html")


def test_a_build_started_while_another_runs_is_refused_and_changes_nothing(book):
    book.append(PAGE, "A sentence the refused build must not publish.")
    site = _tree(book.path("_build/html"))
    with open(book.path("_build/.lock"), "a+", encoding="utf-8") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("make html, process 1\n")
        held.flush()
        refused = book.make(env={"SOURCE_DATE_EPOCH": ""})
    assert refused.failed and "another build of this book is running" in refused.output, refused.tail()
    assert "Wait for it to finish, then run make html again." in refused.output
    assert _tree(book.path("_build/html")) == site
    built = book.make(env={"SOURCE_DATE_EPOCH": ""})
    assert not built.failed and "A sentence the refused build must not publish." in book.read(
        "_build/html/" + PAGE[:-3] + ".html"), built.tail()


def _hanging_notebook(book: BookCopy, started: Path) -> None:
    code = f"from pathlib import Path\nimport time\nPath({str(started)!r}).write_text('started')\ntime.sleep(3600)"
    notebook = {
        "cells": [{"cell_type": "code", "id": "hangs", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": code.splitlines(keepends=True)}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "aes_edition": {"reads": []}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    book.write("notebooks/injected-hang.ipynb", json.dumps(notebook, indent=1))
    book.add_to_toc("notebooks/injected-hang")


def _processes_with(token: str) -> list[str]:
    """Processes whose environment carries ``token`` (every process the build started does)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if token.encode() in (proc / "environ").read_bytes():
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    found.append(f"{proc.name}: {command[:160]}")
            except OSError:
                continue
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_changes_nothing_and_leaves_nothing_running(book, tmp_path, signum):
    """Interrupted while a notebook's cell runs: its kernel, the notebook's process and
    Sphinx all stop, and the site is the last good one."""
    site = _tree(book.path("_build/html"))
    started = tmp_path / "started"
    pristine = book.read("_toc.yml")
    _hanging_notebook(book, started)
    token = f"AES_TEST_TOKEN_{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env.update({"SOURCE_DATE_EPOCH": "", token: "1"})
    make = subprocess.Popen(["make", "--no-print-directory", "-o", str(VENV / ".installed-stamp"), f"VENV={VENV}", "html"],
                            cwd=book.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            process_group=0)
    try:
        deadline = time.monotonic() + 600  # a bound against a hang of the test, not a timing requirement
        while not started.exists():
            assert make.poll() is None, f"the build ended before the notebook started:\n{make.stdout.read()}"
            assert time.monotonic() < deadline, "the hanging notebook never started"
            time.sleep(0.2)
        if signum == signal.SIGINT:
            os.killpg(make.pid, signum)  # Ctrl-C: the terminal interrupts the whole foreground group
        else:
            make.send_signal(signum)  # `kill`, a CI job's timeout: make alone, which passes it on
        output = ANSI.sub("", make.communicate(timeout=300)[0])
    finally:
        if make.poll() is None:
            make.kill()
        book.write("_toc.yml", pristine)
        book.path("notebooks/injected-hang.ipynb").unlink()
    assert make.returncode != 0, output
    assert "interrupted" in output and "the published site, _build/html, is unchanged" in output, output[-3000:]
    assert _processes_with(token) == [], "the interrupted build left processes running"
    assert _tree(book.path("_build/html")) == site


@pytest.mark.parametrize("check_status, kept", [(1, True), (0, False)])
def test_the_last_output_is_cleared_only_once_the_data_check_passed(tmp_path, monkeypatch, check_status, kept):
    """The data check and the build are one step (one process): a failed check stops it with
    the data-fault status, before Jupyter Book starts, and leaves the last output in place."""
    import sys
    import types

    import aes_edition.check_data

    last = tmp_path / "epub"
    (last / "aes-edition.epub").parent.mkdir(parents=True)
    (last / "aes-edition.epub").write_text("the last e-book", encoding="utf-8")
    started: list[list[str]] = []
    monkeypatch.setattr(aes_edition.check_data, "main", lambda: check_status)
    jupyter_book = types.ModuleType("jupyter_book.cli.main")  # Jupyter Book's command, as the build finds it
    jupyter_book.main = lambda: started.append(list(sys.argv[1:]))
    monkeypatch.setitem(sys.modules, "jupyter_book.cli.main", jupyter_book)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    status = build.check_then_build(["build", "."], [str(last)])
    assert status == (build.DATA_FAULT if check_status else 0)
    assert (last / "aes-edition.epub").exists() is kept
    assert started == ([] if check_status else [["build", "."]])

"""The date the edition's text was last revised is derived from its history, and stays honest
without it: in small git repositories made here, a commit that does not touch the text leaves
the date alone, a copy without git history gives an upper bound from its files' times (never
1 January 1970), and a shallow clone that cannot see the commit says so."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from aes_edition.revision import EARLIEST, TEXT_SOURCES, Revision, text_revision

DAY = 86400
FIRST = 1_700_000_000  # 14 November 2023
LATER = FIRST + 30 * DAY


def _day(epoch: int) -> datetime.date:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date()


def _git(root: Path, *args: str, when: int | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    """A book whose text was last changed at FIRST, and whose code at LATER."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "chapters" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    (root / "data" / "copy-text.txt").write_text("The text.\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "text", when=FIRST)
    (root / "build.py").write_text("print()\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "code", when=LATER)
    return root


def test_the_date_is_the_last_commit_that_touched_the_text(book):
    assert text_revision(book) == Revision(_day(FIRST), exact=True)
    (book / "data" / "copy-text.txt").write_text("The text, revised.\n", encoding="utf-8")
    _git(book, "commit", "-q", "-am", "text again", when=LATER + 2 * DAY)
    assert text_revision(book) == Revision(_day(LATER + 2 * DAY), exact=True)
    assert text_revision(book).text() == f"{_day(LATER + 2 * DAY).day} {_day(LATER + 2 * DAY):%B %Y}"


def test_the_paths_named_are_the_texts(book):
    from aes_edition.paths import ROOT

    missing = [name for name in TEXT_SOURCES if not (ROOT / name).exists()]
    assert missing == [], f"TEXT_SOURCES names what the book does not hold: {missing}"


def test_without_git_history_the_files_give_an_upper_bound(book, tmp_path):
    copy = tmp_path / "archive"
    shutil.copytree(book, copy, ignore=shutil.ignore_patterns(".git"))
    for path in copy.rglob("*"):
        os.utime(path, (LATER, LATER))
    found = text_revision(copy)
    assert found == Revision(_day(LATER), exact=False)
    assert found.text().startswith("on or before ")


def test_never_1970(book, tmp_path, monkeypatch):
    copy = tmp_path / "zeroed"
    shutil.copytree(book, copy, ignore=shutil.ignore_patterns(".git"))
    for path in copy.rglob("*"):
        os.utime(path, (0, 0))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LATER))
    assert text_revision(copy) == Revision(_day(LATER), exact=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert text_revision(copy).date >= _day(EARLIEST)


def test_a_shallow_clone_that_cannot_see_the_commit_says_so(book, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{book}", str(clone)], check=True)
    found = text_revision(clone)
    # The one commit the clone holds seems to add every file: it only bounds the date.
    assert found == Revision(_day(LATER), exact=False)
    _git(clone, "fetch", "-q", "--unshallow")
    assert text_revision(clone) == Revision(_day(FIRST), exact=True)

"""The date the edition's text was last revised: derived from the sources, never typed.

The edition's date (``SOURCE_DATE_EPOCH``, the last commit) moves with every change to the
code or the build; a reader citing the edition wants to know when what they read last
changed. That is the newest commit that touched the text: the paper's text and the editors'
apparatus and notes (the pages of ``chapters/``, the copy-text and its emendations, and the
data printed as apparatus: glossary, timeline, register of references, review record and the
two bibliographies).

Where git cannot say (a source archive, a copy without ``.git``), the newest of those files'
times stands in, and the date is given as an upper bound ("on or before"): an archive's files
carry the time of the commit it was made from, which is no earlier than the text's last
revision. A shallow clone whose history stops at the commit found cannot say either (the
boundary commit seems to add every file), and is given the same way. A file time of 0 (some
packaging tools set it) is no date: the edition's own date stands in, so never 1 January 1970.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT

# What a reader reads as the edition's text, relative to the book.
TEXT_SOURCES = ("chapters", "data/copy-text.txt", "data/emendations.csv", "data/glossary.yaml", "data/timeline.csv",
                "data/reference-register.csv", "data/review", "references.bib", "editors.bib")
# 1 January 2000: a file time before it is a placeholder (0, or a packager's fixed time), not a date.
EARLIEST = 946684800


@dataclass(frozen=True)
class Revision:
    """When the text was last revised; ``exact`` False when the date is only an upper bound."""

    date: datetime.date
    exact: bool

    def text(self) -> str:
        """"5 December 2026", or "on or before 5 December 2026"."""
        day = f"{self.date.day} {self.date:%B %Y}"
        return day if self.exact else f"on or before {day}"

    def key(self) -> str:
        """One string for the configuration value: a change makes Sphinx write every page."""
        return self.date.isoformat() + ("" if self.exact else " or before")

    @classmethod
    def from_key(cls, key: str) -> Revision:
        """The revision a :meth:`key` names (the build keeps it as a configuration value)."""
        day, _, bound = key.partition(" ")
        return cls(datetime.date.fromisoformat(day), exact=not bound)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _day(epoch: int) -> datetime.date:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date()


def _edition_epoch() -> int | None:
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(given) if given.isdigit() and int(given) >= EARLIEST else None


def _from_git(root: Path) -> Revision | None:
    """The newest commit touching the text, when ``root`` is the top of a git work tree."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != root.resolve():
        return None  # no git, or a copy inside someone else's repository
    found = _git(root, "log", "-1", "--format=%H %ct", "--", *TEXT_SOURCES)
    if not found:
        return None
    commit, _, epoch = found.partition(" ")
    boundary = _git(root, "rev-parse", "--git-path", "shallow")
    shallow = Path(root, boundary) if boundary else None
    cut = shallow is not None and shallow.is_file() and commit in shallow.read_text(encoding="utf-8").split()
    return Revision(_day(int(epoch)), exact=not cut)


def _from_files(root: Path) -> Revision:
    times = []
    for name in TEXT_SOURCES:
        path = root / name
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path] if path.is_file() else []
        times += [int(p.stat().st_mtime) for p in files if not any(part.startswith(".") for part in p.parts[-1:])]
    usable = [t for t in times if t >= EARLIEST]
    edition = _edition_epoch()
    if usable:
        newest = max(usable)
        return Revision(_day(min(newest, edition) if edition else newest), exact=False)
    return Revision(_day(edition) if edition else datetime.datetime.now(datetime.UTC).date(), exact=False)


def text_revision(root: Path = ROOT) -> Revision:
    """When the edition's text was last revised (see the module's docstring)."""
    found = _from_git(root)
    if found is not None:
        edition = _edition_epoch()
        if edition is not None and found.date > _day(edition):  # a commit dated after the one built
            return Revision(_day(edition), exact=False)
        return found
    return _from_files(root)

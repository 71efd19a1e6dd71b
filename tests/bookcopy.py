"""A disposable copy of the book, built with ``make html`` exactly as an editor builds it.

Fault tests damage a copy, never the working tree. The copy runs the real Makefile (its
data check, its strict Jupyter Book build and its memory of failed builds) with the
working tree's virtualenv: ``VENV=`` points make at it and ``-o`` tells make not to
reinstall into it. The Makefile puts the copy's own package first on PYTHONPATH, so the
copy's data, chapters and code are the ones checked. Notebooks that already ran cleanly
in the working tree's build come from its jupyter-cache, as they would in an editor's
next build.
"""

from __future__ import annotations

import csv
import difflib
import filecmp
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from aes_edition.paths import ROOT

VENV = ROOT / ".venv"
LEAVE_OUT = shutil.ignore_patterns(
    ".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info", "node_modules",
    ".ipynb_checkpoints",
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV table's header and rows."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_table(header: list[str], rows: list[dict[str, str]]) -> str:
    """The CSV text of a table, as ``read_table`` gave it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def commit_epoch() -> str:
    """The date of the last commit, as the Makefile derives SOURCE_DATE_EPOCH."""
    done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "0"


@dataclass(frozen=True)
class Build:
    """What one ``make`` run returned and printed (colours removed)."""

    returncode: int
    output: str

    @property
    def failed(self) -> bool:
        return self.returncode != 0

    def names(self, *culprits: str) -> list[str]:
        """The culprits the output does not mention (an empty list when it names them all)."""
        return [c for c in culprits if c not in self.output]

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


class BookCopy:
    """The working tree's sources (or another copy's: ``source``) copied into ``dest``,
    with helpers to damage them. The benchmark (benchmarks/bench.py) times its builds."""

    def __init__(self, dest: Path, notebook_cache: bool = True, source: Path = ROOT) -> None:
        self.root = dest
        shutil.copytree(source, dest, ignore=LEAVE_OUT, symlinks=True)
        cache = source / "_build" / ".jupyter_cache"
        if notebook_cache and cache.is_dir():
            shutil.copytree(cache, dest / "_build" / ".jupyter_cache")

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def read_bytes(self, relative: str) -> bytes:
        return self.path(relative).read_bytes()

    def write(self, relative: str, text: str) -> None:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def append(self, relative: str, text: str) -> None:
        self.write(relative, self.read(relative).rstrip("\n") + "\n\n" + text.strip("\n") + "\n")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"cannot inject the fault: {old!r} is not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def add_to_toc(self, docname: str) -> None:
        """List ``docname`` as the last chapter of the table of contents."""
        toc = yaml.safe_load(self.read("_toc.yml"))
        chapters = toc["parts"][-1]["chapters"] if toc.get("parts") else toc.setdefault("chapters", [])
        chapters.append({"file": docname})
        self.write("_toc.yml", yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))

    def make(self, target: str = "html", env: dict[str, str] | None = None) -> Build:
        """Run ``make <target>`` in the copy, as an editor would, and capture its output."""
        environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        environment["SOURCE_DATE_EPOCH"] = commit_epoch()
        environment.update(env or {})
        stamp = VENV / ".installed-stamp"
        done = subprocess.run(
            ["make", "--no-print-directory", "-o", str(stamp), f"VENV={VENV}", target],
            cwd=self.root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900,
        )
        return Build(done.returncode, ANSI.sub("", done.stdout))


def site_differences(left: Path, right: Path) -> list[str]:
    """Files only in one of two built sites, and files that differ (with their first lines of difference)."""
    found: list[str] = []
    comparison = filecmp.dircmp(left, right)
    stack = [(comparison, Path("."))]
    while stack:
        node, where = stack.pop()
        found += [f"only in the first build: {where / n}" for n in node.left_only]
        found += [f"only in the second build: {where / n}" for n in node.right_only]
        for name in node.common_files:
            a, b = (left / where / name).read_bytes(), (right / where / name).read_bytes()
            if a != b:
                lines = difflib.unified_diff(a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines(),
                                             lineterm="", n=0)
                found.append(f"differs: {where / name}\n" + "\n".join(list(lines)[2:8]))
        stack += [(sub, where / name) for name, sub in node.subdirs.items()]
    return found

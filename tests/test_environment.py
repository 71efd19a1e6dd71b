"""The environment explains itself (issue 16, class 8).

A missing, broken, moved or stale virtualenv is named by make, which says what it does about
it; a package missing from the virtualenv and a book in a folder whose path has spaces are
met by the build with a message or, better, with a build that works. The Makefile's checks
run in a scratch folder, itself named with a space, with a pretend virtualenv.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bookcopy import BookCopy

from aes_edition import build
from aes_edition.paths import ROOT

PRINT = 'print-venv-problem: ; @echo "[$(VENV_PROBLEM)]"'


def _make(folder: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VENV")}
    done = subprocess.run(["make", "-s", "--no-print-directory", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def _problem(folder: Path) -> str:
    return _make(folder, "--eval", PRINT, "print-venv-problem").strip()


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    folder = tmp_path / "a folder with spaces"
    folder.mkdir()
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def _venv(folder: Path, python: str, kernel_python: str, stamp: str | None) -> None:
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(python)
    kernel = folder / ".venv" / "share" / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({"argv": [kernel_python, "-m", "ipykernel_launcher"]}), encoding="utf-8")
    if stamp is not None:
        (folder / ".venv" / ".installed-stamp").write_text(stamp + "\n", encoding="utf-8")


def _digest(folder: Path) -> str:
    return hashlib.sha256((folder / "requirements.txt").read_bytes() + (folder / "pyproject.toml").read_bytes()).hexdigest()


def test_a_missing_virtualenv_is_named(scratch):
    assert _problem(scratch) == "[there is none yet]"


def test_a_virtualenv_whose_python_is_gone_is_named_and_made_again(scratch):
    _venv(scratch, "/nonexistent/python3.11", f"{scratch}/.venv/bin/python", _digest(scratch))
    assert "does not run" in _problem(scratch)
    plan = _make(scratch, "-n", ".venv/.installed-stamp")
    assert "setting up the virtualenv .venv: its Python, .venv/bin/python, does not run" in plan
    assert 'rm -rf ".venv"' in plan and "pip install --quiet -r requirements.txt" in plan


def test_a_virtualenv_made_in_another_folder_is_named(scratch):
    _venv(scratch, sys.executable, "/elsewhere/.venv/bin/python", _digest(scratch))
    assert "made in another folder" in _problem(scratch)


def test_a_stale_virtualenv_is_named_by_content_not_time(scratch):
    _venv(scratch, sys.executable, f"{scratch}/.venv/bin/python", _digest(scratch))
    assert _problem(scratch) == "[]", "a virtualenv that matches its requirements is left alone"
    stamp = scratch / ".venv" / ".installed-stamp"
    os.utime(stamp, (1, 1))  # older than the requirements: not a reason by itself
    assert _problem(scratch) == "[]"
    requirements = scratch / "requirements.txt"
    times = requirements.stat()
    requirements.write_text(requirements.read_text(encoding="utf-8") + "# a new pin\n", encoding="utf-8")
    os.utime(requirements, ns=(times.st_atime_ns, 1))  # changed, with a time older than the stamp
    assert "requirements.txt or pyproject.toml changed" in _problem(scratch)
    plan = _make(scratch, "-n", ".venv/.installed-stamp")
    assert "pip install --quiet -r requirements.txt" in plan and 'rm -rf ".venv"' not in plan


def test_a_package_missing_from_the_virtualenv_is_named_with_the_fix():
    with pytest.raises(build.BuildError, match=r"lacks no_such_package_in_this_venv.*rm -rf \.venv && make html"):
        build.check_packages("html", ("sphinx", "no_such_package_in_this_venv"))
    build.check_packages("html", build.REQUIRED_PACKAGES)


def test_the_book_builds_in_a_folder_whose_path_has_spaces(tmp_path):
    book = BookCopy(tmp_path / "the editors' copy" / "AES edition")
    built = book.make()
    assert not built.failed, built.tail()
    assert "Alliance for Sahel States" in book.read("_build/html/chapters/index.html")

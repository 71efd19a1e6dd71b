"""Two clean builds of the same sources, in two different folders and with the network
refused, give byte-identical HTML (the PDF included). The one date the pages state ("Last updated on …") is
the date of the last commit, which the Makefile passes to Sphinx and matplotlib as
SOURCE_DATE_EPOCH; nothing depends on the clock, the folder or a random number.

"Offline" is enforced, not assumed: every Python process of the build (make's checks,
Sphinx, the notebook kernels) imports a ``sitecustomize`` that refuses, and records, any
connection or name lookup beyond this machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bookcopy import BookCopy, Build, commit_epoch, site_differences

from aes_edition.paths import ROOT

GUARD = textwrap.dedent('''
    """Installed by tests/test_reproducible.py: the build must not use the network."""
    import os
    import socket

    _LOG = os.environ.get("AES_NETWORK_LOG", "")
    _LOCAL = ("127.", "::1", "localhost", "0.0.0.0")
    _connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


    def _local(host):
        return str(host) in ("", "::") or str(host).startswith(_LOCAL)


    def _refuse(what):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()}: {what}\\n")
        raise OSError(101, f"network refused: the build must work offline ({what})")


    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"connect to {address!r}")
        return _connect(self, address)


    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"connect to {address!r}")
        return _connect_ex(self, address)


    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _local(host.decode() if isinstance(host, bytes) else host):
            _refuse(f"look up {host!r}")
        return _getaddrinfo(host, *args, **kwargs)


    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
''')


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> dict[str, str]:
    """Environment variables that put the network guard into every Python process."""
    folder = tmp_path_factory.mktemp("offline")
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    return {"PYTHONPATH": str(folder), "AES_NETWORK_LOG": str(folder / "network.log")}


# What make test builds: the HTML edition and the PDF (which make pdf also puts into the
# HTML edition for download).
TARGETS = ["html", "pdf"]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, offline) -> list[tuple[BookCopy, Build]]:
    base = tmp_path_factory.mktemp("reproducible")
    builds = []
    for name in ("first", "second-elsewhere"):
        book = BookCopy(base / name, notebook_cache=False)
        runs = [book.make(target, env=offline) for target in TARGETS]
        failed = next((run for run in runs if run.failed), None)
        builds.append((book, failed or Build(0, "\n".join(run.output for run in runs))))
    return builds


def test_the_network_guard_refuses_and_records(offline):
    """The guard works, so a silent offline build means something."""
    probe = "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 443), timeout=2)\nexcept OSError as e:\n    print(e)"
    log = Path(offline["AES_NETWORK_LOG"])
    env = {**os.environ, **offline}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert "network refused" in done.stdout
    assert "192.0.2.1" in log.read_text(encoding="utf-8")
    log.unlink()


def test_clean_builds_succeed_without_the_network(two_builds, offline):
    for book, build in two_builds:
        assert not build.failed, f"clean build in {book.root} failed:\n{build.tail()}"
    log = Path(offline["AES_NETWORK_LOG"])
    attempts = log.read_text(encoding="utf-8") if log.exists() else ""
    assert attempts == "", f"the build tried to reach the network:\n{attempts}"


def test_two_clean_builds_give_identical_html(two_builds):
    (first, build1), (second, build2) = two_builds
    assert not build1.failed and not build2.failed
    differences = site_differences(first.path("_build/html"), second.path("_build/html"))
    assert differences == [], "\n".join(differences)


def test_two_clean_builds_give_the_same_pdf(two_builds):
    (first, _), (second, _) = two_builds
    pdfs = sorted(p.name for p in first.path("_build/latex").glob("*.pdf"))
    assert pdfs, "make pdf made no PDF"
    for name in pdfs:
        assert first.read_bytes(f"_build/latex/{name}") == second.read_bytes(f"_build/latex/{name}"), name


def test_the_stated_date_is_the_commits(two_builds):
    (book, build), _ = two_builds
    assert not build.failed
    date = datetime.fromtimestamp(int(commit_epoch()), tz=UTC).strftime("%b %d, %Y")
    page = book.read("_build/html/chapters/index.html")
    assert f"Last updated on {date}" in page


def test_the_makefile_dates_the_build_from_the_last_commit():
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "MAKEFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "-s", "--no-print-directory", "--eval", "print-epoch: ; @echo $$SOURCE_DATE_EPOCH",
                           "print-epoch"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == commit_epoch() != "0"

"""A .bib file given new content with the same time is parsed again (issue 16, class 4).

sphinxcontrib-bibtex decides by the file's time whether to parse a ``.bib`` file again. A
small project (a page citing a work and listing the bibliography, another page citing it)
is built, then its ``.bib`` file gets a new title with exactly the old time, as ``cp -p`` of
another copy gives. With ``aes_edition.sphinxext.bib_content`` (and ``content``, which reads
the pages again) every page shows the new title; without it the old title stays (the
control shows the test makes the fault it claims to make). The module's one reach into
sphinxcontrib-bibtex's state is guarded: an unknown shape of that state fails the build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rebuild import build_index
from sphinx.errors import ExtensionError

from aes_edition.sphinxext.bib_content import forget_parse

BIB = "@book{smith2020,\n  author = {Smith, Ann},\n  title = {{TITLE}},\n  publisher = {Press},\n  year = {2020}\n}\n"


def _project(root: Path, guarded: bool) -> Path:
    root.mkdir()
    extensions = ["sphinxcontrib.bibtex"]
    if guarded:
        extensions += ["aes_edition.sphinxext.content", "aes_edition.sphinxext.bib_content"]
    (root / "conf.py").write_text(f"extensions = {extensions!r}\nbibtex_bibfiles = ['refs.bib']\n"
                                  "source_suffix = {'.rst': 'restructuredtext'}\n", encoding="utf-8")
    (root / "index.rst").write_text("Title\n=====\n\nAs :cite:t:`smith2020` says.\n\n.. toctree::\n\n   other\n\n"
                                    ".. bibliography::\n", encoding="utf-8")
    (root / "other.rst").write_text("Other\n=====\n\nSee :cite:p:`smith2020`.\n", encoding="utf-8")
    (root / "refs.bib").write_text(BIB.replace("TITLE", "First Title Reading"), encoding="utf-8")
    return root




def _same_time_new_title(bib: Path) -> None:
    times = bib.stat()
    bib.write_text(BIB.replace("TITLE", "Second Title Reading"), encoding="utf-8")
    os.utime(bib, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert bib.stat().st_mtime_ns == times.st_mtime_ns


def test_new_bib_content_with_the_same_time_is_parsed_again(tmp_path):
    root = _project(tmp_path / "book", guarded=True)
    assert "First Title Reading" in build_index(root)
    _same_time_new_title(root / "refs.bib")
    page = build_index(root)
    assert "Second Title Reading" in page and "First Title Reading" not in page


def test_without_the_module_sphinxcontrib_bibtex_keeps_the_old_parse(tmp_path):
    root = _project(tmp_path / "book", guarded=False)
    assert "First Title Reading" in build_index(root)
    _same_time_new_title(root / "refs.bib")
    (root / "index.rst").touch()  # even with the page read again, the parse is the old one
    assert "First Title Reading" in build_index(root)


def test_an_unknown_shape_of_the_bibtex_state_fails_naming_the_module():
    class Changed:
        initial_data = {"bibdata": {"files": {}}}
        data: dict = {"bibdata": {}}

    with pytest.raises(ExtensionError, match="bib_content.py"):
        forget_parse(Changed())  # type: ignore[arg-type]

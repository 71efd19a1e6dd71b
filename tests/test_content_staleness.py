"""A changed input always gives a changed output, whatever the files' times (issue 16, class 4).

A small Sphinx project (a page and a data file it declares with ``note_dependency``) is
built, then changed the way checkouts, archives and ``cp -p`` change files: new content with
an old modification time. With ``aes_edition.sphinxext.content`` the next build shows the
new content; without it Sphinx, which compares times, keeps the old page (the control
shows that the test makes the fault it claims to make).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rebuild import build_index

from aes_edition.sphinxext.content import code_version

OLD = 946_684_800  # 1 January 2000: older than any build

EXTENSION = '''
from pathlib import Path
from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class DataFile(SphinxDirective):
    """Shows a data file's text, and declares the file, as the edition's directives do."""
    required_arguments = 1

    def run(self):
        path = Path(self.env.srcdir, self.arguments[0])
        self.env.note_dependency(str(path))
        return [nodes.paragraph(text=path.read_text(encoding="utf-8"))]


def setup(app):
    app.add_directive("datafile", DataFile)
    return {"parallel_read_safe": True}
'''


def _project(root: Path, with_content: bool) -> Path:
    root.mkdir()
    extensions = ["datafile"] + (["aes_edition.sphinxext.content"] if with_content else [])
    (root / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(root)!r})\nextensions = {extensions!r}\n",
                                  encoding="utf-8")
    (root / "datafile.py").write_text(EXTENSION, encoding="utf-8")
    (root / "index.rst").write_text("Title\n=====\n\nPage text alpha-reading.\n\n.. datafile:: data.txt\n", encoding="utf-8")
    (root / "data.txt").write_text("Data text first-edition.", encoding="utf-8")
    return root




def _rewrite_keeping_an_old_time(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, (OLD, OLD))


@pytest.mark.parametrize("changed", ["index.rst", "data.txt"])
def test_new_content_with_an_old_time_is_built(tmp_path, changed):
    root = _project(tmp_path / "book", with_content=True)
    assert "Page text alpha-reading." in build_index(root) and "Data text first-edition." in build_index(root)
    old, new = ("alpha-reading", "beta-reading") if changed == "index.rst" else ("first-edition", "second-edition")
    _rewrite_keeping_an_old_time(root / changed, old, new)
    page = build_index(root)
    assert new in page and old not in page, f"{changed} changed with an old time, and the page kept the old text"


def test_a_declared_input_that_disappears_reads_the_page_again(tmp_path):
    root = _project(tmp_path / "book", with_content=True)
    build_index(root)
    (root / "data.txt").unlink()
    with pytest.raises(Exception, match="data.txt"):  # the directive reads it again, and fails
        build_index(root)


def test_without_the_content_check_sphinx_misses_the_change(tmp_path):
    """The control: Sphinx alone decides by time. If this fails, Sphinx compares content
    by itself and aes_edition.sphinxext.content may go."""
    root = _project(tmp_path / "book", with_content=False)
    build_index(root)
    _rewrite_keeping_an_old_time(root / "data.txt", "first-edition", "second-edition")
    assert "Data text first-edition." in build_index(root)


def test_the_code_version_follows_the_code_content_not_its_times(tmp_path):
    package = tmp_path / "package"
    (package / "templates").mkdir(parents=True)
    (package / "module.py").write_text("X = 1\n", encoding="utf-8")
    (package / "templates" / "page.html").write_text("<p>", encoding="utf-8")
    before = code_version(package)
    os.utime(package / "module.py", (OLD, OLD))
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"bytecode")
    assert code_version(package) == before, "times and bytecode caches are not the code"
    _rewrite_keeping_an_old_time(package / "templates" / "page.html", "<p>", "<div>")
    assert code_version(package) != before


def _same_time(path: Path, text: str) -> None:
    times = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def test_what_the_package_reads_once_per_process_follows_the_content(tmp_path):
    """The package keeps what it parsed (the chapters' paragraphs, the copy-text, the .bib
    keys) for the life of a process, which may build many times (tests, a live preview):
    a file rewritten with its old time must not be answered from the old parse."""
    from scholarly_edition.fidelity import context_in_copy_text

    from aes_edition.paragraphs import all_paragraphs
    from aes_edition.sources import _keys

    chapters = tmp_path / "chapters"
    chapters.mkdir()
    chapter = chapters / "one.md"
    chapter.write_text("# One\n\n:::{para} one-p1\nFirst.\n:::\n", encoding="utf-8")
    assert [p.id for p in all_paragraphs(chapters)] == ["one-p1"]
    _same_time(chapter, "# One\n\n:::{para} one-p1\nFirst.\n:::\n\n:::{para} one-p2\nSecond.\n:::\n")
    assert [p.id for p in all_paragraphs(chapters)] == ["one-p1", "one-p2"]

    copy_text = tmp_path / "copy-text.txt"
    copy_text.write_text("the old reading\n", encoding="utf-8")
    assert context_in_copy_text("the ", "old", " reading", copy_text) is None
    _same_time(copy_text, "the new reading\n")
    assert context_in_copy_text("the ", "old", " reading", copy_text) == "the old reading"

    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{first2020, title = {A}, year = {2020}}\n", encoding="utf-8")
    assert _keys(bib) == {"first2020"}
    _same_time(bib, "@misc{second2021, title = {B}, year = {2021}}\n")
    assert _keys(bib) == {"second2021"}

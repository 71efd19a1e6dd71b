"""The build itself holds the paper's text to the copy-text (the extension's check,
scholarly_edition/faithful.py, with the book's settings from _config.yml: how the copy-text
prints the citations the book's style generates): a small Sphinx project (sphinx.testing) with
a three-line copy-text, two paragraphs of the paper, an emendation and a citation builds
cleanly when faithful, and warns, naming the paragraph and its page, at each kind of
difference (under ``make html``'s -W a warning fails the build). Each case builds in about a
second."""

from __future__ import annotations

from pathlib import Path

import pytest
from book_settings import extension_settings
from registers import write_register
from sphinx.testing.util import SphinxTestApp

from aes_edition.emendations import Emendation

COPY_TEXT = """The Chapter
The first paragraph has teh words of the paper.
Second paragraph, as printed (Doe, 2020).
"""
EMENDATIONS = {"E01": Emendation("E01", "chap-p1", "sic", "teh", "the", "A slip.")}
FAITHFUL = """# The Chapter

:::{para} chap-p1
The first paragraph has {emend}`E01` words of the paper.
:::

```{para} chap-p2
Second paragraph, as printed {cite:p}`doe2020`.
```
"""
CONF = """
extensions = ["myst_parser", "sphinxcontrib.bibtex", "faithful_ext"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year_round"
scholarly_edition_copy_text = {copy_text!r}
scholarly_edition_emendations = "emendations.csv"
"""
EXTENSION = """
from aes_edition.sphinxext import citestyle


def setup(app):
    citestyle.setup(app)
    app.setup_extension("scholarly_edition")
    return {"parallel_read_safe": True}
"""
# The book's settings of the check, as _config.yml gives them (the copy-text's file aside).
BOOK_SETTINGS = "".join(f"{name} = {value!r}\n" for name, value in extension_settings().items()
                        if name.startswith("scholarly_edition_copy_text_"))
INDEX = """# Book

```{toctree}
chap
```

:::{apparatus}
:::

```{bibliography}
```
"""
BIB = "@book{doe2020, author={Doe, Jane}, title={A Book}, publisher={A Press}, year={2020}}\n"


def build(tmp_path: Path, chapter: str, monkeypatch) -> str:
    """Build the project with ``chapter`` as its one chapter; return the warnings."""
    source = tmp_path / "src"
    source.mkdir()
    write_register(source / "emendations.csv", EMENDATIONS)
    copy_text = tmp_path / "copy-text.txt"
    copy_text.write_text(COPY_TEXT, encoding="utf-8")
    (source / "conf.py").write_text(CONF.format(copy_text=str(copy_text)) + BOOK_SETTINGS, encoding="utf-8")
    (source / "faithful_ext.py").write_text(EXTENSION, encoding="utf-8")
    (source / "refs.bib").write_text(BIB, encoding="utf-8")
    (source / "index.md").write_text(INDEX, encoding="utf-8")
    (source / "chap.md").write_text(chapter, encoding="utf-8")
    monkeypatch.syspath_prepend(str(source))
    app = SphinxTestApp("html", srcdir=source, builddir=tmp_path / "build")
    try:
        app.build()
        return app.warning.getvalue()
    finally:
        app.cleanup()


def test_a_faithful_text_builds_cleanly(tmp_path, monkeypatch):
    warnings = build(tmp_path, FAITHFUL, monkeypatch)
    assert "WARNING" not in warnings, warnings


@pytest.mark.parametrize(("damage", "named"), [
    (("has {emend}`E01` words", "has the words"), ("chap.md:3", "chap-p1: not the copy-text's words")),
    (("words of the paper", "words of this paper"), ("chap.md:3", "chap-p1: not the copy-text's words")),
    (("as printed {cite:p}", "as reprinted {cite:p}"), ("chap.md:7", "chap-p2: not the copy-text's words")),
    # A citation stands only for a citation: words dropped beside it are found.
    (("Second paragraph, as printed {cite:p}", "Second {cite:p}"), ("chap.md:7", "chap-p2: not the copy-text's words")),
    (("```{para} chap-p2\nSecond paragraph, as printed {cite:p}`doe2020`.\n```\n", ""),
     ("copy-text.txt", "copy-text line 3: in no paragraph of the edition")),
], ids=["emendation left out", "word changed", "word changed beside a citation", "words dropped beside a citation",
        "paragraph lost"])
def test_a_difference_from_the_copy_text_is_a_warning_naming_the_paragraph(tmp_path, monkeypatch, damage, named):
    old, new = damage
    assert old in FAITHFUL
    warnings = build(tmp_path, FAITHFUL.replace(old, new, 1), monkeypatch)
    lines = [line for line in warnings.splitlines() if "differs from the copy-text" in line]
    assert any(all(part in line for part in named) for line in lines), warnings


def test_a_change_to_the_copy_text_alone_is_checked_in_the_next_build(tmp_path, monkeypatch):
    """Sphinx checks consistency only when it read a page: the pages holding the paper depend
    on the copy-text, so an incremental build after a copy-text edit checks again."""
    assert "WARNING" not in build(tmp_path, FAITHFUL, monkeypatch)
    copy_text = tmp_path / "copy-text.txt"
    copy_text.write_text(COPY_TEXT.replace("Second paragraph", "2nd paragraph"), encoding="utf-8")
    app = SphinxTestApp("html", srcdir=tmp_path / "src", builddir=tmp_path / "build")
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "chap-p2: not the copy-text's words" in warnings, warnings

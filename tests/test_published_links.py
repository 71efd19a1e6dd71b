"""In the book, a notebook's links to the published edition are checked cross-references, and
its prose is set in the editors' voice without MyST in the notebook (issue: Binder).

A small Sphinx project (sphinx.testing) with the two extensions, myst-nb and the book's theme:
a chapter with labelled paragraphs, and a notebook whose Markdown cell links to them by their
published addresses, the way the edition's notebooks do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from aes_edition.publishing import derive
from aes_edition.relink import relink_notebooks

SITE = "https://someone.github.io/edition/"
CONF = '''
extensions = ["myst_nb", "aes_edition.sphinxext.published_links", "aes_edition.sphinxext.notebook_voice"]
html_theme = "sphinx_book_theme"
html_theme_options = {"repository_url": "https://github.com/someone/edition", "repository_branch": "main"}
nb_execution_mode = "off"
# Sphinx 7.4 gives every project the same default source_suffix mapping, and myst-nb's
# add_source_suffix writes into it: a project of its own keeps later test projects (without
# myst-nb) from reading Markdown with a parser they do not have.
source_suffix = {".rst": "restructuredtext"}
nitpicky = True
exclude_patterns = ["_build"]
'''
CHAPTER = """# Impact

(impact-p1)=
The first paragraph.

(impact-p2)=
The second paragraph.
"""


def _notebook(markdown: str) -> str:
    cells = [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Analysis\n\nA paragraph of the editors.\n\n- a list"},
        {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": None, "outputs": [], "source": "1 + 1"},
        {"cell_type": "markdown", "id": "c", "metadata": {}, "source": markdown},
    ]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                   "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})


def _build(tmp_path: Path, markdown: str) -> tuple[SphinxTestApp, str]:
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "index.md").write_text("# Book\n\n```{toctree}\nchapters/impact\nnotebooks/analysis\n```\n", encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "impact.md").write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "analysis.ipynb").write_text(_notebook(markdown), encoding="utf-8")
    app = SphinxTestApp("html", srcdir=tmp_path, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return app, app.warning.getvalue()


def _references(app: SphinxTestApp) -> list[nodes.reference]:
    doctree = app.env.get_and_resolve_doctree("notebooks/analysis", app.builder)
    return list(doctree.findall(nodes.reference))


def test_a_published_paragraph_address_becomes_a_link_inside_the_book(tmp_path):
    app, warnings = _build(tmp_path, f"See [Impact ¶2]({SITE}chapters/impact.html#impact-p2) "
                                     f"and [the chapter]({SITE}chapters/impact.html).")
    assert warnings == ""
    links = {ref.astext(): ref for ref in _references(app)}
    assert links["Impact ¶2"].get("refuri") == "../chapters/impact.html#impact-p2"
    assert links["Impact ¶2"].get("internal") is True
    assert links["the chapter"].get("refuri") == "../chapters/impact.html"


def test_an_address_of_another_site_stays_as_it_is(tmp_path):
    app, warnings = _build(tmp_path, "See [elsewhere](https://example.org/chapters/other.html#impact-p2).")
    assert warnings == ""
    assert [ref.get("refuri") for ref in _references(app)] == ["https://example.org/chapters/other.html#impact-p2"]


def test_a_page_of_the_book_on_another_site_fails_naming_the_fix(tmp_path):
    """A copy published elsewhere whose notebooks still link to the original edition."""
    _app, warnings = _build(tmp_path, "See [Impact ¶2](https://original.example.org/edition/chapters/"
                                      "impact.html#impact-p2).")
    assert "names a page of this edition at https://original.example.org/edition/" in warnings
    assert f"published at {SITE}" in warnings and "python -m aes_edition.relink" in warnings
    assert "notebooks/analysis.ipynb" in warnings


def test_relinking_moves_the_notebooks_to_the_published_site(tmp_path):
    _build(tmp_path, "See [Impact ¶2](https://original.example.org/edition/chapters/impact.html#impact-p2), "
                     "[elsewhere](https://example.org/chapters/other.html) and [a map](https://example.org/x.html).")
    changed = relink_notebooks(tmp_path, derive("https://github.com/someone/edition"))
    assert changed == [tmp_path / "notebooks" / "analysis.ipynb"]
    source = json.loads(changed[0].read_text(encoding="utf-8"))["cells"][2]["source"]
    assert "".join(source) == (f"See [Impact ¶2]({SITE}chapters/impact.html#impact-p2), "
                               "[elsewhere](https://example.org/chapters/other.html) and [a map](https://example.org/x.html).")
    assert relink_notebooks(tmp_path, derive("https://github.com/someone/edition")) == []


@pytest.mark.parametrize(("url", "message"), [
    ("chapters/impact.html#impact-p9", "undefined label: 'impact-p9'"),
    ("chapters/other.html#impact-p2", "names chapters/other.html#impact-p2, but that anchor is on chapters/impact.html"),
    ("chapters/", "names no page"),
])
def test_a_wrong_address_fails_with_the_notebook_and_line(tmp_path, url, message):
    _app, warnings = _build(tmp_path, f"Text.\n\nSee [the paragraph]({SITE}{url}).")
    assert message in warnings
    assert "notebooks/analysis.ipynb" in warnings and "WARNING" in warnings


def test_a_notebooks_prose_is_in_the_editors_voice(tmp_path):
    app, _warnings = _build(tmp_path, "Closing words.")
    doctree = app.env.get_doctree("notebooks/analysis")
    editorial = [n for n in doctree.findall(nodes.container) if "editorial" in n["classes"]]
    assert [n.astext() for n in editorial] == ["A paragraph of the editors.\n\na list", "Closing words."]
    assert not any(list(n.findall(nodes.title)) for n in editorial), "headings stay headings"
    chapter = app.env.get_doctree("chapters/impact")
    assert not [n for n in chapter.findall(nodes.container) if "editorial" in n["classes"]], "only notebooks"

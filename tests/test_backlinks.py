"""Links both ways (aes_edition/sphinxext/backlinks.py), in a small Sphinx project of its own:
a paragraph lists the editors' notes that discuss it (on its page and on others), a work in
the bibliography where it is cited, a glossary entry where the term is used; the lists follow
the forward links when only the page holding them changes, and a parallel read gives the
same pages as a serial one. The book's own pages are checked at the end."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from aes_edition.paragraphs import paragraph_index

CONF = """
extensions = ['myst_parser', 'sphinxcontrib.bibtex']
bibtex_bibfiles = ['works.bib']
bibtex_reference_style = 'author_year'
myst_enable_extensions = ['colon_fence']
edition_backlink_section_pages = ['analysis']
scholarly_edition_short_title = ':| of the | and '
exclude_patterns = ['_build']


def setup(app):
    from aes_edition.sphinxext import backlinks
    app.setup_extension("scholarly_edition")
    backlinks.setup(app)
"""

PAGES = {
    "index": "# Book\n\n```{toctree}\nalpha\nbeta\nanalysis\nterms\nworks\n"
             + "".join(f"filler{n}\n" for n in range(4)) + "```\n",
    "alpha": """# Alpha of the Paper

:::{para} alpha-p1
The first paragraph names the {term}`Widget` and cites {cite:t}`doe2020`.
:::

::::{ednote} On the first
:on: alpha-p1
A note on the first paragraph.
::::

:::{para} alpha-p2
The second paragraph.
:::
""",
    "beta": """# Beta

:::{para} beta-p1
A paragraph of the second chapter.
:::

::::{ednote} Across chapters
:on: beta-p1
This note also discusses {pref}`alpha-p2` and cites {cite:p}`doe2020`.
::::
""",
    "analysis": "# Analysis\n\n## Readings\n\nThe map rests on {ref}`alpha-p2`.\n",
    "terms": "# Terms\n\n:::{glossary}\nWidget\n  A thing.\n:::\n",
    "works": "# Works\n\n```{bibliography}\n```\n",
    **{f"filler{n}": f"# Filler {n}\n\nText.\n" for n in range(4)},
}

BIB = "@book{doe2020, author = {Doe, Jane}, title = {A Book}, publisher = {P}, year = {2020}}\n"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "works.bib").write_text(BIB, encoding="utf-8")
    for name, text in PAGES.items():
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    return src


def build(src: Path, out: Path, parallel: int = 0) -> dict[str, BeautifulSoup]:
    app = SphinxTestApp("html", srcdir=src, builddir=out, warningiserror=True, parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    return {name: BeautifulSoup((out / "html" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
            for name in PAGES}


def backlinks(soup: BeautifulSoup, selector: str) -> list[str]:
    holder = soup.select_one(selector)
    assert holder is not None, selector
    line = holder.select_one("p.backlinks")
    return [a["href"] for a in line.select("a")] if line else []


def test_each_target_lists_the_places_that_point_to_it(project):
    site = build(project, project.parent / "build")
    assert backlinks(site["alpha"], "div#alpha-p1") == ["#note-alpha-on-the-first"]
    assert backlinks(site["alpha"], "div#alpha-p2") == ["beta.html#note-beta-across-chapters", "analysis.html#readings"]
    # A note discusses its own paragraph; the paragraph does not list itself.
    assert backlinks(site["beta"], "div#beta-p1") == ["#note-beta-across-chapters"]
    assert backlinks(site["works"], "div.citation") == ["alpha.html#alpha-p1", "beta.html#note-beta-across-chapters"]
    assert backlinks(site["terms"], "dl.glossary") == ["alpha.html#alpha-p1"]
    line = site["alpha"].select_one("div#alpha-p2 p.backlinks")
    assert "editorial" in line["class"], "the lists are the editors' layer"
    assert re.sub(r"\s+", " ", line.get_text()) == "Discussed in Beta: note “Across chapters”; Analysis: Readings."


def test_a_change_on_another_page_reaches_the_list(project):
    out = project.parent / "build"
    build(project, out)
    beta = project / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace(" also discusses {pref}`alpha-p2` and", ""), encoding="utf-8")
    site = build(project, out)  # incremental: alpha.md did not change
    assert backlinks(site["alpha"], "div#alpha-p2") == ["analysis.html#readings"]
    assert backlinks(site["works"], "div.citation") == ["alpha.html#alpha-p1", "beta.html#note-beta-across-chapters"]
    (project / "analysis.md").write_text("# Analysis\n\nNothing here.\n", encoding="utf-8")
    site = build(project, out)
    assert backlinks(site["alpha"], "div#alpha-p2") == []


def test_a_parallel_read_gives_the_same_lists(project):
    serial = build(project, project.parent / "serial")
    parallel = build(project, project.parent / "parallel", parallel=2)
    for name in ("alpha", "beta", "works", "terms"):
        assert [str(p) for p in serial[name].select("p.backlinks")] == [str(p) for p in parallel[name].select("p.backlinks")]
    shutil.rmtree(project.parent / "parallel")


def test_the_books_paragraphs_works_and_terms_list_their_places(pages):
    """On the built book: every note's :on: paragraph lists the note; every term of the glossary
    used in the paper lists its places; the concept map leads to its paragraphs."""
    for docname, soup in pages.items():
        for note in soup.select("div.ednote[data-on]"):
            for pid in note["data-on"].split():
                doc = "chapters/" + paragraph_index()[pid].chapter
                listed = {a["href"].rpartition("#")[2] for a in pages[doc].select(f"div#{pid} > p.backlinks a")}
                assert note["id"] in listed, f"{pid} does not list the note {note['id']} of {docname}"
    glossary = pages["chapters/glossary"]
    assert len(glossary.select("p.backlinks-term")) >= 10
    works = pages["chapters/references"].select("div.citation p.backlinks-cite")
    assert works, "the paper's references list where they are cited"
    concept_map = pages["notebooks/concept-map"]
    section = concept_map.select_one("section#the-concepts-and-where-the-paper-names-them")
    assert section is not None and len(section.select("li")) >= 20
    assert all(item.select("a[href*='chapters/']") for item in section.select("li"))

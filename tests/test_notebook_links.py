"""The notebooks read well in JupyterLab (on Binder or locally), not only in the book.

JupyterLab renders a Markdown cell as CommonMark and an output by its HTML; it knows no MyST
role, directive or Sphinx label. So the Markdown cells are plain CommonMark, and every link a
reader can click there (in a cell or in an executed output) leads somewhere: to a paragraph
on the published edition, at the address :mod:`aes_edition.publishing` derives from
``_config.yml``, or to a file beside the notebook. In the book the same links stay inside the
book (``aes_edition.sphinxext.published_links``; tests/test_analysis_pages.py checks the
pages). Issue: Binder.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from nbclient import NotebookClient

from aes_edition.emendations import load_emendations
from aes_edition.links import link_problem
from aes_edition.paragraphs import paragraph_index
from aes_edition.paths import CHAPTERS, NOTEBOOKS, ROOT
from aes_edition.publishing import Publishing, derive, from_config
from aes_edition.relink import book_pages

NAMES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))

# What JupyterLab would show as text: MyST roles, directive fences, targets, substitutions,
# and link schemes only MyST knows.
MYST = {
    "role": re.compile(r"\{[a-zA-Z][\w:.-]*\}`"),
    "directive or fence": re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{|^\s*:{3,}\s*$", re.M),
    "target": re.compile(r"^\s*\([^)\s]+\)=\s*$", re.M),
    "substitution": re.compile(r"\{\{.*?\}\}"),
    "MyST link scheme": re.compile(r"\]\(\s*<?(?:project|inv|path):"),
}
# A page of the edition, wherever it is published: /chapters/<name>.html or /notebooks/<name>.html.
EDITION_PAGE = re.compile(r"/(?:chapters|notebooks)/[\w-]+\.html(?:#|$)")


def apparatus_page() -> str:
    """The chapter that holds the textual apparatus (its rows are the emendations' anchors)."""
    pages = [p for p in sorted(CHAPTERS.glob("*.md"))
             if re.search(r"^:{3,}\{apparatus\}\s*$", p.read_text(encoding="utf-8"), re.M)]
    assert len(pages) == 1, "exactly one chapter holds the apparatus"
    return f"chapters/{pages[0].stem}"


def edition_addresses(site: Publishing) -> dict[str, str]:
    """Every anchor a notebook may link to on the published edition, with its address."""
    addresses = {pid: site.page_url(f"chapters/{p.chapter}", pid) for pid, p in paragraph_index().items()}
    page = apparatus_page()
    addresses.update({e.anchor: site.page_url(page, e.anchor) for e in load_emendations().values()})
    # A whole page (no anchor): a chapter or a notebook of the book.
    addresses.update({name: site.page_url(name) for name in book_pages(ROOT)})
    return addresses


def myst_problems(text: str) -> list[str]:
    return [f"MyST {kind} {match.group(0).strip()!r}" for kind, pattern in MYST.items() for match in pattern.finditer(text)]


def markdown_links(source: str) -> list[str]:
    """The targets of every link and image of a Markdown cell, as CommonMark reads it."""
    found = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type == "link_open":
                found.append(token.attrGet("href"))
            elif token.type == "image":
                found.append(token.attrGet("src"))
            if token.children:
                walk(token.children)

    walk(MarkdownIt("commonmark").parse(source))
    return found


def html_links(markup: str) -> list[str]:
    soup = BeautifulSoup(markup, "html.parser")
    return [a["href"] for a in soup.select("a[href]")] + [img["src"] for img in soup.select("img[src]")]


def link_problem_in_lab(url: str, site: Publishing, addresses: dict[str, str], folder: Path = NOTEBOOKS) -> str | None:
    """Why ``url``, clicked in a notebook open in JupyterLab, would not lead where it should."""
    parts = urlsplit(url)
    if parts.scheme:
        if url.startswith(site.site_url):
            anchor = parts.fragment or url[len(site.site_url):].removesuffix(".html")
            if addresses.get(anchor) != url:
                expected = addresses.get(anchor, "an anchor the notebooks may link to (a paragraph or an emendation)")
                return f"is not the derived address of its anchor (expected {expected})"
            return None
        if EDITION_PAGE.search(parts.path + ("#" if parts.fragment else "")):
            return f"looks like a page of the edition but is not on the published site {site.site_url}"
        return link_problem(url)
    if not parts.path:
        return "links to an anchor in the notebook, which JupyterLab cannot follow"
    if parts.fragment:
        return "links into a file's anchor, which JupyterLab cannot follow"
    target = (folder / unquote(parts.path)).resolve()
    if not target.is_file():
        return f"names no file ({target.relative_to(ROOT) if target.is_relative_to(ROOT) else target})"
    return None


@pytest.fixture(scope="module")
def site() -> Publishing:
    return from_config()


@pytest.fixture(scope="module")
def addresses(site) -> dict[str, str]:
    return edition_addresses(site)


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    """Each notebook run as JupyterLab runs it: a fresh kernel started in notebooks/."""
    result = {}
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        result[name] = nb
    return result


@pytest.mark.parametrize("name", NAMES)
def test_markdown_cells_are_plain_commonmark(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    problems = [f"cell {i}: {p}" for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
                for p in myst_problems(cell.source)]
    assert problems == []


@pytest.mark.parametrize("name", NAMES)
def test_every_link_in_the_markdown_cells_leads_somewhere(name, site, addresses):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    links = [link for cell in nb.cells if cell.cell_type == "markdown" for link in markdown_links(cell.source)]
    assert len(links) >= 3, "the notebook's prose links to the paragraphs it discusses"
    problems = {link: link_problem_in_lab(link, site, addresses) for link in links}
    assert {link: p for link, p in problems.items() if p} == {}


@pytest.mark.parametrize("name", NAMES)
def test_every_link_in_the_outputs_jupyterlab_shows_leads_somewhere(executed, name, site, addresses):
    outputs = [o for cell in executed[name].cells if cell.cell_type == "code" for o in cell.outputs]
    markup = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    links = [link for m in markup for link in html_links(m)]
    assert len(links) >= 20, "the tables link each row to its paragraphs"
    problems = {link: link_problem_in_lab(link, site, addresses) for link in links}
    assert {link: p for link, p in problems.items() if p} == {}
    shown = "\n".join(BeautifulSoup(m, "html.parser").get_text() for m in markup)
    assert myst_problems(shown) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_output_jupyterlab_shows_as_markdown_has_html(executed, name):
    """JupyterLab renders the HTML of an output that has it; an output offering only
    Markdown would show the book's MyST ({ref} roles, table fences) as text."""
    for cell in executed[name].cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert "text/markdown" not in data or "text/html" in data, cell.source


def test_the_checks_can_fail(site, addresses):
    """Each kind of fault is reported (the tests above are not vacuous)."""
    good = addresses["impact-p1"]
    assert link_problem_in_lab(good, site, addresses) is None
    assert link_problem_in_lab("traceability-matrix.ipynb", site, addresses) is None
    assert link_problem_in_lab(site.page_url("chapters/reference-register"), site, addresses) is None
    bad = {
        "#impact-p1": "anchor in the notebook",
        "../chapters/impact.md#impact-p1": "file's anchor",
        "../chapters/no-such-chapter.md": "names no file",
        good.replace("impact.html", "challenges.html"): "derived address",
        good + "0": "derived address",
        site.page_url("chapters/no-such-chapter"): "derived address",
        good.replace(site.site_url, "https://someone.github.io/aes-edition/"): "not on the published site",
        "http://example.org/": "uses http",
    }
    for url, problem in bad.items():
        assert problem in (link_problem_in_lab(url, site, addresses) or ""), url
    # Another publishing address moves every expected address with it.
    moved = derive("https://github.com/someone/edition")
    assert edition_addresses(moved)["impact-p1"] == "https://someone.github.io/edition/chapters/impact.html#impact-p1"
    text = ":::{container} editorial\nSee {ref}`impact-p1` and {{ name }}.\n:::\n(label)=\n"
    assert {p.split(" ")[1] for p in myst_problems(text)} == {"role", "directive", "substitution", "target"}
    assert markdown_links("A [link](https://example.org/a) and ![figure](f.svg).") == ["https://example.org/a", "f.svg"]

"""Shared fixtures: the built HTML edition, read the way the fidelity and anchor tests
need it. ``make test`` builds the book first; these tests read that build."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from aes_edition.paragraphs import toc_files
from aes_edition.paths import ROOT

HTML = ROOT / "_build" / "html"
BLOCKS = ["p", "div", "li", "h1", "h2", "h3", "h4", "td", "th", "dt", "dd", "br", "tr", "section", "table", "caption"]


def _page(docname: str) -> Path:
    return HTML / f"{docname}.html"


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail("no HTML build: run `make html` (make test does it first)")
    return HTML


@pytest.fixture(scope="session")
def pages(html_dir: Path) -> dict[str, BeautifulSoup]:
    """Every page of the table of contents, parsed, in reading order."""
    result = {}
    for docname in toc_files():
        path = _page(docname)
        assert path.exists(), f"{docname} is in _toc.yml but {path} was not built"
        result[docname] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return result


def authors_text(soup: BeautifulSoup) -> str:
    """The page's main text with the editors' layer taken out and every emendation
    turned back into the reading the source prints."""
    article = soup.select_one("article.bd-article") or soup.body
    article = BeautifulSoup(str(article), "html.parser")
    for node in article.select(".editorial, a.headerlink, .margin, aside, .admonition, script, style"):
        node.decompose()
    for node in article.select(".emendation"):
        node.replace_with(node.get("data-printed", ""))
    for name in BLOCKS:
        for node in article.find_all(name):
            node.insert_after("\n")
    return article.get_text("")

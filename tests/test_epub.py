"""The EPUB edition (``make epub``), built once per test session and read as an e-reader
meets it: the file EPUBCheck accepts (``make epub`` fails otherwise), its reading order,
and the text, notes, figures and reference lists of the HTML edition in it."""

from __future__ import annotations

import posixpath
import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from make_targets import made

from aes_edition.paragraphs import toc_files
from aes_edition.paths import ROOT

EPUB = ROOT / "_build" / "epub" / "aes-edition.epub"
HTML_COPY = ROOT / "_build" / "html" / "aes-edition.epub"
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="session")
def epub() -> Path:
    """``make epub``, once per session: it builds the EPUB and runs EPUBCheck on it."""
    return made("epub", EPUB)


@pytest.fixture(scope="session")
def documents(epub: Path) -> dict[str, BeautifulSoup]:
    with zipfile.ZipFile(epub) as book:
        return {name.removesuffix(".xhtml"): BeautifulSoup(book.read(name), "html.parser")
                for name in book.namelist() if name.endswith(".xhtml") and name != "nav.xhtml"}


def test_make_epub_passes_epubcheck_and_reads_in_the_books_order(epub: Path):
    """EPUBCheck's verdict is make epub's (it fails on any error); here, independently, the
    file is an EPUB 3 whose spine follows _toc.yml and whose navigation lists every page."""
    check = subprocess.run(["java", "-jar", "/usr/share/java/epubcheck.jar", "--quiet", str(epub)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(epub) as book:
        assert book.read("mimetype") == b"application/epub+zip"
        opf = ElementTree.fromstring(book.read("content.opf"))  # the package document is XML
        nav = BeautifulSoup(book.read("nav.xhtml"), "html.parser")
    assert opf.get("version") == "3.0"
    assert opf.find(".//dc:language", OPF).text == "en-GB"
    manifest = {item.get("id"): item.get("href") for item in opf.iterfind(".//opf:item", OPF)}
    spine = [manifest[ref.get("idref")].removesuffix(".xhtml") for ref in opf.iterfind(".//opf:itemref", OPF)
             if ref.get("linear", "yes") != "no"]
    assert spine == toc_files()
    listed = {link["href"].split("#")[0].removesuffix(".xhtml") for link in nav.select("a[href]")}
    assert set(toc_files()) <= listed


def test_the_epub_holds_the_text_notes_figures_and_reference_lists(pages, documents):
    for docname in toc_files():
        html, book = pages[docname], documents[docname]
        for selector in ["div.para", "div.ednote", "div.citation", "span.emendation", "table"]:
            assert len(book.select(selector)) == len(html.select(f"article {selector}")), (docname, selector)
        figures = html.select("article img")
        assert len(book.select("img")) == len(figures), docname
        assert all(img["src"].endswith(".png") and img.get("alt") for img in book.select("img")), docname


def test_the_site_offers_the_epub_beside_the_pdf(pages, epub: Path):
    links = pages["chapters/index"].select("div.pdf-download a[href]")
    assert [link["href"] for link in links] == ["../aes-edition.pdf", "../aes-edition.epub"]
    assert links[1]["type"] == "application/epub+zip"
    assert HTML_COPY.read_bytes() == epub.read_bytes()


def test_every_page_links_the_editions_stylesheet_for_e_readers(epub: Path, documents):
    """The editors' voice reads as on the site: every page (a chapter with notes among them)
    links the edition's EPUB stylesheet, the file is in the EPUB, and it sets the editors'
    notes apart, in plain colours an e-reader understands (no CSS variables)."""
    with zipfile.ZipFile(epub) as book:
        names = set(book.namelist())
        css = book.read("_static/edition-epub.css").decode("utf-8")
    chapters = [name for name in documents if documents[name].select("div.ednote")]
    assert chapters
    for name, page in documents.items():
        links = [link["href"] for link in page.select('link[rel~="stylesheet"][href]')]
        linked = [posixpath.normpath(posixpath.join(posixpath.dirname(name), href)) for href in links]
        assert "_static/edition-epub.css" in linked, name
        assert set(linked) <= names, name
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    ednote = {selector.strip(): body for selector, body in rules.items()}.get("div.ednote", "")
    assert "border-left" in ednote and "#8a3b12" in ednote
    assert "var(" not in css

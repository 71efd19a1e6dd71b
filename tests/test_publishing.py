"""Where the edition is published, and what readers' tools find on its pages.

Every address derives from one setting, ``repository.url`` in ``_config.yml`` (with
``html.baseurl`` for another domain): a bad setting stops the build naming it, and no file of
the repository but ``_config.yml`` and ``CITATION.cff`` (which the build holds to the derived
addresses) writes an address out. Small Sphinx projects (``sphinx.testing``) try the
extension with other settings; the built book is checked page by page: one viewport tag, a
canonical address under the site's, Highwire Press tags with the authors and the PDF,
OpenGraph tags, a sitemap of every page, a download button that gives the PDF, and a "How to
cite" page that agrees with ``CITATION.cff``.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bookcopy import BookCopy
from bs4 import BeautifulSoup
from scholarly_edition.strict_data import DataError
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from aes_edition.citation import CITATION_FILE, load_citation
from aes_edition.paragraphs import toc_files
from aes_edition.paths import ROOT
from aes_edition.publishing import PublishingError, derive, from_config
from aes_edition.relink import book_pages, relinked

PUBLISHED = from_config()
CITATION = load_citation()
DOCS = toc_files()
TRICKY_TITLE = 'Sahel & ECOWAS: "exit" <2024>'


# Small Sphinx projects ---------------------------------------------------------------------

def _project(tmp_path: Path, repository_url: object = PUBLISHED.repository_url, baseurl: str = "",
             pages: dict[str, str] | None = None) -> Path:
    """A Sphinx project that loads only the publishing extension, with the book's CITATION.cff
    rewritten to the addresses this project's settings derive (when they derive any)."""
    src = tmp_path / "src"
    src.mkdir()
    options = {"repository_url": repository_url, "repository_branch": "main"} if repository_url is not None else {}
    (src / "conf.py").write_text(
        'extensions = ["aes_edition.sphinxext.publishing"]\n'
        f"html_theme_options = {options!r}\n"
        f"html_baseurl = {baseurl!r}\n"
        'html_title = "The test edition"\n'
        'html_theme = "sphinx_book_theme"\n'
        "smartquotes = False\n", encoding="utf-8")
    text = CITATION_FILE.read_text(encoding="utf-8")
    try:
        derived = derive(repository_url, "main", baseurl)
        text = text.replace(PUBLISHED.repository_url, derived.repository_url).replace(PUBLISHED.site_url, derived.site_url)
    except PublishingError:
        pass
    (src / "CITATION.cff").write_text(text, encoding="utf-8")
    pages = pages or {"index": "The front\n=========\n\n.. toctree::\n\n   part/one\n", "part/one": "One\n===\n\nText.\n"}
    for name, body in pages.items():
        (src / f"{name}.rst").parent.mkdir(parents=True, exist_ok=True)
        (src / f"{name}.rst").write_text(body, encoding="utf-8")
    return src


def _build(src: Path) -> tuple[SphinxTestApp, str]:
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=src.parent / "_build", status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return app, warnings.getvalue()


def _soup(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup(Path(app.outdir, f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def _meta(soup: BeautifulSoup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.select(f'meta[name="{name}"], meta[property="{name}"]')]


@pytest.mark.parametrize(("url", "setting"), [
    (f"https://gitlab.com/{PUBLISHED.owner}/{PUBLISHED.name}", "repository.url"),
    (f"github.com/{PUBLISHED.owner}/{PUBLISHED.name}", "repository.url"),
    (f"https://github.com/{PUBLISHED.owner}", "repository.url"),
    ("", "repository.url"),
    (None, "repository.url"),
])
def test_a_malformed_or_missing_repository_url_stops_the_build_naming_the_setting(tmp_path, url, setting):
    with pytest.raises(ConfigError) as raised:
        SphinxTestApp("html", srcdir=_project(tmp_path, repository_url=url), builddir=tmp_path / "_build",
                      status=io.StringIO(), warning=io.StringIO())
    message = str(raised.value)
    assert f"setting '{setting}'" in message and "_config.yml" in message and "\n" not in message


def test_a_malformed_baseurl_stops_the_build_naming_the_setting(tmp_path):
    with pytest.raises(ConfigError, match=r"setting 'html\.baseurl'"):
        SphinxTestApp("html", srcdir=_project(tmp_path, baseurl="http://edition.example.org"),
                      builddir=tmp_path / "_build", status=io.StringIO(), warning=io.StringIO())


def test_the_data_check_reports_a_bad_setting_in_one_line(tmp_path):
    """``make html`` runs the data check before Sphinx: it must stop there, naming the setting."""
    book = BookCopy(tmp_path / "book")
    book.replace("_config.yml", f"url: {PUBLISHED.repository_url}", "url: https://gitlab.com/someone/edition")
    build = book.make("html")
    assert build.failed, build.tail()
    lines = [line for line in build.output.splitlines() if "repository.url" in line]
    assert len(lines) == 1 and lines[0].startswith("configuration error: _config.yml, setting 'repository.url'"), (
        build.tail())
    assert "build succeeded" not in build.output


def test_another_repository_moves_every_address(tmp_path):
    """A copy published from another repository: canonical links, tags, sitemap all follow."""
    app, warnings = _build(_project(tmp_path, repository_url="https://github.com/Someone/sahel-copy"))
    site = "https://someone.github.io/sahel-copy/"
    assert warnings == ""
    soup = _soup(app, "part/one")
    assert soup.select_one('link[rel="canonical"]')["href"] == f"{site}part/one.html"
    assert _meta(soup, "og:url") == [f"{site}part/one.html"]
    assert _meta(soup, "citation_pdf_url") == [f"{site}aes-edition.pdf"]
    assert _meta(soup, "citation_public_url") == [f"{site}part/one.html"]
    sitemap = Path(app.outdir, "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>([^<]+)</loc>", sitemap) == [f"{site}index.html", f"{site}part/one.html"]


def test_html_baseurl_names_another_domain(tmp_path):
    app, _ = _build(_project(tmp_path, baseurl="https://edition.example.org/aes"))
    soup = _soup(app, "index")
    assert soup.select_one('link[rel="canonical"]')["href"] == "https://edition.example.org/aes/index.html"
    assert _meta(soup, "citation_pdf_url") == ["https://edition.example.org/aes/aes-edition.pdf"]


def test_citation_file_must_carry_the_derived_addresses(tmp_path):
    other = derive(PUBLISHED.repository_url, "main", "https://edition.example.org/")
    with pytest.raises(DataError, match=r"CITATION\.cff, key 'url': .*edition\.example\.org"):
        load_citation(CITATION_FILE, other)
    moved = derive("https://github.com/someone/copy")
    with pytest.raises(DataError, match=r"key 'repository-code'"):
        load_citation(CITATION_FILE, moved)


def test_text_in_meta_tags_is_escaped(tmp_path):
    heading = TRICKY_TITLE + "\n" + "=" * len(TRICKY_TITLE) + "\n"
    app, warnings = _build(_project(tmp_path, pages={"index": heading + "\nA page whose title needs escaping.\n"}))
    assert warnings == ""
    raw = Path(app.outdir, "index.html").read_text(encoding="utf-8")
    written = 'content="Sahel &amp; ECOWAS: &quot;exit&quot; &lt;2024&gt;"'
    assert f'<meta name="citation_title" {written}' in raw and f'<meta property="og:title" {written}' in raw
    soup = _soup(app, "index")
    assert _meta(soup, "citation_title") == [TRICKY_TITLE]
    assert _meta(soup, "og:title") == [TRICKY_TITLE]


LONG_TEXT = " ".join(f"Sentence {n} of the page's opening, long enough to be cut." for n in range(1, 9))


def test_the_description_is_the_start_of_the_text_without_its_title(tmp_path):
    """The link preview's text: the body after the title, without comments, notes or code,
    cut at 200 characters with "..."; the same text is the page's description, unless the
    page states its own."""
    one = ("A title the preview shows already\n=================================\n\n"
           ".. a comment, not text\n\n.. note:: An aside, not the page's opening.\n\n"
           "::\n\n   code, not text\n\n" + LONG_TEXT + "\n")
    own = "Own\n===\n\n.. meta::\n   :description: The page's own description.\n\nA short text.\n"
    app, warnings = _build(_project(tmp_path, pages={
        "index": "The front\n=========\n\n.. toctree::\n\n   one\n   own\n", "one": one, "own": own}))
    assert warnings == ""
    soup = _soup(app, "one")
    description = _meta(soup, "og:description")
    assert description == [LONG_TEXT[:197].rstrip() + "..."] and len(description[0]) <= 200
    assert _meta(soup, "description") == description
    assert _meta(soup, "og:title") == ["A title the preview shows already"]
    assert _meta(soup, "og:type") == ["article"] and _meta(soup, "og:site_name") == ["The test edition"]
    own_page = _soup(app, "own")
    assert _meta(own_page, "og:description") == ["A short text."]
    assert _meta(own_page, "description") == ["The page's own description."]


BUILD_AND_LIST_MODULES = """
import io, json, sys
from pathlib import Path
from sphinx.testing.util import SphinxTestApp
src = Path(sys.argv[1])
app = SphinxTestApp("html", srcdir=src, builddir=src.parent / "_build", status=io.StringIO(), warning=io.StringIO())
try:
    app.build()
finally:
    app.cleanup()
print(json.dumps({name: name in sys.modules for name in ("sphinxext.opengraph", "matplotlib")}))
"""


def test_a_build_imports_neither_sphinxext_opengraph_nor_matplotlib(tmp_path):
    """Link previews cost a build nothing: sphinxext-opengraph imported matplotlib (for its
    social cards, even when they were off), half a second of every build. A fresh process,
    so that what this test session imported does not count."""
    src = _project(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
    done = subprocess.run([sys.executable, "-c", BUILD_AND_LIST_MODULES, str(src)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"sphinxext.opengraph": False, "matplotlib": False}
    page = BeautifulSoup(Path(tmp_path, "_build", "html", "part", "one.html").read_text(encoding="utf-8"), "html.parser")
    assert _meta(page, "og:url") == [PUBLISHED.page_url("part/one")]


def test_the_edition_url_role_derives_each_kind_of_address(tmp_path):
    body = ("Addresses\n=========\n\n"
            ":edition-url:`site` :edition-url:`repository` :edition-url:`pdf` "
            ":edition-url:`the file <source:CITATION.cff>` :edition-url:`page:index#addresses` "
            ":edition-url:`nowhere`\n")
    app, warnings = _build(_project(tmp_path, pages={"index": body}))
    hrefs = [a["href"] for a in _soup(app, "index").select("article a.reference.external, div.body a.reference.external")]
    assert hrefs == [PUBLISHED.site_url, PUBLISHED.repository_url, f"{PUBLISHED.site_url}aes-edition.pdf",
                     f"{PUBLISHED.repository_url}/blob/main/CITATION.cff", f"{PUBLISHED.site_url}index.html#addresses"]
    assert "edition-url: 'nowhere' is not site, repository" in warnings


# No address written out --------------------------------------------------------------------

def _tracked_text_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in listed
            if Path(name).suffix in {".md", ".py", ".ipynb", ".yml", ".yaml", ".cff", ".txt", ".csv", ".bib", ".js",
                                     ".html", ".toml", ""} and (ROOT / name).is_file()]


def test_only_the_setting_and_the_citation_file_write_the_addresses_out():
    written = {PUBLISHED.repository_url, PUBLISHED.site_url.rstrip("/"), f"{PUBLISHED.owner}/{PUBLISHED.name}",
               f"{PUBLISHED.owner}.github.io"}
    allowed = {ROOT / "_config.yml", ROOT / "CITATION.cff"}
    # A notebook's Markdown cell cannot compute an address, so it writes out the published
    # paragraph's address; the build checks each against the setting, and
    # `python -m aes_edition.relink` rewrites them. Nothing else of the address may be there.
    elsewhere, pages = derive("https://github.com/someone-else/copy"), book_pages(ROOT)
    found = []
    for path in _tracked_text_files():
        if path in allowed:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            text = relinked(text, elsewhere, pages)
        found += [f"{path.relative_to(ROOT)}: {address}" for address in written if address in text]
    assert found == [], "addresses written out instead of derived from repository.url:\n" + "\n".join(found)


# The built book ----------------------------------------------------------------------------

PAGES = [*DOCS, "search", "genindex"]


@pytest.fixture(scope="session")
def all_pages(html_dir: Path) -> dict[str, BeautifulSoup]:
    return {doc: BeautifulSoup((html_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser") for doc in PAGES}


@pytest.mark.parametrize("doc", PAGES)
def test_every_page_has_one_viewport_tag_and_a_canonical_address_under_the_site(all_pages, doc):
    soup = all_pages[doc]
    assert len(soup.select('meta[name="viewport"]')) == 1, [str(t) for t in soup.select('meta[name="viewport"]')]
    canonical = [link["href"] for link in soup.select('link[rel="canonical"]')]
    assert canonical == [PUBLISHED.page_url(doc)]


def _edition_epoch(html_dir: Path) -> datetime.date:
    """The date the build used (the Makefile keeps the commit date it exported)."""
    epoch = (html_dir.parent / ".source-date-epoch").read_text().strip()
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()


@pytest.mark.parametrize("doc", DOCS)
def test_every_page_carries_highwire_press_tags(all_pages, html_dir, doc):
    soup = all_pages[doc]
    title = soup.select_one("article h1").get_text(" ", strip=True).removesuffix("#").strip()
    assert _meta(soup, "citation_title") == [title]
    if doc != DOCS[0]:
        assert _meta(soup, "citation_inbook_title") == [CITATION.title]
    else:
        assert _meta(soup, "citation_title") != [] and _meta(soup, "citation_inbook_title") == []
    assert _meta(soup, "citation_author") == ["Enejo, Julius Benjamin", "Coulibaly, Bekaye"]
    assert _meta(soup, "citation_editor") == ["The editors of the AES Edition"]
    assert _meta(soup, "citation_publication_date") == [_edition_epoch(html_dir).strftime("%Y/%m/%d")]
    assert _meta(soup, "citation_pdf_url") == [f"{PUBLISHED.site_url}aes-edition.pdf"]
    assert _meta(soup, "citation_public_url") == [PUBLISHED.page_url(doc)]
    assert _meta(soup, "citation_abstract_html_url") == [PUBLISHED.page_url(doc)]


@pytest.mark.parametrize("doc", DOCS)
def test_every_page_carries_opengraph_tags(all_pages, doc):
    soup = all_pages[doc]
    assert _meta(soup, "og:url") == [PUBLISHED.page_url(doc)]
    assert _meta(soup, "og:title") == _meta(soup, "citation_title")
    assert _meta(soup, "og:site_name") and "not set" not in _meta(soup, "og:site_name")[0]
    assert len(_meta(soup, "og:description")) == 1 and _meta(soup, "og:description")[0].strip()
    assert _meta(soup, "og:image") == [], "social-card images are off (they would need matplotlib at build time)"


def test_the_sitemap_lists_every_page(html_dir):
    sitemap = (html_dir / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert sorted(locations) == sorted(PUBLISHED.page_url(doc) for doc in DOCS)


@pytest.mark.parametrize("doc", DOCS)
def test_the_download_button_gives_the_pdf_not_the_print_dialog(all_pages, doc):
    menu = all_pages[doc].select_one(".dropdown-download-buttons")
    assert menu is not None, f"{doc}: no download menu"
    assert "window.print" not in str(menu)
    pdf = [a["href"] for a in menu.select("a") if a.get_text(strip=True) == ".pdf"]
    depth = doc.count("/")
    assert pdf == ["../" * depth + "aes-edition.pdf"], pdf
    sources = [a["href"] for a in menu.select("a") if a.get_text(strip=True) in (".md", ".ipynb")]
    assert sources, f"{doc}: the source download is gone"


# How to cite and CITATION.cff --------------------------------------------------------------

def test_how_to_cite_shows_the_citation_of_citation_cff(pages):
    page = pages["chapters/how-to-cite"]
    shown = page.select_one(".edition-citation")
    assert shown is not None, "How to cite has no citation generated from CITATION.cff"
    assert " ".join(shown.get_text(" ").split()).replace(" .", ".").replace(" ,", ",") == CITATION.text()
    assert shown.select_one("a")["href"] == PUBLISHED.site_url
    text = " ".join(page.select_one("article").get_text(" ").split())
    versions = set(re.findall(r"[Vv]ersion (\d+\.\d+\.\d+)", text))
    assert versions == {CITATION.version}, f"How to cite names versions {versions}, CITATION.cff {CITATION.version}"
    hrefs = {a["href"] for a in page.select("article a[href]")}
    assert {PUBLISHED.repository_url, PUBLISHED.source_url("CITATION.cff"), f"{PUBLISHED.site_url}aes-edition.pdf",
            PUBLISHED.page_url("chapters/impact", "impact-p3")} <= hrefs


def test_citation_cff_says_what_to_cite():
    data = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))
    preferred = data["preferred-citation"]
    assert preferred["type"] == "edited-work"
    assert [p["family-names"] for p in preferred["authors"]] == ["Enejo", "Coulibaly"]
    assert [p["name"] for p in preferred["editors"]] == ["The editors of the AES Edition"]
    assert data["repository-code"] == PUBLISHED.repository_url and data["url"] == PUBLISHED.site_url
    assert datetime.date.fromisoformat(data["date-released"]) == CITATION.date_released


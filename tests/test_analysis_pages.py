"""The notebook pages as a reader meets them in the HTML edition: figures with alt text and
captions, tables whose every proposition, finding, objective and link leads to the paragraph
it comes from, and the Binder and download buttons (issue: executable notebooks)."""

from __future__ import annotations

import ast
import posixpath
import re

import nbformat
import pytest
from bs4 import BeautifulSoup

from aes_edition.analysis_data import cited_paragraphs, load_concept_map, load_traceability
from aes_edition.notebook_output import typographic
from aes_edition.paragraphs import paragraph_index
from aes_edition.paths import ROOT
from aes_edition.publishing import from_config

NOTEBOOKS = ["notebooks/concept-map", "notebooks/traceability-matrix"]


@pytest.fixture(scope="module")
def anchors(pages) -> dict[str, set[str]]:
    """Every id on every page, by page path relative to the HTML root."""
    return {f"{docname}.html": {tag["id"] for tag in soup.select("[id]")} for docname, soup in pages.items()}


def _targets(cell, docname: str) -> set[tuple[str, str]]:
    """(page, anchor) of every link in a table cell, resolved from the notebook page."""
    found = set()
    for a in cell.select("a[href]"):
        page, _, anchor = a["href"].partition("#")
        found.add((posixpath.normpath(posixpath.join(posixpath.dirname(docname), page)), anchor))
    return found


def _expected(paras) -> set[tuple[str, str]]:
    index = paragraph_index()
    return {(f"chapters/{index[p].chapter}.html", p) for p in paras}


def _rows_by_first_cell(soup: BeautifulSoup, header: str) -> dict[str, list]:
    """Rows of the table whose header row contains ``header``, keyed by their first cell."""
    for table in soup.select("table"):
        heads = [th.get_text(strip=True) for th in table.select("thead th")]
        if header in heads:
            return {tr.select("td")[0].get_text(strip=True): tr.select("td") for tr in table.select("tbody tr")}
    raise AssertionError(f"no table with a column '{header}'")


def test_every_paragraph_the_analysis_cites_exists_in_the_html(pages):
    built = {div["id"] for soup in pages.values() for div in soup.select("div.para")}
    cited = cited_paragraphs(load_concept_map(), load_traceability())
    assert cited - built == set()
    assert len(cited) > 30


def test_every_proposition_links_to_its_paragraphs(pages, anchors):
    rows = _rows_by_first_cell(pages["notebooks/concept-map"], "Proposition")
    data = load_concept_map()
    assert set(rows) == {p.id for p in data.propositions}
    for p in data.propositions:
        targets = _targets(rows[p.id][3], "notebooks/concept-map.html")
        assert targets == _expected(p.paras), p.id
        assert all(anchor in anchors[page] for page, anchor in targets)
        text = rows[p.id][1].get_text(" ", strip=True)
        assert p.link in text and data.concepts[p.source].label in text and data.concepts[p.target].label in text


def test_every_finding_links_to_its_paragraphs(pages, anchors):
    rows = _rows_by_first_cell(pages["notebooks/traceability-matrix"], "Grounds given")
    data = load_traceability()
    assert set(rows) == set(data.findings)
    for finding in data.findings.values():
        targets = _targets(rows[finding.id][-1], "notebooks/traceability-matrix.html")  # "Stated in"
        assert targets == _expected(finding.paras), finding.id
        assert all(anchor in anchors[page] for page, anchor in targets)


def test_every_objective_and_claim_links_to_its_paragraph(pages):
    rows = _rows_by_first_cell(pages["notebooks/traceability-matrix"], "As printed")
    data = load_traceability()
    assert set(rows) == set(data.objectives)
    for objective in data.objectives.values():
        assert _targets(rows[objective.id][2], "notebooks/traceability-matrix.html") == _expected([objective.para])
    assert "cannot be answered" in rows["iii"][3].get_text()


def test_every_trace_link_leads_to_both_paragraphs(pages):
    soup = pages["notebooks/traceability-matrix"]
    table = next(t for t in soup.select("table") if "Why" in [th.get_text(strip=True) for th in t.select("thead th")])
    rows = table.select("tbody tr")
    data = load_traceability()
    assert len(rows) == len(data.trace_links)
    for tr, link in zip(rows, data.trace_links, strict=True):
        cells = tr.select("td")
        assert cells[0].get_text(strip=True) == link.objective
        assert cells[2].get_text(strip=True).startswith(link.finding)
        page = "notebooks/traceability-matrix.html"
        assert _targets(cells[1], page) == _expected([data.objectives[link.objective].para])
        assert _targets(cells[3], page) == _expected(data.findings[link.finding].paras)


def test_every_recommendation_links_to_its_paragraph(pages):
    rows = _rows_by_first_cell(pages["notebooks/traceability-matrix"], "Rests on")
    data = load_traceability()
    assert len(rows) == len(data.recommendations)
    for recommendation in data.recommendations.values():
        key = f"{recommendation.id}. {recommendation.title}"
        assert _targets(rows[key][1], "notebooks/traceability-matrix.html") == _expected([recommendation.para])


def test_the_matrix_table_has_a_column_for_each_objective(pages):
    soup = pages["notebooks/traceability-matrix"]
    table = next(t for t in soup.select("table") if "Recommendations" in [th.get_text(strip=True) for th in t.select("thead th")])
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    assert heads[2:6] == ["i", "ii", "iii", "iv"]
    column = heads.index("iii")
    assert {tr.select("td")[column].get_text(strip=True) for tr in table.select("tbody tr")} == {"—"}
    cells = {td.get_text(strip=True) for tr in table.select("tbody tr") for td in tr.select("td")[2:9]}
    assert {"P", "N", "P\u00a0+", "N\u00a0–"} <= cells


@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_every_link_on_the_notebook_pages_resolves(pages, anchors, html_dir, docname):
    article = pages[docname].select_one("article.bd-article")
    links = [a["href"] for a in article.select("a[href]") if not re.match(r"^(https?:|mailto:)", a["href"])]
    assert len(links) > 20
    for href in links:
        page, _, anchor = href.partition("#")
        target = posixpath.normpath(posixpath.join("notebooks", page)) if page else f"{docname}.html"
        if not target.endswith(".html"):  # the figure, linked to its full-size file
            assert (html_dir / target).is_file(), f"{docname}: {href} leads to no file"
            continue
        assert target in anchors, f"{docname}: {href} leads to no page of the edition"
        if anchor:
            assert anchor in anchors[target], f"{docname}: {href} leads to no anchor"


@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_the_figure_is_an_svg_with_alt_text_and_a_caption(pages, html_dir, docname):
    figure = pages[docname].select_one("figure")
    assert figure is not None, f"{docname}: no figure"
    img = figure.select_one("img")
    assert img["src"].endswith(".svg")
    assert (html_dir / posixpath.normpath(posixpath.join("notebooks", img["src"]))).is_file()
    assert len(img.get("alt", "")) > 80
    assert figure.select_one("figcaption").get_text(strip=True)


@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_binder_and_download_buttons(pages, html_dir, docname):
    soup = pages[docname]
    name = docname.split("/")[-1]
    binder = [a["href"] for a in soup.select("a[href^='https://mybinder.org']")]
    published = from_config()
    assert (f"https://mybinder.org/v2/gh/{published.owner}/{published.name}/{published.branch}"
            f"?urlpath=lab/tree/notebooks/{name}.ipynb") in binder
    downloads = [a["href"] for a in soup.select("a[href$='.ipynb']") if "_sources" in a["href"]]
    assert downloads, f"{docname}: no .ipynb download"
    assert (html_dir / posixpath.normpath(posixpath.join("notebooks", downloads[0]))).is_file()


def test_the_findings_table_says_which_grounds_are_unverified(pages):
    """The page shows, for each finding, whether a work cited for it could be verified."""
    from aes_edition.grounds import UNVERIFIED_ONLY

    rows = _rows_by_first_cell(pages["notebooks/traceability-matrix"], "Cited works")
    for finding in load_traceability().findings.values():
        shown = rows[finding.id][4].get_text(strip=True)
        assert ("unverified work only" in shown) == (finding.grounds_category == UNVERIFIED_ONLY), finding.id


def test_the_notebook_pages_say_where_the_chain_breaks(pages):
    text = pages["notebooks/traceability-matrix"].get_text(" ", strip=True)
    assert "Recommendations that rest on no finding" in text
    assert "Findings that answer no objective" in text
    assert "Objectives with no finding" in text
    assert "Findings for which the paper cites only works the edition could not verify" in text


def notebook_captions(docname: str) -> list[str]:
    """The captions a notebook gives its tables (``….captioned("…")`` in its code cells), in order."""
    captions = []
    for cell in nbformat.read(ROOT / f"{docname}.ipynb", as_version=4).cells:
        if cell.cell_type == "code":
            captions += [node.args[0].value for node in ast.walk(ast.parse(cell.source))
                         if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "captioned"]
    return captions


@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_every_table_is_numbered_with_the_notebooks_caption(pages, docname):
    """Each table of a notebook page has the caption the notebook gives it, numbered, so that
    the PDF prints "Table N: …" over it (and over each page a long table continues on)."""
    tables = pages[docname].select("article table")
    captions = notebook_captions(docname)
    assert len(captions) == len(tables) > 0
    for table, caption in zip(tables, captions, strict=True):
        assert re.fullmatch(r"Table \d+", table.select_one("caption span.caption-number").get_text(strip=True))
        assert table.select_one("caption span.caption-text").get_text() == typographic(caption)

"""The PDF edition, built with ``make pdf`` once per test session and read as a reader of
the printed page meets it: through its text (pdftotext), its pictures (pdfimages), its
fonts (pdffonts) and LaTeX's own account of the build (the .log).

How fidelity is proved on paper. The HTML test can drop the editors' elements by class;
a PDF has no classes, so the print design keeps the editors' layer separable in the
text itself (see aes_edition.pdftext): folios end each page, footnotes are the editors'
alone and open with "N Editors", paragraph numbers read "¶N", TeX's hyphens are soft
hyphens. Every emendation's footnote gives the reading that stands in the text (the
lemma) and the reading the source prints, so the test does not trust the register to
say what the PDF shows: it finds each lemma in the text right before its note's mark,
checks that the note's printed reading is the register's, and puts the printed reading
in its place. The same ``missing_segments`` as for the HTML then requires every
heading and sentence of the copy-text, in order.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml
from book_settings import copy_text_until
from bs4 import BeautifulSoup
from make_targets import made
from scholarly_edition.fidelity import missing_segments, normalise

from aes_edition.emendations import load_emendations
from aes_edition.paragraphs import all_paragraphs, toc_files
from aes_edition.paths import COPY_TEXT, ROOT
from aes_edition.pdftext import (
    ADDRESS_NOTE,
    RUNNING_HEAD,
    PdfText,
    join_lines,
    read_emendation_note,
    read_pdf,
    reading,
)

LATEX = ROOT / "_build" / "latex"
PDF = LATEX / "aes-edition.pdf"
HTML_COPY = ROOT / "_build" / "html" / "aes-edition.pdf"
OVERFULL_TOLERANCE_PT = 1.0  # below a point, an overfull line is invisible in print


@pytest.fixture(scope="session")
def pdf() -> Path:
    """``make pdf``, once per session: the PDF under test is the one this source makes."""
    return made("pdf", PDF)


@pytest.fixture(scope="session")
def text(pdf: Path) -> PdfText:
    return read_pdf(pdf)


@pytest.fixture(scope="session")
def notes(text: PdfText):
    """The emendations' notes; every other footnote must be a web address's note."""
    register = load_emendations()
    return [read_emendation_note(note, register) for note in text.footnotes if not ADDRESS_NOTE.match(note.text)]


@pytest.fixture(scope="session")
def log(pdf: Path) -> str:
    return (LATEX / "aes-edition.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def tex(pdf: Path) -> str:
    return (LATEX / "aes-edition.tex").read_text(encoding="utf-8")


def _html_text(node) -> str:
    node = BeautifulSoup(str(node), "html.parser")
    for mark in node.select("a.headerlink, a.para-num, .emend-mark"):
        mark.decompose()
    return normalise(node.get_text(""))


def _titles(pages) -> dict[str, str]:
    """Each page's title as the HTML shows it, in reading order (the front page excepted)."""
    return {docname: _html_text(soup.select_one("article h1")) for docname, soup in list(pages.items())[1:]}


def _chapters(body: str, titles: dict[str, str]) -> dict[str, str]:
    """The running text of each chapter: from its heading (a line or lines of its own,
    in reading order) to the next chapter's heading."""
    body = "\n".join(normalise(line) for line in body.split("\n"))
    starts: list[tuple[str, int, int]] = []
    cursor = 0
    for docname, title in titles.items():
        heading = re.compile(r"(?m)^" + r"\s+".join(map(re.escape, title.split())) + r"\s*$")
        found = heading.search(body, cursor)
        assert found, f"the PDF has no heading {title!r} after the previous chapter's"
        starts.append((docname, found.start(), found.end()))
        cursor = found.end()
    ends = [start for _, start, _ in starts[1:]] + [len(body)]
    return {docname: body[end:stop] for (docname, _, end), stop in zip(starts, ends, strict=True)}


# --- the build ----------------------------------------------------------------------------

def test_make_pdf_builds_one_a4_pdf_of_the_edition(pdf: Path):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 15
    assert re.search(r"Title:\s+Alliance for Sahel States and the Security of the Sub-Region", info)


def test_metadata_give_title_authors_and_language(pdf: Path):
    """The document information and the XMP metadata give the title, the authors and the
    language; the catalog declares the language (/Lang), which screen readers use."""
    from pypdf import PdfReader

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"(?m)^Title:\s+" + re.escape(config["latex"]["latex_documents"]["title"]) + "$", info)
    assert re.search(r"(?m)^Author:\s+" + re.escape(config["author"]) + "$", info)
    assert re.search(r"(?m)^Metadata Stream:\s+yes$", info)
    xmp = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"<dc:language>\s*<rdf:Bag>\s*<rdf:li>en-GB</rdf:li>", xmp)
    assert "Julius Benjamin Enejo and Bekaye Coulibaly" in re.search(r"<dc:creator>(.*?)</dc:creator>", xmp, re.S)[1]
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "en-GB"


def test_the_pdf_is_dated_by_the_commit(pdf: Path):
    """The PDF's dates (document information and XMP) are the last commit's, as the
    Makefile gives them (SOURCE_DATE_EPOCH), not the clock's: two builds of one commit
    are the same file."""
    from datetime import UTC, datetime

    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.strip()
    stamp = datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
    info = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"(?m)^CreationDate:\s+{stamp}(Z|\+00)", info), info
    assert re.search(rf"(?m)^ModDate:\s+{stamp}(Z|\+00)", info), info
    xmp = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert set(re.findall(r"<xmp:\w*Date>([^<]*)<", xmp)) == {f"{stamp}Z"}, xmp


@pytest.fixture(scope="session")
def structure(pdf: Path) -> dict:
    """The tagged PDF's catalog and the elements of its structure tree, read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    catalog = reader.trailer["/Root"]
    elements: list = []

    def walk(node) -> None:
        node = node.get_object()
        if not hasattr(node, "get"):
            return  # a marked-content id
        if "/S" in node:
            elements.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    if "/StructTreeRoot" in catalog:
        walk(catalog["/StructTreeRoot"])
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
    return {"catalog": catalog, "elements": elements, "pages": pages}


def test_the_pdf_is_tagged_with_its_language(pdf: Path, structure: dict, tex: str):
    """A tagged PDF (\\DocumentMetadata, written first by the edition's LaTeX template):
    pdfinfo says so, the catalog has a structure tree whose root is the Document and marks
    the content as tagged, and it declares the language."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"(?m)^Tagged:\s+yes$", info)
    catalog = structure["catalog"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert [element["/S"] for element in structure["elements"]][:1] == ["/Document"]
    assert tex.startswith("\\DocumentMetadata{")


def test_every_figure_carries_its_alternative_text(pages, structure: dict):
    """Each picture is a Figure of the structure tree, whose /Alt is the alt text the HTML
    edition gives the same picture, and which holds the picture's marked content on a page."""
    in_html = [" ".join(img["alt"].split()) for soup in pages.values() for img in soup.select("article img")]
    figures = [element for element in structure["elements"] if element["/S"] == "/Figure"]
    assert sorted(str(figure.get("/Alt", "")) for figure in figures) == sorted(in_html)
    assert all(text for text in in_html), "a figure of the HTML edition has no alt text"
    for figure in figures:
        content = figure["/K"].get_object()
        content = content[0].get_object() if isinstance(content, list) else content
        assert content["/Type"] == "/MCR" and content.raw_get("/Pg").idnum in structure["pages"], figure


def test_the_pages_content_streams_have_matched_marked_content(pdf: Path):
    """Every marked-content sequence of a page ends on that page: poppler reports an EMC
    without its BDC (as a link tagged across a page break left one) as a syntax problem."""
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "EMC" not in result.stderr and "Syntax Error" not in result.stderr, result.stderr[-2000:]


def test_long_tables_are_tagged_with_longtable_checked(log: str):
    """The print design makes longtable's page fill splittable for tagging only for the
    longtable it was checked against (aes-edition.sty); a different longtable fails here."""
    assert "aes-edition: longtable's page fill is \\vfil, for tagging" in log


def test_the_latex_log_has_no_undefined_or_broken_references(log: str, text: PdfText):
    assert not [page for page in text.pages if "??" in page], "an unresolved reference prints as ??"
    problems = [line for line in log.splitlines() if re.search(
        r"undefined|multiply defined|has been referenced but does not exist|Missing character|Rerun to get", line)]
    assert problems == []


def test_no_line_runs_into_the_margin(log: str):
    overfull = [float(width) for width in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]
    assert [width for width in overfull if width > OVERFULL_TOLERANCE_PT] == []


# --- the paper's text ---------------------------------------------------------------------

def test_every_sentence_and_heading_is_in_the_pdf(text: PdfText, notes):
    corpus, problems = reading(text.body, notes, printed=True)
    assert problems == []
    problems = missing_segments(corpus, COPY_TEXT, copy_text_until())
    assert not problems, "the PDF loses or alters the paper's text:\n" + "\n".join(problems)


def test_the_pdf_fidelity_check_can_fail(text: PdfText, notes):
    """A changed word, or an emendation whose reading is not where its mark is, is reported."""
    damaged, count = re.subn(r"weak\s+governance\s+structures", "strong governance structures", text.body, count=1)
    assert count == 1
    corpus, _ = reading(damaged, notes, printed=True)
    assert any("line 14" in problem for problem in missing_segments(corpus, COPY_TEXT, copy_text_until()))
    moved, count = re.subn(r"Niger—\s*constitutes", "Niger constitutes", text.body, count=1)
    assert count == 1
    _, problems = reading(moved, notes, printed=True)
    assert any("E02" in problem for problem in problems)


def test_every_emendation_has_its_footnote_in_reading_order(pages, text: PdfText, notes):
    """Each {emend} of the book gives one note, in the order of the text, and every other
    footnote of the PDF is a web address's (a new kind of note must be taught to the
    reader, aes_edition.pdftext); the notes are numbered in one series."""
    in_html = [span["id"].removeprefix("emend-").upper() for soup in pages.values()
               for span in soup.select("article span.emendation")]
    assert [note.key for note in notes] == in_html
    assert [note.number for note in text.footnotes] == list(range(1, len(text.footnotes) + 1))


def test_names_dashes_and_quotes_are_real_characters(text: PdfText):
    """Wæver and Koné, the dashes and the curly quotes come out of the PDF as themselves
    (T1 fonts with a character map), not as accents beside letters or missing glyphs."""
    body = text.body
    assert "Wæver" in body and "Koné" in body
    special = {c for c in COPY_TEXT.read_text(encoding="utf-8") if ord(c) > 127}
    assert special - set(body) == set()
    for mark in "“”’—":
        assert mark in body, mark


def test_fonts_are_embedded_and_no_text_is_set_in_bitmap_fonts(pdf: Path):
    """Every font is embedded; the text is set in TeX Gyre Pagella and Heros; and TeX read
    no bitmap (.pk) font, the fallback that prints blurred letters when a font is missing.
    (Figures may carry their own fonts, such as matplotlib's, which are drawn as outlines.)"""
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row), f"not embedded: {row}"
    assert any("TeXGyrePagella" in row for row in rows) and any("TeXGyreHeros" in row for row in rows)
    recorded = (LATEX / "aes-edition.fls").read_text(encoding="utf-8")
    assert [line for line in recorded.splitlines() if re.search(r"\.\d*pk$", line)] == []


# --- the editors' layer and the book's parts -------------------------------------------

def test_every_paragraph_carries_its_number(pages, text: PdfText, notes):
    """"¶N" stands before the first words of paragraph N, for every paragraph, in the
    book's order (the first words as the HTML edition shows them)."""
    corpus, problems = reading(text.body, notes, printed=False)
    assert problems == []
    order = {docname: index for index, docname in enumerate(toc_files())}
    paragraphs = sorted(all_paragraphs(), key=lambda p: (order[f"chapters/{p.chapter}"], p.number))
    cursor = 0
    for paragraph in paragraphs:
        div = pages[f"chapters/{paragraph.chapter}"].find(id=paragraph.id)
        words = " ".join(_html_text(div).split()[:6])
        found = corpus.find(f"¶{paragraph.number} {words}", cursor)
        assert found >= 0, f"{paragraph.id}: '¶{paragraph.number} {words}' is not in the PDF after the previous paragraph"
        cursor = found


def test_title_page(text: PdfText):
    first = normalise(text.pages[0])
    for expected in ["Alliance for Sahel States and the Security of the Sub-Region", "An annotated edition",
                     "Julius Benjamin Enejo and Bekaye Coulibaly", "Edited by the editors of the AES Edition"]:
        assert expected in first
    assert re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                     r"December) \d{4}\b", first)


def test_contents_list_every_part_and_chapter(pages, text: PdfText):
    assert text.contents and text.contents[0].startswith("Contents\n")
    lines = [normalise(re.sub(r"[ .]*\b[0-9]+$", "", line)) for page in text.contents for line in page.splitlines()]
    joined = " ".join(lines)
    position = 0
    for title in _titles(pages).values():
        found = joined.find(title, position)
        assert found >= 0, f"{title!r} is not in the contents, in reading order"
        position = found
    captions = [part["caption"] for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]]
    for caption in captions:
        assert caption in lines
        assert any(normalise(page) == caption for page in text.pages), f"part {caption!r} has no title page"


def test_every_body_page_has_a_running_head(pages, text: PdfText):
    """After the contents, every page but a part's title page opens with its running head:
    the chapter (or, where one begins on the page, both chapters) and the page number."""
    titles = set(_titles(pages).values())
    captions = {part["caption"] for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]}
    first_body_page = 3 + len(text.contents)  # the title page, the note on the edition, the contents
    assert first_body_page < len(text.pages)
    for number in range(first_body_page, len(text.pages) + 1):
        page = text.pages[number - 1]
        if not page.strip():
            continue  # pdftotext's form feed after the last page
        if normalise(page) in captions or page.startswith("Index\n"):  # a part's or the index's first page
            assert number not in text.heads, f"page {number}, a part's or the index's title page, has a running head"
            continue
        assert number in text.heads, f"page {number} has no running head: {page[:80]!r}"
        named = [normalise(part) for part in text.heads[number].split(" · ")]
        assert named and all(title in titles | {"Index"} for title in named), f"page {number}: {text.heads[number]!r}"
    folios = [int(RUNNING_HEAD.match(text.pages[n - 1].split("\n")[0].strip())["folio"]) for n in sorted(text.heads)]
    assert folios == [n - first_body_page + 1 for n in sorted(text.heads)]
    assert any(page.startswith("Index\n") for page in text.pages), "the index has its own title"


LISTS_OF_SOURCES = {"chapters/how-to-cite", "chapters/references", "chapters/reference-register",
                    "chapters/review-record", "chapters/editors-sources"}


def test_web_addresses_are_in_notes_or_the_lists_of_sources(pages, text: PdfText):
    """No web address interrupts the running text: a link's address is a footnote, a dated
    event cites its source by author and year, and addresses are printed in full only in the
    lists of sources and the registers (and in the citation of the edition itself)."""
    chapters = _chapters(text.body, _titles(pages))
    assert "(source (" not in text.body
    with_addresses = {docname for docname, body in chapters.items() if "http" in body}
    assert with_addresses <= LISTS_OF_SOURCES, with_addresses - LISTS_OF_SOURCES
    addresses = [note for note in text.footnotes if ADDRESS_NOTE.match(note.text)]
    assert addresses, "the links' addresses are printed as footnotes"


def test_no_word_stutters(pages, text: PdfText):
    """A word printed twice in a row on a line is the paper's own (as the copy-text prints
    it) or an error of the edition, such as a glossary entry whose kind ("Treaty") ran
    into its definition ("Treaty adopted by …"). (A label on a line of its own, such as a
    timeline entry's kind, may be followed by the same word on the next.)"""
    doubled = re.compile(r"\b([A-Za-z]+)[ \t]+\1\b", re.I)
    printed = {match.group(1).lower() for match in doubled.finditer(" ".join(COPY_TEXT.read_text().split()))}
    chapters = _chapters(text.body, _titles(pages))
    paper = [doc for doc in toc_files() if doc.startswith("chapters/")
             and doc not in {"chapters/index", "chapters/review-record"}]
    found = {(doc, match.group(0)) for doc in paper for match in doubled.finditer(chapters[doc])
             if match.group(1).lower() not in printed}
    assert found == set()
    assert not re.search(r"\b([A-Za-z]+)\s+\1\b", chapters["chapters/glossary"], re.I)


def test_quotes_and_apostrophes_are_typographic(pages, text: PdfText):
    """Curly quotes and apostrophes, also in the text generated from the data (the
    apparatus, the registers, the lists of sources) and in the notes."""
    assert re.findall(r".{0,30}['\"].{0,30}", text.body) == []
    assert [note.number for note in text.footnotes if re.search(r"['\"]", note.text)] == []


def test_the_index_lists_terms_and_the_concept_maps_names_with_their_pages(text: PdfText):
    """The index at the end: every glossary term with its kind, at least at the page of the
    glossary that defines it, and the actors, institutions, events and places of the
    concept map; page numbers are links' words, so they read as numbers in the text."""
    from aes_edition.analysis_data import load_concept_map
    from aes_edition.glossary import load_glossary

    start = next(i for i, page in enumerate(text.pages) if page.startswith("Index\n"))
    index = normalise(" ".join(join_lines(page) for page in text.pages[start:]))
    for term in load_glossary():
        kind = term.kind.replace("-", " ")
        assert re.search(re.escape(normalise(term.term)) + rf" {kind}, [0-9]", index), term.term
    for concept in load_concept_map().concepts.values():
        if concept.glossary_term or concept.kind == "concept":
            continue
        name = concept.label.removeprefix("the ") + (", the" if concept.label.startswith("the ") else "")
        assert re.search(re.escape(normalise(name)) + rf" {concept.kind}, [0-9]", index), concept.label


def test_the_index_lists_the_persons_named(text: PdfText):
    """Every person of data/persons.csv is in the index, with the pages where the paper or a
    note names them (citations included)."""
    from aes_edition.persons import load_persons

    start = next(i for i, page in enumerate(text.pages) if page.startswith("Index\n"))
    index = normalise(" ".join(join_lines(page) for page in text.pages[start:]))
    for person in load_persons():
        assert re.search(re.escape(normalise(person.name)) + r" person, [0-9]", index), person.name


def test_each_bibliography_is_printed_once_in_its_own_chapter(pages, text: PdfText, tex: str):
    """Sphinx's LaTeX writer gathers all citations at the end of the book; here each
    list stands in the chapter that holds it, complete, and nowhere else."""
    lists = {docname: [_html_text(entry.select_one("p")) for entry in soup.select("article div.citation")]
             for docname, soup in pages.items()}
    lists = {docname: entries for docname, entries in lists.items() if entries}
    assert "chapters/references" in lists
    assert tex.count(r"\begin{sphinxthebibliography}") == len(lists)
    keys = re.findall(r"\\bibitem\[[^\]]*\]\{([^}]*)\}", tex)
    assert [key for key, n in Counter(keys).items() if n > 1] == []
    chapters = _chapters(text.body, _titles(pages))
    for docname, entries in lists.items():
        # web addresses break at any character, with no hyphen: compare without spaces
        chapter = re.sub(r"\s+", "", normalise(chapters[docname]))
        assert [entry for entry in entries if re.sub(r"\s+", "", entry) not in chapter] == [], docname
    assert not re.search(r"(?m)^Bibliography$", text.body)


def test_figures_of_the_html_edition_are_in_the_pdf(pages, tex: str, log: str, pdf: Path):
    """Every picture of the HTML pages (the notebooks' figures) is placed in the PDF, and
    a raster picture has at least 150 pixels per inch on the page."""
    in_html = sum(len(soup.select("article img")) for soup in pages.values())
    graphics = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{?([^}]+)\}", tex)
    assert len(graphics) == in_html
    notebooks = [docname for docname in toc_files() if (ROOT / f"{docname}.ipynb").exists()]
    if notebooks:
        assert in_html >= len(notebooks), "each notebook of the book draws at least one figure"
    placed = re.findall(r"<use ([^>]+)>", log)
    assert len(placed) >= len(graphics)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    for row in listing.splitlines()[2:]:
        fields = row.split()
        if fields[2] == "image":
            assert min(int(fields[12]), int(fields[13])) >= 150, f"raster figure below 150 ppi: {row}"


def test_tables_of_the_html_edition_are_tables_in_the_pdf(pages, tex: str):
    """Every table of the HTML pages (the apparatus, the notebooks' tables) is a table in
    the PDF too, not text in a typewriter box (as a pandas table is when only its HTML
    form is a table)."""
    in_html = sum(len(soup.select("article table")) for soup in pages.values())
    in_pdf = len(re.findall(r"\\begin\{(?:tabular|tabulary|longtable)\}", tex))
    assert in_pdf == in_html + 1  # and the register of references (next test)


def test_the_register_of_references_is_one_table_that_runs_across_pages(tex: str, text: PdfText):
    """On paper the register is a table, a row for each printed reference (labelled, so
    links to an entry resolve), read across: the reference, then what the editors found.
    That it fits the page is the log's business (no line runs into the margin)."""
    from aes_edition.reference_register import load_register

    rows = load_register()
    tables = re.findall(r"\\begin\{longtable\}.*?\\end\{longtable\}", tex, re.S)
    register = [table for table in tables if "chapters/reference-register:register-" in table]
    assert len(register) == 1
    labels = re.findall(r"\\label\{\\detokenize\{chapters/reference-register:register-([a-z]\d+)\}\}", register[0])
    assert labels == [row.id.lower() for row in rows]
    assert "The reference" in register[0] and "What the editors found" in register[0]
    assert "register-entry" not in tex


def test_the_notebooks_tables_are_printed_with_number_and_caption(pages, text: PdfText):
    """Each table of a notebook page is a captioned table on paper, "Table N: <caption>", with
    the caption the HTML page shows (the notebook's), so that "Table N – continued" on the
    following pages names a table the reader has met."""
    body = normalise(join_lines(text.body))
    notebooks = [docname for docname in toc_files() if (ROOT / f"{docname}.ipynb").exists()]
    captions = [normalise(caption.get_text()) for docname in notebooks
                for caption in pages[docname].select("article table caption span.caption-text")]
    assert captions
    for caption in captions:
        assert re.search(r"Table \d+: " + re.escape(caption), body), caption


def test_the_analysis_pages_print_prose_figures_and_tables_not_code(pages, text: PdfText, tex: str):
    """The notebooks' code and the plain values it prints are in the HTML edition (and in
    Binder), not on paper: the PDF has no code block and no line of the notebooks' code."""
    assert r"\begin{sphinxVerbatim}" not in tex
    notebooks = [docname for docname in toc_files() if (ROOT / f"{docname}.ipynb").exists()]
    chapters = _chapters(text.body, _titles(pages))
    for docname in notebooks:
        assert not re.search(r"\bimport\b|load_\w+\(|\w+\.\w+\(data\)", chapters[docname]), docname


def test_the_concept_map_and_the_matrix_have_pages_of_their_own(log: str, tex: str):
    """The concept map and the matrix each fill a page of their own, at (about) the size
    they are drawn at: the concept map's smallest labels, its linking phrases, are printed
    at 6 pt or more, and the matrix is not shrunk by more than a twentieth."""
    from aes_edition import concept_map_figure

    unwrapped = log.replace("\n", "")  # TeX wraps its log's lines
    placed = dict(re.findall(r"aes-edition: figure page \{?([0-9a-f]+)\}?\.pdf\}?: ([0-9.]+)pt wide", unwrapped))
    figures = dict(re.findall(r"\\sphinxincludegraphics\[[^\]]*\]\{\{([0-9a-f]+)\}\.pdf\}\s*"
                              r"(?:\\edfigureend\s*)?\\caption\{.*?\\label\{\\detokenize\{notebooks/([a-z-]+):", tex))
    assert set(placed) == set(figures), (placed, figures)

    def scale(name: str) -> float:
        info = subprocess.run(["pdfinfo", str(LATEX / f"{name}.pdf")], capture_output=True, text=True,
                              check=True).stdout
        natural = float(re.search(r"Page size:\s+([0-9.]+) x", info).group(1))  # big points
        return float(placed[name]) * 72 / 72.27 / natural

    by_page = {page: scale(name) for name, page in figures.items()}
    assert set(by_page) == {"concept-map", "traceability-matrix"}
    assert by_page["concept-map"] * min(concept_map_figure.LINK_FONT, concept_map_figure.NODE_FONT) >= 6.0
    assert by_page["traceability-matrix"] >= 0.95


def test_the_html_edition_offers_the_pdf(pages, pdf: Path):
    link = pages["chapters/index"].select_one("div.pdf-download a[href]")
    assert link is not None and link["href"] == "../aes-edition.pdf"
    target = (ROOT / "_build" / "html" / "chapters" / link["href"]).resolve()
    assert target == HTML_COPY.resolve()
    assert target.read_bytes() == pdf.read_bytes()

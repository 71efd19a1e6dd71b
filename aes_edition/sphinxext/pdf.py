"""The edition as one PDF: what the LaTeX build adds to Sphinx, and the HTML link to it.

- ``latex/aes-edition.sty`` is the print design (fonts, the editors' voice, paragraph
  numbers, footnotes, the title page); it is shipped from this package into the LaTeX
  build and loaded from ``latex_elements.preamble`` in ``_config.yml``.
- ``latex/templates/latex.tex.jinja`` writes ``\\DocumentMetadata`` before Sphinx's own
  template: the PDF is tagged, and each figure carries its alt text (README,
  "Accessibility").
- The parts of ``_toc.yml`` ("The paper", "Apparatus" …) become parts of the book, and
  the table of contents follows the title page and the note on the edition.
- Every ``{bibliography}`` keeps its entries where it stands. Sphinx's LaTeX writer
  gathers all citations of the book into one list at the very end: the References
  chapter would be left empty and the paper's works mixed with the editors' sources.
- Each link to the web gets its address in a footnote, so that a reader of the paper
  copy can follow it; typographic quotes throughout; the glossary's kinds of term
  follow the term.
- ``{pdf-download}`` is the link from the HTML edition to the PDF. It points to
  ``aes-edition.pdf`` at the top of the HTML output, where ``make pdf`` puts the file,
  so ``make html`` never waits for LaTeX; in the PDF itself it prints nothing.
"""

from __future__ import annotations

import os
import posixpath
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.utils import smartquotes
from scholarly_edition.notes import editors_note
from scholarly_edition.paragraph import numbered_paragraph
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import thebibliography
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.texescape import escape
from sphinx.writers.html5 import HTML5Translator

from ..analysis_data import load_concept_map
from ..glossary import load_glossary
from ..persons import load_persons
from .location import book_relative

STYLE = Path(__file__).parent / "latex" / "aes-edition.sty"
LATEX_TEMPLATES = Path(__file__).parent / "latex" / "templates"
PDF_NAME = "aes-edition.pdf"
EPUB_NAME = "aes-edition.epub"  # made by make epub (aes_edition.sphinxext.epub)


def _ship_style(app: Sphinx, config: Config) -> None:
    """Copy the print design into the LaTeX build, from the package, not the book's top level."""
    if str(STYLE) not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, str(STYLE)]


def _latex_templates(app: Sphinx, config: Config) -> None:
    """The edition's LaTeX templates (``latex/templates``) before Sphinx's own: the main
    template writes ``\\DocumentMetadata`` first, which makes the PDF tagged (README,
    "Accessibility"); Sphinx's template offers no place before ``\\documentclass``."""
    templates = book_relative(LATEX_TEMPLATES, app.confdir)
    if templates not in config.templates_path:
        config.templates_path.append(templates)


def _reproducible_metadata(app: Sphinx, config: Config) -> None:
    """Two builds of one commit give the same PDF. hyperxmp gives each PDF a random XMP
    instance id, and LaTeX's PDF management (which writes the metadata of the tagged PDF)
    one from the build's date, and dates the PDF by the clock: the instance id is derived
    from the edition's title and commit date, and the PDF is dated by the commit
    (``SOURCE_DATE_EPOCH``, which aes_edition.build always sets)."""
    elements = dict(config.latex_elements)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seed = f"{config.project}|{epoch}"
    latex = [f"\\hypersetup{{pdfinstanceid={{uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}}}}}"]
    if epoch.isdigit():
        # (the PDF management reads its dates from these document properties; its
        # hyperref keys pdfcreationdate and pdfmoddate do not reach them in TeX Live 2022)
        date = datetime.fromtimestamp(int(epoch), tz=UTC).strftime("D:%Y%m%d%H%M%SZ")
        properties = [("document", "pdfcreationdate"), ("document", "pdfmoddate"),
                      ("hyperref", "pdfmetadate"), ("hyperref", "pdfdate")]
        latex.append("\\ifdefined\\AddToDocumentProperties" +
                     "".join(f"\\AddToDocumentProperties[{kind}]{{{key}}}{{{date}}}" for kind, key in properties) +
                     "\\fi")
    elements["preamble"] = elements.get("preamble", "") + "".join(f"\n{line}" for line in latex)
    config.latex_elements = elements


class bibliography_home(nodes.General, nodes.Element):
    """Where a list of citations stood before Sphinx gathered it at the end."""


class MarkBibliographyHomes(SphinxPostTransform):
    """Before Sphinx's ``BibliographyTransform`` (priority 750) moves the citations,
    leave a marker where each list stands and tell each citation its marker."""

    default_priority = 740
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        homes: dict[int, bibliography_home] = {}
        for citation in list(self.document.findall(nodes.citation)):
            parent = citation.parent
            if id(parent) not in homes:
                home = bibliography_home(serial=len(homes))
                parent.insert(parent.index(citation), home)
                homes[id(parent)] = home
            citation["edition_home"] = homes[id(parent)]["serial"]


class ReturnBibliographies(SphinxPostTransform):
    """After Sphinx has gathered the citations, put each list back at its marker."""

    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        gathered = list(self.document.findall(thebibliography))
        citations = [citation for bibliography in gathered for citation in bibliography.children]
        for bibliography in gathered:
            bibliography.parent.remove(bibliography)
        for home in list(self.document.findall(bibliography_home)):
            mine = [citation for citation in citations if citation.get("edition_home") == home["serial"]]
            if not mine:
                home.parent.remove(home)
                continue
            bibliography = thebibliography()
            bibliography.extend(mine)
            home.replace_self(bibliography)


class PartsAndContents(SphinxPostTransform):
    """Open each part of ``_toc.yml`` with its caption, and place the table of contents
    before the first part (after the title page and the note on the edition)."""

    default_priority = 770
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        starts = {node["docname"]: node for node in self.document.findall(addnodes.start_of_file)}
        if not starts:
            return
        root = self.env.get_doctree(self.config.root_doc)
        contents = r"\edcontents"
        for toctree in root.findall(addnodes.toctree):
            files = [str(name) for name in toctree["includefiles"]]
            if not files or files[0] not in starts:
                continue
            latex = [contents] if contents else []
            contents = ""
            if toctree.get("caption"):
                latex.append(rf"\edpart{{{escape(toctree['caption'], self.config.latex_engine)}}}")
            first = starts[files[0]]
            first.parent.insert(first.parent.index(first), nodes.raw("", "\n".join(latex), format="latex"))


class address_note(nodes.General, nodes.Element):
    """A web address printed as a footnote to the words that link to it (LaTeX only)."""


class PrintAddresses(SphinxPostTransform):
    """On paper a link is only its words, so the address of each link to the web is
    printed in a footnote to them ("Address: https://…"), where it does not interrupt
    the sentence; Sphinx's ``latex_show_urls = "footnote"`` would label it as the
    editors' note and number it with the emendations' notes. Inside a table or a
    footnote, where a footnote cannot be set, the address follows in brackets, as a URL
    the print design lets break after any character. Links whose words are their
    address print nothing more, and a link that a citation follows (a source on the
    timeline, or in the glossary) needs no address: the list of sources gives it."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.reference)):
            uri = node.get("refuri", "")
            text = node.astext()
            if not uri.startswith(("http://", "https://")) or text == uri or text.startswith(("http://", "https://")):
                continue
            if node.get("edition_cited"):
                continue
            ancestors = list(_ancestors(node))
            if any(isinstance(ancestor, nodes.title) for ancestor in ancestors):
                continue
            index = node.parent.index(node)
            if any(isinstance(ancestor, nodes.table | nodes.footnote) for ancestor in ancestors):
                address = nodes.reference(uri, uri, refuri=uri, nolinkurl=True)
                node.parent[index + 1:index + 1] = [nodes.Text(" ("), address, nodes.Text(")")]
            else:
                node.parent.insert(index + 1, address_note(uri=uri))


def visit_address_note_latex(self, node: address_note) -> None:
    address = self.encode_uri(node["uri"])
    self.body.append(r"\footnote{\edfootlabel{Address}\sphinxnolinkurl{" + address + "}}")
    raise nodes.SkipNode


class PrintedQuotes(SphinxPostTransform):
    """Curly quotes and apostrophes throughout the printed text. The pages' own words are
    set with MyST's smartquotes; text generated from the data (the apparatus, the
    registers, the references) keeps the straight quotes of its files, which LaTeX would
    print as typewriter marks. Code and addresses are left as they are."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for block in self.document.findall(nodes.TextElement):
            if isinstance(block.parent, nodes.TextElement) or _is_verbatim(block):
                continue  # each block once, from its outermost text element
            texts = [text for text in block.findall(nodes.Text)
                     if not any(_is_verbatim(ancestor) for ancestor in _ancestors(text))]
            if not any("'" in text or '"' in text for text in texts):
                continue
            tokens = [("text", str(text)) for text in texts]
            for text, educated in zip(texts, smartquotes.educate_tokens(tokens, attr="qe", language="en"), strict=True):
                if educated != str(text):
                    text.parent.replace(text, nodes.Text(educated))


def _is_verbatim(node: nodes.Node) -> bool:
    if isinstance(node, nodes.literal | nodes.FixedTextElement | nodes.raw | nodes.math | nodes.comment):
        return True
    return isinstance(node, nodes.reference) and node.astext().startswith(("http://", "https://"))


class GlossaryKinds(SphinxPostTransform):
    """In the glossary each definition opens with the kind of term ("Treaty", "Concept"),
    which on screen is a tag but on paper ran into the definition's first word: "Treaty
    Treaty adopted by …". On paper the kind follows the term, in brackets."""

    default_priority = 410
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for kind in list(self.document.findall(nodes.inline)):
            if "glossary-kind" not in kind["classes"]:
                continue
            item = next((a for a in _ancestors(kind) if isinstance(a, nodes.definition_list_item)), None)
            terms = [child for child in item.children if isinstance(child, nodes.term)] if item else []
            if not terms:
                continue
            paragraph = kind.parent
            index = paragraph.index(kind)
            paragraph.remove(kind)
            if index < len(paragraph) and isinstance(paragraph[index], nodes.Text):
                rest = str(paragraph[index]).lstrip()
                paragraph.replace(paragraph[index], nodes.Text(rest))
            label = kind.astext().strip()
            terms[-1] += [nodes.Text(" ("), nodes.inline(label, label[:1].lower() + label[1:], classes=kind["classes"]),
                          nodes.Text(")")]


BOXED = (nodes.Admonition, nodes.sidebar, nodes.topic, nodes.table, nodes.footnote)


class TablesAndAnchors(SphinxPostTransform):
    """What Sphinx's LaTeX writer leaves out for the edition's generated pages.

    Tables may run across pages (the apparatus is longer than a page; Sphinx uses a
    page-breaking table only from 30 rows on), except inside boxes, where LaTeX cannot
    break them. Rows and blocks that carry an id (a row of the apparatus, an entry of
    the register of references) get a LaTeX label, so links to them resolve in the PDF
    as they do in HTML; Sphinx writes labels for sections, figures and tables only.
    """

    default_priority = 780
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            if not any(isinstance(ancestor, BOXED) for ancestor in _ancestors(table)):
                table["classes"].append("longtable")
        anchored = [node for node in self.document.findall(nodes.Element)
                    if isinstance(node, nodes.row | nodes.container) and node.get("ids")]
        for node in anchored:
            holder = node[0] if isinstance(node, nodes.row) and len(node) else node
            if isinstance(node, nodes.row) and len(holder) and isinstance(holder[0], nodes.paragraph):
                holder = holder[0]  # inside the first cell's text, which keeps the row's top line
            holder.insert(0, nodes.target("", "", ids=list(node["ids"])))


class NotebooksOnPaper(SphinxPostTransform):
    """The analysis pages on paper are the editors' prose, figures and tables: the code
    that makes them (which the HTML edition shows, and Binder runs) and the plain-text
    values it prints are left out of the PDF only, by the cells' classes that myst-nb
    writes (``cell_input``, ``cell_output``). A figure of a cell tagged ``full-width``
    (the concept map, the matrix) gets a page of its own, as wide as the paper allows
    (``edfigurepage`` in the print design), so that its smallest labels stay legible."""

    default_priority = 420
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for cell in [c for c in self.document.findall(nodes.container) if "cell" in c["classes"]]:
            for part in [c for c in cell.findall(nodes.container) if "cell_input" in c["classes"]]:
                part.parent.remove(part)
            for output in [c for c in cell.findall(nodes.container) if "cell_output" in c["classes"]]:
                for raw_value in [b for b in output.children if isinstance(b, nodes.literal_block)]:
                    output.remove(raw_value)
                if not output.children:
                    output.parent.remove(output)
            if not list(cell.findall(nodes.container, include_self=False)) and not cell.astext().strip():
                cell.parent.remove(cell)
                continue
            if any(c.startswith("tag_full-width") for n in cell.findall(nodes.Element) for c in n["classes"]):
                for figure in list(cell.findall(nodes.figure)):
                    index = figure.parent.index(figure)
                    figure.parent.insert(index + 1, nodes.raw("", "\\end{edfigurepage}\n", format="latex"))
                    figure.parent.insert(index, nodes.raw("", "\\begin{edfigurepage}\n", format="latex"))


class RegisterAsTable(SphinxPostTransform):
    """On paper the register of references is a table that runs across pages, as the
    apparatus is: one row per printed reference, the number and status, the reference as
    printed and as corrected, and what was changed, found and searched, so that the page
    is read across as on screen the entry is read down. Each row keeps the entry's id, so
    links to it still resolve (``TablesAndAnchors``). The HTML keeps the entries as blocks
    (``aes_edition.sphinxext.register``); the rows are built from the same nodes."""

    default_priority = 395  # before PrintAddresses, which treats addresses in tables
    formats = ("latex",)
    WIDTHS = (12, 38, 50)
    HEADS = ("No.", "The reference", "What the editors found")
    READING = ("As printed", "As corrected")

    def run(self, **kwargs: Any) -> None:
        for register in list(self.document.findall(nodes.container)):
            if "register" not in register["classes"]:
                continue
            entries = [entry for entry in register.children
                       if isinstance(entry, nodes.container) and "register-entry" in entry["classes"]]
            if not entries:
                continue
            tgroup = nodes.tgroup(cols=len(self.WIDTHS))
            tgroup += [nodes.colspec(colwidth=width) for width in self.WIDTHS]
            tgroup += nodes.thead("", self._row([[nodes.paragraph(head, head)] for head in self.HEADS]))
            tgroup += nodes.tbody("", *[self._entry_row(entry) for entry in entries])
            table = nodes.table("", tgroup, classes=["register-table"])
            register.replace_self(table)

    @staticmethod
    def _row(cells: list[list[nodes.Node]], ids: list[str] | None = None) -> nodes.row:
        row = nodes.row(ids=ids or [])
        for cell in cells:
            row += nodes.entry("", *cell)
        return row

    def _entry_row(self, entry: nodes.container) -> nodes.row:
        heading = next(child for child in entry.children if isinstance(child, nodes.paragraph))
        number = heading.next_node(nodes.strong)
        status = number.parent.astext().removeprefix(number.astext()).strip() if number else ""
        first = [nodes.paragraph("", "", nodes.strong(number.astext(), number.astext())),
                 nodes.paragraph(status, status)]
        reading: list[nodes.Node] = []
        findings: list[nodes.Node] = []
        for item in entry.findall(nodes.definition_list_item):
            label = item.next_node(nodes.term).astext()
            body = [child.deepcopy() for child in item.next_node(nodes.definition).children]
            if body and isinstance(body[0], nodes.paragraph):
                body[0].insert(0, nodes.strong(label, label))
                body[0].insert(1, nodes.Text(": "))
            else:
                body.insert(0, nodes.paragraph("", "", nodes.strong(label, label)))
            (reading if label in self.READING else findings).extend(body)
        row = self._row([first, reading, findings], ids=list(entry["ids"]))
        for text in list(row.findall(nodes.Text)):
            if not any(isinstance(a, nodes.reference | nodes.literal) for a in _ancestors(text)):
                _breakable_addresses(text)
        return row


BARE_ADDRESS = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")


def _breakable_addresses(text: nodes.Text) -> None:
    """A web address written as text in the data (an editors' suggestion) becomes an
    address the print design breaks after any character: in a column of a table it is
    wider than the column and would run into the next one."""
    parts: list[nodes.Node] = []
    rest = str(text)
    for match in BARE_ADDRESS.finditer(rest):
        parts.append(nodes.Text(rest[len("".join(p.astext() for p in parts)):match.start()]))
        parts.append(nodes.reference(match.group(), match.group(), refuri=match.group(), nolinkurl=True))
    if parts:
        parts.append(nodes.Text(rest[len("".join(p.astext() for p in parts)):]))
        text.parent.replace(text, [part for part in parts if part.astext()])


class FiguresWithAltText(SphinxPostTransform):
    """In the tagged PDF each picture is a Figure of the structure tree whose alternative
    text (``/Alt``) is the picture's ``alt`` text, the same words the HTML edition gives
    screen readers. The text reaches LaTeX as hexadecimal UTF-8 (``\\edfigurebegin`` in
    the print design decodes it), so no character of it can act as LaTeX."""

    default_priority = 425
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for image in list(self.document.findall(nodes.image)):
            alt = " ".join(image.get("alt", "").split())
            if not alt:
                continue
            index = image.parent.index(image)
            image.parent.insert(index + 1, nodes.raw("", "\\edfigureend\n", format="latex"))
            image.parent.insert(index, nodes.raw("", f"\\edfigurebegin{{{alt.encode().hex()}}}\n", format="latex"))


class IndexEntries(SphinxPostTransform):
    """The printed index (makeindex): every glossary term where the paper or a note uses it
    and, as its main page, where the glossary defines it; and every concept, actor,
    institution, event and place of the concept map at the paragraphs where the data say
    the paper names it (``data/concepts.csv``). Each entry carries its kind: "ECOWAS
    (organisation)". The entries are written here rather than as Sphinx's index nodes,
    whose sort keys differ with the place of the entry (``Liptako\\sphinxhyphen {}`` in a
    glossary term, ``Liptako\\sphinxhyphen{}`` elsewhere), which split one term in two."""

    default_priority = 430
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        terms = {term.term.lower(): term for term in load_glossary()}
        std = self.env.get_domain("std")
        by_id = {labelid: terms[name] for (kind, name), (_doc, labelid) in std.objects.items()
                 if kind == "term" and name in terms}
        for ref in list(self.document.findall(nodes.reference)):
            if not any("std-term" in child.get("classes", []) for child in ref.children
                       if isinstance(child, nodes.Element)):
                continue
            target = (ref.get("refuri") or ref.get("refid") or "").rpartition("#")[2]
            term = by_id.get(target) or by_id.get(target.rpartition(":")[2])
            if term is not None:
                ref.parent.insert(ref.parent.index(ref), index_entry(term.term, term.kind))
        for entry_node in list(self.document.findall(addnodes.index)):
            entries = entry_node["entries"]
            mine = [entry for entry in entries if entry[1].lower() in terms and entry[3] == "main"]
            if mine:  # the glossary's own entry for a term: its main page
                entry_node["entries"] = [entry for entry in entries if entry not in mine]
                for entry in mine:
                    term = terms[entry[1].lower()]
                    entry_node.parent.insert(entry_node.parent.index(entry_node), index_entry(term.term, term.kind, True))
        concepts: dict[str, list] = {}
        for concept in load_concept_map().concepts.values():
            for pid in concept.paras:
                concepts.setdefault(pid, []).append(concept)
        for paragraph in self.document.findall(numbered_paragraph):
            for concept in reversed(concepts.get(paragraph["ids"][0], [])):
                term = terms.get(concept.glossary_term.lower()) if concept.glossary_term else None
                paragraph.insert(0, index_entry(term.term, term.kind) if term else index_entry(concept.label,
                                                                                               concept.kind))
        self._persons()

    def _persons(self) -> None:
        """Each person of ``data/persons.csv`` at every paragraph and note that names them
        (citations included: they are resolved by now)."""
        persons = [(person, person.pattern()) for person in load_persons()]
        for block in list(self.document.findall(lambda n: isinstance(n, numbered_paragraph | editors_note))):
            text = block.astext()
            named = [person for person, pattern in persons if pattern.search(text)]
            if not named:
                continue
            # In a note, after its heading, which LaTeX takes as the note's argument.
            holder = next(block.findall(nodes.paragraph), None) if isinstance(block, editors_note) else block
            if holder is None:
                continue
            for person in reversed(named):
                holder.insert(0, index_entry(person.name, "person"))


def index_entry(name: str, kind: str, main: bool = False) -> nodes.raw:
    """``\\index{name (kind)@…}`` for makeindex, its sort key free of LaTeX commands."""
    if name.startswith("the "):
        name = f"{name[4:]}, the"
    kind = kind.replace("-", " ")

    def tex(text: str) -> str:
        text = escape(text).replace(r"\sphinxhyphen{}", "-")
        for char in '"@!':
            text = text.replace(char, f'"{char}')
        return text.replace("|", r"\textbar{}")

    key = re.sub(r"[^\w ,()-]", "", f"{name} ({kind})")
    page = "|spxpagem" if main else ""
    return nodes.raw("", rf"\index{{{key}@\spxentry{{{tex(name)}}}\spxextra{{{tex(kind)}}}{page}}}", format="latex")


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


class pdf_download(nodes.General, nodes.Element):
    """The HTML edition's link to the PDF."""


class PdfDownloadDirective(SphinxDirective):
    """``:::{pdf-download}`` … ``:::``: a paragraph whose text links to the PDF."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        href = posixpath.relpath(PDF_NAME, posixpath.dirname(self.env.docname) or ".")
        node = pdf_download(href=href, classes=["editorial", "pdf-download"])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def visit_pdf_download_html(self: HTML5Translator, node: pdf_download) -> None:
    if self.builder.name == "epub":
        raise nodes.SkipNode  # the e-book carries neither file
    self.body.append(self.starttag(node, "div", ""))
    self.body.append(f'<a class="reference external" href="{node["href"]}" type="application/pdf">')


def depart_pdf_download_html(self: HTML5Translator, node: pdf_download) -> None:
    """After the PDF, the EPUB that ``make epub`` puts beside it."""
    epub = node["href"].removesuffix(PDF_NAME) + EPUB_NAME
    self.body.append(f'</a> <a class="reference external" href="{epub}" type="application/epub+zip">'
                     "Or as an EPUB, for e-readers.</a></div>\n")


def skip(self, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _ship_style)
    app.connect("config-inited", _reproducible_metadata)
    app.connect("config-inited", _latex_templates)
    app.add_node(bibliography_home, latex=(skip, None), html=(skip, None), text=(skip, None))
    app.add_post_transform(MarkBibliographyHomes)
    app.add_post_transform(ReturnBibliographies)
    app.add_post_transform(PartsAndContents)
    app.add_post_transform(TablesAndAnchors)
    app.add_post_transform(RegisterAsTable)
    app.add_post_transform(PrintAddresses)
    app.add_post_transform(PrintedQuotes)
    app.add_post_transform(NotebooksOnPaper)
    app.add_post_transform(FiguresWithAltText)
    app.add_post_transform(IndexEntries)
    app.add_post_transform(GlossaryKinds)
    app.add_node(address_note, latex=(visit_address_note_latex, None), html=(skip, None), text=(skip, None))
    app.add_node(pdf_download, html=(visit_pdf_download_html, depart_pdf_download_html), latex=(skip, None),
                 text=(skip, None))
    app.add_directive("pdf-download", PdfDownloadDirective)

"""``para``: one numbered paragraph of the edited text, with a stable id.

``.. para:: introduction-p2`` (MyST: ``:::{para} introduction-p2``) around a paragraph makes
one :class:`numbered_paragraph` node. Its number is its place on the page (1, 2, 3 …); its id
is the one written, which must be the one ``scholarly_edition_paragraph_id`` gives for that
page and number, so an id never silently takes another's number. The paragraph is kept in the
``edition`` domain and noted as a label of the standard domain, so ``:edition:par:``,
``:any:`` and ``:ref:`` all find it, from any page and in every output.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .config import PARAGRAPH_ID, PARAGRAPH_MARK
from .domain import EditionDomain, Paragraph

logger = logging.getLogger(__name__)

STYLE = Path(__file__).parent / "latex" / "scholarly-edition.sty"


class numbered_paragraph(nodes.General, nodes.Element):
    """A paragraph of the edited text: ``ids`` holds its id, ``number`` its number."""


class ParaDirective(SphinxDirective):
    """The paragraph's id as argument, its text as content."""

    required_arguments = 1
    has_content = True
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        pid = self.arguments[0]
        docname = self.env.docname
        domain: EditionDomain = self.env.get_domain(EditionDomain.name)  # type: ignore[assignment]
        number = len(domain.on_page(docname)) + 1
        expected_form = self.config[PARAGRAPH_ID]
        expected = expected_form.format(stem=docname.rsplit("/", 1)[-1], number=number) if expected_form else pid
        if pid != expected:
            logger.warning(f"paragraph id '{pid}' must be '{expected}' (paragraph {number} of the page; "
                           f"{PARAGRAPH_ID} = {expected_form!r})", location=self.get_location(),
                           type="edition", subtype="id")
            return []
        _source, line = self.get_source_info()
        if not domain.note_paragraph(pid, Paragraph(docname, number, page_title(self), line), self.get_location()):
            return []
        node = numbered_paragraph(ids=[pid], number=number, classes=["para", *self.options.get("class", [])])
        self.set_source_info(node)
        self.state.document.note_explicit_target(node)
        std = self.env.get_domain("std")
        std.note_hyperlink_target(pid, docname, pid, domain.paragraph_name(pid))  # type: ignore[attr-defined]
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def page_title(directive: SphinxDirective) -> str:
    """The title of the page being read (its first section title), or its name before one."""
    for section in directive.state.document.findall(nodes.section):
        return section[0].astext()
    return directive.env.docname


def _mark(translator: nodes.NodeVisitor, node: numbered_paragraph) -> str:
    return translator.builder.config[PARAGRAPH_MARK].format(number=node["number"])


def visit_html(self, node: numbered_paragraph) -> None:
    pid, number = node["ids"][0], node["number"]
    mark = self.encode(_mark(self, node))
    self.body.append(self.starttag(node, "div", "", **{"data-para": str(number)}))
    self.body.append(f'<a class="editorial para-num" href="#{pid}" title="Link to this paragraph: #{pid}" '
                     f'aria-label="Paragraph {number}: link to this paragraph">{mark}</a>')


def depart_html(self, node: numbered_paragraph) -> None:
    self.body.append("</div>\n")


def visit_latex(self, node: numbered_paragraph) -> None:
    # \editionparagraph is defined by scholarly-edition.sty; an edition's own style may redefine it.
    self.body.append("\n\\par" + self.hypertarget(node["ids"][0], anchor=True)
                     + f"\\editionparagraph{{{node['number']}}}")


def depart_latex(self, node: numbered_paragraph) -> None:
    self.body.append("\n")


def visit_text(self, node: numbered_paragraph) -> None:
    self.add_text(_mark(self, node) + " ")


def depart_nothing(self, node: numbered_paragraph) -> None:
    pass


def visit_nothing(self, node: numbered_paragraph) -> None:
    """Formats without a paragraph number (manual pages, Texinfo) keep the text alone."""


def _ship_latex_style(app: Sphinx, config) -> None:
    """Put the style beside the LaTeX sources (``latex_additional_files`` takes an absolute path)."""
    if str(STYLE) not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, str(STYLE)]


def setup(app: Sphinx) -> None:
    app.add_node(numbered_paragraph,
                 html=(visit_html, depart_html), latex=(visit_latex, depart_latex), text=(visit_text, depart_nothing),
                 man=(visit_nothing, depart_nothing), texinfo=(visit_nothing, depart_nothing))
    app.add_directive("para", ParaDirective)
    app.add_directive_to_domain(EditionDomain.name, "para", ParaDirective)
    app.add_latex_package("scholarly-edition")
    app.connect("config-inited", _ship_latex_style)

"""The ``para`` directive: one numbered, linkable paragraph of the paper.

Each paragraph becomes a block with the id written in the chapter and a visible
``¶N`` link (the editors' layer, class ``editorial``). The id is also registered as
a Sphinx label titled "<Chapter> ¶N", so ``{ref}`introduction-p2``` works from any
page and in the PDF, and a mistyped id fails the strict build.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from ..paragraphs import ID_FORM

logger = logging.getLogger(__name__)


class paper_paragraph(nodes.General, nodes.Element):
    """A paragraph of the authors' text, with its number."""


class ParaDirective(SphinxDirective):
    """``:::{para} <chapter>-p<N>`` … ``:::`` around one paragraph of the paper."""

    required_arguments = 1
    has_content = True
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        pid = self.arguments[0]
        form = ID_FORM.match(pid)
        docname = self.env.docname
        stem = docname.rsplit("/", 1)[-1]
        if not form or form["slug"] != stem:
            logger.warning(f"paragraph id '{pid}' must be '{stem}-p<N>'", location=self.get_location())
            return []
        number = int(form["n"])
        std = self.env.get_domain("std")
        if pid in std.anonlabels and std.anonlabels[pid][0] != docname:
            logger.warning(f"duplicate paragraph id '{pid}' (also in {std.anonlabels[pid][0]})", location=self.get_location())
        title = self.env.metadata.get(docname, {}).get("chapter-title") or _chapter_title(self)
        node = paper_paragraph(ids=[pid], number=number, classes=["para", *self.options.get("class", [])])
        self.set_source_info(node)
        self.state.document.ids[pid] = node
        std.labels[pid] = (docname, pid, f"{title} ¶{number}")
        std.anonlabels[pid] = (docname, pid)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _chapter_title(directive: SphinxDirective) -> str:
    """The title of the chapter being read (its first section title)."""
    for section in directive.state.document.findall(nodes.section):
        return section[0].astext()
    return directive.env.docname


def visit_html(self: HTML5Translator, node: paper_paragraph) -> None:
    pid, number = node["ids"][0], node["number"]
    self.body.append(self.starttag(node, "div", "", **{"data-para": str(number)}))
    self.body.append(
        f'<a class="editorial para-num" href="#{pid}" title="Link to this paragraph: #{pid}" '
        f'aria-label="Paragraph {number}: link to this paragraph">¶{number}</a>'
    )


def depart_html(self: HTML5Translator, node: paper_paragraph) -> None:
    self.body.append("</div>\n")


def visit_latex(self: LaTeXTranslator, node: paper_paragraph) -> None:
    self.body.append("\n\\par" + self.hypertarget(node["ids"][0], anchor=True) + f"\\edparnum{{{node['number']}}}")


def depart_latex(self: LaTeXTranslator, node: paper_paragraph) -> None:
    self.body.append("\n")


def visit_text(self, node: paper_paragraph) -> None:
    self.add_text(f"¶{node['number']} ")


def depart_plain(self, node: paper_paragraph) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(
        paper_paragraph,
        html=(visit_html, depart_html),
        latex=(visit_latex, depart_latex),
        text=(visit_text, depart_plain),
    )
    app.add_directive("para", ParaDirective)

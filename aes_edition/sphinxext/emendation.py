"""The ``{emend}`` role and the ``{apparatus}`` directive: the textual apparatus.

``{emend}`E04``` puts the edited reading of row E04 of ``data/emendations.csv`` into
the text, keeps the printed reading in the page (``data-printed``, a tooltip, and a
footnote in the PDF) and links a small mark to the row on the apparatus page. The
fidelity test swaps every emendation back to its printed reading and must then
find the copy-text word for word.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.utils import smartquotes
from scholarly_edition.strict_data import DataError
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from ..emendations import FILE as EMENDATIONS_FILE
from ..emendations import KINDS, Emendation, load_emendations
from ..fidelity import context_in_copy_text
from ..myst_text import literal, text_with_citations
from ..paths import COPY_TEXT
from .textnodes import wrap_matches

logger = logging.getLogger(__name__)
SUPPLEMENT = re.compile(r"(\[[^\]]*\])")
MARKUP = re.compile(r"\{[a-z:]+\}`([^`]*)`")


class emendation(nodes.inline):
    """An edited reading; ``printed`` holds what the source prints."""


def registry(app: Sphinx) -> dict[str, Emendation]:
    """The emendations, loaded once per build; a bad row stops the build by name."""
    if not hasattr(app, "_edition_emendations"):
        try:
            app._edition_emendations = load_emendations()  # type: ignore[attr-defined]
        except DataError as error:
            raise ExtensionError(f"data error: {error}") from error
    return app._edition_emendations  # type: ignore[attr-defined]


def plain(markup: str) -> str:
    """Markup reduced to text for tooltips and PDF footnotes."""
    return MARKUP.sub(r"\1", markup)


def _mark_supplements(parent: nodes.Element) -> None:
    """Wrap the editors' [bracketed] supplements so that they look like the editors'."""
    for text in list(parent.findall(nodes.Text)):
        wrap_matches(text, SUPPLEMENT, ["editorial", "supplied"])


class EmendRole(SphinxRole):
    """``{emend}`E04```: the edited reading of one row of the register."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        key = self.text.strip()
        self.env.note_dependency(str(EMENDATIONS_FILE))
        row = registry(self.env.app).get(key)
        if row is None:
            logger.warning(f"unknown emendation '{key}' (not a row of data/emendations.csv)", location=self.get_location())
            return [nodes.inline(key, key)], []
        holder = nodes.inline()
        children, messages = self.inliner.parse(text_with_citations(row.edition), self.lineno, self.inliner, holder)
        node = emendation("", "", ids=[f"emend-{key.lower()}"], key=key, printed=row.printed, kind=row.kind, note=plain(row.note),
                          classes=["emendation", f"emendation-{row.kind}"])
        node.source, node.line = self.get_source_info()
        node.extend(children)
        _mark_supplements(node)
        mark = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=row.anchor, refexplicit=True,
                                     refwarn=True, classes=["editorial", "emend-mark"])
        mark += nodes.inline("", "e", classes=["editorial", "emend-mark"])
        node += mark
        return [node], messages


def _around(paragraph: nodes.Element, target: emendation) -> tuple[str, str]:
    """The reading text before and after ``target`` in its paragraph: the editors'
    furniture left out, other emendations read as printed."""
    pieces: tuple[list[str], list[str]] = ([], [])
    side = [0]

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if child is target:
                side[0] = 1
            elif isinstance(child, emendation):
                pieces[side[0]].append(child["printed"])
            elif isinstance(child, nodes.Text):
                pieces[side[0]].append(str(child))
            elif isinstance(child, nodes.Element) and "editorial" not in child.get("classes", []):
                walk(child)

    walk(paragraph)
    return "".join(pieces[0]), "".join(pieces[1])


def check_emendations_in_context(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each printed reading, between the words the edition sets beside it, must be a
    sequence of the copy-text. An edited reading that repeats its neighbour's word (a join
    printed "of of") fails the build here, by file and line, not only in the tests."""
    copy_text = Path(getattr(app.config, "edition_copy_text", "") or COPY_TEXT)
    for node in doctree.findall(emendation):
        paragraph = node.parent
        while paragraph is not None and not isinstance(paragraph, nodes.TextElement):
            paragraph = paragraph.parent
        if paragraph is None:
            continue
        before, after = _around(paragraph, node)
        wrong = context_in_copy_text(before, node["printed"], after, copy_text)
        if wrong is not None:
            logger.warning(f"emendation {node['key']}: read as printed, the text here is '{wrong}', which the "
                           "copy-text does not print (a word doubled at the reading's edge?)", location=node)


def visit_emendation_html(self: HTML5Translator, node: emendation) -> None:
    """The printed reading, the kind of change and the editors' note ride on the span as data;
    ``edition.js`` shows them in a preview that opens from the mark (``e``) on hover, keyboard
    focus and touch. A native ``title`` tooltip would open on hover only."""
    self.body.append(self.starttag(node, "span", "", **{
        "data-printed": node["printed"], "data-key": node["key"], "data-kind": KINDS[node["kind"]],
        "data-note": node["note"]}))


def depart_emendation_html(self: HTML5Translator, node: emendation) -> None:
    self.body.append("</span>")


def name_the_marks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In HTML, each mark's accessible name is "e" as shown, then what it is, which screen
    readers read ("e (emendation E04)"); the reference resolver keeps only the text of a
    link, so the hidden words are added to the resolved link."""
    if app.builder.format != "html":
        return
    for node in doctree.findall(emendation):
        for link in node.findall(nodes.reference):
            if "emend-mark" in link.get("classes", []):
                words = f" (emendation {node['key']})"
                link += nodes.inline(words, words, classes=["editorial", "visually-hidden"])


def visit_emendation_latex(self: LaTeXTranslator, node: emendation) -> None:
    """On paper the edited reading stands in the text and a footnote gives the rest.

    The HTML's small *e* mark is left out (the footnote mark does its work), and the
    body written for the reading is remembered: the footnote repeats it as the lemma.
    """
    anchor = f"apparatus-{node['key'].lower()}"
    last = node.children[-1] if node.children else None
    if isinstance(last, nodes.reference) and (last.get("refuri") or last.get("refid") or "").endswith(anchor):
        node.remove(last)
    self.body.append("{")
    node["latex_start"] = len(self.body)


def depart_emendation_latex(self: LaTeXTranslator, node: emendation) -> None:
    """``\\footnote{Editors, E01: “States—a”; printed “States-a” (kind). note}``.

    The lemma (the edition's reading) and the printed reading side by side let a reader
    of the printed page see the change without the apparatus, and let the tests turn
    the PDF's text back into the copy-text. "E01" links to the row of the apparatus.
    """
    lemma = "".join(self.body[node["latex_start"]:]).strip()
    self.body.append("}")
    key = node["key"]
    label = self.builder.env.get_domain("std").labels.get(f"apparatus-{key.lower()}")
    row = self.hyperlink(f"{label[0]}:{label[1]}") + f"{key}}}}}" if label else key
    printed = f"printed “{self.encode(node['printed'])}”" if node["printed"] else "not in the source"
    # The note is the editors' prose, from the register: typographic quotes, as in the text.
    note = self.encode("".join(smartquotes.educate_tokens([("text", node["note"])], attr="qe", language="en")))
    self.body.append(
        f"\\footnote{{\\edfootlabel{{Editors, {row}}}“{lemma}”; {printed} ({KINDS[node['kind']]}). {note}}}"
    )


def visit_emendation_text(self, node: emendation) -> None:
    pass


def depart_emendation_text(self, node: emendation) -> None:
    pass


class ApparatusDirective(SphinxDirective):
    """Render every row of ``data/emendations.csv`` as the table of the apparatus."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(EMENDATIONS_FILE))
        rows = registry(self.env.app)
        std = self.env.get_domain("std")
        lines = [
            ":::{list-table}",
            ":header-rows: 1",
            ":widths: 8 16 14 22 22 38",
            ":class: apparatus-table",
            "",
            "* - No.",
            "  - Where",
            "  - Kind",
            "  - Printed",
            "  - Edition",
            "  - Editors' note",
        ]
        for row in rows.values():
            where = f"{{ref}}`{row.para}`" if row.para else "Title page"
            printed = f"“{literal(row.printed)}”" if row.printed else "(nothing)"
            lines += [
                f"* - {literal(row.id)}",
                f"  - {where}",
                f"  - {literal(KINDS[row.kind])}",
                f"  - {printed}",
                f"  - {text_with_citations(row.edition)}",
                f"  - {literal(row.note)}",
            ]
        lines.append(":::")
        container = nodes.container(classes=["apparatus"])
        self.state.nested_parse(_string_list(lines, self.get_source_info()[0]), self.content_offset, container)
        for tr, row in zip(list(container.findall(nodes.row))[1:], rows.values(), strict=True):
            tr["ids"].append(row.anchor)
            self.state.document.note_explicit_target(tr)
            std.note_hyperlink_target(row.anchor, self.env.docname, row.anchor,  # type: ignore[attr-defined]
                                      f"Emendation {row.id}")
        for tr in list(container.findall(nodes.row))[1:]:
            _mark_supplements(tr[4])  # the Edition column
        return [container]


def _string_list(lines: list[str], source: str):
    from docutils.statemachine import StringList

    return StringList(lines, source=source)


def setup(app: Sphinx) -> None:
    app.add_node(
        emendation,
        html=(visit_emendation_html, depart_emendation_html),
        latex=(visit_emendation_latex, depart_emendation_latex),
        text=(visit_emendation_text, depart_emendation_text),
    )
    app.add_role("emend", EmendRole())
    app.connect("doctree-resolved", check_emendations_in_context)
    app.connect("doctree-resolved", name_the_marks)
    app.add_directive("apparatus", ApparatusDirective)

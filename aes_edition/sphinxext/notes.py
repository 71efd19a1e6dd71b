"""The editors' notes and the sources they quote: ``ednote`` and ``quoted-source``.

The edition has three voices: the authors' text, the editors' notes and the sources
the editors quote. They must never be confused, so each has its own node, markup and
style, in HTML and in the PDF:

- ``:::{ednote} Short title`` with ``:on: impact-p1 impact-p3`` is one editors' note,
  written between the paper's paragraphs (never inside them). It is labelled
  "Editors' note", carries the class ``editorial`` (the fidelity test removes it before
  comparing the text with the copy-text) and links to the paragraphs it discusses.
  ``:margin:`` places it in the right margin in HTML; ``:kind:`` says what sort of note
  it is (a concept explained, context, an assessment, or later events).
- ``:::{quoted-source}`` with ``:source:`` is a passage of a source quoted inside a note:
  a block quotation with its attribution, set apart from the editors' own prose.
- ``{pref}`impact-p3``` links a note's text to a paragraph, named briefly ("Impact ¶3").
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from scholarly_edition.paragraph import numbered_paragraph
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator
from sphinx.writers.text import TextTranslator

from ..paragraphs import paragraph_index

logger = logging.getLogger(__name__)

LABEL = "Editors' note"
KINDS = {
    "concept": "Concept",
    "context": "Context",
    "assessment": "Assessment",
    "later": "After the paper",
}
IDS_SPLIT = re.compile(r"[\s,]+")


class editors_note(nodes.Admonition, nodes.Element):
    """One editors' note. ``on`` holds the ids of the paragraphs it discusses."""


class quoted_source(nodes.General, nodes.Element):
    """A passage quoted from a source, with its attribution (``lang`` if not English)."""


class quoted_text(nodes.General, nodes.Element):
    """The quoted words themselves, inside :class:`quoted_source`."""


class quoted_attribution(nodes.General, nodes.TextElement):
    """Where the quoted words come from, inside :class:`quoted_source`."""


def note_label(chapter: str, title: str) -> str:
    """A note's id and label, from its chapter's file name and its title (a second note of
    the same title on a page gets a suffix, see :meth:`EdNoteDirective._unique_id`), so that
    other pages, such as the record of the review, can link a note they know by name."""
    return f"note-{chapter}-{nodes.make_id(title)[:60].rstrip('-')}"


def short_chapter_title(title: str) -> str:
    """'Impact of the AES on Sub-Regional Security' → 'Impact': the chapter's name as a note
    cites it, cut at a colon, ' of the ' or ' and ', so that links stay short."""
    return re.split(r":| of the | and ", title, maxsplit=1)[0].strip()


def paragraph_ref(pid: str, docname: str, number_only: bool = False) -> addnodes.pending_xref:
    """A note's link to a paragraph; :class:`ParagraphLinkText` names it when the page is
    written ('¶3' on its own chapter's page or after a paragraph of the same chapter,
    'Impact ¶3' elsewhere)."""
    ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=pid, refexplicit=True, refwarn=True,
                                refdoc=docname, aes_para_link=True, aes_number_only=number_only)
    ref += nodes.inline(pid, pid, classes=["ednote-para"])
    return ref


def _kind(argument: str) -> str:
    return directives.choice(argument, list(KINDS))


def _paper_chapters() -> set[str]:
    """Chapter stems that hold paragraphs of the paper (and so need ``:on:``)."""
    return {p.chapter for p in paragraph_index().values()}


class EdNoteDirective(SphinxDirective):
    """``:::{ednote} Short title`` … ``:::``: one editors' note beside the paper's text."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "on": directives.unchanged_required,
        "margin": directives.flag,
        "kind": _kind,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        title = self.arguments[0].strip()
        docname = self.env.docname
        stem = docname.rsplit("/", 1)[-1]
        location = self.get_location()
        known = paragraph_index()
        on = [pid for pid in IDS_SPLIT.split(self.options.get("on", "")) if pid]
        for pid in on:
            if pid not in known:
                logger.warning(f"editors' note '{title}': unknown paragraph id '{pid}' in :on:", location=location)
        on = [pid for pid in on if pid in known]
        if not on and stem in _paper_chapters():
            logger.warning(f"editors' note '{title}' has no :on: naming the paragraphs it discusses", location=location)
        if not self.content:
            logger.warning(f"editors' note '{title}' is empty", location=location)

        note_id = self._unique_id(note_label(stem, title))
        kind = self.options.get("kind", "")
        classes = ["editorial", "ednote", *([f"ednote-{kind}"] if kind else []), *self.options.get("class", [])]
        if "margin" in self.options:
            classes.append("margin")
        node = editors_note("", ids=[note_id], classes=classes, title=title, on=on, kind=kind,
                            margin="margin" in self.options)
        self.set_source_info(node)

        heading = nodes.title("", "", classes=["ednote-heading"])
        heading += nodes.inline(LABEL, LABEL, classes=["ednote-label"])
        if kind:
            heading += nodes.inline(" · ", " · ", classes=["ednote-sep"])
            heading += nodes.inline(KINDS[kind], KINDS[kind], classes=["ednote-kind"])
        heading += nodes.inline(": ", ": ", classes=["ednote-sep"])
        title_nodes, messages = self.state.inline_text(title, self.lineno)
        heading += nodes.inline("", "", *title_nodes, classes=["ednote-title"])
        node += heading
        node.extend(messages)
        if on:
            node += self._on_line(on, known)
        self.state.nested_parse(self.content, self.content_offset, node)

        self.state.document.note_explicit_target(node)
        std = self.env.get_domain("std")
        std.note_hyperlink_target(note_id, docname, note_id, f"{LABEL}: {title}")  # type: ignore[attr-defined]
        return [node]

    def _unique_id(self, base: str) -> str:
        """The note's id; a second note of the same title on a page gets a suffix."""
        std = self.env.get_domain("std")
        candidate, n = base, 1
        while candidate in self.state.document.ids or std.anonlabels.get(candidate, (self.env.docname,))[0] != self.env.docname:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _on_line(self, on: list[str], known: dict) -> nodes.paragraph:
        """"On ¶1, ¶3; Introduction ¶2": links to the paragraphs the note discusses.

        Paragraphs of the note's own chapter are named by number only; others by the
        chapter title as well, as the paragraph labels are.
        """
        line = nodes.paragraph("", "", classes=["ednote-on"])
        line += nodes.Text("On ")
        previous_chapter = None
        for index, pid in enumerate(on):
            para = known[pid]
            if index:
                line += nodes.Text("; " if para.chapter != previous_chapter else ", ")
            line += paragraph_ref(pid, self.env.docname, number_only=para.chapter == previous_chapter)
            previous_chapter = para.chapter
        return line


class ParagraphRefRole(SphinxRole):
    """``{pref}`impact-p3```: a short link to a paragraph from a note ("Impact ¶3", or "¶3"
    on the paragraph's own page); an unknown id fails the build."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        pid = self.text.strip()
        known = paragraph_index()
        if pid not in known:
            logger.warning(f"unknown paragraph id '{pid}'", location=self.get_location())
            return [nodes.inline(pid, pid)], []
        return [paragraph_ref(pid, self.env.docname)], []


class ParagraphLinkText(SphinxPostTransform):
    """Name each paragraph a note links to from the paragraph's label as it stands when the
    page is written, not as it stood when the page was read: a chapter retitled since then
    must not leave "Introduction ¶1" on pages that are not read again (the incremental
    build writes them, :mod:`.strict`)."""

    default_priority = 5  # before the references are resolved

    def run(self, **kwargs: Any) -> None:
        labels = self.env.get_domain("std").labels
        for ref in self.document.findall(addnodes.pending_xref):
            if not ref.get("aes_para_link") or ref["reftarget"] not in labels:
                continue  # an unknown paragraph: the resolver reports it
            docname, _node_id, title = labels[ref["reftarget"]]
            chapter_title, _, number = title.rpartition(" ¶")
            here = docname == self.env.docname or ref.get("aes_number_only")
            text = f"¶{number}" if here else f"{short_chapter_title(chapter_title)} ¶{number}"
            ref.children = [nodes.inline(text, text, classes=["ednote-para"])]


class QuotedSourceDirective(SphinxDirective):
    """``:::{quoted-source}`` with ``:source:``: words quoted from a source, attributed."""

    has_content = True
    option_spec = {
        "source": directives.unchanged_required,
        "lang": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        if "source" not in self.options:
            logger.warning("quoted-source without :source: (every quotation names its source)", location=location)
        node = quoted_source("", classes=["quoted-source"], lang=self.options.get("lang", ""))
        self.set_source_info(node)
        body = quoted_text("", classes=["quoted-text"])
        self.state.nested_parse(self.content, self.content_offset, body)
        node += body
        source_nodes, messages = self.state.inline_text(self.options.get("source", ""), self.lineno)
        node += quoted_attribution("", "", *source_nodes, classes=["quoted-attribution"])
        return [node, *messages]


def check_placement(app: Sphinx, doctree: nodes.document) -> None:
    """An editors' note or a quotation may never sit inside a paragraph of the paper:
    the authors' words and the editors' must stay apart on the page."""
    for node in doctree.findall(lambda n: isinstance(n, editors_note | quoted_source)):
        parent = node.parent
        while parent is not None:
            if isinstance(parent, numbered_paragraph):
                what = f"editors' note '{node['title']}'" if isinstance(node, editors_note) else "quoted source"
                logger.warning(f"{what} is inside paragraph {parent['ids'][0]}: put it between paragraphs", location=node)
                break
            parent = parent.parent


# --- HTML -------------------------------------------------------------------------------

def visit_note_html(self: HTML5Translator, node: editors_note) -> None:
    attributes: dict[str, Any] = {"role": "note", "aria-label": f"{LABEL}: {node['title']}"}
    if node["on"]:
        attributes["data-on"] = " ".join(node["on"])
    self.body.append(self.starttag(node, "div", "", **attributes))


def depart_note_html(self: HTML5Translator, node: editors_note) -> None:
    self.body.append("</div>\n")


def visit_quoted_source_html(self: HTML5Translator, node: quoted_source) -> None:
    self.body.append(self.starttag(node, "figure", ""))


def depart_quoted_source_html(self: HTML5Translator, node: quoted_source) -> None:
    self.body.append("</figure>\n")


def visit_quoted_text_html(self: HTML5Translator, node: quoted_text) -> None:
    lang = node.parent.get("lang") if node.parent is not None else ""
    self.body.append(self.starttag(node, "blockquote", "", **({"lang": lang} if lang else {})))


def depart_quoted_text_html(self: HTML5Translator, node: quoted_text) -> None:
    self.body.append("</blockquote>\n")


def visit_attribution_html(self: HTML5Translator, node: quoted_attribution) -> None:
    self.body.append(self.starttag(node, "figcaption", "") + '<span class="quoted-label">Quoted source:</span> ')


def depart_attribution_html(self: HTML5Translator, node: quoted_attribution) -> None:
    self.body.append("</figcaption>\n")


# --- LaTeX: the note follows its paragraph, in the editors' face (aes-edition.sty) -----------

class NotesFollowTheirParagraph(SphinxPostTransform):
    """On paper a note is read after the text it comments on. A note written before the
    first paragraph of its chapter or section (such as the margin note that opens the
    Abstract, which in HTML stands beside the paragraph) would be printed before the
    paper's first sentence; it is moved to follow the first paragraph after it. Every
    other note already follows the paragraphs it is written after. The line naming the paragraphs it
    discusses is marked, so that the print design can set it apart."""

    default_priority = 300
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for note in reversed(list(self.document.findall(editors_note))):
            parent = note.parent
            index = parent.index(note)
            if any(isinstance(n, numbered_paragraph) for n in parent.children[:index]):
                continue
            after = [n for n in parent.children[index + 1:] if isinstance(n, numbered_paragraph)]
            if after:
                parent.remove(note)
                parent.insert(parent.index(after[0]) + 1, note)
        for line in list(self.document.findall(nodes.paragraph)):
            if "ednote-on" in line["classes"] and isinstance(line.parent, editors_note):
                line.replace_self(nodes.container("", line.deepcopy(), classes=["ednote-on"]))


def visit_note_latex(self: LaTeXTranslator, node: editors_note) -> None:
    # The heading (the note's title node) follows as the environment's argument.
    self.body.append("\n" + self.hypertarget_to(node) + "\n\\begin{ednote}")
    self.no_latex_floats += 1


def depart_note_latex(self: LaTeXTranslator, node: editors_note) -> None:
    self.body.append("\\end{ednote}\n")
    self.no_latex_floats -= 1


def visit_quoted_source_latex(self: LaTeXTranslator, node: quoted_source) -> None:
    self.body.append("\n\\begin{quote}\n")


def depart_quoted_source_latex(self: LaTeXTranslator, node: quoted_source) -> None:
    self.body.append("\\end{quote}\n")


def visit_quoted_text_latex(self: LaTeXTranslator, node: quoted_text) -> None:
    self.body.append("\\itshape\n")


def depart_quoted_text_latex(self: LaTeXTranslator, node: quoted_text) -> None:
    self.body.append("\n\\upshape\n")


def visit_attribution_latex(self: LaTeXTranslator, node: quoted_attribution) -> None:
    self.body.append("\n\\begin{flushright}\\small\n---\\,Quoted source: ")


def depart_attribution_latex(self: LaTeXTranslator, node: quoted_attribution) -> None:
    self.body.append("\n\\end{flushright}\n")


# --- plain text ----------------------------------------------------------------------------

def visit_note_text(self: TextTranslator, node: editors_note) -> None:
    self.visit_admonition(node)


def depart_note_text(self: TextTranslator, node: editors_note) -> None:
    self.depart_admonition(node)


def visit_block_text(self: TextTranslator, node: nodes.Element) -> None:
    self.new_state(4)


def depart_block_text(self: TextTranslator, node: nodes.Element) -> None:
    self.end_state()


def visit_attribution_text(self: TextTranslator, node: quoted_attribution) -> None:
    self.new_state(4)
    self.add_text("— Quoted source: ")


def setup(app: Sphinx) -> None:
    app.add_post_transform(ParagraphLinkText)
    app.add_post_transform(NotesFollowTheirParagraph)
    app.add_node(
        editors_note,
        html=(visit_note_html, depart_note_html),
        latex=(visit_note_latex, depart_note_latex),
        text=(visit_note_text, depart_note_text),
    )
    app.add_node(
        quoted_source,
        html=(visit_quoted_source_html, depart_quoted_source_html),
        latex=(visit_quoted_source_latex, depart_quoted_source_latex),
        text=(visit_block_text, depart_block_text),
    )
    app.add_node(
        quoted_text,
        html=(visit_quoted_text_html, depart_quoted_text_html),
        latex=(visit_quoted_text_latex, depart_quoted_text_latex),
        text=(visit_block_text, depart_block_text),
    )
    app.add_node(
        quoted_attribution,
        html=(visit_attribution_html, depart_attribution_html),
        latex=(visit_attribution_latex, depart_attribution_latex),
        text=(visit_attribution_text, depart_block_text),
    )
    app.add_directive("ednote", EdNoteDirective)
    app.connect("doctree-read", check_placement)
    app.add_directive("quoted-source", QuotedSourceDirective)
    app.add_role("pref", ParagraphRefRole())

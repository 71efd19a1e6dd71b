"""The editors' notes and the sources they quote: ``ednote``, ``quoted-source`` and ``pref``.

An edition has three voices: the edited text, the editors' notes and the sources the editors
quote. They must never be confused, so each has its own node and markup, in every output:

- ``.. ednote:: Short title`` with ``:on: intro-p1 intro-p3`` is one editors' note, written
  between the text's paragraphs (never inside one: :func:`check_placement`). It is headed by
  ``scholarly_edition_note_label`` (and its kind's name, ``:kind:`` one of
  ``scholarly_edition_note_kinds``), carries the class ``editorial`` and opens with a line
  linking the paragraphs it discusses ("On ¶1, ¶3; Introduction ¶2"). ``:margin:`` asks the
  HTML theme to set it in the margin. The ``edition`` domain keeps it, so back-references
  ("the notes on this paragraph") can be made from any page.
- ``.. quoted-source::`` with ``:source:`` is a passage quoted inside a note: a block
  quotation with its attribution, set apart from the editors' own prose.
- ``:pref:`intro-p3``` links a paragraph briefly: "¶3" on the paragraph's own page, "Intro
  ¶3" elsewhere (the page title cut where ``scholarly_edition_short_title`` matches).

The paragraph references are named when the page is written, from the paragraphs as they
stand then, so that a page retitled since another was read never leaves an old name behind.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .config import NOTE_KINDS, NOTE_LABEL, QUOTE_LABEL, SHORT_TITLE
from .domain import EditionDomain, Note
from .paragraph import numbered_paragraph

logger = logging.getLogger(__name__)

IDS_SPLIT = re.compile(r"[\s,]+")


class editors_note(nodes.Admonition, nodes.Element):
    """One editors' note: ``title``, ``on`` (the ids of the paragraphs it discusses),
    ``kind`` and ``margin``."""


class paragraph_list(nodes.General, nodes.Element):
    """Stands, until the page is written, for the line of a note that names its paragraphs
    (``on``); :class:`NameParagraphReferences` makes the line."""


class quoted_source(nodes.General, nodes.Element):
    """A passage quoted from a source, with its attribution (``lang`` if not the page's)."""


class quoted_text(nodes.General, nodes.Element):
    """The quoted words themselves, inside :class:`quoted_source`."""


class quoted_attribution(nodes.General, nodes.TextElement):
    """Where the quoted words come from, inside :class:`quoted_source`."""


def note_label(page: str, title: str) -> str:
    """A note's id and label, from its page's file name and its title (a second note of the
    same title on a page gets a suffix), so that other pages can link a note they know by name."""
    return f"note-{page}-{nodes.make_id(title)[:60].rstrip('-')}"


def short_title(title: str, pattern: str) -> str:
    """The page title as a short reference cites it: cut where ``pattern`` first matches."""
    return re.split(pattern, title, maxsplit=1)[0].strip() if pattern else title


def paragraph_ref(pid: str, docname: str, number_only: bool = False) -> addnodes.pending_xref:
    """A short link to a paragraph, named when the page is written (:class:`NameParagraphReferences`)."""
    ref = addnodes.pending_xref("", refdomain=EditionDomain.name, reftype="par", reftarget=pid, refexplicit=True,
                                refwarn=True, refdoc=docname, edition_short=True, edition_number_only=number_only)
    ref += nodes.inline(pid, pid, classes=["ednote-para"])
    return ref


class EdNoteDirective(SphinxDirective):
    """``.. ednote:: Short title``: one editors' note beside the text."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "on": directives.unchanged_required,
        "margin": directives.flag,
        "kind": directives.unchanged_required,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        title = self.arguments[0].strip()
        docname = self.env.docname
        location = self.get_location()
        kinds: dict[str, str] = self.config[NOTE_KINDS]
        kind = self.options.get("kind", "")
        if kind and kind not in kinds:
            logger.warning(f"editors' note '{title}': unknown kind '{kind}' (one of: {', '.join(kinds) or 'none set'})",
                           location=location, type="edition", subtype="note")
            kind = ""
        if not self.content:
            logger.warning(f"editors' note '{title}' is empty", location=location, type="edition", subtype="note")
        on = [pid for pid in IDS_SPLIT.split(self.options.get("on", "")) if pid]

        domain: EditionDomain = self.env.get_domain(EditionDomain.name)  # type: ignore[assignment]
        note_id = self._unique_id(domain, note_label(docname.rsplit("/", 1)[-1], title))
        classes = ["editorial", "ednote", *([f"ednote-{kind}"] if kind else []), *self.options.get("class", [])]
        if "margin" in self.options:
            classes.append("margin")
        node = editors_note("", ids=[note_id], classes=classes, title=title, on=on, kind=kind,
                            margin="margin" in self.options)
        self.set_source_info(node)

        label = self.config[NOTE_LABEL]
        heading = nodes.title("", "", classes=["ednote-heading"])
        heading += nodes.inline(label, label, classes=["ednote-label"])
        if kind:
            heading += nodes.inline(" · ", " · ", classes=["ednote-sep"])
            heading += nodes.inline(kinds[kind], kinds[kind], classes=["ednote-kind"])
        heading += nodes.inline(": ", ": ", classes=["ednote-sep"])
        title_nodes, messages = self.state.inline_text(title, self.lineno)
        heading += nodes.inline("", "", *title_nodes, classes=["ednote-title"])
        node += heading
        node.extend(messages)
        if on:
            node += paragraph_list("", on=on)
        self.state.nested_parse(self.content, self.content_offset, node)

        self.state.document.note_explicit_target(node)
        _source, line = self.get_source_info()
        domain.notes[note_id] = Note(docname, title, tuple(on), kind, line)
        std = self.env.get_domain("std")
        std.note_hyperlink_target(note_id, docname, note_id, f"{label}: {title}")  # type: ignore[attr-defined]
        return [node]

    def _unique_id(self, domain: EditionDomain, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.state.document.ids or candidate in domain.notes:
            n += 1
            candidate = f"{base}-{n}"
        return candidate


class ParagraphRefRole(SphinxRole):
    """``:pref:`intro-p3```: a short link to a paragraph ("Intro ¶3", or "¶3" on its own page)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        ref = paragraph_ref(self.text.strip(), self.env.docname)
        self.set_source_info(ref)
        return [ref], []


class NameParagraphReferences(SphinxPostTransform):
    """Make each note's line of paragraphs, and name each short paragraph reference, from the
    paragraphs as they stand when the page is written."""

    default_priority = 5  # before the references are resolved (10)

    def run(self, **kwargs: Any) -> None:
        domain: EditionDomain = self.env.get_domain(EditionDomain.name)  # type: ignore[assignment]
        for placeholder in list(self.document.findall(paragraph_list)):
            placeholder.replace_self(self._on_line(domain, placeholder))
        pattern = self.config[SHORT_TITLE]
        for ref in self.document.findall(addnodes.pending_xref):
            if not ref.get("edition_short") or ref["reftarget"] not in domain.paragraphs:
                continue  # an unknown paragraph: the domain reports it when it is resolved
            paragraph = domain.paragraphs[ref["reftarget"]]
            here = paragraph.docname == self.env.docname or ref.get("edition_number_only")
            text = f"¶{paragraph.number}" if here else f"{short_title(paragraph.title, pattern)} ¶{paragraph.number}"
            ref.children = [nodes.inline(text, text, classes=["ednote-para"])]

    def _on_line(self, domain: EditionDomain, placeholder: paragraph_list) -> nodes.paragraph:
        """"On ¶1, ¶3; Introduction ¶2": paragraphs of one page after the first are named by
        number only; a new page starts with its title."""
        line = nodes.paragraph("", "", classes=["ednote-on"])
        line.source, line.line = placeholder.parent.source, placeholder.parent.line
        line += nodes.Text("On ")
        previous_page = None
        for index, pid in enumerate(placeholder["on"]):
            page = domain.paragraphs[pid].docname if pid in domain.paragraphs else None
            if index:
                line += nodes.Text("; " if page != previous_page or page is None else ", ")
            ref = paragraph_ref(pid, self.env.docname, number_only=page is not None and page == previous_page)
            ref.source, ref.line = line.source, line.line
            line += ref
            previous_page = page
        return line


class QuotedSourceDirective(SphinxDirective):
    """``.. quoted-source::`` with ``:source:``: words quoted from a source, attributed."""

    has_content = True
    option_spec = {"source": directives.unchanged_required, "lang": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        if "source" not in self.options:
            logger.warning("quoted-source without :source: (every quotation names its source)",
                           location=self.get_location(), type="edition", subtype="quote")
        node = quoted_source("", classes=["quoted-source"], lang=self.options.get("lang", ""))
        self.set_source_info(node)
        body = quoted_text("", classes=["quoted-text"])
        self.state.nested_parse(self.content, self.content_offset, body)
        node += body
        source_nodes, messages = self.state.inline_text(self.options.get("source", ""), self.lineno)
        node += quoted_attribution("", "", *source_nodes, classes=["quoted-attribution"])
        return [node, *messages]


def check_placement(app: Sphinx, doctree: nodes.document) -> None:
    """The editors' words and the text's stay apart: a note or a quotation may never sit
    inside a numbered paragraph; and on a page of the text (one with numbered paragraphs)
    every note names the paragraphs it discusses."""
    text_page = any(True for _ in doctree.findall(numbered_paragraph))
    for node in doctree.findall(lambda n: isinstance(n, editors_note | quoted_source)):
        if isinstance(node, editors_note) and text_page and not node["on"]:
            logger.warning(f"editors' note '{node['title']}' has no :on: naming the paragraphs it discusses",
                           location=node, type="edition", subtype="note")
        parent = node.parent
        while parent is not None:
            if isinstance(parent, numbered_paragraph):
                what = f"editors' note '{node['title']}'" if isinstance(node, editors_note) else "quoted source"
                logger.warning(f"{what} is inside paragraph {parent['ids'][0]}: put it between paragraphs",
                               location=node, type="edition", subtype="placement")
                break
            parent = parent.parent


class NotesFollowTheirParagraph(SphinxPostTransform):
    """On paper a note is read after the text it comments on. A note written before the first
    paragraph of its section (a margin note beside the opening paragraph in HTML) would be
    printed before the text's first sentence; it is moved to follow the first paragraph after
    it. The line naming the paragraphs becomes a container, so the print style can set it apart."""

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


# --- HTML -----------------------------------------------------------------------------------

def visit_note_html(self, node: editors_note) -> None:
    label = self.builder.config[NOTE_LABEL]
    attributes: dict[str, Any] = {"role": "note", "aria-label": f"{label}: {node['title']}"}
    if node["on"]:
        attributes["data-on"] = " ".join(node["on"])
    self.body.append(self.starttag(node, "div", "", **attributes))


def depart_div_html(self, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def visit_quoted_source_html(self, node: quoted_source) -> None:
    self.body.append(self.starttag(node, "figure", ""))


def depart_quoted_source_html(self, node: quoted_source) -> None:
    self.body.append("</figure>\n")


def visit_quoted_text_html(self, node: quoted_text) -> None:
    lang = node.parent.get("lang") if node.parent is not None else ""
    self.body.append(self.starttag(node, "blockquote", "", **({"lang": lang} if lang else {})))


def depart_quoted_text_html(self, node: quoted_text) -> None:
    self.body.append("</blockquote>\n")


def visit_attribution_html(self, node: quoted_attribution) -> None:
    label = self.encode(self.builder.config[QUOTE_LABEL])
    self.body.append(self.starttag(node, "figcaption", "") + f'<span class="quoted-label">{label}:</span> ')


def depart_attribution_html(self, node: quoted_attribution) -> None:
    self.body.append("</figcaption>\n")


# --- LaTeX: environments of scholarly-edition.sty, which an edition's style may redefine ----

def visit_note_latex(self, node: editors_note) -> None:
    # The heading (the note's title node) follows as the environment's argument.
    self.body.append("\n" + self.hypertarget_to(node) + "\n\\begin{ednote}")
    self.no_latex_floats += 1


def depart_note_latex(self, node: editors_note) -> None:
    self.body.append("\\end{ednote}\n")
    self.no_latex_floats -= 1


def visit_quoted_source_latex(self, node: quoted_source) -> None:
    self.body.append("\n\\begin{quote}\n")


def depart_quoted_source_latex(self, node: quoted_source) -> None:
    self.body.append("\\end{quote}\n")


def visit_quoted_text_latex(self, node: quoted_text) -> None:
    self.body.append("\\itshape\n")


def depart_quoted_text_latex(self, node: quoted_text) -> None:
    self.body.append("\n\\upshape\n")


def visit_attribution_latex(self, node: quoted_attribution) -> None:
    label = self.encode(self.builder.config[QUOTE_LABEL])
    self.body.append(f"\n\\begin{{flushright}}\\small\n---\\,{label}: ")


def depart_attribution_latex(self, node: quoted_attribution) -> None:
    self.body.append("\n\\end{flushright}\n")


# --- plain text -----------------------------------------------------------------------------

def visit_note_text(self, node: editors_note) -> None:
    self.visit_admonition(node)


def depart_note_text(self, node: editors_note) -> None:
    self.depart_admonition(node)


def visit_block_text(self, node: nodes.Element) -> None:
    self.new_state(4)


def depart_block_text(self, node: nodes.Element) -> None:
    self.end_state()


def visit_attribution_text(self, node: quoted_attribution) -> None:
    self.new_state(4)
    self.add_text(f"— {self.builder.config[QUOTE_LABEL]}: ")


def _skip(self, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_post_transform(NameParagraphReferences)
    app.add_post_transform(NotesFollowTheirParagraph)
    app.add_node(editors_note, html=(visit_note_html, depart_div_html), latex=(visit_note_latex, depart_note_latex),
                 text=(visit_note_text, depart_note_text))
    app.add_node(paragraph_list, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_node(quoted_source, html=(visit_quoted_source_html, depart_quoted_source_html),
                 latex=(visit_quoted_source_latex, depart_quoted_source_latex), text=(visit_block_text, depart_block_text))
    app.add_node(quoted_text, html=(visit_quoted_text_html, depart_quoted_text_html),
                 latex=(visit_quoted_text_latex, depart_quoted_text_latex), text=(visit_block_text, depart_block_text))
    app.add_node(quoted_attribution, html=(visit_attribution_html, depart_attribution_html),
                 latex=(visit_attribution_latex, depart_attribution_latex),
                 text=(visit_attribution_text, depart_block_text))
    app.add_directive("ednote", EdNoteDirective)
    app.add_directive("quoted-source", QuotedSourceDirective)
    app.add_role("pref", ParagraphRefRole())
    app.add_role_to_domain(EditionDomain.name, "pref", ParagraphRefRole())
    app.connect("doctree-read", check_placement)

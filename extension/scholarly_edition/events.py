"""Dated events: kept by the ``edition`` domain, referred to from the notes, listing the notes.

An edition dates what its notes discuss. Each event has a key (its date, ``2023-09-16``, or any
word), stands on one page as a block with an id, and has a name that a reference without text
of its own shows ("16 September 2023"):

- ``.. event:: 2023-09-16`` with ``:label: 16 September 2023`` and the event as content lists
  one event (a :class:`dated_event`, with HTML, LaTeX and text output side by side). An
  edition that makes its list of events from data calls
  :meth:`~scholarly_edition.domain.EditionDomain.note_event` from its own directive instead,
  and places an :class:`event_mentions` where the list of notes goes.
- ``:edition:event:`2023-09-16``` links to the event from any page; a key no page lists is
  reported.
- Under each event, "Discussed in the editors' notes: …" links the editors' notes that refer
  to it, pages in reading order, notes in their order on the page. The domain keeps which note
  refers to which event, page by page, so a page read again or read in parallel needs nothing
  of this module's own; the list is made when the event's page is written, and that page is
  written again whenever a note that refers to one of its events changes
  (:func:`pages_to_write`).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .config import EVENT_ID, EVENT_MENTIONS_LABEL
from .domain import EditionDomain, Event, EventMention
from .notes import editors_note


class dated_event(nodes.General, nodes.Element):
    """One event listed by the ``event`` directive: ``ids`` holds its anchor, ``key`` its key."""


class event_mentions(nodes.General, nodes.Element):
    """Stands, until the page is written, for the list of the notes that refer to the event
    ``key``; :class:`ListEventMentions` makes the list (a paragraph with this node's
    ``classes``, ``event-mentions`` when it has none), or drops it when no note refers to it."""


class EventDirective(SphinxDirective):
    """``.. event:: <key>``: one dated event, the key its argument, its text the content."""

    required_arguments = 1
    has_content = True
    option_spec = {"label": directives.unchanged_required, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0].strip()
        docname = self.env.docname
        anchor = nodes.make_id(self.config[EVENT_ID].format(key=key))
        name = self.options.get("label", key)
        _source, line = self.get_source_info()
        domain: EditionDomain = self.env.get_domain(EditionDomain.name)  # type: ignore[assignment]
        if not domain.note_event(key, Event(docname, anchor, name, line), self.get_location()):
            return []
        node = dated_event("", ids=[anchor], key=key, classes=["event", *self.options.get("class", [])])
        self.set_source_info(node)
        self.state.document.note_explicit_target(node)
        std = self.env.get_domain("std")
        std.note_hyperlink_target(anchor, docname, anchor, name)  # type: ignore[attr-defined]
        self.state.nested_parse(self.content, self.content_offset, node)
        node += event_mentions("", key=key)
        return [node]


def record_event_mentions(app: Sphinx, doctree: nodes.document) -> None:
    """Keep, for the page just read, each editors' note that refers to an event (by
    ``:edition:event:`` or any reference of the domain's type ``event``), in page order."""
    docname = app.env.docname
    found: dict[tuple[str, str], EventMention] = {}
    for ref in doctree.findall(addnodes.pending_xref):
        if ref.get("refdomain") != EditionDomain.name or ref.get("reftype") != "event":
            continue
        note = ref.parent
        while note is not None and not isinstance(note, editors_note):
            note = note.parent
        if note is None or not note["ids"]:
            continue
        key = (note["ids"][0], ref["reftarget"])
        if key not in found:
            found[key] = EventMention(docname, ref["reftarget"], note["ids"][0], note["title"], len(found))
    domain: EditionDomain = app.env.get_domain(EditionDomain.name)  # type: ignore[assignment]
    domain.note_event_mentions(docname, found.values())


class ListEventMentions(SphinxPostTransform):
    """Replace each :class:`event_mentions` with "Discussed in the editors' notes: <note>;
    <note>", from the notes as they stand when the page is written. Each note is a reference
    of the standard domain to the note's label (notes are its labels), which Sphinx then
    resolves for any builder."""

    default_priority = 5  # before the references are resolved (10)

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(event_mentions))
        if not placeholders:
            return
        domain: EditionDomain = self.env.get_domain(EditionDomain.name)  # type: ignore[assignment]
        # Pages in reading order (those outside every table of contents after them, by name).
        order = {docname: index for index, docname in enumerate(domain.reading_order())}
        lead = self.config[EVENT_MENTIONS_LABEL]
        for placeholder in placeholders:
            found = sorted(domain.mentions_of(placeholder["key"]),
                           key=lambda m: (order.get(m.docname, len(order)), m.docname, m.position))
            if not found:
                placeholder.parent.remove(placeholder)
                continue
            line = nodes.paragraph("", "", classes=placeholder["classes"] or ["event-mentions"])
            line.source, line.line = placeholder.parent.source, placeholder.parent.line
            line += nodes.inline(lead, lead)
            for index, mention in enumerate(found):
                if index:
                    line += nodes.Text("; ")
                ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=mention.note,
                                            refexplicit=True, refwarn=True, refdoc=self.env.docname)
                ref += nodes.inline(mention.title, mention.title)
                line += ref
            placeholder.replace_self(line)


def pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages listing an event whose notes changed in this build: they were not read
    again, and their lists are made when they are written."""
    domain: EditionDomain = env.get_domain(EditionDomain.name)  # type: ignore[assignment]
    return sorted(domain.event_pages_to_write() & set(env.found_docs))


# --- output: the event's block ---------------------------------------------------------------

def visit_event_html(self, node: dated_event) -> None:
    self.body.append(self.starttag(node, "div", ""))


def depart_event_html(self, node: dated_event) -> None:
    self.body.append("</div>\n")


def visit_event_latex(self, node: dated_event) -> None:
    self.body.append("\n" + self.hypertarget_to(node, anchor=True) + "\n")


def depart_event_latex(self, node: dated_event) -> None:
    self.body.append("\n")


def visit_event_text(self, node: dated_event) -> None:
    self.new_state(0)


def depart_event_text(self, node: dated_event) -> None:
    self.end_state(wrap=False)


def _skip(self, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(dated_event, html=(visit_event_html, depart_event_html),
                 latex=(visit_event_latex, depart_event_latex), text=(visit_event_text, depart_event_text))
    app.add_node(event_mentions, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_directive("event", EventDirective)
    app.add_directive_to_domain(EditionDomain.name, "event", EventDirective)
    app.add_role_to_domain(EditionDomain.name, "event", XRefRole(innernodeclass=nodes.inline, warn_dangling=True))
    app.add_post_transform(ListEventMentions)
    app.connect("doctree-read", record_event_mentions)
    app.connect("env-get-updated", pages_to_write)

"""The ``edition`` domain: where the paragraphs of every page are kept and found.

Sphinx keeps a domain's data in its saved environment, asks it to forget a page before that
page is read again (:meth:`EditionDomain.clear_doc`) and to take over the pages read by
parallel workers (:meth:`EditionDomain.merge_domaindata`). Holding the paragraphs here, rather
than in attributes set on the environment, is what makes incremental and parallel builds
right without bookkeeping of the extension's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .config import EVENT_REFERENCE, PARAGRAPH_LABEL

logger = logging.getLogger(__name__)


class Paragraph(NamedTuple):
    """A numbered paragraph as the domain keeps it."""

    docname: str
    number: int
    title: str  # the title of the page it stands on
    line: int | None  # where it was written, for messages


class Note(NamedTuple):
    """An editors' note as the domain keeps it."""

    docname: str
    title: str
    on: tuple[str, ...]  # the ids of the paragraphs it discusses
    kind: str
    line: int | None


class Event(NamedTuple):
    """A dated event as the domain keeps it, under its key (``2023-09-16``)."""

    docname: str  # the page that lists it
    anchor: str  # the id of the block that shows it there
    name: str  # how a reference without text of its own names it ("16 September 2023")
    line: int | None


class EventMention(NamedTuple):
    """An editors' note that refers to a dated event, kept under ``(note id, event key)``."""

    docname: str
    key: str  # the event's key
    note: str  # the note's id
    title: str  # the note's title, as the event's list of notes names it
    position: int  # the note's place among the page's mentions: their order however pages merge


class EditionDomain(Domain):
    """Paragraphs with stable ids: kept per page, resolved from any page."""

    name = "edition"
    label = "Scholarly edition"
    object_types = {"paragraph": ObjType("paragraph", "par")}
    object_types["event"] = ObjType("event", "event")
    roles = {"par": XRefRole(innernodeclass=nodes.inline, warn_dangling=True)}
    initial_data: dict[str, Any] = {"paragraphs": {}, "notes": {}}  # id -> Paragraph, id -> Note
    initial_data |= {"events": {}, "event_mentions": {}}  # key -> Event, (note id, key) -> EventMention
    initial_data |= {"readings": {}}  # emendation id -> Reading (where the edited reading stands)
    initial_data |= {"reading_units": {}}  # (page, place) -> faithful.UnitOnPage (the text held to the copy-text)
    initial_data |= {"backlinks": {}}  # (page, position) -> backlinks.Mention (a forward link, where it stands)
    data_version = 5

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        # The mentions of events each page held before this build read it again, so that the
        # pages listing an event whose notes changed are written again (:meth:`event_pages_to_write`).
        # Kept on the domain object, which lives for one build and is not saved.
        self.mentions_before: dict[str, set[EventMention]] = {}
        # The forward links each page held before this build read it again (backlinks.py).
        self.backlinks_before: dict[str, list[Any]] = {}

    @property
    def paragraphs(self) -> dict[str, Paragraph]:
        return self.data["paragraphs"]

    @property
    def notes(self) -> dict[str, Note]:
        return self.data["notes"]

    def notes_on(self, pid: str) -> list[str]:
        """The ids of the notes that discuss a paragraph, from any page."""
        return [note_id for note_id, note in self.notes.items() if pid in note.on]

    def on_page(self, docname: str) -> list[str]:
        """The ids of a page's paragraphs, in their order on the page."""
        return sorted((pid for pid, p in self.paragraphs.items() if p.docname == docname),
                      key=lambda pid: self.paragraphs[pid].number)

    def paragraph_name(self, pid: str) -> str:
        """The paragraph's name, as ``scholarly_edition_paragraph_label`` makes it."""
        paragraph = self.paragraphs[pid]
        return self.env.config[PARAGRAPH_LABEL].format(title=paragraph.title, number=paragraph.number)

    def note_paragraph(self, pid: str, paragraph: Paragraph, location: Any) -> bool:
        """Keep a paragraph read on a page; ``False`` (and a warning) when another page, or
        this one, already has the id."""
        return self._keep_once("paragraphs", "paragraph id", pid, paragraph, location)

    def _keep_once(self, store: str, what: str, key: str, entry: Any, location: Any) -> bool:
        """Keep ``entry`` under a key no page has taken; else warn, naming both places."""
        other = self.data[store].get(key)
        if other is not None:
            logger.warning(f"duplicate {what} '{key}' (also in {other.docname}, line {other.line})",
                           location=location, type="edition", subtype="duplicate")
            return False
        self.data[store][key] = entry
        return True

    @property
    def readings(self) -> dict[str, Any]:
        return self.data["readings"]

    def note_reading(self, key: str, reading: Any) -> bool:
        """Keep where an edited reading stands; a second use of one row is reported."""
        return self._keep_once("readings", "use of emendation", key, reading, (reading.docname, reading.line))

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        from .emendations import readings_on_page

        for key, reading in readings_on_page(document):
            self.note_reading(key, reading)

    def check_consistency(self) -> None:
        """Once every page is read: the register of emendations against the text."""
        from .emendations import check_register

        check_register(self.env, self.readings, set(self.paragraphs))

    @property
    def events(self) -> dict[str, Event]:
        return self.data["events"]

    @property
    def event_mentions(self) -> dict[tuple[str, str], EventMention]:
        return self.data["event_mentions"]

    def note_event(self, key: str, event: Event, location: Any) -> bool:
        """Keep a dated event listed on a page; ``False`` (and a warning naming both places)
        when the key is already taken. An edition's own directive (a timeline made from data)
        calls this, as the ``event`` directive does."""
        return self._keep_once("events", "event", key, event, location)

    def note_event_mentions(self, docname: str, mentions: Iterable[EventMention]) -> None:
        """Keep the events a page's notes refer to (read again with the page)."""
        for mention in mentions:
            self.event_mentions.setdefault((mention.note, mention.key), mention)

    def mentions_of(self, key: str) -> list[EventMention]:
        """The notes that refer to an event, from any page (in no particular page order)."""
        return [mention for mention in self.event_mentions.values() if mention.key == key]

    def reading_order(self) -> list[str]:
        """The pages of the tables of contents in the order a reader meets them, depth first
        from the root document through Sphinx's public ``env.toctree_includes``: an edition
        sets the order of every list that spans pages where it sets its reading order, in its
        ``toctree`` (Jupyter Book writes it from ``_toc.yml``)."""
        order: list[str] = []

        def walk(docname: str) -> None:
            if docname in order:
                return
            order.append(docname)
            for child in self.env.toctree_includes.get(docname, []):
                walk(child)

        walk(self.env.config.root_doc)
        return order

    def event_pages_to_write(self) -> set[str]:
        """The pages listing an event whose notes changed in the pages this build read: a
        note added, dropped, retitled or moved. Those pages were not read again, and their
        lists are made when they are written, so Sphinx must be told to write them."""
        changed: set[str] = set()
        for docname, before in self.mentions_before.items():
            after = {m for m in self.event_mentions.values() if m.docname == docname}
            changed |= {mention.key for mention in before ^ after}
        return {self.events[key].docname for key in changed if key in self.events}

    def clear_doc(self, docname: str) -> None:
        """Forget what a page held: every store's entries are named tuples that carry their
        ``docname``, so an element adds a store to :attr:`initial_data` and nothing here."""
        self.mentions_before.setdefault(docname, {m for m in self.event_mentions.values() if m.docname == docname})
        self.backlinks_before.setdefault(docname, sorted((m for m in self.data["backlinks"].values()
                                                          if m.docname == docname), key=lambda m: m.position))
        for store in self.initial_data:
            table = self.data[store]
            for key in [key for key, entry in table.items() if entry.docname == docname]:
                del table[key]

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        """Take what a parallel worker read. A paragraph id that two workers both read is a
        duplicate, reported as one read in a single process would report it; the other
        stores' keys are made unique on their page, so they are taken as they are."""
        wanted = set(docnames)
        for pid, paragraph in otherdata["paragraphs"].items():
            if paragraph.docname in wanted:
                self.note_paragraph(pid, paragraph, (paragraph.docname, paragraph.line))
        for key, event in otherdata["events"].items():
            if event.docname in wanted:
                self.note_event(key, event, (event.docname, event.line))
        for key, reading in otherdata["readings"].items():
            if reading.docname in wanted:
                self.note_reading(key, reading)
        for store in self.initial_data:
            if store not in ("paragraphs", "events", "readings"):
                self.data[store].update({key: entry for key, entry in otherdata[store].items()
                                         if entry.docname in wanted})

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str,
                     node: pending_xref, contnode: nodes.Element) -> nodes.reference | None:
        if typ == "event":
            return self._resolve_event(builder, fromdocname, target, node, contnode)
        if target not in self.paragraphs:
            return None
        paragraph = self.paragraphs[target]
        if not node.get("refexplicit"):
            text = self.paragraph_name(target)
            contnode = nodes.inline(text, text, classes=["xref", "edition", "edition-par"])
        return make_refnode(builder, fromdocname, paragraph.docname, target, contnode)

    def _resolve_event(self, builder: Builder, fromdocname: str, key: str, node: pending_xref,
                       contnode: nodes.Element) -> nodes.reference | None:
        """An event's key leads to its block, named by ``scholarly_edition_event_reference``."""
        if key not in self.events:
            return None
        event = self.events[key]
        if not node.get("refexplicit"):
            text = self.env.config[EVENT_REFERENCE].format(key=key, name=event.name)
            contnode = nodes.inline(text, text, classes=["xref", "edition", "edition-event"])
        return make_refnode(builder, fromdocname, event.docname, event.anchor, contnode)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
                         node: pending_xref, contnode: nodes.Element) -> list[tuple[str, nodes.reference]]:
        """``:any:`` finds a paragraph as the label of the standard domain that the directive
        notes for it (same target, same name); answering here too would make it ambiguous."""
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for pid, paragraph in self.paragraphs.items():
            yield pid, self.paragraph_name(pid), "paragraph", paragraph.docname, pid, 1
        # Events go to the inventory, not to the search's objects (priority -1): a reader finds
        # an event by the words of its page, not as an entry above every page that names its date.
        for key, event in self.events.items():
            yield key, event.name, "event", event.docname, event.anchor, -1


def _unknown_targets(app: Any, domain: Domain, node: pending_xref) -> bool | None:
    """A reference to an id no page has fails as Sphinx's own unknown references do (a
    warning, an error in a strict build), naming the id."""
    if domain is not None and domain.name == EditionDomain.name and node["reftype"] == "event":
        logger.warning(f"unknown event '{node['reftarget']}'", location=node, type="edition", subtype="unknown")
        return True
    if domain is not None and domain.name == EditionDomain.name:
        logger.warning(f"unknown paragraph id '{node['reftarget']}'", location=node,
                       type="edition", subtype="unknown")
        return True
    return None


def setup(app: Any) -> None:
    app.add_domain(EditionDomain)
    app.connect("warn-missing-reference", _unknown_targets)

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

from .config import PARAGRAPH_LABEL

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


class EditionDomain(Domain):
    """Paragraphs with stable ids: kept per page, resolved from any page."""

    name = "edition"
    label = "Scholarly edition"
    object_types = {"paragraph": ObjType("paragraph", "par")}
    roles = {"par": XRefRole(innernodeclass=nodes.inline, warn_dangling=True)}
    # id -> Paragraph, id -> Note, emendation id -> Reading (where the edited reading stands)
    initial_data: dict[str, Any] = {"paragraphs": {}, "notes": {}, "readings": {}}
    data_version = 3

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
        other = self.paragraphs.get(pid)
        if other is not None:
            logger.warning(f"duplicate paragraph id '{pid}' (also in {other.docname}, line {other.line})",
                           location=location, type="edition", subtype="duplicate")
            return False
        self.paragraphs[pid] = paragraph
        return True

    @property
    def readings(self) -> dict[str, Any]:
        return self.data["readings"]

    def note_reading(self, key: str, reading: Any) -> None:
        """Keep where an edited reading stands; a second use of one row is reported."""
        other = self.readings.get(key)
        if other is not None:
            logger.warning(f"emendation '{key}' is used twice (also in {other.docname}, line {other.line})",
                           location=(reading.docname, reading.line), type="edition", subtype="duplicate")
            return
        self.readings[key] = reading

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        from .emendations import readings_on_page

        for key, reading in readings_on_page(document):
            self.note_reading(key, reading)

    def check_consistency(self) -> None:
        """Once every page is read: the register of emendations against the text."""
        from .emendations import check_register

        check_register(self.env, self.readings, set(self.paragraphs))

    def clear_doc(self, docname: str) -> None:
        """Forget what a page held: every store's entries are named tuples that carry their
        ``docname``, so an element adds a store to :attr:`initial_data` and nothing here."""
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
        for key, reading in otherdata["readings"].items():
            if reading.docname in wanted:
                self.note_reading(key, reading)
        for store in self.initial_data:
            if store not in ("paragraphs", "readings"):
                self.data[store].update({key: entry for key, entry in otherdata[store].items()
                                         if entry.docname in wanted})

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str,
                     node: pending_xref, contnode: nodes.Element) -> nodes.reference | None:
        if target not in self.paragraphs:
            return None
        paragraph = self.paragraphs[target]
        if not node.get("refexplicit"):
            text = self.paragraph_name(target)
            contnode = nodes.inline(text, text, classes=["xref", "edition", "edition-par"])
        return make_refnode(builder, fromdocname, paragraph.docname, target, contnode)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
                         node: pending_xref, contnode: nodes.Element) -> list[tuple[str, nodes.reference]]:
        """``:any:`` finds a paragraph as the label of the standard domain that the directive
        notes for it (same target, same name); answering here too would make it ambiguous."""
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for pid, paragraph in self.paragraphs.items():
            yield pid, self.paragraph_name(pid), "paragraph", paragraph.docname, pid, 1


def _unknown_targets(app: Any, domain: Domain, node: pending_xref) -> bool | None:
    """A reference to an id no page has fails as Sphinx's own unknown references do (a
    warning, an error in a strict build), naming the id."""
    if domain is not None and domain.name == EditionDomain.name:
        logger.warning(f"unknown paragraph id '{node['reftarget']}'", location=node,
                       type="edition", subtype="unknown")
        return True
    return None


def setup(app: Any) -> None:
    app.add_domain(EditionDomain)
    app.connect("warn-missing-reference", _unknown_targets)

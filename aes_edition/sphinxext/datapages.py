"""The data-driven pages of the commentary: ``{timeline}`` and the ``{event}`` role, and
this edition's checks of the glossary's entries.

The Glossary page is generated from ``data/glossary.yaml`` (by the extension's
``{edition-glossary}``, :mod:`scholarly_edition.glossary`, with the checks of
:func:`aes_edition.glossary.check_term`) and the Timeline page from
``data/timeline.csv``; neither is typed into a page, so the data, the pages and the tests
read one source. ``{event}`2023-09-16``` in a note links the date to its row of the
timeline and to the row's source, so every dated fact in a note is one click from its
evidence; in return each event on the timeline lists the notes that discuss it. The events,
the references to them and the lists of notes are the ``edition`` domain's, from the
reusable extension (:mod:`scholarly_edition.events`); the data, the blocks and the sources
are the edition's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import roles
from docutils.statemachine import StringList
from scholarly_edition.domain import EditionDomain
from scholarly_edition.domain import Event as DatedEvent
from scholarly_edition.events import event_mentions
from scholarly_edition.strict_data import DataError
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..glossary import Term, check_term
from ..myst_text import link, literal
from ..sources import EDITORS_BIB
from ..timeline import FILE as TIMELINE_FILE
from ..timeline import Event, Source, display_date, events_end, load_timeline

logger = logging.getLogger(__name__)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _load(loader: Callable[[], list], *inputs: Path) -> list:
    """A data file's rows, parsed once per content of the files the loader reads (so a
    long-lived process follows a change, and nothing is kept on the application); bad data
    stops the build naming file, row, field."""
    try:
        return _parsed(loader, tuple(_digest(path) for path in inputs))
    except DataError as error:
        raise ExtensionError(f"data error: {error}") from error


@lru_cache(maxsize=8)
def _parsed(loader: Callable[[], list], digests: tuple[str, ...]) -> list:
    """The loader's rows for one content of its inputs (``digests``); callers do not change them."""
    return loader()


def timeline() -> list[Event]:
    """The timeline's rows, from ``data/timeline.csv`` and the sources of ``editors.bib``."""
    return _load(load_timeline, TIMELINE_FILE, EDITORS_BIB)


def timeline_source_markup(source: Source) -> str:
    """A timeline row's source as MyST: its title linked to the page, then a citation of its
    ``editors.bib`` entry, which the Editors' sources page lists with the date it was read."""
    return f"{link(source.title, source.url)} {{cite:p}}`{source.key}`"


def label_block(directive: SphinxDirective, block: nodes.Element, anchor: str, title: str) -> None:
    """Give a block generated from data an id that is also a label, so that ``{ref}`` reaches
    it from any page and in the PDF (a timeline event, a version of the changelog)."""
    block["ids"].append(anchor)
    directive.state.document.ids[anchor] = block
    std = directive.env.get_domain("std")
    std.labels[anchor] = (directive.env.docname, anchor, title)
    std.anonlabels[anchor] = (directive.env.docname, anchor)


def check_glossary_entry(app: Sphinx, path, term: Term) -> None:
    """This edition's rules for a glossary entry (a short definition, known sources), applied
    by the extension's glossary as it reads ``data/glossary.yaml``."""
    check_term(path, term)


class TimelineDirective(SphinxDirective):
    """Render ``data/timeline.csv`` as the Timeline, one block per event, grouped by year.

    Each event gets the id ``timeline-<date>`` (a label, so ``{ref}`` reaches it from any
    page and in the PDF) and is kept by the ``edition`` domain under its key, so ``{event}``
    reaches it and the extension lists under it the notes that discuss it.
    """

    def run(self) -> list[nodes.Node]:
        events: list[Event] = timeline()
        self.env.note_dependency(str(TIMELINE_FILE))
        self.env.note_dependency(str(EDITORS_BIB))  # the rows' sources are described there
        lines: list[str] = []
        for year, group in groupby(events, key=lambda e: e.date[:4]):
            lines += [f":::{{rubric}} {year}", ":class: timeline-year", ":::", ""]
            for event in group:
                source = "; ".join(timeline_source_markup(s) for s in event.sources)
                confidence = "" if event.confidence == "high" else f" [{event.confidence} confidence]{{.timeline-confidence}}"
                category = literal(event.category.replace("-", " "))
                lines += [
                    "::::{container} timeline-event",
                    f"[{display_date(event.date)}]{{.timeline-date}} "
                    f"[{category}]{{.timeline-category}}{confidence}",
                    "",
                    literal(event.event),
                    "",
                    f"[{'Sources' if len(event.sources) > 1 else 'Source'}: {source}."
                    f"{'' if event.checked else ' Not yet checked by the editors.'}]{{.timeline-source}}",
                    "::::",
                    "",
                ]
        container = nodes.container(classes=["editorial", "timeline"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        for source in container.findall(nodes.inline):
            if "timeline-source" in source["classes"]:
                for link in source.findall(nodes.reference):
                    link["edition_cited"] = True  # a citation follows: on paper, no address
        blocks = [c for c in container.findall(nodes.container) if "timeline-event" in c["classes"]]
        domain: EditionDomain = self.env.get_domain(EditionDomain.name)  # type: ignore[assignment]
        _source, line = self.get_source_info()
        for block, event in zip(blocks, events, strict=True):
            label_block(self, block, event.anchor, f"Timeline, {event.display_date}")
            domain.note_event(event.key, DatedEvent(self.env.docname, event.anchor, event.display_date, line),
                              self.get_location())
            block += event_mentions(key=event.key, classes=["timeline-mentions"])
        return [container]


class EventRole(SphinxRole):
    """``{event}`2023-09-16``` or ``{event}`signed <2023-09-16>```: a date in a note,
    linked to its row of the timeline, followed by a link to the row's source."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        text = self.text.strip()
        shown = None
        if text.endswith(">") and "<" in text:
            shown, _, key = text[:-1].rpartition("<")
            shown, key = shown.strip(), key.strip()
        else:
            key = text
        self.env.note_dependency(str(TIMELINE_FILE))
        self.env.note_dependency(str(EDITORS_BIB))
        events = {e.key: e for e in timeline()}
        event = events.get(key)
        if event is None:
            logger.warning(f"unknown timeline event '{key}' (not a date of data/timeline.csv)", location=self.get_location())
            return [nodes.inline(text, shown or text)], []
        shown = shown or event.display_date
        # The extension's reference to the event (it counts the note among those that discuss
        # it); the date's classes are those it had when the standard domain made the link.
        ref = addnodes.pending_xref("", refdomain=EditionDomain.name, reftype="event", reftarget=event.key,
                                    refexplicit=True, refwarn=True, refdoc=self.env.docname, classes=["event-ref"])
        ref += nodes.inline(shown, shown, classes=["std", "std-ref"])
        first = event.sources[0]
        label = f"source: {first.title} ({first.author})" if first.author else f"source: {first.title}"
        source = nodes.reference("", "", refuri=event.url, classes=["event-source"], title=label)
        source += nodes.inline("source", "source")
        holder = nodes.inline("", "", classes=["event"])
        holder += ref
        holder += nodes.Text(" ")
        holder += web_only("", "", nodes.inline("", "", nodes.Text("("), source, nodes.Text(")"),
                                            classes=["event-source-wrap"]))
        # On paper the source is cited as the other sources are, by author and year; the
        # Editors' sources list it with its address.
        cite, _messages = roles.role("cite:p", None, self.lineno, self.inliner.reporter)
        if cite is not None:
            citation, messages = cite("cite:p", f"{{cite:p}}`{first.key}`", first.key, self.lineno, self.inliner)
            holder += print_only("", "", *citation)
            return [holder], messages
        return [holder], []


class EventsToRole(SphinxRole):
    """``{events-to}`month```: the month the timeline runs to ("February 2026"), taken from
    its latest row, so that the pages that say how far the account of later events goes
    ("events to February 2026") say what the data hold."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if self.text.strip() != "month":
            logger.warning(f"{{events-to}} takes 'month', not '{self.text.strip()}'", location=self.get_location())
            return [nodes.inline(self.text, self.text)], []
        self.env.note_dependency(str(TIMELINE_FILE))
        self.env.note_dependency(str(EDITORS_BIB))
        shown = events_end(timeline())
        return [nodes.inline(shown, shown, classes=["events-to"])], []


class web_only(nodes.Inline, nodes.TextElement):
    """Words for the screen only (a link that is only its address on paper)."""


class print_only(nodes.Inline, nodes.TextElement):
    """Words for the printed edition only (what stands there for a web link)."""


def _visit_inner(self, node: nodes.Element) -> None:
    pass


def _skip(self, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.connect("edition-glossary-entry", check_glossary_entry)
    app.add_directive("timeline", TimelineDirective)
    app.add_role("event", EventRole())
    app.add_role("events-to", EventsToRole())
    app.add_node(web_only, html=(_visit_inner, _visit_inner), latex=(_skip, None), text=(_visit_inner, _visit_inner))
    app.add_node(print_only, html=(_skip, None), latex=(_visit_inner, _visit_inner), text=(_skip, None))

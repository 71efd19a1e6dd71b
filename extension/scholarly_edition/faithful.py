"""The build holds the edited text to its copy-text (``scholarly_edition_copy_text``): a
paragraph that reads otherwise than the copy-text, except where the register of emendations
records a change, is a warning at its line, which a strict build (``-W``) makes an error.

Each page, as it is read, yields its *reading units*: every numbered paragraph (and each
block ``scholarly_edition_copy_text_blocks`` names, such as a title page), reduced to the
authors' words, each :class:`~scholarly_edition.emendations.emendation` read as printed and
the editors' furniture (anything of the class ``editorial``) left out. The ``edition``
domain keeps them page by page (its ``reading_units`` store), so an incremental build,
which reads only the pages that changed, and a parallel one, whose readers' units the
domain merges, still check the whole text: once every page has been read
(``env-check-consistency``), the units of all pages, in reading order, are held to the
copy-text by :func:`scholarly_edition.fidelity.mismatches`, the comparison an edition's
tests can make on its published HTML or PDF.

A citation is generated when the page is written, after the check; until then it stands for
what the copy-text prints in its place, as ``scholarly_edition_copy_text_citations`` gives
it for its role. Each emendation is also read in its place when its page is written: the
printed reading between the words the edition sets beside it must be a sequence of the
copy-text, so an edited reading that repeats its neighbour (a join printed "of of") is
reported at its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError, ExtensionError
from sphinx.util import logging

from .config import COPY_TEXT, COPY_TEXT_BLOCKS, COPY_TEXT_CITATIONS, COPY_TEXT_UNTIL
from .emendations import emendation, emendation_name
from .fidelity import CitationForms, ReadingUnit, context_in_copy_text, mismatches, normalise
from .paragraph import numbered_paragraph
from .strict_data import DataError, shown_path

logger = logging.getLogger(__name__)

#: The domain's store of reading units: ``{(page, place on the page): UnitOnPage}``.
STORE = "reading_units"

#: Block elements whose text a reader reads as separated from the next.
BLOCKS = (nodes.paragraph, nodes.list_item, nodes.line, nodes.title, nodes.entry, nodes.term, nodes.definition)


class UnitOnPage(NamedTuple):
    """A reading unit as the domain keeps it: :class:`~scholarly_edition.fidelity.ReadingUnit`
    with where it stands."""

    docname: str
    position: int  # its place among the page's units
    name: str  # the paragraph's id, or the block's name
    printed: str
    joins: int
    moved: bool
    block: bool
    line: int | None

    def unit(self) -> ReadingUnit:
        return ReadingUnit(self.name, self.printed, self.joins, self.moved, self.block)


def copy_text_path(app: Sphinx) -> Path | None:
    """The copy-text the configuration names, from the configuration's folder; ``None``
    when the check is off."""
    name = app.config[COPY_TEXT]
    return Path(app.confdir, name) if name else None


def citation_forms(config: Config) -> CitationForms:
    return CitationForms.from_mapping(config[COPY_TEXT_CITATIONS])


def _words(node: nodes.Node, out: list[str], kinds: list[str], citations: CitationForms) -> None:
    """The words a reader reads in ``node``, emendations read as printed."""
    if isinstance(node, nodes.Text):
        out.append(str(node))
        return
    if not isinstance(node, nodes.Element):
        return
    if "editorial" in node.get("classes", []) or isinstance(node, nodes.system_message | nodes.comment):
        return
    if isinstance(node, emendation):
        out.append(node["printed"])
        kinds.append(node["kind"])
        return
    if isinstance(node, addnodes.pending_xref):
        marker = citations.marker(f"{node.get('refdomain', '')}:{node.get('reftype', '')}")
        if marker is not None:
            out.append(f" {marker} ")
            return
    for child in node.children:
        _words(child, out, kinds, citations)
    if isinstance(node, BLOCKS):
        out.append("\n")


def reading_units(doctree: nodes.document, citations: CitationForms, blocks: dict[str, str]) -> list[UnitOnPage]:
    """Each numbered paragraph of the page and each block of the copy-text's words, in the
    page's order, as read before its citations are generated."""
    docname = doctree.settings.env.docname

    def holds_text(node: nodes.Node) -> bool:
        return isinstance(node, numbered_paragraph) or (
            isinstance(node, nodes.Body) and any(name in blocks for name in node.get("classes", [])))

    found = []
    for position, node in enumerate(doctree.findall(holds_text)):
        out: list[str] = []
        kinds: list[str] = []
        for child in node.children:
            _words(child, out, kinds, citations)
        block = not isinstance(node, numbered_paragraph)
        name = next(blocks[c] for c in node["classes"] if c in blocks) if block else node["ids"][0]
        found.append(UnitOnPage(docname, position, name, normalise("".join(out)), kinds.count("join"),
                                "transposition" in kinds, block, node.line))
    return found


def _store(env: BuildEnvironment) -> dict[tuple[str, int], UnitOnPage]:
    return env.get_domain("edition").data[STORE]


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """Keep the page's units. A page that holds the text depends on the copy-text, so a
    change to the copy-text reads it again, and the check (which Sphinx runs only when a
    page was read) runs."""
    path = copy_text_path(app)
    if path is None:
        return
    units = reading_units(doctree, citation_forms(app.config), app.config[COPY_TEXT_BLOCKS])
    if units:
        _store(app.env).update({(unit.docname, unit.position): unit for unit in units})
        app.env.note_dependency(str(path))


def _reading_order(env: BuildEnvironment) -> list[str]:
    """The pages in the order a reader meets them, then any page outside the contents."""
    order = env.get_domain("edition").reading_order()  # type: ignore[attr-defined]
    return order + sorted(d for d in env.found_docs if d not in order)


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Hold every paragraph of the text to the copy-text; warn at each difference."""
    path = copy_text_path(app)
    if path is None:
        return
    by_doc: dict[str, list[UnitOnPage]] = {}
    for unit in _store(env).values():
        by_doc.setdefault(unit.docname, []).append(unit)
    units = [unit for docname in _reading_order(env) for unit in sorted(by_doc.get(docname, []))]
    if not units:
        return
    where: dict[str, UnitOnPage] = {}
    for unit in units:
        where.setdefault(unit.name, unit)
    try:
        found = mismatches([unit.unit() for unit in units], path, app.config[COPY_TEXT_UNTIL], citation_forms(app.config))
    except DataError as error:
        raise ExtensionError(f"data error: {error}") from error
    for mismatch in found:
        unit = where.get(mismatch.unit or "")
        location: Any = (unit.docname, unit.line) if unit else f"{shown_path(path)}:{mismatch.line}"
        logger.warning(f"the text differs from the copy-text: {mismatch}", location=location,
                       type="edition", subtype="fidelity")


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
    """Each printed reading, between the words the edition sets beside it (its citations
    written by now), must be a sequence of the copy-text. An edited reading that repeats its
    neighbour's word (a join printed "of of") fails the build here, at its line."""
    path = copy_text_path(app)
    if path is None:
        return
    for node in doctree.findall(emendation):
        paragraph = node.parent
        while paragraph is not None and not isinstance(paragraph, nodes.TextElement):
            paragraph = paragraph.parent
        if paragraph is None:
            continue
        before, after = _around(paragraph, node)
        try:
            wrong = context_in_copy_text(before, node["printed"], after, path)
        except DataError as error:
            raise ExtensionError(f"data error: {error}") from error
        if wrong is not None:
            logger.warning(f"{emendation_name(app.env, node['key'])}: read as printed, the text here is '{wrong}', which the "
                           "copy-text does not print (a word doubled at the reading's edge?)", location=node,
                           type="edition", subtype="fidelity")


def _check_settings(app: Sphinx, config: Config) -> None:
    """A citation form that is not a regular expression stops the build, naming the setting."""
    try:
        citation_forms(config)
    except (re.error, ValueError) as error:
        raise ConfigError(f"{COPY_TEXT_CITATIONS}: {error}") from error


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _check_settings)
    app.connect("doctree-read", collect)
    app.connect("env-check-consistency", check)
    app.connect("doctree-resolved", check_emendations_in_context)

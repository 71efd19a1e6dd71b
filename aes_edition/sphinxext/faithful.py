"""The build holds the paper's text to the copy-text: ``make html`` fails, naming the
paragraph, when a paragraph reads otherwise than the copy-text except where the apparatus
records a change.

Each page, as it is read, yields its *reading units*: every ``{para}`` paragraph of the
paper (and the title block), reduced to the authors' words with each emendation read as
printed and the editors' furniture left out (:func:`reading_units`). They are kept in the
environment by page, so an incremental build, which reads only the pages that changed,
still checks the whole book: once every page has been read (``env-check-consistency``,
run by every build), the units of all pages, in reading order, are held to the copy-text
by :func:`aes_edition.fidelity.unmatched_units`, the same comparison the tests make on the
published HTML. Each difference is a warning at the paragraph's line; under ``-W`` it
fails the build.

Citations are generated from the bibliography when the page is written, so here a
citation stands for whatever the copy-text prints in its place
(:data:`aes_edition.fidelity.CITATION`); ``tests/test_reading_text.py`` compares the
published words, citations included.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from scholarly_edition.paragraph import numbered_paragraph
from scholarly_edition.strict_data import shown_path
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..fidelity import CITATION, CITATION_IN_TEXT, CITATION_YEAR, ReadingUnit, normalise, unmatched_units
from ..paths import COPY_TEXT
from .emendation import emendation
from .pages import PerPageDomain, reading_order

logger = logging.getLogger(__name__)


class ReadingUnitsDomain(PerPageDomain):
    """Holds each page's reading units: ``{docname: [unit as a tuple, …]}``."""

    name = "aes-reading-units"
    label = "The paper's text as each page prints it"
    data_version = 1
    store = "units"
TITLE_BLOCK = "title-block"
# Block elements whose text a reader reads as separated from the next.
BLOCKS = (nodes.paragraph, nodes.list_item, nodes.line, nodes.title, nodes.entry, nodes.term, nodes.definition)


def _words(node: nodes.Node, out: list[str], kinds: list[str]) -> None:
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
    cited = isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite"
    if cited or type(node).__name__ in ("citation_reference", "pending_citation"):
        kind = str(node.get("reftype", ""))
        marker = CITATION_IN_TEXT if kind.startswith("t") else CITATION_YEAR if kind == "year" else CITATION
        out.append(f" {marker} ")
        return
    for child in node.children:
        _words(child, out, kinds)
    if isinstance(node, BLOCKS):
        out.append("\n")


def reading_units(doctree: nodes.document) -> list[tuple[str, str, int, bool, bool, int | None]]:
    """``(name, words as printed, joins, moved, block, line)`` for each paragraph of the
    paper in the page (and its title block), in the page's order."""
    found = []
    for node in doctree.findall(lambda n: isinstance(n, numbered_paragraph)
                                or (isinstance(n, nodes.container) and TITLE_BLOCK in n.get("classes", []))):
        out: list[str] = []
        kinds: list[str] = []
        for child in node.children:
            _words(child, out, kinds)
        block = not isinstance(node, numbered_paragraph)
        name = "title block" if block else node["ids"][0]
        found.append((name, normalise("".join(out)), kinds.count("join"), "transposition" in kinds, block, node.line))
    return found


def _units(env: BuildEnvironment) -> dict[str, list[tuple]]:
    return env.get_domain(ReadingUnitsDomain.name).pages


def _copy_text(app: Sphinx) -> Path:
    return Path(app.config.edition_copy_text or COPY_TEXT)


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """Keep the page's units. A page that holds the paper depends on the copy-text, so a
    change to the copy-text reads it again, and the check (which Sphinx runs only when a
    page was read) runs."""
    units = reading_units(doctree)
    if units:
        _units(app.env)[app.env.docname] = units
        app.env.note_dependency(str(_copy_text(app)))
    else:
        _units(app.env).pop(app.env.docname, None)




def _reading_order(env: BuildEnvironment) -> list[str]:
    """The pages in the order a reader meets them, then any page outside the contents."""
    order = reading_order(env)
    return order + sorted(d for d in env.found_docs if d not in order)


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Hold every paragraph of the book to the copy-text; warn at each difference."""
    copy_text = _copy_text(app)
    by_doc = _units(env)
    units: list[ReadingUnit] = []
    where: dict[str, tuple[str, int | None]] = {}
    for docname in _reading_order(env):
        for name, printed, joins, moved, block, line in by_doc.get(docname, []):
            units.append(ReadingUnit(name, printed, joins, moved, block))
            where.setdefault(name, (docname, line))
    if not units:
        return
    for problem in unmatched_units(units, copy_text):
        name = problem.split(":", 1)[0]
        docname, line = where.get(name, (None, None))
        if docname:
            logger.warning(f"the paper's text differs from the copy-text: {problem}", location=(docname, line),
                           type="edition", subtype="fidelity")
        else:  # a line of the copy-text that no paragraph holds
            logger.warning(f"{shown_path(copy_text)}: the paper's text differs from the copy-text: {problem}",
                           type="edition", subtype="fidelity")


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_copy_text", "", "env", types=[str])
    app.connect("doctree-read", collect)
    app.add_domain(ReadingUnitsDomain)
    app.connect("env-check-consistency", check)

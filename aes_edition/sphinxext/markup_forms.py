"""The edition's markup, whatever its spelling, is read alike by the build and by the
checks that run before it; and every label of the book names one place.

The paragraph registry (:mod:`aes_edition.paragraphs`) and the record of the review
(:func:`aes_edition.review.editors_notes`) read the chapters before Sphinx, through
:mod:`aes_edition.myst_blocks`. For each page Sphinx reads, this module compares the
paragraphs and editors' notes in the parsed document with what that reader finds in the
page's source, so a spelling the reader does not know (a directive written through
``{eval-rst}``, a paragraph in a notebook) fails the build with a message instead of
escaping the data checks. It also refuses an id given to two elements of one page, and a
label (a paragraph's, a note's, an explicit target's) used by two pages: the edition's
directives register their labels themselves, and Sphinx would let the last one win.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from docutils import nodes
from scholarly_edition.notes import editors_note
from scholarly_edition.paragraph import numbered_paragraph
from scholarly_edition.strict_data import DataError, read_text
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..myst_blocks import find
from ..paragraphs import parse_chapter
from .pages import PerPageDomain

logger = logging.getLogger(__name__)


class PageLabelsDomain(PerPageDomain):
    """Holds the labels each page defines: ``{docname: sorted labels}``."""

    name = "aes-page-labels"
    label = "Labels of each page"
    data_version = 1
    store = "labels"


def _source_forms(path: Path) -> tuple[list[str], list[str]]:
    """(paragraph ids, note titles) that the pre-build reader finds in the page's source."""
    if path.suffix != ".md":
        return [], []
    text = read_text(path)
    return [d.argument for d in find(text, "para")], [" ".join(d.argument.split()) for d in find(text, "ednote")]


def compare_with_source(app: Sphinx, doctree: nodes.document) -> None:
    """Warn when the page's paragraphs or notes differ from what the checks read."""
    env = app.env
    path = Path(env.doc2path(env.docname))
    read = [node["ids"][0] for node in doctree.findall(numbered_paragraph) if node["ids"]]
    notes = [" ".join(node["title"].split()) for node in doctree.findall(editors_note)]
    try:
        paragraphs, titles = _source_forms(path)
        if paragraphs and path.parent.name == "chapters":
            parse_chapter(path)  # its id checks, as the data check makes them
    except DataError as error:
        logger.warning(f"{error}", location=(env.docname, None), type="edition", subtype="markup")
        return
    if read and path.parent.name != "chapters":
        logger.warning(f"paragraphs {', '.join(read)} of the paper stand outside chapters/, where the edition's "
                       "checks do not read them: the paper's paragraphs belong in chapters/*.md",
                       location=(env.docname, None), type="edition", subtype="markup")
        return
    if read != paragraphs:
        missed = [pid for pid in read if pid not in paragraphs] or read
        logger.warning(f"paragraphs {', '.join(missed)} are written in a form the edition's checks do not read "
                       "(they read ':::{para} <id>' or '```{para} <id>' fences in chapters/*.md, nested or not): "
                       "write them as such a fence", location=(env.docname, None), type="edition", subtype="markup")
    if notes != titles:
        missed = [title for title in notes if title not in titles] or notes
        logger.warning(f"editors' notes {', '.join(repr(t) for t in missed)} are written in a form the edition's "
                       "checks do not read (':::{ednote} <title>' or '```{ednote} <title>' fences): write them as "
                       "such a fence", location=(env.docname, None), type="edition", subtype="markup")


def record_ids(app: Sphinx, doctree: nodes.document) -> None:
    """Refuse an id that two elements of the page share; keep the page's labels for
    :func:`check_labels`."""
    counts = Counter(node_id for node in doctree.findall(nodes.Element) for node_id in node.get("ids", []))
    for node_id, count in sorted(counts.items()):
        if count > 1:
            logger.warning(f"id '{node_id}' is given to {count} elements of this page; ids must be unique",
                           location=(app.env.docname, None), type="edition", subtype="ids")
    # The page's labels: its explicit targets, and the ids the edition's directives
    # registered as labels of this page while it was read.
    std = app.env.get_domain("std")
    explicit = {doctree.nameids[name] for name, is_explicit in doctree.nametypes.items()
                if is_explicit and doctree.nameids.get(name)}
    registered = {node_id for node_id in counts
                  if std.anonlabels.get(node_id, (None,))[0] == app.env.docname}  # type: ignore[attr-defined]
    _ids(app.env)[app.env.docname] = sorted(explicit | registered)


def _ids(env: BuildEnvironment) -> dict[str, list[str]]:
    return env.get_domain(PageLabelsDomain.name).pages




def check_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """A label names one element of the book: one that two pages carry is refused."""
    pages: dict[str, list[str]] = {}
    for docname, ids in sorted(_ids(env).items()):
        for node_id in ids:
            pages.setdefault(node_id, []).append(docname)
    for label, docs in sorted(pages.items()):
        if len(docs) > 1:
            logger.warning(f"label '{label}' is used by {' and '.join(docs)}: a label names one place in the book",
                           location=(docs[-1], None), type="edition", subtype="ids")


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", compare_with_source)
    app.connect("doctree-read", record_ids)
    app.add_domain(PageLabelsDomain)
    app.connect("env-check-consistency", check_labels)

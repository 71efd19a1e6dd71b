"""Each emendation read in its place against the copy-text.

The extension sets the edited readings (``{emend}`E04```, :mod:`scholarly_edition.emendations`)
and the apparatus from ``data/emendations.csv``. What is the edition's is the check that the
printed reading, between the words the chapter sets beside it, is a sequence of the
copy-text, so that an edited reading that repeats its neighbour (a join printed "of of")
fails the build at its line, not only in the tests.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from scholarly_edition.emendations import emendation
from sphinx.application import Sphinx
from sphinx.util import logging

from ..fidelity import context_in_copy_text
from ..paths import COPY_TEXT

logger = logging.getLogger(__name__)


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


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", check_emendations_in_context)

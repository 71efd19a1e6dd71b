"""Typographic text everywhere on the HTML pages, also in text that no reader of MyST saw.

Sphinx turns straight quotes into typographic ones while it reads a page. Text made later,
from data or by the edition's code, missed that step: the bibliography entries pybtex
formats from the ``.bib`` files ("West Africa's"), the citations' author labels, the notes'
titles in the lists of places (:mod:`scholarly_edition.backlinks`), the timeline's lists of notes. When an
HTML page is written, docutils' smart quotes run over it once more, for quotes only
(``--`` in generated text is left alone), skipping code and literal text as Sphinx does
when reading; text already made typographic does not change.

A dash never starts a line: a word and the em dash after it are kept together
(``span.nobr``), so that a line breaks after the dash, not before it (an en dash never
starts a line: Unicode's line breaking allows a break only after it). The text itself is
unchanged, so the fidelity tests read the same words.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.utils import smartquotes
from scholarly_edition.textnodes import wrap_matches
from sphinx.application import Sphinx
from sphinx.util.nodes import is_smartquotable

# An em dash may break before or after it (Unicode line breaking, class B2); an en dash only
# after it (class BA), so it never starts a line and is left alone.
WORD_AND_DASH = re.compile(r"(\S+—)")


FIXED = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw)


def _typographic_quotes(doctree: nodes.document, language: str) -> None:
    """Straight quotes to typographic ones, block by block (so that a quotation that spans a
    link is seen whole), as docutils' SmartQuotes does, with its action "q" only."""
    for block in list(doctree.findall(nodes.TextElement)):
        if isinstance(block, FIXED) or isinstance(block.parent, nodes.TextElement):
            continue
        texts = [t for t in block.findall(nodes.Text) if t.parent is not None]
        if not any(("'" in t or '"' in t) for t in texts):
            continue
        tokens = [("plain" if is_smartquotable(t) else "literal", str(t)) for t in texts]
        for text, new in zip(texts, smartquotes.educate_tokens(tokens, attr="q", language=language), strict=True):
            if new != str(text) and text.parent is not None:
                text.parent.replace(text, nodes.Text(new))


def _keep_dashes_with_their_words(doctree: nodes.document) -> None:
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or not is_smartquotable(text) or "nobr" in parent.get("classes", []):
            continue
        wrap_matches(text, WORD_AND_DASH, ["nobr"])


def typographic_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    if app.config.smartquotes:
        _typographic_quotes(doctree, app.config.language or "en")
    _keep_dashes_with_their_words(doctree)


def setup(app: Sphinx) -> None:
    # After the lists of places (scholarly_edition.backlinks) and the marks' names (emendation.py) are added.
    app.connect("doctree-resolved", typographic_page, priority=900)

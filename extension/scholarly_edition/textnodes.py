"""Wrapping parts of a text node in an inline of their own, for extensions that style
words inside text they did not write (the editors' supplements, a word kept with its dash)."""

from __future__ import annotations

import re

from docutils import nodes


def wrap_matches(text: nodes.Text, pattern: re.Pattern[str], classes: list[str]) -> None:
    """Replace ``text`` by its pieces, each match of ``pattern`` (a pattern with one group
    around the whole match, so that ``split`` keeps it) in an inline with ``classes``."""
    pieces = pattern.split(str(text))
    if len(pieces) == 1 or text.parent is None:
        return
    replacement: list[nodes.Node] = []
    for piece in pieces:
        if pattern.fullmatch(piece):
            replacement.append(nodes.inline(piece, piece, classes=list(classes)))
        elif piece:
            replacement.append(nodes.Text(piece))
    text.parent.replace(text, replacement)

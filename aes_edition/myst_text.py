"""Text from data, written into MyST so that the parser reads it back as that text and
nothing else.

The pages generated from data (glossary, timeline, apparatus, register) and the notebooks'
tables are written as MyST and parsed by Sphinx, so a value that held ``*``, ``<b>``,
``{cite}`…```, ``$x$``, ``&amp;``, ``(label)=`` or ``% `` at a line's start would turn
into markup: live HTML in the page and in its hover previews, a role Sphinx runs, a
comment that swallows the line. CommonMark lets every ASCII punctuation character be
escaped with a backslash, and an escaped character is always text, so :func:`literal`
escapes all of them (and folds line breaks, which would end a paragraph or a table row).
Straight quotes are the one exception: the chapters' typography (MyST's ``smartquotes``)
sets them as typographic quotes, which is how the paper prints them.

``tests/test_myst_text.py`` holds :func:`literal` to this with generated hostile strings,
parsing them with the book's own MyST configuration.
"""

from __future__ import annotations

import re
import string

# Every ASCII punctuation character but the straight quotes, which smartquotes sets.
_SPECIAL = re.compile("([" + re.escape("".join(c for c in string.punctuation if c not in "\"'")) + "])")
# White space, and every character at which Python's str.splitlines ends a line (docutils cuts a
# directive's content into lines with it, so a line separator, U+2028, inside a table cell
# would cut the row in two).
_BREAKS = re.compile("[ \t\r\n\f\v\x1c\x1d\x1e\x85\u2028\u2029]+")


def literal(text: str) -> str:
    """``text`` as MyST inline markup that reads as exactly ``text`` (runs of white space
    and line breaks, Unicode's line and paragraph separators included, folded into one
    space, so that a value can neither end a paragraph or a table row nor indent a line
    into a code block)."""
    return _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", text))


def link(text: str, url: str) -> str:
    """A link to ``url`` named ``text``, both taken literally. The address is written in
    angle brackets, inside which backslash escapes also hold (an address from data may
    hold ``)`` or ``*``); it must hold no white space or angle bracket (the loaders'
    address patterns refuse them)."""
    if _BREAKS.search(url) or "<" in url or ">" in url:
        raise ValueError(f"not an address: {url!r}")
    address = _SPECIAL.sub(r"\\\1", url)
    return f"[{literal(text)}](<{address}>)"

"""``python -m aes_edition.check_data``: validate every data table before Sphinx runs.

The build runs this first so that a bad row stops ``make html`` with one line naming
the file, the row and the field, instead of surfacing later as a broken page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .bibfiles import load_bibliography
from .emendations import load_emendations
from .errors import DataError
from .glossary import load_glossary
from .paragraphs import all_paragraphs
from .reference_register import load_register
from .sources import load_editors_sources
from .timeline import load_timeline
from .toc import check_toc

CHECKS: list[tuple[str, Callable[[], object]]] = [
    ("emendations", load_emendations),
    ("reference register", load_register),
    ("editors' sources", load_editors_sources),
    ("glossary", load_glossary),
    ("timeline", load_timeline),
    # The book's structure and references: checked here because Sphinx reports these
    # faults late, vaguely or not at all (see each module's docstring).
    ("table of contents", check_toc),
    ("paragraph ids", all_paragraphs),
    ("bibliography files", load_bibliography),
]


def main() -> int:
    """Run every loader; print each failure and return non-zero if any failed."""
    reported: list[str] = []
    for _name, load in CHECKS:
        try:
            load()
        except DataError as error:
            if str(error) not in reported:  # two loaders may trip over the same bad line
                print(f"data error: {error}", file=sys.stderr)
                reported.append(str(error))
    return 1 if reported else 0


if __name__ == "__main__":
    sys.exit(main())

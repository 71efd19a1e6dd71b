"""``python -m aes_edition.check_data``: validate every data table before Sphinx runs.

The build runs this first so that a bad row stops ``make html`` with one line naming
the file, the row and the field, instead of surfacing later as a broken page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .emendations import load_emendations
from .errors import DataError
from .glossary import load_glossary
from .reference_register import load_register
from .sources import load_editors_sources
from .timeline import load_timeline

CHECKS: list[tuple[str, Callable[[], object]]] = [
    ("emendations", load_emendations),
    ("reference register", load_register),
    ("editors' sources", load_editors_sources),
    ("glossary", load_glossary),
    ("timeline", load_timeline),
]


def main() -> int:
    """Run every loader; print each failure and return non-zero if any failed."""
    failed = 0
    for _name, load in CHECKS:
        try:
            load()
        except DataError as error:
            print(f"data error: {error}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

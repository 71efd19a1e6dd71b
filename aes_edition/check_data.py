"""``python -m aes_edition.check_data``: validate every data table before Sphinx runs.

The build runs this first so that a bad row stops ``make html`` with one line naming
the file, the row and the field, instead of surfacing later as a broken page.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from scholarly_edition.strict_data import DataError

from .analysis_data import load_concept_map, load_traceability
from .bibfiles import load_bibliography
from .changelog import check_changelog
from .citation import check_citation
from .emendations import load_emendations
from .glossary import load_glossary
from .notebook_inputs import check_notebooks
from .paragraphs import all_paragraphs
from .persons import load_persons
from .publishing import PublishingError, from_config
from .reference_register import load_register
from .review import load_review
from .sources import load_editors_sources
from .timeline import load_timeline
from .toc import check_toc

CHECKS: list[tuple[str, Callable[[], object]]] = [
    # Where the edition is published (repository.url in _config.yml): every address derives from it.
    ("publishing settings", from_config),
    # The book's structure and references first: the tables below rely on them, and
    # Sphinx reports their faults late, vaguely or not at all (see each module's docstring).
    ("table of contents", check_toc),
    ("notebooks", check_notebooks),
    ("paragraph ids", all_paragraphs),
    ("bibliography files", load_bibliography),
    ("citation file", check_citation),
    # The versions of the edition: the newest released one is the citation file's.
    ("changelog", check_changelog),
    ("emendations", load_emendations),
    ("reference register", load_register),
    ("editors' sources", load_editors_sources),
    ("glossary", load_glossary),
    ("timeline", load_timeline),
    ("concept map", load_concept_map),
    ("persons of the index", load_persons),
    ("traceability matrix", load_traceability),
    # Last: the record names items of every table above.
    ("record of the review", load_review),
]


def main() -> int:
    """Run every loader; print each failure and return non-zero if any failed.

    A loader that crashes instead of raising DataError (say, on a file an earlier check
    already rejected) is reported with its traceback, and the other checks still run, so
    the precise message is never hidden behind a crash.
    """
    reported: list[str] = []
    for name, load in CHECKS:
        try:
            load()
        except (DataError, PublishingError) as error:
            if str(error) not in reported:  # two loaders may trip over the same bad line
                kind = "configuration error" if isinstance(error, PublishingError) else "data error"
                print(f"{kind}: {error}", file=sys.stderr)
                reported.append(str(error))
        except Exception as error:  # reported in full, then the next check runs
            traceback.print_exc()
            print(f"data error: the {name} check crashed: {type(error).__name__}: {error}", file=sys.stderr)
            reported.append(name)
    return 1 if reported else 0


if __name__ == "__main__":
    sys.exit(main())

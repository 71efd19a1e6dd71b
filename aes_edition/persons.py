"""The persons of the printed index, from ``data/persons.csv``.

Each row is one person as the index lists them (``name``: "Buzan, Barry"), the forms in which
the paper or the editors write the name (``forms``, separated by ``|``: "Buzan"), and the
source that gives the full name (``source``, a key of ``references.bib`` or ``editors.bib``).
The places are never typed: the PDF build indexes every paragraph and note whose text holds
one of the forms (:class:`aes_edition.sphinxext.pdf.IndexEntries`). A form that no chapter
holds is an error, so a row cannot outlive the text it indexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.strict_data import DataError, check_unique, read_rows, read_text

from .paths import CHAPTERS, DATA
from .sources import known_keys

FILE = DATA / "persons.csv"


@dataclass(frozen=True)
class Person:
    name: str
    forms: tuple[str, ...]
    source: str

    def pattern(self) -> re.Pattern[str]:
        """Any of the forms as a whole word (followed by anything but a letter: "Walt's")."""
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(form) for form in self.forms) + r")(?!\w)")


def load_persons(path: Path = FILE, chapters: Path = CHAPTERS) -> list[Person]:
    """Load and check the persons: every field given, names unique, the source a known
    citation key, every form found in some chapter."""
    rows = list(read_rows(path, ["name", "forms", "source"]))
    check_unique(path, "name", [(number, row["name"]) for number, row in rows])
    text = "\n".join(read_text(chapter) for chapter in sorted(chapters.glob("*.md")))
    keys = known_keys()
    persons = []
    for number, row in rows:
        forms = tuple(form.strip() for form in row["forms"].split("|"))
        if not all(forms):
            raise DataError(path, number, "forms", "an empty form (forms are separated by '|')")
        if row["source"] not in keys:
            raise DataError(path, number, "source", f"unknown citation key '{row['source']}'")
        person = Person(row["name"], forms, row["source"])
        missing = [form for form in forms if not Person(person.name, (form,), "").pattern().search(text)]
        if missing:
            raise DataError(path, number, "forms", f"'{missing[0]}' is not found in any chapter")
        persons.append(person)
    return persons

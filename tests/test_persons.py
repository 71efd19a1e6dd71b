"""The persons of the printed index (data/persons.csv): each row is checked, and the PDF's
index lists each person (tests/test_pdf.py reads the index back)."""

from __future__ import annotations

import pytest
from scholarly_edition.strict_data import DataError

from aes_edition.persons import FILE, Person, load_persons

HEADER = "name,forms,source\n"


def _table(tmp_path, rows: str):
    path = tmp_path / "persons.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_the_persons_of_the_edition_load():
    persons = load_persons()
    assert len(persons) >= 5 and all(person.forms and person.source for person in persons)


@pytest.mark.parametrize(("rows", "problem"), [
    ('"Buzan, Barry",Buzan,nosuchkey\n', r"row 2, field 'source'.*unknown citation key 'nosuchkey'"),
    ('"Nobody, Anne",Nobodyatall,buzan1998security\n', r"row 2, field 'forms'.*'Nobodyatall' is not found"),
    ('"Buzan, Barry",Buzan|,buzan1998security\n', r"row 2, field 'forms'.*an empty form"),
    ('"Buzan, Barry",,buzan1998security\n', r"row 2, field 'forms'.*required field is empty"),
    ('"Buzan, Barry",Buzan,buzan1998security\n"Buzan, Barry",Buzan,buzan1998security\n', r"row 3.*duplicate"),
])
def test_a_bad_row_is_named(tmp_path, rows, problem):
    with pytest.raises(DataError, match=problem):
        load_persons(_table(tmp_path, rows))


def test_a_form_matches_whole_words_only():
    walt = Person("Walt, Stephen M.", ("Walt",), "walt1987origins").pattern()
    assert walt.search("Walt's theory") and walt.search("(Walt, 1987)")
    assert not walt.search("Walton") and not walt.search("Waltz")


def test_the_table_is_the_edition_s():
    assert FILE.name == "persons.csv" and FILE.parent.name == "data"

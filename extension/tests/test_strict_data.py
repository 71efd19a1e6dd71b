"""The data-validation API (:mod:`scholarly_edition.strict_data`): every fault is one
:class:`DataError` whose message names the file as the editor would type it, the line and
the field."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from scholarly_edition.strict_data import DataError, check_unique, load_yaml, read_rows, read_text


def project(tmp_path: Path, marker: str = "conf.py") -> Path:
    (tmp_path / marker).write_text("", encoding="utf-8")
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


@pytest.mark.parametrize("marker", ["conf.py", "_config.yml"])
def test_a_path_is_shown_from_its_project(tmp_path: Path, marker: str) -> None:
    table = project(tmp_path, marker) / "kinds.csv"
    table.write_text("id,name\nA,\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        list(read_rows(table, ["id", "name"]))
    assert str(caught.value) == "data/kinds.csv, row 2, field 'name': required field is empty"


def test_outside_a_project_the_bare_name_is_shown(tmp_path: Path) -> None:
    table = tmp_path / "kinds.csv"
    table.write_text("id\nA\nA\n", encoding="utf-8")
    rows = list(read_rows(table, ["id"]))
    with pytest.raises(DataError, match=r"^kinds\.csv, row 3, field 'id': duplicate id 'A' \(first used in row 2\)$"):
        check_unique(table, "id", [(n, r["id"]) for n, r in rows])


@pytest.mark.parametrize(("text", "problem"), [
    ("id,name\nA,\"open\n", "line 2: malformed CSV: a quoted field is not closed"),
    ("id,name\nA,b,c\n", "line 2: 3 values for 2 columns"),
    ("id,id\n", "line 1, column 'id': column named twice"),
    ("\ufeffid\nA\n", "line 1: starts with a UTF-8 byte-order mark"),
])
def test_malformed_tables_are_refused_with_their_line(tmp_path: Path, text: str, problem: str) -> None:
    table = project(tmp_path) / "t.csv"
    table.write_bytes(text.encode("utf-8"))
    with pytest.raises(DataError) as caught:
        list(read_rows(table, ["id"], ["name"]))
    assert str(caught.value).startswith(f"data/t.csv, {problem}")


def test_yaml_refuses_a_repeated_key_and_can_read_everything_as_text(tmp_path: Path) -> None:
    data = project(tmp_path)
    (data / "twice.yaml").write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^data/twice\.yaml, line 3: not valid YAML: .*key 'a' repeated"):
        load_yaml(data / "twice.yaml")
    (data / "text.yaml").write_text("term: NO\nversion: 1.10\n", encoding="utf-8")
    assert load_yaml(data / "text.yaml", text_only=True) == {"term": "NO", "version": "1.10"}
    assert load_yaml(data / "text.yaml") == {"term": False, "version": 1.1}


def test_every_control_character_but_tab_and_line_ends_is_refused_at_its_line(tmp_path: Path) -> None:
    """The reader's one pattern must agree with Unicode's category Cc: every Cc character of
    the whole code space is tried, and the other characters of the first 512 code points and
    the format characters (Cf), which are their nearest neighbours."""
    controls = [c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(c) == "Cc"]
    others = [c for c in map(chr, range(sys.maxunicode + 1))
              if (ord(c) < 512 or unicodedata.category(c) == "Cf") and unicodedata.category(c) != "Cc"]
    path = tmp_path / "notes.txt"
    for char in controls + others:
        path.write_text(f"first line\nsecond {char} line\n", encoding="utf-8", newline="")
        if char in controls and char not in "\t\n\r":
            with pytest.raises(DataError, match=f"line 2.*control character U\\+{ord(char):04X}"):
                read_text(path)
        else:
            assert read_text(path) == f"first line\nsecond {char} line\n"

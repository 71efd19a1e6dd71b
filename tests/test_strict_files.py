"""Every file the data check reads is read strictly (the extension's scholarly_edition.strict_data): each kind
of malformed input gives one DataError naming the file, the line and the problem, and
nothing is silently dropped or merged. The last tests hold every loader to this one path,
so a loader added later cannot read a file leniently."""

from __future__ import annotations

import builtins
import io
import re
import sys
from pathlib import Path

import pytest
from scholarly_edition import strict_data as strict_files
from scholarly_edition.strict_data import DataError, load_yaml, read_csv_table, read_rows, read_text

from aes_edition.check_data import CHECKS
from aes_edition.paths import ROOT

TABLE = "id,name,note\nA1,first,plain\nA2,second,\"with, a comma\"\nA3,third,last\n"

CSV_FAULTS = [
    # (what, damage (old, new), line named, words of the problem)
    ("unclosed quote swallowing rows", ('A2,second,"with, a comma"', 'A2,second,"with, a comma'), 3, "not closed"),
    ("quote closed rows too late", ("A1,first,plain\nA2,", 'A1,"first,plain\nA2",'), 2, "runs over lines 2–3"),
    ("quote inside an unquoted field", ("first,plain", 'first,pl"ain'), 2, "quote inside an unquoted field"),
    ("text after a closing quote", ('"with, a comma"', '"with, a" comma'), 3, "after the closing quote"),
    ("stray delimiter", ("A3,third,last", "A3,third,,last"), 4, "4 values for 3 columns"),
    ("missing delimiter", ("A3,third,last", "A3,third last"), 4, "2 values for 3 columns"),
    ("column named twice", ("id,name,note", "id,name,name"), 1, "column named twice"),
    ("control character", ("first", "fi\x00rst"), 2, "control character U+0000"),
]


@pytest.mark.parametrize(("what", "damage", "line", "problem"), CSV_FAULTS, ids=[f[0] for f in CSV_FAULTS])
def test_malformed_csv_is_named_with_its_line(tmp_path, what, damage, line, problem):
    path = tmp_path / "table.csv"
    old, new = damage
    assert old in TABLE
    path.write_text(TABLE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        list(read_rows(path, ["id", "name"], ["note"]))
    message = str(caught.value)
    assert message.startswith(f"table.csv, line {line}") and problem in message, message
    assert "\n" not in message


def test_the_good_table_reads_every_row(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(TABLE, encoding="utf-8")
    rows = list(read_rows(path, ["id", "name"], ["note"]))
    assert [(n, r["id"], r["note"]) for n, r in rows] == [
        (2, "A1", "plain"), (3, "A2", "with, a comma"), (4, "A3", "last")]


def test_quotes_written_correctly_are_text(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text('id,name\nA1,"He said ""no"", twice"\n', encoding="utf-8")
    assert read_csv_table(path)[1] == [(2, ["A1", 'He said "no", twice'])]


def test_row_numbers_are_lines_even_after_a_blank_line(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,name\nA1,x\n\nA2,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"table.csv, row 4, field 'name': required field is empty"):
        list(read_rows(path, ["id", "name"]))


@pytest.mark.parametrize(("encoded", "problem"), [
    (b"\xef\xbb\xbf" + TABLE.encode(), "line 1: starts with a UTF-8 byte-order mark"),
    (TABLE.encode("utf-16"), "line 1: starts with a UTF-16 byte-order mark"),
    (TABLE.replace("third", "tröisième").encode("latin-1"), "line 4: not UTF-8 text (byte 0xf6"),
])
def test_another_encoding_is_named(tmp_path, encoded, problem):
    path = tmp_path / "table.csv"
    path.write_bytes(encoded)
    with pytest.raises(DataError, match=re.escape(f"table.csv, {problem}")):
        read_text(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r"absent.csv: file is missing"):
        list(read_rows(tmp_path / "absent.csv", ["id"]))


@pytest.mark.parametrize(("text", "problem"), [
    ("- term: AES\n  kind: concept\n  term: ECOWAS\n",
     r"line 3: not valid YAML: .*key 'term' repeated \(first given in line 1\)"),
    ("terms:\n  - term: A\nterms:\n  - term: B\n", r"line 3: not valid YAML: .*key 'terms' repeated"),
    ("- term: [unclosed\n", r"line 2: not valid YAML"),
])
def test_malformed_yaml_is_named_with_its_line(tmp_path, text, problem):
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=f"glossary.yaml, {problem}"):
        load_yaml(path)


def test_yaml_text_stays_text(tmp_path):
    """A glossary term "NO" or "1.10" is text, not false or 1.1."""
    path = tmp_path / "glossary.yaml"
    path.write_text("- term: NO\n  expansion: 1.10\n  kind: ~\n  date: 2024-01-28\n", encoding="utf-8")
    assert load_yaml(path, text_only=True) == [{"term": "NO", "expansion": "1.10", "kind": "~", "date": "2024-01-28"}]
    assert load_yaml(path)[0]["term"] is False  # why the data files are read as text


def test_a_glossary_with_a_repeated_key_is_refused(tmp_path):
    from aes_edition.glossary import load_glossary

    path = tmp_path / "glossary.yaml"
    path.write_text("- term: AES\n  kind: concept\n  definition: One.\n  definition: Two.\n  sources: [x]\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"glossary.yaml, line 4: not valid YAML: .*key 'definition' repeated"):
        load_glossary(path)


def test_a_bib_file_with_a_repeated_field_is_refused(tmp_path):
    from aes_edition.bibfiles import load_bibliography

    path = tmp_path / "references.bib"
    path.write_text("@article{a1, author={X, Y}, title={T}, title={U}, journal={J}, year={2020}}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"references.bib, line 1, entry 'a1': .*duplicate title field"):
        load_bibliography([path])


# --- one reader for every loader ------------------------------------------------------------

CHECKED_SUFFIXES = (".csv", ".yaml", ".yml", ".bib", ".cff", ".md", ".txt")


def test_every_loader_reads_its_files_through_the_strict_reader(monkeypatch):
    """Run every check of ``python -m aes_edition.check_data`` while recording which
    files are read strictly and which are opened any other way: none may be opened
    another way, and the strict reader must have read every table of data/ and the
    bibliographies (a loader that bypassed it would let an unclosed quote drop rows)."""
    strict: set[Path] = set()
    other: set[Path] = set()
    real_read_bytes = Path.read_bytes
    real_read_text = Path.read_text
    real_open = Path.open
    real_builtin_open = builtins.open
    inside = [0]

    def note(path: object) -> Path | None:
        try:
            resolved = Path(path).resolve()  # type: ignore[arg-type]
        except TypeError:
            return None
        if resolved.suffix in CHECKED_SUFFIXES and ROOT in resolved.parents:
            return resolved
        return None

    def strict_read_bytes(self: Path) -> bytes:
        if (found := note(self)) is not None:
            (strict if inside[0] else other).add(found)
        return real_read_bytes(self)

    def tracked_read_text(self: Path, *args, **kwargs) -> str:
        if (found := note(self)) is not None and not inside[0]:
            other.add(found)
        return real_read_text(self, *args, **kwargs)

    def tracked_open(self: Path, *args, **kwargs) -> io.IOBase:
        if (found := note(self)) is not None and not inside[0]:
            other.add(found)
        return real_open(self, *args, **kwargs)

    def tracked_builtin_open(file, *args, **kwargs):
        if (found := note(file)) is not None and not inside[0]:
            other.add(found)
        return real_builtin_open(file, *args, **kwargs)

    real_strict_read_text = strict_files.read_text

    def counted_read_text(path: Path) -> str:
        inside[0] += 1
        try:
            return real_strict_read_text(path)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(Path, "read_bytes", strict_read_bytes)
    monkeypatch.setattr(Path, "read_text", tracked_read_text)
    monkeypatch.setattr(Path, "open", tracked_open)
    monkeypatch.setattr(builtins, "open", tracked_builtin_open)
    # Every module imported the function by name: patch it where it is used.
    for module in list(sys.modules.values()):
        ours = getattr(module, "__name__", "").startswith(("aes_edition", "scholarly_edition"))
        if ours and getattr(module, "read_text", None) is real_strict_read_text:
            monkeypatch.setattr(module, "read_text", counted_read_text)
    from aes_edition.reference_register import _parsed
    _parsed.cache_clear()
    for _name, load in CHECKS:
        load()
    assert sorted(str(p.relative_to(ROOT)) for p in other) == []
    expected = {p.resolve() for p in (ROOT / "data").rglob("*") if p.suffix in (".csv", ".yaml")}
    expected |= {p.resolve() for p in ROOT.glob("*.bib")} | {(ROOT / "_toc.yml").resolve(), (ROOT / "CITATION.cff").resolve()}
    assert sorted(str(p.relative_to(ROOT)) for p in expected - strict) == []


def test_a_repeated_key_in_the_configuration_is_refused(tmp_path):
    """_config.yml is read by Jupyter Book too (which keeps the last of two keys); the data
    check, which runs first, refuses it."""
    from aes_edition.publishing import from_config

    path = tmp_path / "_config.yml"
    path.write_text("repository:\n  url: https://github.com/a/b\nrepository:\n  url: https://github.com/c/d\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"_config.yml, line 3: not valid YAML: .*key 'repository' repeated"):
        from_config(path)

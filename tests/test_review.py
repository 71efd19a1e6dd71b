"""The record of the editorial review (``data/review/*.csv``): a bad row stops the data
check naming its file, row and field; the page "Record of the editorial review" shows
every row, its text as written (never as markup); every editors' note but those on what
followed the paper has its row."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from scholarly_edition.notes import note_label
from scholarly_edition.strict_data import DataError
from sphinx.testing.util import SphinxTestApp

import aes_edition.sphinxext.review as review_page
from aes_edition.check_data import CHECKS
from aes_edition.paths import ROOT
from aes_edition.reference_register import bib_keys
from aes_edition.review import COLUMNS, FOLDER, OUTCOMES, editors_notes, load_review, load_review_file

GOOD = ["abstract: Where the theory is set out", "", "kept", "The note points to a chapter of the paper."]


def write(folder: Path, name: str, rows: list[list[str]], header: list[str] = COLUMNS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_record_passes_and_is_part_of_the_data_check():
    assert "record of the review" in dict(CHECKS)
    assert any(review.scope.file == "notes.csv" for review in load_review())


@pytest.mark.parametrize(("row", "field", "message"), [
    (["about: How to read a note", "", "confirmed", "x"], "outcome", "unknown outcome 'confirmed'"),
    (["about: How to read a note", "no-such-key-2026", "kept", "x"], "sources", "'no-such-key-2026'"),
    (["about: How to read a note", "http://example.org/page", "kept", "x"], "sources", "'http://example.org/page'"),
    (["about: How to read a note", "", "kept", "  "], "finding", "required field is empty"),
    (["", "", "kept", "x"], "item", "required field is empty"),
    (["about: No such note", "", "kept", "x"], "item", "'about: No such note' is not an editors' note"),
    (["impact: Realignment, as it happened", "", "kept", "x"], "item", "is not an editors' note"),  # a later note
    (["about: How to read a note", "copy-text:99999", "kept", "x"], "sources", "the copy-text has no such line"),
])
def test_a_bad_row_is_named_by_file_row_and_field(tmp_path, row, field, message):
    path = write(tmp_path / "review", "notes.csv", [GOOD, row])
    with pytest.raises(DataError) as caught:
        load_review_file(path)
    text = str(caught.value)
    assert text.startswith("data/review/notes.csv, row 3, ") or text.startswith("notes.csv, row 3, "), text
    assert f"field '{field}'" in text and message in text, text


def test_a_repeated_item_is_named_with_its_first_row(tmp_path):
    path = write(tmp_path / "review", "notes.csv", [GOOD, GOOD])
    with pytest.raises(DataError, match=r"row 3, field 'item': duplicate item 'abstract: Where the theory is set out' "
                                        r"\(first reviewed in row 2\)"):
        load_review_file(path)


def test_items_of_other_scopes_are_checked_against_their_tables(tmp_path):
    with pytest.raises(DataError, match=r"emendations.csv, row 2, field 'item': 'E999' is not an emendation id"):
        load_review_file(write(tmp_path, "emendations.csv", [["E999", "", "kept", "x"]]))
    with pytest.raises(DataError, match=r"glossary.csv, row 2, field 'item': 'No such term' is not a term"):
        load_review_file(write(tmp_path, "glossary.csv", [["No such term", "", "kept", "x"]]))
    # A removed item is no longer in its table; the analysis names its items freely.
    assert load_review_file(write(tmp_path, "glossary.csv", [["No such term", "", "removed", "x"]])).rows
    assert load_review_file(write(tmp_path, "analysis.csv", [["page: concept-map", "", "kept", "x"]])).rows


def test_a_file_that_is_not_utf8_text_is_named(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_bytes(b"item,sources,outcome,finding\n\xff\xfe,,kept,x\n")
    with pytest.raises(DataError, match=r"notes.csv, line 2: not UTF-8 text"):
        load_review_file(path)


def test_a_wrong_header_or_a_stray_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r"notes.csv, row 1: the header must be item,sources,outcome,finding"):
        load_review_file(write(tmp_path, "notes.csv", [GOOD], header=["item", "outcome", "sources", "finding"]))
    write(tmp_path / "review", "notes.csv", [GOOD])
    write(tmp_path / "review", "misc.csv", [GOOD])
    with pytest.raises(DataError, match=r"misc.csv: not a file of the record"):
        load_review(tmp_path / "review")


def test_every_note_but_those_on_later_events_is_in_the_record():
    named = {row.item for review in load_review() if review.scope.file == "notes.csv" for row in review.rows}
    notes = [note.name for note in editors_notes() if note.kind != "later"]
    assert len(notes) >= 30
    assert [name for name in notes if name not in named] == []


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')).strip()


def test_the_page_shows_every_row_of_every_file(pages):
    page = pages["chapters/review-record"]
    files = load_review()
    assert files
    tables = page.select("table.review-table")
    assert len(tables) == len(files)
    for review, table in zip(files, tables, strict=True):
        shown = [[_flat(td.get_text(" ")) for td in tr.select("td")] for tr in table.select("tbody tr")]
        assert len(shown) == len(review.rows), review.path.name
        for row, cells in zip(review.rows, shown, strict=True):
            assert cells[:3] == [_flat(row.item), row.outcome, _flat(row.finding)], f"{review.path.name} row {row.row}"
            for source in row.sources:
                if source.startswith("https://"):
                    assert table.find("a", href=source) is not None, source
        counts = ", ".join(f"{n} {outcome}" for outcome, n in review.counts().items())
        assert counts in _flat(page.get_text(" ")), counts


def test_each_note_in_the_record_links_to_the_note(pages):
    """A reader goes from a row of the record to the note it judges, and lands on it."""
    notes = {note.name: note for note in editors_notes()}
    review = next(r for r in load_review() if r.scope.file == "notes.csv")
    table = pages["chapters/review-record"].select("table.review-table")[
        [r.scope.file for r in load_review()].index("notes.csv")]
    for row, tr in zip(review.rows, table.select("tbody tr"), strict=True):
        link = tr.select_one("td.review-item a")
        assert link is not None, f"{row.item}: not linked"
        page, _, anchor = link["href"].partition("#")
        note = notes[row.item]
        assert page == f"{note.chapter}.html" and anchor == note_label(note.chapter, note.title), link["href"]
        target = pages[f"chapters/{note.chapter}"].find(id=anchor)
        assert target is not None and "ednote" in target["class"], row.item


@pytest.fixture()
def mini_book(tmp_path, monkeypatch):
    """A one-page Sphinx project with the record directive, reading a record of our own."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "editors.bib", src / "editors.bib")
    shutil.copy(ROOT / "references.bib", src / "references.bib")
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinxcontrib.bibtex', 'aes_edition.sphinxext.review']\n"
        "bibtex_bibfiles = ['references.bib', 'editors.bib']\n"
        "myst_enable_extensions = ['colon_fence']\n", encoding="utf-8")
    (src / "index.md").write_text("# Record\n\n:::{review-record}\n:::\n\n```{bibliography}\n```\n", encoding="utf-8")
    folder = tmp_path / "review"
    monkeypatch.setattr(review_page, "load_review", lambda: load_review(folder))
    return src, folder


def test_the_reviewers_text_is_shown_as_written_not_as_markup(mini_book):
    src, folder = mini_book
    finding = "Says *not bold*, {cite:t}`walt1987`, <b>raw</b> & &copy; | [x](https://example.org) - 1. item"
    key = next(iter(bib_keys(ROOT / "editors.bib")))
    write(folder, "analysis.csv", [["- page: `concept-map`", key, "unverifiable", finding],
                                   ["page: traceability", "https://example.org/a(b)", "kept", "plain"]])
    app = SphinxTestApp("html", srcdir=src, builddir=src.parent / "build", warningiserror=True)
    try:
        app.build()
    finally:
        app.cleanup()
    html = (src.parent / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "*not bold*" in html and "{cite:t}`walt1987`" in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html and "&amp; &amp;copy;" in html
    assert "[x](https://example.org)" in html and "- page: <code" not in html and "- page: `concept-map`" in html
    assert 'href="https://example.org/a(b)"' in html
    assert "bibtex-citation" in html or 'href="#id' in html  # the key became a citation
    assert "1 unverifiable, 1 kept" not in html and "1 kept, 1 unverifiable" in html  # counts in the format's order
    assert set(OUTCOMES) <= set(re.findall(r"<dt[^>]*>(\w+)", html))


def test_the_record_folder_holds_only_the_scopes_files():
    assert FOLDER.is_dir()
    assert load_review()  # raises on a stray file


def test_a_bad_row_stops_the_data_check_that_make_html_runs_first(tmp_path):
    """``python -m aes_edition.check_data`` (run by ``make html`` before Sphinx) fails on a bad
    row of the record, with one line naming file, row and field; run on a copy of the book."""
    import subprocess
    import sys

    book = tmp_path / "book"
    for name in ("aes_edition", "chapters", "data", "notebooks"):
        shutil.copytree(ROOT / name, book / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("_toc.yml", "_config.yml", "references.bib", "editors.bib"):
        shutil.copy(ROOT / name, book / name)
    record = book / "data" / "review" / "notes.csv"
    lines = record.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",kept,", ",confirmed,", 1)
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "aes_edition.check_data"], cwd=book, capture_output=True, text=True,
                          env={"PYTHONPATH": str(book), "PATH": "/usr/bin:/bin"})
    assert done.returncode != 0
    assert "data error: data/review/notes.csv, row 2, field 'outcome': unknown outcome 'confirmed'" in done.stderr, \
        done.stderr

"""The checks that run before Sphinx, one kind of mistake at a time, without a build: the
BibTeX files (aes_edition/bibfiles.py) and the table of contents (aes_edition/toc.py).
test_faults.py shows one of each failing ``make html``; these show the variants."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scholarly_edition.strict_data import DataError

from aes_edition.bibfiles import bib_files, load_bibliography
from aes_edition.paths import ROOT
from aes_edition.toc import check_toc

GOOD = (
    "@article{first2024, author={Doe, Jane}, title={A title}, journal={A Journal}, year={2024}, pages={1--2}}\n"
    "@book{second2020, author={Roe, Richard}, title={A Book}, publisher={A Press}, year={2020}}\n"
)


def test_the_books_bibliographies_pass():
    entries = load_bibliography()
    assert bib_files()[0].name == "references.bib" and len(entries) >= 11


@pytest.mark.parametrize(("damage", "expected"), [
    (("first2024, author", "first2024 author"), "line 1, entry 'first2024': a comma must follow the entry key"),
    (("title={A title}", "title={A title"), "entry 'first2024': BibTeX syntax error: '}' expected"),
    (("journal={A Journal}", "journal {A Journal}"), "entry 'first2024': BibTeX syntax error: '=' expected"),
    (("year={2024}, pages", "year={2024} pages"), "entry 'first2024': BibTeX syntax error"),
    (("pages={1--2}}", "pages={1--2}"), "entry 'first2024': BibTeX syntax error"),
    (("@book{second2020", "@book{first2024"), "line 2, entry 'first2024': BibTeX data error: repeated"),
    ((" journal={A Journal},", ""), "line 1, entry 'first2024': @article needs the field journal"),
    ((" publisher={A Press},", ""), "line 2, entry 'second2020': @book needs the field publisher"),
    (("author={Roe, Richard}, ", ""), "entry 'second2020': @book needs the field author or editor"),
    (("@book{", "@bok{"), "entry 'second2020': unknown entry type '@bok'"),
])
def test_malformed_bibtex_is_named(tmp_path, damage, expected):
    path = tmp_path / "references.bib"
    old, new = damage
    assert old in GOOD
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_bibliography([path])
    assert str(caught.value).startswith("references.bib, ") and expected in str(caught.value)


def test_a_key_in_two_files_is_named(tmp_path):
    (tmp_path / "a.bib").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.bib").write_text(GOOD.splitlines()[1] + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"b.bib, line 1, entry 'second2020': key already used in a.bib"):
        load_bibliography([tmp_path / "a.bib", tmp_path / "b.bib"])


def test_pybtex_is_left_lenient_for_sphinx(tmp_path):
    """The strict parse must not leave pybtex strict for sphinxcontrib-bibtex."""
    import pybtex.errors

    before = pybtex.errors.strict
    path = tmp_path / "references.bib"
    path.write_text(GOOD.replace("title={A title}", "title={A title"), encoding="utf-8")
    with pytest.raises(DataError):
        load_bibliography([path])
    assert pybtex.errors.strict == before


@pytest.fixture
def book(tmp_path) -> Path:
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    if (ROOT / "notebooks").is_dir():
        shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    return tmp_path


def _edit_toc(book: Path, old: str, new: str) -> None:
    toc = book / "_toc.yml"
    text = toc.read_text(encoding="utf-8")
    assert old in text
    toc.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_books_table_of_contents_passes():
    assert check_toc()[0] == "chapters/index"


def test_an_entry_for_a_missing_file_is_named(book):
    _edit_toc(book, "chapters/conclusion\n", "chapters/conclusions\n")
    with pytest.raises(DataError, match=r"_toc.yml, line \d+, entry 'chapters/conclusions': names a file that does not"):
        check_toc(book)


def test_an_entry_listed_twice_is_named(book):
    _edit_toc(book, "      - file: chapters/conclusion\n",
              "      - file: chapters/conclusion\n      - file: chapters/conclusion.md\n")
    with pytest.raises(DataError, match=r"entry 'chapters/conclusion': listed twice"):
        check_toc(book)


def test_a_page_left_out_of_the_toc_is_named(book):
    _edit_toc(book, "      - file: chapters/conclusion\n", "")
    with pytest.raises(DataError, match=r"conclusion.md: this page is not listed in _toc.yml"):
        check_toc(book)


def test_a_notebook_left_out_of_the_toc_is_named(book):
    (book / "notebooks").mkdir(exist_ok=True)
    (book / "notebooks" / "orphan.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(DataError, match=r"orphan.ipynb: this page is not listed in _toc.yml"):
        check_toc(book)


def test_broken_yaml_is_named_with_its_line(book):
    _edit_toc(book, "parts:", "parts: [:")
    with pytest.raises(DataError, match=r"_toc.yml, line \d+: not valid YAML"):
        check_toc(book)

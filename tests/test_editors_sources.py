"""editors.bib is complete for each kind of entry: the data check names the entry, its line and
the field a reader would miss (aes_edition.sources.load_editors_sources)."""

from __future__ import annotations

import re

import pytest
from scholarly_edition.strict_data import DataError

from aes_edition.sources import EDITORS_BIB, load_editors_sources

GOOD = {
    "online": "@online{added, author={{A Body}}, title={A page}, year={2024}, url={https://example.org/a}, "
              "urldate={2026-11-25}}",
    "article": "@article{added, author={Doe, Jane}, title={An article}, journal={A Journal}, year={2020}, "
               "url={https://example.org/b}}",
    "book": "@book{added, editor={Doe, Jane}, title={A book}, publisher={A Press}, year={2019}}",
    "techreport": "@techreport{added, author={{A Body}}, title={A report}, institution={A Body}, year={2021}, "
                  "url={https://example.org/c}}",
}


def _with(tmp_path, entry: str):
    bad = tmp_path / "editors.bib"
    bad.write_text(EDITORS_BIB.read_text(encoding="utf-8") + "\n" + entry + "\n", encoding="utf-8")
    return bad


def test_every_entry_of_editors_bib_is_complete():
    entries = load_editors_sources()
    assert len(entries) >= 50


@pytest.mark.parametrize("kind", GOOD)
def test_a_complete_entry_of_each_kind_passes(tmp_path, kind):
    assert "added" in load_editors_sources(_with(tmp_path, GOOD[kind]))


@pytest.mark.parametrize(("kind", "remove", "field"), [
    ("online", r"urldate=\{[^}]*\}", "urldate"),
    ("online", r"author=\{\{A Body\}\}", "author"),
    ("online", r"year=\{2024\}", "year"),
    ("article", r"journal=\{A Journal\}", "journal"),
    ("book", r"publisher=\{A Press\}", "publisher"),
    ("techreport", r"institution=\{A Body\}", "institution"),
])
def test_a_missing_field_is_named_with_the_entry_and_its_line(tmp_path, kind, remove, field):
    entry = re.sub(r",\s*,", ",", re.sub(remove, "", GOOD[kind])).replace(", }", "}")
    path = _with(tmp_path, entry)
    line = path.read_text(encoding="utf-8").count("\n", 0, path.read_text(encoding="utf-8").index("{added,")) + 1
    with pytest.raises(DataError, match=rf"editors\.bib, line {line}, field 'added\.{field}'"):
        load_editors_sources(path)


def test_the_day_a_page_was_read_is_not_its_date(tmp_path):
    undated = GOOD["online"].replace("year={2024}, ", "")
    with pytest.raises(DataError, match=r"added\.year.*no year or date"):
        load_editors_sources(_with(tmp_path, undated))
    marked = undated.replace("urldate={2026-11-25}}", "urldate={2026-11-25}, note={Undated: the page states no date}}")
    assert "added" in load_editors_sources(_with(tmp_path, marked))


@pytest.mark.parametrize(("change", "field"), [
    (("year={2024}", "year={c. 2024}"), "year"),
    (("year={2024}", "year={2024}, date={2023-05-01}"), "date"),
    (("urldate={2026-11-25}", "urldate={25 November 2026}"), "urldate"),
])
def test_malformed_dates_are_named(tmp_path, change, field):
    with pytest.raises(DataError, match=rf"added\.{field}"):
        load_editors_sources(_with(tmp_path, GOOD["online"].replace(*change)))


def test_one_address_is_one_entry(tmp_path):
    """Two keys for one web page would list the work twice among the sources."""
    twice = GOOD["online"] + "\n" + GOOD["online"].replace("{added,", "{again,")
    with pytest.raises(DataError, match=r"field 'again\.url'.*same address as the entry 'added'"):
        load_editors_sources(_with(tmp_path, twice))

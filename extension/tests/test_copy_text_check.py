"""The copy-text check: a faithful text builds cleanly, a difference is one warning at its
page and line, emendations are read as printed and citations as the copy-text prints them,
the check sees the whole text when one page is read again or pages are read in parallel,
and it is off without a copy-text. The comparison itself imports without Sphinx."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from scholarly_edition.fidelity import (
    CitationForms,
    ReadingUnit,
    context_in_copy_text,
    missing_segments,
    normalise,
    segments,
    unmatched_units,
)


def _fidelity_warnings(app) -> list[str]:
    """The build's warnings (not Sphinx's own about a second application in one process)."""
    return [line for line in app._warning.getvalue().splitlines()
            if "WARNING" in line and "while setting up extension" not in line]


def _edit(app, page: str, old: str, new: str) -> None:
    path = Path(app.srcdir, page)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.sphinx("html", testroot="faithful")
def test_a_faithful_text_builds_cleanly(app):
    """Emendations read as printed (a slip, a join across the copy-text's lines), a citation
    read as the copy-text prints it, a title block, the reference list left to the bibliography."""
    app.build()
    assert app._warning.getvalue() == ""
    units = app.env.get_domain("edition").data["reading_units"]
    assert [unit.name for _key, unit in sorted(units.items())] == [
        "chapter-p1", "title block", "introduction-p1", "introduction-p2"]
    first = units["introduction", 0]
    assert first.printed == "The first paragraph has teh words of the paper." and first.line
    assert units["introduction", 1].joins == 1


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-changed")
def test_a_changed_word_is_one_warning_naming_the_file_and_line(app):
    _edit(app, "introduction.rst", "words of the paper", "words of this paper")
    app.build()
    warnings = _fidelity_warnings(app)
    assert len(warnings) == 1, warnings
    assert re.search(r"introduction\.rst:\d+: WARNING: the text differs from the copy-text: introduction-p1: "
                     r"not the copy-text's words for any paragraph: .*'The first paragraph has teh words of this paper\.'",
                     warnings[0]), warnings
    line = int(re.search(r"introduction\.rst:(\d+):", warnings[0]).group(1))
    assert "para:: introduction-p1" in Path(app.srcdir, "introduction.rst").read_text().splitlines()[line - 1]


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-emendation")
def test_an_emendation_is_read_as_printed(app):
    """The text is faithful because each reading is read as the register says the copy-text
    prints it: a register that says otherwise makes the same text a difference, and a join
    the register does not record spans the copy-text's lines unannounced."""
    _edit(app, "emendations.csv", "sic,teh,the", "sic,the,the")
    _edit(app, "emendations.csv", "E02,introduction-p2,join", "E02,introduction-p2,sic")
    app.build()
    warnings = _fidelity_warnings(app)
    assert any("introduction-p1: not the copy-text's words" in w for w in warnings), warnings
    assert any("introduction-p2: spans 2 lines of the copy-text (lines 5–6) but the apparatus records 0 join(s)" in w
               for w in warnings), warnings


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-citation")
def test_a_citation_stands_only_for_what_the_copy_text_prints_there(app):
    _edit(app, "introduction.rst", "Second paragraph, as printed [Doe2020]_", "Second [Doe2020]_")
    app.build()
    warnings = _fidelity_warnings(app)
    assert len(warnings) == 1 and "introduction-p2: not the copy-text's words" in warnings[0], warnings


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-no-forms",
                    confoverrides={"scholarly_edition_copy_text_citations": {}})
def test_without_a_citation_form_a_citation_is_read_as_its_words(app):
    app.build()
    warnings = _fidelity_warnings(app)
    assert len(warnings) == 1 and "introduction-p2: not the copy-text's words" in warnings[0], warnings


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-doubled")
def test_a_reading_that_repeats_its_neighbour_is_reported_at_its_line(app):
    _edit(app, "introduction.rst", "has :emend:`E01` words", "has :emend:`E01` teh words")
    app.build()
    warnings = _fidelity_warnings(app)
    assert any(re.search(r"introduction\.rst:\d+: WARNING: emendation E01: read as printed, the text here is "
                         r"'has teh teh', which the copy-text does not print", w) for w in warnings), warnings


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-lost")
def test_a_paragraph_lost_is_reported_at_the_copy_text_s_line_and_the_reference_list_is_not_required(app):
    _edit(app, "chapter.rst", ".. para:: chapter-p1\n\n   A third paragraph, the last one.\n", "")
    app.build()
    warnings = _fidelity_warnings(app)
    assert len(warnings) == 1, warnings
    assert re.search(r"copy-text\.txt:8: WARNING: the text differs from the copy-text: copy-text line 8: "
                     r"in no paragraph of the edition: 'A third paragraph", warnings[0]), warnings


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-until", confoverrides={"scholarly_edition_copy_text_until": ""})
def test_without_an_end_every_line_of_the_copy_text_must_stand_in_a_paragraph(app):
    app.build()
    warnings = _fidelity_warnings(app)
    assert len(warnings) == 1 and "copy-text line 10: in no paragraph of the edition: 'Doe, J." in warnings[0], warnings


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-off", confoverrides={"scholarly_edition_copy_text": ""})
def test_the_check_is_off_without_a_copy_text(app):
    _edit(app, "introduction.rst", "words of the paper", "words of this paper")
    _edit(app, "introduction.rst", "has :emend:`E01` words", "has :emend:`E01` teh words")
    app.build()
    assert app._warning.getvalue() == ""
    assert app.env.get_domain("edition").data["reading_units"] == {}
    assert not any("copy-text" in str(dep) for deps in app.env.dependencies.values() for dep in deps)


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-bad-form",
                    confoverrides={"scholarly_edition_copy_text_citations": {"citation:ref": "(unclosed"}})
def test_a_citation_form_that_is_no_pattern_stops_the_build_naming_the_setting(make_app, app_params):
    from sphinx.errors import ConfigError

    args, kwargs = app_params
    with pytest.raises(ConfigError, match="scholarly_edition_copy_text_citations: missing \\), unterminated subpattern"):
        make_app(*args, **kwargs)


@pytest.mark.sphinx("html", testroot="faithful", srcdir="faithful-incremental", freshenv=True)
def test_when_one_page_is_read_again_the_check_still_sees_the_whole_text(app, make_app):
    """The units of the pages not read again are the domain's: a fault on one of them is
    still reported, and lines of the copy-text that they hold are not reported lost."""
    _edit(app, "introduction.rst", "words of the paper", "words of this paper")
    app.build()
    assert ["introduction-p1" in w for w in _fidelity_warnings(app)] == [True]

    def rebuild() -> tuple[list[str], list[str]]:
        app.cleanup()  # forget the build's registrations, as a new sphinx-build process would
        again = make_app("html", srcdir=app.srcdir, freshenv=False)
        read: list[str] = []
        again.connect("doctree-read", lambda _app, _doctree: read.append(_app.env.docname))
        again.build()
        return read, _fidelity_warnings(again)

    _edit(app, "chapter.rst", "the last one.", "the   last one.")  # the same words, another source
    read, warnings = rebuild()
    assert read == ["chapter"]
    assert len(warnings) == 1 and re.search(r"introduction\.rst:\d+: .*introduction-p1: not the copy-text's", warnings[0])

    _edit(app, "introduction.rst", "words of this paper", "words of the paper")
    read, warnings = rebuild()
    assert read == ["introduction"] and warnings == []

    # The copy-text alone changes: the pages that hold the text depend on it, so they are read
    # again and the check runs.
    _edit(app, "copy-text.txt", "A third paragraph", "A 3rd paragraph")
    read, warnings = rebuild()
    assert set(read) == {"index", "introduction", "chapter"}
    assert len(warnings) == 1 and "chapter-p1: not the copy-text's words" in warnings[0], warnings


@pytest.mark.sphinx("html", testroot="faithful-parallel", parallel=2)
def test_pages_read_in_parallel_are_checked_as_one_text(app, make_app, tmp_path):
    """Five pages whose reading order is not their names' order, read by two workers: the
    domain holds the same units as a serial read, and the same fault gives the same warning."""
    app.build()
    assert app._warning.getvalue() == ""
    serial = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "serial")
    serial.build()
    assert _fidelity_warnings(serial) == []
    parallel_units = app.env.get_domain("edition").data["reading_units"]
    assert dict(parallel_units) == dict(serial.env.get_domain("edition").data["reading_units"])
    assert len(parallel_units) == 10

    _edit(app, "page4.rst", "as page 4 prints", "as page four prints")
    warned = []
    for parallel, builddir in ((2, tmp_path / "damaged-parallel"), (0, tmp_path / "damaged-serial")):
        damaged = make_app("html", srcdir=app.srcdir, builddir=builddir, parallel=parallel)
        damaged.build()
        warned.append(_fidelity_warnings(damaged))
    assert warned[0] == warned[1] and len(warned[0]) == 1, warned
    assert re.search(r"page4\.rst:\d+: WARNING: .*page4-p1: not the copy-text's words", warned[0][0])


# --- The comparison, without Sphinx -------------------------------------------------------

def test_the_comparison_imports_without_sphinx():
    """An edition's analysis and notebooks use it where Sphinx is not installed."""
    code = ("import sys, scholarly_edition.fidelity; "
            "print(sorted(m for m in sys.modules if m == 'sphinx' or m.startswith(('sphinx.', 'docutils'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


COPY_TEXT = """A Paper
- First *line* of it, as printed.
Second line (Doe, 2020). Its second sentence.
References
Doe, J. (2020). A Book.
"""


@pytest.fixture()
def copy_text(tmp_path: Path) -> Path:
    path = tmp_path / "copy-text.txt"
    path.write_text(COPY_TEXT, encoding="utf-8")
    return path


def test_normalise_folds_typesetting_only():
    assert normalise("“Quoted” — a  dash ( here ) , then\u00adsoft") == '"Quoted" - a dash (here), thensoft'
    assert normalise("one word") != normalise("one other word")


def test_segments_are_headings_and_sentences_without_bullets_or_emphasis(copy_text):
    assert [(s.line, s.text, s.heading) for s in segments(copy_text)] == [
        (1, "A Paper", True), (2, "First line of it, as printed.", False), (3, "Second line (Doe, 2020).", False),
        (3, "Its second sentence.", False), (4, "References", True), (5, "Doe, J.", False), (5, "(2020).", False),
        (5, "A Book.", False)]


def test_missing_segments_in_order_until_the_heading_named(copy_text):
    corpus = normalise("A Paper. Doe, J. (2020). A Book. First line of it, as printed. Second line (Doe, 2020). "
                       "Its second sentence. References")
    assert missing_segments(corpus, copy_text, "References") == []
    assert [p.split(":")[0] for p in missing_segments(corpus, copy_text)] == ["copy-text line 5"] * 3
    assert missing_segments(corpus.replace("second sentence", "2nd sentence"), copy_text, "References") == [
        "copy-text line 3: missing: 'Its second sentence.'"]


def test_units_are_held_to_whole_lines_and_citations_to_their_forms(copy_text):
    forms = CitationForms.from_mapping({"cite:t.*": r"[A-Z]\w+ \(\d{4}\)", "cite:.*": r"\([^()]+\)"})
    assert forms.marker("cite:p") == "\ue001" and forms.marker("cite:ts") == "\ue000" and forms.marker("std:ref") is None
    first = ReadingUnit("p1", "First line of it, as printed.")
    second = ReadingUnit("p2", normalise(f"Second line {forms.marker('cite:p')}. Its second sentence."))
    assert unmatched_units([first, second], copy_text, "References", forms) == []
    assert unmatched_units([first, second], copy_text, "References") == [
        "p2: not the copy-text's words for any paragraph: its opening 'Second line …. Its second sentence.' is not "
        "in the copy-text"]
    # Out of order: the unit is not found after the one before it, and its line is in no unit.
    assert [p[:30] for p in unmatched_units([second, first], copy_text, "References", forms)] == [
        "p1: not the copy-text's words ", "copy-text line 2: in no paragr"]
    assert unmatched_units([first], copy_text, "References", forms) == [
        "copy-text line 3: in no paragraph of the edition: 'Second line (Doe, 2020). Its second sentence.'"]
    joined = ReadingUnit("p1", normalise("First line of it, as printed. Second line (Doe, 2020). Its second sentence."))
    assert unmatched_units([joined], copy_text, "References") == [
        "p1: spans 2 lines of the copy-text (lines 2–3) but the apparatus records 0 join(s)"]
    assert unmatched_units([ReadingUnit("p1", joined.printed, joins=1)], copy_text, "References") == []


def test_a_reading_is_held_to_the_words_beside_it(copy_text):
    assert context_in_copy_text("Second ", "line", " (Doe", copy_text) is None
    assert context_in_copy_text("Second line ", "line", " (Doe", copy_text) == "line line (Doe"

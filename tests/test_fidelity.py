"""The paper's every heading and sentence is in the built edition, word for word and in
order, once the editors' layer is removed and each emendation is read as printed."""

from __future__ import annotations

from book_settings import copy_text_until
from conftest import authors_text
from scholarly_edition.fidelity import missing_segments, normalise, segments

from aes_edition.paths import COPY_TEXT
from aes_edition.privacy import contains_number


def test_every_sentence_and_heading_is_in_the_html(pages):
    corpus = normalise("\n".join(authors_text(soup) for soup in pages.values()))
    problems = missing_segments(corpus, COPY_TEXT, copy_text_until())
    assert not problems, "the edition loses or alters the paper's text:\n" + "\n".join(problems)


def test_headings_are_headings(pages):
    """Each section heading of the paper is a heading of the edition, as printed."""
    shown = {normalise(h.get_text("").replace("#", "")) for soup in pages.values() for h in soup.select("h1, h2")}
    expected = [s.text for s in segments(COPY_TEXT) if s.heading and s.line > 11]
    assert [h for h in expected if h not in shown] == []


def test_the_fidelity_check_can_fail(pages):
    """Guard against a vacuous comparison: a changed word must be reported."""
    corpus = normalise("\n".join(authors_text(soup) for soup in pages.values()))
    damaged = corpus.replace("porous borders, weak governance", "porous borders, strong governance")
    assert any("line 14" in p for p in missing_segments(damaged, COPY_TEXT, copy_text_until()))


def test_copy_text_keeps_the_paper_but_not_the_telephone_number():
    text = COPY_TEXT.read_text(encoding="utf-8")
    assert "Julius Benjamin Enejo and Bekaye Coulibaly" in text
    assert "Phone: [omitted]" in text
    assert not contains_number(text)

"""Editors' notes: their heading and kind, the line naming their paragraphs (also on other
pages), short paragraph references, quoted sources, the domain's record, and the faults of
placement and naming."""

from __future__ import annotations

import re

import pytest
from built_pages import built_page as _html


@pytest.mark.sphinx("html", testroot="notes")
def test_a_note_is_headed_as_the_editors_and_links_its_paragraphs(app):
    app.build()
    assert app._warning.getvalue() == ""
    page = _html(app, "impact")
    note = re.search(r'<div ([^>]*id="note-impact-what-came-before"[^>]*)>(.*?)</div>\n', page, re.S)
    assert note, page
    for attribute in ('class="editorial ednote ednote-context"', 'role="note"', "aria-label=\"Editors' note: What came before\"",
                      'data-on="impact-p1 impact-p2"'):
        assert attribute in note.group(1), note.group(1)
    body = note.group(2)
    assert re.search(r'<span class="ednote-label">Editors’ note</span><span class="ednote-sep"> · </span>'
                     r'<span class="ednote-kind">Context</span>', body), body
    # Both paragraphs are on the note's page: the second is named by number only.
    assert re.search(r'On <a class="reference internal" href="#impact-p1"><span class="ednote-para">¶1</span></a>, '
                     r'<a class="reference internal" href="#impact-p2"><span class="ednote-para">¶2</span></a>', body), body
    assert '<span class="quoted-label">Quoted source:</span> A Newspaper, 2024' in body
    assert "<blockquote" in body and "Words quoted from the source." in body


@pytest.mark.sphinx("html", testroot="notes", srcdir="notes-other-page")
def test_on_another_page_paragraphs_are_named_by_their_short_page_title(app):
    app.build()
    page = _html(app, "notes")
    assert '<a class="reference internal" href="impact.html#impact-p2"><span class="ednote-para">Impact ¶2</span></a>' in page
    assert '<span class="ednote-para">Impact ¶1</span>' in page  # :pref: in the note's text
    assert 'id="note-notes-across-pages"' in page and 'id="note-notes-across-pages-2"' in page


@pytest.mark.sphinx("html", testroot="notes", srcdir="notes-domain")
def test_the_domain_keeps_every_note_and_the_paragraphs_it_discusses(app):
    app.build()
    domain = app.env.get_domain("edition")
    assert sorted(domain.notes) == ["note-impact-what-came-before", "note-notes-across-pages",
                                    "note-notes-across-pages-2"]
    assert domain.notes_on("impact-p2") == ["note-impact-what-came-before", "note-notes-across-pages"]
    assert domain.notes["note-impact-what-came-before"].kind == "context"


@pytest.mark.sphinx("latex", testroot="notes", srcdir="notes-latex")
def test_in_print_a_note_follows_the_paragraph_it_was_written_before(app):
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    body = tex[tex.index("Impact of the Alliance"):]
    assert body.index("\\editionparagraph{1}") < body.index("\\begin{ednote}") < body.index("\\editionparagraph{2}")
    assert "\\begin{sphinxuseclass}{ednote-on}" in body and "Quoted source: A Newspaper" in body
    style = (app.outdir / "scholarly-edition.sty").read_text(encoding="utf-8")
    assert "\\newenvironment{ednote}" in style and "\\newenvironment{sphinxclassednote-on}" in style


@pytest.mark.sphinx("text", testroot="notes", srcdir="notes-text")
def test_text_output_keeps_the_editors_voice_apart(app):
    app.build()
    text = (app.outdir / "impact.txt").read_text(encoding="utf-8")
    assert "Editors' note · Context: What came before" in text and "— Quoted source: A Newspaper, 2024" in text


@pytest.mark.sphinx("html", testroot="note-faults")
def test_faults_of_a_note_are_named(app):
    app.build()
    warnings = app._warning.getvalue()
    assert re.search(r"index.rst:\d+: WARNING: editors' note 'Inside the text' is inside paragraph index-p1", warnings)
    assert "editors' note 'Unnamed paragraphs' has no :on: naming the paragraphs it discusses" in warnings
    assert "editors' note 'Unknown things': unknown kind 'gossip' (one of: context)" in warnings
    assert "unknown paragraph id 'index-p7'" in warnings
    assert "editors' note 'Empty' is empty" in warnings

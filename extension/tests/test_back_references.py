"""Back-references: a paragraph lists the notes (and analysis sections) that discuss it, a
cited work where it is cited, a glossary entry where its terms are used; the settings; a
page read again; the page of a target written again when its mentions change; parallel reads."""

from __future__ import annotations

import html
import importlib.util
import re

import pytest
from built_pages import built_page as _html


def _list(page: str, holder: str, end: str = "</div>") -> tuple[list[str], str] | None:
    """The links and the text of the list of the element with the id ``holder`` (None: no list)."""
    start = page.index(f'id="{holder}"')
    block = page[start:page.index(end, start)]
    found = re.search(r'<p class="editorial backlinks [^"]*">(.*?)</p>', block, re.S)
    if found is None:
        return None
    return re.findall(r'href="([^"]*)"', found.group(1)), html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def _hrefs(page: str, holder: str, end: str = "</div>") -> list[str]:
    found = _list(page, holder, end)
    return found[0] if found else []


@pytest.mark.sphinx("html", testroot="backlinks")
def test_each_target_lists_the_places_that_link_it(app):
    app.build()
    assert app._warning.getvalue() == ""
    chapter = _html(app, "chapter")
    # A note on its own page; the paragraph's own link to itself, a link outside a note
    # (later.rst) and one in a glossary entry are not discussions.
    assert _list(chapter, "chapter-p1") == (["#note-chapter-on-the-first"], "Discussed in note “On the first”.")
    # Pages in the order of the table of contents (other, analysis, later), each named by its
    # short title; a section of a page of scholarly_edition_backlink_section_pages is listed.
    assert _list(chapter, "chapter-p2") == (
        ["other.html#note-other-across-pages", "analysis.html#readings", "later.html#note-later-afterwards"],
        "Discussed in Other: note “Across pages”; Analysis: Readings; Later: note “Afterwards”.")
    assert _hrefs(_html(app, "other"), "other-p1") == ["#note-other-across-pages"]
    assert '<p class="editorial backlinks backlinks-para"><span class="backlinks-lead">Discussed in</span>' in chapter
    # A cited work (Sphinx's own citation) lists where it is cited.
    assert _list(_html(app, "works"), "doe2020") == (
        ["chapter.html#chapter-p1", "other.html#note-other-across-pages"], "Cited in Chapter: ¶1; Other: note “Across pages”.")
    # A glossary entry lists where any of its terms is used; an unused one lists nothing.
    terms = _html(app, "terms")
    assert _list(terms, "term-Widget", "</dd>") == (
        ["chapter.html#chapter-p1", "later.html#note-later-afterwards"], "Used in Chapter: ¶1; Later: note “Afterwards”.")
    assert _list(terms, "term-Sprocket", "</dd>") is None
    assert 'class="editorial backlinks backlinks-term"' in terms


@pytest.mark.sphinx("html", testroot="backlinks", srcdir="backlinks-config",
                    confoverrides={"scholarly_edition_backlinks": {"term": "Terms used in"},
                                   "scholarly_edition_backlink_note": "the note {title}",
                                   "scholarly_edition_backlink_paragraph": "paragraph {number}",
                                   "scholarly_edition_backlink_section_pages": []})
def test_the_kinds_listed_and_the_wording_are_settings(app):
    app.build()
    assert app._warning.getvalue() == ""
    assert "backlinks" not in _html(app, "chapter") and "backlinks" not in _html(app, "works")
    assert _list(_html(app, "terms"), "term-Widget", "</dd>") == (
        ["chapter.html#chapter-p1", "later.html#note-later-afterwards"],
        "Terms used in Chapter: paragraph 1; Later: the note Afterwards.")


@pytest.mark.sphinx("html", testroot="backlinks", srcdir="backlinks-sections",
                    confoverrides={"scholarly_edition_backlink_section_pages": []})
def test_only_the_section_pages_named_discuss_a_paragraph_outside_a_note(app):
    app.build()
    assert _hrefs(_html(app, "chapter"), "chapter-p2") == ["other.html#note-other-across-pages",
                                                           "later.html#note-later-afterwards"]


@pytest.mark.sphinx("html", testroot="backlinks", srcdir="backlinks-unknown-kind",
                    confoverrides={"scholarly_edition_backlinks": {"paragraph": 3, "term": "Used in", "figure": "Shown in"}})
def test_an_unknown_kind_of_target_and_words_that_are_not_text_are_reported(app):
    warnings = app._warning.getvalue()
    assert re.search(r"WARNING: scholarly_edition_backlinks: unknown kind of target 'figure' "
                     r"\(one of: paragraph, citation, term\)", warnings), warnings
    assert "WARNING: scholarly_edition_backlinks: the words of 'paragraph' must be text, not 3" in warnings
    app.build()  # not -W: the build goes on, without the lists whose words are wrong
    assert "backlinks-para" not in _html(app, "chapter") and "backlinks-term" in _html(app, "terms")


@pytest.mark.sphinx("text", testroot="backlinks", srcdir="backlinks-text")
def test_the_lists_are_the_html_edition_s_navigation(app):
    app.build()
    assert "Discussed in" not in (app.outdir / "chapter.txt").read_text(encoding="utf-8")
    assert "Cited in" not in (app.outdir / "works.txt").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="backlinks", srcdir="backlinks-incremental", freshenv=True)
def test_a_page_read_again_forgets_its_mentions_and_the_target_s_page_is_written_again(app, make_app):
    app.build()
    assert len(_hrefs(_html(app, "chapter"), "chapter-p2")) == 3
    other = app.srcdir / "other.rst"
    other.write_text(other.read_text(encoding="utf-8").replace(" also discusses :pref:`chapter-p2` and", ""),
                     encoding="utf-8")
    app.cleanup()  # forget the first build's registrations, as a new sphinx-build process would
    again = make_app("html", srcdir=app.srcdir, freshenv=False)
    written: list[str] = []
    again.connect("html-page-context", lambda _app, pagename, *_args: written.append(pagename))
    again.build()
    assert again._warning.getvalue() == ""
    # chapter.rst did not change, yet its paragraph's list follows the link that went.
    assert _hrefs(_html(again, "chapter"), "chapter-p2") == ["analysis.html#readings", "later.html#note-later-afterwards"]
    assert _hrefs(_html(again, "works"), "doe2020") == ["chapter.html#chapter-p1", "other.html#note-other-across-pages"]
    kept = [m for m in again.env.get_domain("edition").data["backlinks"].values() if m.docname == "other"]
    assert [(m.kind, m.target, m.position) for m in kept] == [("ref", "other-p1", 0), ("cite", "Doe2020", 1)]
    # Written: the page read again and the page holding the target whose mentions changed;
    # not the pages whose targets kept their mentions (the cited work, the terms).
    assert {"chapter", "other"} <= set(written) and not {"works", "terms", "analysis", "later"} & set(written), written


@pytest.mark.sphinx("html", testroot="backlinks", srcdir="backlinks-parallel", parallel=2)
def test_pages_read_in_parallel_give_the_same_lists(app, make_app, tmp_path):
    app.build()
    assert app._warning.getvalue() == ""
    serial = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "serial")
    serial.build()
    assert dict(app.env.get_domain("edition").data["backlinks"]) == dict(serial.env.get_domain("edition").data["backlinks"])
    for page in ("chapter", "other", "works", "terms"):
        lists = re.findall(r'<p class="editorial backlinks.*?</p>', _html(app, page), re.S)
        assert lists and lists == re.findall(r'<p class="editorial backlinks.*?</p>', _html(serial, page), re.S), page


@pytest.mark.skipif(importlib.util.find_spec("sphinxcontrib.bibtex") is None,
                    reason="sphinxcontrib-bibtex, which an edition's bibliography may use, is not installed")
@pytest.mark.sphinx("html", testroot="backlinks-bibtex")
def test_a_work_of_the_bibliography_lists_where_it_is_cited(app):
    app.build()
    assert app._warning.getvalue() == ""
    works = _html(app, "works")
    holder = re.search(r'<div class="citation" id="([^"]+)"', works)
    assert holder is not None, works
    assert _list(works, holder.group(1)) == (["chapter.html#chapter-p1", "chapter.html#note-chapter-the-source"],
                                             "Cited in Chapter: ¶1, note “The source”.")

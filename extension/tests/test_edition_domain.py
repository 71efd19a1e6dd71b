"""The ``edition`` domain: references from any page, unknown and duplicate ids, pages read
again, parallel reads."""

from __future__ import annotations

import pytest
from built_pages import built_page as _html


@pytest.mark.sphinx("html", testroot="basic", srcdir="basic-references")
def test_references_by_role_label_and_any_resolve_with_the_paragraph_s_name(app):
    app.build()
    page = _html(app, "index")
    assert page.count('href="chapter.html#chapter-p2"') == 3 and page.count('href="chapter.html#chapter-p1"') == 1
    assert page.count(">Chapter One ¶2<") == 2 and ">Chapter One ¶1<" in page and ">the second<" in page
    objects = {name: (kind, doc) for name, _dispname, kind, doc, _anchor, _prio in app.env.get_domain("edition").get_objects()}
    assert objects == {"chapter-p1": ("paragraph", "chapter"), "chapter-p2": ("paragraph", "chapter")}


@pytest.mark.sphinx("html", testroot="unknown-ref")
def test_a_reference_to_an_unknown_id_is_reported_naming_it(app):
    app.build()
    assert "index.rst:6: WARNING: unknown paragraph id 'index-p9'" in app._warning.getvalue()


@pytest.mark.sphinx("html", testroot="duplicate")
def test_an_id_used_on_two_pages_is_reported_once(app):
    app.build()
    warnings = app._warning.getvalue()
    assert warnings.count("duplicate paragraph id 'shared-id'") == 1, warnings
    assert "duplicate label" not in warnings


@pytest.mark.sphinx("html", testroot="duplicate", parallel=2, srcdir="duplicate-parallel")
def test_an_id_used_on_two_pages_read_in_parallel_is_reported(app):
    app.build()
    assert "duplicate paragraph id 'shared-id'" in app._warning.getvalue()


@pytest.mark.sphinx("html", testroot="parallel", parallel=2)
def test_pages_read_in_parallel_merge_into_one_domain(app, make_app, tmp_path):
    app.build()
    parallel = dict(app.env.get_domain("edition").paragraphs)
    assert app._warning.getvalue() == ""
    serial = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "serial")
    serial.build()
    assert parallel == dict(serial.env.get_domain("edition").paragraphs)
    assert sorted(parallel) == sorted(f"page{i}-p{n}" for i in range(1, 7) for n in (1, 2))
    assert 'href="page1.html#page1-p2"' in _html(app, "page6")


@pytest.mark.sphinx("html", testroot="removed", freshenv=True)
def test_a_page_read_again_forgets_its_old_paragraphs(app, make_app):
    app.build()
    assert "chapter-p1" in app.env.get_domain("edition").paragraphs
    chapter = app.srcdir / "chapter.rst"
    chapter.write_text("Chapter\n=======\n\nNo numbered paragraph now.\n", encoding="utf-8")
    app.cleanup()  # forget the first build's registrations, as a new sphinx-build process would
    again = make_app("html", srcdir=app.srcdir, freshenv=False)
    again.build()
    assert "chapter-p1" not in again.env.get_domain("edition").paragraphs
    assert "unknown paragraph id 'chapter-p1'" in again._warning.getvalue()

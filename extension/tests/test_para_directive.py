"""The ``para`` directive: numbers, ids, the HTML, LaTeX and text output, and its messages."""

from __future__ import annotations

import re

import pytest
from built_pages import built_page as _html


@pytest.mark.sphinx("html", testroot="basic")
def test_each_paragraph_is_a_numbered_block_with_its_id_and_a_link_to_itself(app):
    app.build()
    page = _html(app, "chapter")
    first = re.search(r'<div class="para" data-para="1" id="chapter-p1">\s*<a [^>]*href="#chapter-p1"[^>]*>¶1</a>', page)
    second = re.search(r'<div class="para opening" data-para="2" id="chapter-p2">', page)
    assert first and second, page
    assert "The second paragraph" in page.split('id="chapter-p2"')[1]
    assert app._warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="wrong-id")
def test_an_id_that_does_not_match_its_number_is_reported_and_not_kept(app):
    app.build()
    warnings = app._warning.getvalue()
    assert "index.rst:8: WARNING: paragraph id 'index-p3' must be 'index-p2' (paragraph 2 of the page;" in warnings
    assert "index-p3" not in app.env.get_domain("edition").paragraphs


@pytest.mark.sphinx("html", testroot="custom-config")
def test_the_id_form_the_label_and_the_mark_are_settings(app):
    app.build()
    page = _html(app, "index")
    assert ">[2]</a>" in page and 'id="index.2"' in page
    assert ">Letters, paragraph 1<" in page
    assert app._warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="custom-config", srcdir="custom-config-wrong-type",
                    confoverrides={"scholarly_edition_paragraph_mark": 7})
def test_a_setting_of_the_wrong_type_is_reported(app):
    assert "scholarly_edition_paragraph_mark" in app._warning.getvalue()


@pytest.mark.sphinx("html", testroot="before-title")
def test_a_paragraph_before_any_title_is_named_after_its_page(app):
    app.build()
    assert ">index ¶1<" in _html(app, "index")


@pytest.mark.sphinx("text", testroot="domain-directive")
def test_the_domain_s_directive_name_and_the_text_output(app):
    app.build()
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "¶1\n\nWritten with the domain's name." in text


@pytest.mark.sphinx("latex", testroot="basic", srcdir="basic-latex")
def test_latex_output_anchors_and_numbers_each_paragraph_and_ships_the_style(app):
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\usepackage{scholarly-edition}" in tex
    assert re.search(r"\\phantomsection\\label\{\\detokenize\{chapter:chapter-p2\}\}\\editionparagraph\{2\}", tex), tex
    assert (app.outdir / "scholarly-edition.sty").read_text(encoding="utf-8").count("\\newcommand*\\editionparagraph") == 1


@pytest.mark.sphinx("html", testroot="myst")
def test_myst_colon_and_backtick_fences(app):
    app.build()
    page = _html(app, "index")
    assert 'id="index-p1"' in page and 'id="index-p2"' in page and ">Essay ¶1<" in page
    assert app._warning.getvalue() == ""

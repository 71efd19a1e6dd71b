"""The glossary generated from data: terms as Sphinx glossary targets that ``:term:`` reaches,
sources through the configured role, the wording as settings, text from data kept as text,
a bad entry stopping the build with one line, an edition's own check of each entry, parallel
reads, and the loader working where Sphinx is not installed."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from built_pages import built_page as _html
from sphinx.errors import ExtensionError


def _entry(page: str, term_id: str) -> str:
    """The HTML of one glossary entry, its term and its definition."""
    found = re.search(rf'<dt id="{term_id}">.*?</dd>', page, re.S)
    assert found, page
    return found.group(0)


@pytest.mark.sphinx("html", testroot="glossary")
def test_the_glossary_is_sorted_its_terms_are_targets_and_term_links_reach_them(app):
    app.build()
    assert app._warning.getvalue() == ""
    page = _html(app, "glossary")
    assert '<div class="editorial edition-glossary docutils container">\n<dl class="glossary">' in page
    assert page.index('id="term-OAU"') < page.index('id="term-Widget"')
    chapter = _html(app, "chapter")
    assert re.search(r'href="glossary.html#term-OAU"><span class="xref std std-term">OAU</span>', chapter), chapter
    assert 'href="glossary.html#term-Widget"><span class="xref std std-term">widgets</span>' in chapter
    oau = _entry(page, "term-OAU")
    # The kind by the edition's name for it, the expansion, the definition, one source.
    assert ('<dd><p><span class="glossary-kind">Organisation</span> <em>Organisation of &lt;Example&gt; Unity.</em> '
            'An organisation.</p>' in oau), oau
    assert '<p><span class="glossary-sources">Source: <span class="cited-work">cited jones2021</span>.</span></p>' in oau, oau
    assert "glossary-forms" not in oau
    widget = _entry(page, "term-Widget")
    assert '<span class="glossary-kind">Concept</span> A made thing.' in widget  # no names of kinds: capitalised
    # Two sources: a bib key through the role, a web address as a link named by its site.
    assert re.search(r'<span class="glossary-sources">Sources: <span class="cited-work">cited smith2020</span>; '
                     r'<a class="reference external" href="https://www.example.org/widgets\?a=1&amp;b=2">example.org</a>\.'
                     r'</span>', widget), widget
    assert re.search(r'<span class="glossary-forms">Also named in the text as “widgets &lt;i&gt;plural&lt;/i&gt;”\.</span>',
                     widget), widget


@pytest.mark.sphinx("html", testroot="glossary", srcdir="glossary-escaping")
def test_markup_in_the_data_stays_text(app):
    app.build()
    widget = _entry(_html(app, "glossary"), "term-Widget")
    assert "Its name has *stars*, &lt;b&gt;bold&lt;/b&gt;, a role :ref:`index` and {term}`OAU` written as text." in widget
    for live in ("<b>", "<em>stars", "<i>", 'href="index.html"', 'href="#term-OAU"'):
        assert live not in widget, live


@pytest.mark.sphinx("latex", testroot="glossary", srcdir="glossary-latex")
def test_in_print_the_terms_are_targets_and_the_data_is_escaped(app):
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\label{\\detokenize{glossary:term-OAU}}" in tex
    assert "\\textless{}b\\textgreater{}bold\\textless{}/b\\textgreater{}" in tex


@pytest.mark.sphinx("html", testroot="glossary", srcdir="glossary-wording",
                    confoverrides={"scholarly_edition_glossary_source": "Cited: {sources}",
                                   "scholarly_edition_glossary_sources": "Cited works: {sources}",
                                   "scholarly_edition_glossary_forms": "Forms: {forms}",
                                   "scholarly_edition_glossary_form": "[{form}]",
                                   "scholarly_edition_glossary_kinds": {"organisation": "Body", "concept": "Idea"}})
def test_the_wording_is_settings(app):
    app.build()
    page = _html(app, "glossary")
    assert '<span class="glossary-kind">Body</span> <em>' in _entry(page, "term-OAU")
    assert '<span class="glossary-sources">Cited: <span class="cited-work">' in _entry(page, "term-OAU")
    widget = _entry(page, "term-Widget")
    assert '<span class="glossary-kind">Idea</span> A made thing.' in widget
    assert '<span class="glossary-sources">Cited works: <span class="cited-work">' in widget
    assert '<span class="glossary-forms">Forms: [widgets &lt;i&gt;plural&lt;/i&gt;]</span>' in widget


@pytest.mark.sphinx("html", testroot="glossary", srcdir="glossary-bad-wording",
                    confoverrides={"scholarly_edition_glossary_sources": "Sources: {source}."})
def test_a_wording_without_its_place_for_the_sources_is_refused(app):
    with pytest.raises(ExtensionError, match=r"scholarly_edition_glossary_sources must hold \{sources\}"):
        app.build()


@pytest.mark.sphinx("html", testroot="glossary-bad")
def test_a_bad_entry_stops_the_build_with_one_line_naming_file_entry_line_and_field(app):
    with pytest.raises(ExtensionError) as caught:
        app.build()
    assert str(caught.value) == ("data error: terms.yaml, row 2, field 'definition': required field is empty "
                                 "(entry at line 6)")


@pytest.mark.sphinx("html", testroot="glossary-bad", srcdir="glossary-unknown-kind",
                    confoverrides={"scholarly_edition_glossary_kinds": {"organisation": "Organisation"}})
def test_a_kind_the_edition_does_not_name_is_refused(app):
    with pytest.raises(ExtensionError, match=r"^data error: terms.yaml, row 2, field 'kind': unknown kind 'concept' "
                                             r"\(entry at line 6; one of organisation\)$"):
        app.build()


@pytest.mark.sphinx("html", testroot="glossary-check")
def test_an_edition_s_own_check_of_an_entry_stops_the_build(app):
    with pytest.raises(ExtensionError, match=r"^data error: terms.yaml, row 2, field 'definition': forbidden word "
                                             r"\(entry at line 6\)$"):
        app.build()


@pytest.mark.sphinx("html", testroot="glossary", srcdir="glossary-parallel", parallel=2)
def test_pages_read_in_parallel_keep_the_terms(app):
    app.build()
    assert app._warning.getvalue() == ""
    assert 'href="glossary.html#term-Widget"' in _html(app, "chapter")
    terms = {name for name, _disp, kind, _doc, _anchor, _prio in app.env.get_domain("std").get_objects() if kind == "term"}
    assert {"oau", "widget"} <= {name.lower() for name in terms}


def test_the_loader_works_without_sphinx(tmp_path):
    """An edition's data checks and notebooks read the glossary where Sphinx is not installed."""
    glossary = Path(__file__).parent / "roots" / "test-glossary" / "terms.yaml"
    script = textwrap.dedent(f"""
        import sys

        class NoSphinx:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("sphinx", "docutils"):
                    raise ImportError(f"{{name}} is not installed")

        sys.meta_path.insert(0, NoSphinx())
        from pathlib import Path
        from scholarly_edition.glossary_data import read_glossary
        terms = read_glossary(Path({str(glossary)!r}))
        print([t.term for t in terms], terms[1].names, terms[1].line)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(Path(__file__).parents[1])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['OAU', 'Widget'] ('Widget', 'widgets <i>plural</i>') 2"


@pytest.mark.sphinx("html", testroot="glossary-myst")
def test_in_myst_a_term_link_reaches_the_glossary_and_quotes_are_typographic(app):
    """In a MyST project, as in reStructuredText: ``{term}`` links, the sources through the
    role set (here ``doc``), and straight quotes in the data set as typographic quotes, as
    the pages' own text is (``smartquotes``)."""
    app.build()
    assert app._warning.getvalue() == ""
    assert re.search(r'href="glossary.html#term-OAU"><span class="xref std std-term">OAU</span>', _html(app, "index"))
    oau = _entry(_html(app, "glossary"), "term-OAU")
    assert ("<em>Organisation of African Unity; the charter writes “Organization of African Unity”.</em> "
            "An organisation, *not emphasis*.") in oau
    assert re.search(r'Source: <a class="reference internal" href="index.html"><span class="doc">Project</span></a>\.', oau), oau

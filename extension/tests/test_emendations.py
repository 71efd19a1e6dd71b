"""Emendations and the apparatus: the edited reading in the text with the printed one beside
it (HTML, LaTeX, text), the register as a table whose rows the marks link, readings as data,
and every fault of the register or of its use reported with its place."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from built_pages import built_page as _html
from sphinx.errors import ExtensionError


def span(page: str, key: str) -> str:
    found = re.search(rf'<span ([^>]*id="emend-{key}"[^>]*)>(.*?)</span>(?=[^<]*(<|$))', page, re.S)
    assert found, page
    return found.group(0)


@pytest.mark.sphinx("html", testroot="emendations")
def test_a_reading_keeps_the_printed_one_and_links_its_row(app):
    app.build()
    assert app._warning.getvalue() == ""
    page = _html(app, "text")
    opening = re.search(r'<span [^>]*id="emend-e01"[^>]*>', page).group(0)
    for attribute in ('class="emendation emendation-punctuation"', 'data-printed="States-a"', 'data-key="E01"',
                      'data-kind="punctuation regularised"',
                      'data-note="The source prints a hyphen; &quot;dash&quot; &lt;b&gt;meant&lt;/b&gt;."'):
        assert attribute in opening, opening
    assert re.search(r'States—a<a class="editorial emend-mark reference internal" href="apparatus.html#apparatus-e01">'
                     r'<span class="std std-ref">e</span><span class="editorial visually-hidden"> \(emendation E01\)</span></a>',
                     page), page
    # The editors' supplement is set apart; the role the configuration allows runs.
    assert '<span class="editorial supplied">[the rest is wanting]</span>' in page
    assert re.search(r'see—above <a class="reference internal" href="apparatus.html#apparatus-e01">', page), page


@pytest.mark.sphinx("html", testroot="emendations", srcdir="emendations-apparatus")
def test_the_apparatus_is_the_register_as_a_table(app):
    app.build()
    page = _html(app, "apparatus")
    rows = re.findall(r'<tr class="row-(?:odd|even)"( id="[^"]*")?>(.*?)</tr>', page, re.S)
    assert [ident for ident, _ in rows] == ["", ' id="apparatus-e01"', ' id="apparatus-e02"', ' id="apparatus-e03"',
                                            ' id="apparatus-e04"']
    header = [html.unescape(cell) for cell in re.findall(r"<th[^>]*><p>(.*?)</p></th>", rows[0][1])]
    assert header == ["No.", "Where", "Kind", "Printed", "Edition", "Editors’ note"]
    cells = [re.findall(r"<td><p>(.*?)</p></td>", row, re.S) for _, row in rows[1:]]
    assert cells[0][1] == '<a class="reference internal" href="text.html#text-p1"><span class="std std-ref">Text ¶1</span></a>'
    assert cells[0][2:4] == ["punctuation regularised", "“States-a”"]
    assert cells[2][1] == "Outside the numbered text"
    assert "&lt;b&gt;meant&lt;/b&gt;" in cells[0][5]
    # A role the configuration does not allow is a reading's text, not markup.
    assert ":emph:`not a role` stays text" in cells[2][5]


@pytest.mark.sphinx("text", testroot="emendations", srcdir="emendations-text")
def test_the_text_output_gives_the_reading_alone(app):
    app.build()
    text = (app.outdir / "text.txt").read_text(encoding="utf-8")
    assert "The League of Allied States—a tripartite arrangement." in text
    assert "iv. trade [the rest is wanting]; then see—above" in text


@pytest.mark.sphinx("latex", testroot="emendations", srcdir="emendations-latex")
def test_on_paper_a_footnote_gives_the_printed_reading(app):
    app.build()
    tex = (app.outdir / "project.tex").read_text(encoding="utf-8")
    found = re.search(r"\\editionemendation\{States—a\}\{\{\\hyperref\[\\detokenize\{apparatus:apparatus-e01\}\]\{E01\}\}\}"
                      r"\{States\\sphinxhyphen\{\}a\}\{punctuation regularised\}\{(.*?)\} tripartite", tex)
    assert found, tex
    assert found.group(1) == r"The source prints a hyphen; “dash” \textless{}b\textgreater{}meant\textless{}/b\textgreater{}."
    assert "emend-mark" not in tex and "{e}" not in tex
    style = (app.outdir / "scholarly-edition.sty").read_text(encoding="utf-8")
    assert "\\newcommand\\editionemendation[5]" in style


@pytest.mark.sphinx("html", testroot="emendations", srcdir="emendations-parallel", parallel=2)
def test_read_in_parallel_the_readings_are_the_same(app):
    app.build()
    assert app._warning.getvalue() == ""
    domain = app.env.get_domain("edition")
    assert {key: (reading.docname, reading.para) for key, reading in domain.readings.items()} == {
        "E01": ("text", "text-p1"), "E02": ("text", "text-p2"), "E03": ("index", ""), "E04": ("text", "text-p2")}


@pytest.mark.sphinx("html", testroot="emendations", srcdir="emendations-changed")
def test_a_changed_register_is_read_again(app, make_app):
    app.build()
    register = Path(app.srcdir) / "emendations.csv"
    register.write_text(register.read_text(encoding="utf-8").replace("States—a", "States – a"), encoding="utf-8")
    later = os.stat(register).st_mtime + 10
    os.utime(register, (later, later))
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert "States – a" in _html(again, "text") and "States – a" in _html(again, "apparatus")


@pytest.mark.sphinx("html", testroot="emendation-faults")
def test_each_fault_of_the_register_and_its_use_is_reported(app):
    app.build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())
    expected = [
        r"page\.rst:\d+: WARNING: unknown emendation 'E99' \(not a row of emendations\.csv\)",
        r"page\.rst:\d+: WARNING: duplicate use of emendation 'E05' \(also in other, line 4\)",
        r"emendations\.csv:5: WARNING: emendation E04 names the unknown paragraph 'page-p9'",
        r"emendations\.csv:4: WARNING: emendation E03 is not used in the text",
        r"page\.rst:\d+: WARNING: emendation E02 stands in paragraph 'page-p2', but its row in emendations\.csv names 'page-p1'",
        r"other\.rst:\d+: WARNING: emendation E04 stands outside the numbered paragraphs, but its row in emendations\.csv "
        r"names 'page-p9'",
        # The second use of E05 is not kept, so the first is held to its row.
        r"other\.rst:4: WARNING: emendation E05 stands outside the numbered paragraphs, but its row in emendations\.csv "
        r"names 'page-p2'",
        # The apparatus links each row's paragraph: an unknown one is Sphinx's undefined label.
        r"apparatus\.rst:\d+: WARNING: undefined label: 'page-p9'",
    ]
    for pattern in expected:
        assert re.search(pattern, warnings), (pattern, warnings)
    assert "E01" not in warnings
    assert warnings.count("WARNING") == len(expected)


@pytest.mark.sphinx("html", testroot="emendation-bad-register")
def test_a_bad_row_stops_the_build_with_one_line(app):
    with pytest.raises(ExtensionError, match=r"^data error: emendations\.csv, row 3, field 'kind': required field is empty$"):
        app.build()

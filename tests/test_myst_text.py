"""Text from data is text: whatever a data value holds (HTML, a script, MyST roles and
directives, LaTeX specials, entities, a comment sign), :func:`aes_edition.myst_text.literal`
writes it so that the book's MyST parser reads back exactly that text, in every place the
edition writes data into MyST: a paragraph, a list item, a table cell, a definition, an
inline span with a class, a link's name. Hypothesis generates the strings; the examples
name the attacks a reviewer would try first."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.utils import new_document
from hypothesis import example, given, settings
from hypothesis import strategies as st
from myst_parser.parsers.docutils_ import Parser
from scholarly_edition.config import READING_ROLES
from scholarly_edition.emendations import reading_nodes
from scholarly_edition.strict_data import ALLOWED_CONTROLS

from aes_edition.myst_text import link, literal
from aes_edition.notebook_output import Cell, Table, typographic

# The book's MyST extensions (_config.yml, parse.myst_enable_extensions).
EXTENSIONS = ["colon_fence", "deflist", "attrs_inline", "smartquotes"]
HOSTILE = [
    "<script>alert(1)</script>",
    "<b>bold</b> & <i>it</i> &amp; &lt;tag&gt; &#x41;",
    "{cite:p}`baldwin1997concept` and {term}`AES` and {ref}`introduction-p1`",
    "*emphasis* **strong** `code` $x^2$ $$y$$ ~~gone~~",
    "% a comment line",
    "(a-label)=",
    "5. a numbered list",
    "- a bullet",
    "# a heading",
    "> a quotation",
    ":::{note}\nlive\n:::",
    "```{raw} html\n<script>x</script>\n```",
    "[a link](https://example.org) <https://example.org> https://example.org",
    "\\textbf{x} \\\\ % $ & # _ ^ ~ { }",
    "a | pipe | in | a | cell",
    "{{ substitution }} [^1] [text]{.cls}",
    "trailing backslash \\",
    "--- ... -- (c) (tm)",
]
# Any text a strict data file may hold: no control characters but tab and line breaks.
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"), max_size=60)


def parse(source: str) -> nodes.document:
    return publish_doctree(source, parser=Parser(), settings_overrides={
        "myst_enable_extensions": EXTENSIONS, "report_level": 5, "halt_level": 5, "warning_stream": False})


QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


# The characters at which Python (and so docutils, which cuts a directive's content into lines)
# ends a line: text from data reads them as a space.
LINE_ENDS = "".join(c for c in map(chr, range(0x3000)) if len(f"a{c}b".splitlines()) > 1)


def expected(text: str) -> str:
    return re.sub(f"[ \t{re.escape(LINE_ENDS)}]+", " ", text).strip()


def only_text(node: nodes.Element) -> str:
    """The node's text, after checking that it holds text nodes only."""
    found = [child for child in node.children if not isinstance(child, nodes.Text)]
    assert not found, f"markup came out of data: {[n.pformat() for n in found]}"
    return node.astext().translate(QUOTES)


def test_the_examples_hold_every_kind_of_markup():
    assert all(c not in ALLOWED_CONTROLS - {"\n"} for text in HOSTILE for c in text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_value_is_one_paragraph_of_its_own_text(text):
    if not expected(text):
        return
    document = parse(literal(text))
    assert len(document.children) == 1 and isinstance(document[0], nodes.paragraph), document.pformat()
    assert only_text(document[0]) == expected(text).translate(QUOTES)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_stay_text_in_every_place(text):
    want = expected(text).translate(QUOTES)
    value = literal(text)
    # a list item
    item = parse(f"- {value}\n").next_node(nodes.list_item)
    assert only_text(item[0]) == want
    # a definition (the register)
    definition = parse(f"Term\n: {value}\n").next_node(nodes.definition)
    assert only_text(definition[0]) == want
    # an inline span with a class (the glossary's kind)
    span = parse(f"[{value}]{{.cls}}\n").next_node(nodes.inline)
    assert only_text(span) == want and span["classes"] == ["cls"]
    # a link's name (the glossary's and timeline's sources)
    reference = parse(link(text, "https://example.org/a)b*c") + "\n").next_node(nodes.reference)
    assert reference["refuri"] == "https://example.org/a)b*c" and only_text(reference) == want


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT)
@example("a | b", "<script>x</script>")
@example("\\", "|")
@example("a\u2028b", "\u2029")  # Unicode's line and paragraph separators would cut the row
def test_notebook_table_cells_stay_text(first, second):
    """The notebooks' tables (aes_edition.notebook_output.Table), as MyST and as HTML."""
    table = Table(["A", "B"], [[Cell.text(first), Cell.text(second)]], [1, 1])
    document = parse(table._repr_markdown_())
    cells = list(document.findall(nodes.entry))
    assert len(cells) == 4, document.pformat()
    for cell, text in zip(cells[2:], (first, second), strict=True):
        shown = only_text(cell[0]) if len(cell) else ""
        assert shown == expected(typographic(text)).translate(QUOTES)
    assert "<script>" not in table._repr_html_()


@settings(max_examples=150, deadline=None)
@given(TEXT)
@example("<script>x</script> {ref}`a <b>` :widths: 1")
@example("a\n:::\nb")
def test_notebook_table_captions_stay_text(caption):
    """A table's caption (the notebook's words) is the table's title as written, in MyST and
    in HTML; a blank caption gives no title. White space is the one thing folded."""
    table = Table(["A"], [[Cell.text("x")]], [1]).captioned(caption)
    document = parse(table._repr_markdown_())
    assert len(list(document.findall(nodes.entry))) == 2, document.pformat()
    titles = [node for node in document.findall(nodes.title) if isinstance(node.parent, nodes.table)]
    if caption.strip():
        assert len(titles) == 1, document.pformat()
        assert only_text(titles[0]).split() == expected(typographic(caption)).translate(QUOTES).split()
    else:
        assert not titles
    assert "<script>" not in table._repr_html_()


@settings(max_examples=150, deadline=None)
@given(TEXT)
@example("Adebajo <b>x</b> {term}`AES` {strong}`bold` :literal:`x`")
def test_an_edited_reading_runs_only_the_roles_it_may_carry(text):
    """The extension's readings (scholarly_edition.emendations) are data: only the roles
    ``scholarly_edition_reading_roles`` names run; every other character, roles included, is text."""
    env = SimpleNamespace(config={READING_ROLES: "emphasis"})
    inliner = SimpleNamespace(reporter=new_document("reading").reporter)
    made, _messages = reading_nodes(env, f"{text} {{emphasis}}`Adebajo`", 1, inliner, None)
    assert [n.astext() for n in made if not isinstance(n, nodes.Text)] == ["Adebajo"], made
    assert isinstance(made[-1], nodes.emphasis), made
    words = "".join(str(n) for n in made if isinstance(n, nodes.Text))
    assert words.strip() == expected(text)


def test_labels_from_data_are_not_mathematics_in_the_figures():
    """A concept label or a finding's short text holding ``$…$`` is drawn as written."""
    import dataclasses

    from matplotlib.text import Text

    from aes_edition import concept_map, traceability
    from aes_edition.analysis_data import load_concept_map, load_traceability

    data = load_concept_map()
    first = next(iter(data.concepts))
    concepts = {**data.concepts, first: dataclasses.replace(data.concepts[first], label="cost $x^2$ here")}
    drawn = concept_map.figure(dataclasses.replace(data, concepts=concepts))
    trace = load_traceability()
    key = next(iter(trace.findings))
    findings = {**trace.findings, key: dataclasses.replace(trace.findings[key], short="a $y$ b")}
    matrix = traceability.figure(dataclasses.replace(trace, findings=findings))
    for fig, written in ((drawn, "$x^2$"), (matrix, "$y$")):
        texts = [t for t in fig.findobj(Text) if written in t.get_text()]
        assert texts and all(not t._preprocess_math(t.get_text())[1] for t in texts)

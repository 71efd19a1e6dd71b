"""The book's own markup is recognised in every spelling MyST accepts, or refused with a
message; and a label names one place in the book.

The checks that run before Sphinx read the chapters through aes_edition/myst_blocks.py
(MyST's own tokeniser); the build compares what Sphinx read with what they read
(aes_edition/sphinxext/markup_forms.py). The unit tests give the same two paragraphs and
note in each spelling; a small Sphinx project (sphinx.testing) builds them, and shows the
build refusing a spelling the checks cannot read and a label used twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from scholarly_edition.strict_data import DataError
from sphinx.testing.util import SphinxTestApp

from aes_edition.myst_blocks import find
from aes_edition.paragraphs import parse_chapter

FIRST, SECOND = "The first paragraph.", "The second paragraph, with a {abbr}`role (a role)`."
SPELLINGS = {
    "colon fences": f":::{{para}} chap-p1\n{FIRST}\n:::\n\n:::{{para}} chap-p2\n{SECOND}\n:::\n",
    "backtick fences": f"```{{para}} chap-p1\n{FIRST}\n```\n\n````{{para}} chap-p2\n{SECOND}\n````\n",
    "tilde fences": f"~~~{{para}} chap-p1\n{FIRST}\n~~~\n\n~~~{{para}} chap-p2\n{SECOND}\n~~~\n",
    "space after the fence": f"::: {{para}}   chap-p1\n{FIRST}\n:::\n\n```  {{para}} chap-p2  \n{SECOND}\n```\n",
    "indented fences": f"  :::{{para}} chap-p1\n  {FIRST}\n  :::\n\n   ```{{para}} chap-p2\n   {SECOND}\n   ```\n",
    "longer closing fence": f":::{{para}} chap-p1\n{FIRST}\n::::::\n\n```{{para}} chap-p2\n{SECOND}\n`````\n",
    "nested in a container": f"::::{{container}} part\n:::{{para}} chap-p1\n{FIRST}\n:::\n::::\n\n"
                             f"`````{{container}}\n````{{container}}\n```{{para}} chap-p2\n{SECOND}\n```\n````\n`````\n",
    "with options": f":::{{para}} chap-p1\n:class: lead\n{FIRST}\n:::\n\n"
                    f"```{{para}} chap-p2\n---\nclass: x\n---\n{SECOND}\n```\n",
}
NOTE_SPELLINGS = {
    "colon": ":::{ednote} A note\n:kind: context\n:on: chap-p1\nText.\n:::\n",
    "backtick": "```{ednote} A note\n:kind: context\n:on: chap-p1\nText.\n```\n",
    "yaml options": "````{ednote}   A note\n---\nkind: context\n'on': chap-p1\n---\nText.\n````\n",
    "nested": "::::{container}\n:::{ednote} A note\n:kind: context\n:on: chap-p1\nText.\n:::\n::::\n",
}


def _chapter(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "chap.md"
    path.write_text("# The Chapter\n\n" + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_gives_the_same_paragraphs(tmp_path, spelling):
    paragraphs = parse_chapter(_chapter(tmp_path, SPELLINGS[spelling]))
    assert [(p.id, p.number, p.source) for p in paragraphs] == [("chap-p1", 1, FIRST), ("chap-p2", 2, SECOND)]
    text = (tmp_path / "chap.md").read_text(encoding="utf-8").splitlines()
    assert all("chap-p" in text[p.line - 1] for p in paragraphs)


@pytest.mark.parametrize("spelling", NOTE_SPELLINGS)
def test_every_spelling_gives_the_same_note(spelling):
    [note] = find(NOTE_SPELLINGS[spelling], "ednote")
    assert (note.argument, note.options.get("kind"), note.body) == ("A note", "context", "Text.")


def test_a_directive_inside_code_is_not_one():
    assert find("````markdown\n:::{para} chap-p1\nx\n:::\n````\n", "para") == []
    assert find("```{code-block} md\n:::{para} chap-p1\nx\n:::\n```\n", "para") == []


@pytest.mark.parametrize(("text", "problem"), [
    (f"```{{para}} chap-p1\n{FIRST}\n", "line 3, paragraph 'chap-p1': paragraph is not closed"),
    (f":::{{para}} chap-p1\n{FIRST}\n:::\n\n```{{para}} chap-p1\n{SECOND}\n```\n",
     "line 7, paragraph 'chap-p1': paragraph id out of sequence: expected 'chap-p2'"),
    (f"::: {{para}}\n{FIRST}\n:::\n", "line 3: a paragraph needs one id"),
    (f"```{{para}} chap-p1 chap-p2\n{FIRST}\n```\n", "line 3, paragraph 'chap-p1 chap-p2': a paragraph needs one id"),
])
def test_a_malformed_paragraph_is_named(tmp_path, text, problem):
    with pytest.raises(DataError) as caught:
        parse_chapter(_chapter(tmp_path, text))
    assert str(caught.value).startswith("chap.md, ") and problem in str(caught.value), str(caught.value)


# --- the build ----------------------------------------------------------------------------------

CONF = """
extensions = ["myst_parser", "forms_ext"]
myst_enable_extensions = ["colon_fence"]
scholarly_edition_note_kinds = {"context": "Context"}
"""
EXTENSION = """
from aes_edition.sphinxext import markup_forms


def setup(app):
    app.setup_extension("scholarly_edition")
    markup_forms.setup(app)
    return {"parallel_read_safe": True}
"""


def build(tmp_path: Path, pages: dict[str, str], monkeypatch) -> tuple[str, Path]:
    source = tmp_path / "src"
    (source / "chapters").mkdir(parents=True)
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "forms_ext.py").write_text(EXTENSION, encoding="utf-8")
    toctree = "\n".join(name.removesuffix(".md") for name in pages)
    (source / "index.md").write_text(f"# Book\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    for name, text in pages.items():
        (source / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(source))
    app = SphinxTestApp("html", srcdir=source, builddir=tmp_path / "build")
    try:
        app.build()
        return app.warning.getvalue(), Path(app.outdir)
    finally:
        app.cleanup()


def test_the_build_reads_every_spelling_as_the_checks_do(tmp_path, monkeypatch):
    chapter = "# The Chapter\n\n" + SPELLINGS["nested in a container"] + "\n" + NOTE_SPELLINGS["yaml options"] \
        + "\n" + NOTE_SPELLINGS["nested"].replace("A note", "Another note")
    warnings, html = build(tmp_path, {"chapters/chap.md": chapter}, monkeypatch)
    assert "WARNING" not in warnings, warnings
    page = (html / "chapters" / "chap.html").read_text(encoding="utf-8")
    assert 'id="chap-p1"' in page and 'id="chap-p2"' in page and "Another note" in page


def test_a_spelling_the_checks_cannot_read_fails_the_build(tmp_path, monkeypatch):
    chapter = (f"# The Chapter\n\n:::{{para}} chap-p1\n{FIRST}\n:::\n\n"
               "```{eval-rst}\n.. para:: chap-p2\n\n   Hidden from the checks.\n```\n")
    warnings, _ = build(tmp_path, {"chapters/chap.md": chapter}, monkeypatch)
    assert "chapters/chap.md" in warnings and "paragraphs chap-p2 are written in a form the edition's checks do not read" \
        in warnings, warnings


def test_a_label_used_by_two_pages_fails_the_build(tmp_path, monkeypatch):
    chapter = f"# The Chapter\n\n:::{{para}} chap-p1\n{FIRST}\n:::\n"
    other = "(chap-p1)=\n# Another page\n\nText.\n"
    warnings, _ = build(tmp_path, {"chapters/chap.md": chapter, "other.md": other}, monkeypatch)
    assert "label 'chap-p1' is used by chapters/chap and other" in warnings, warnings


def test_an_id_given_twice_in_a_page_fails_the_build(tmp_path, monkeypatch):
    chapter = f"# The Chapter\n\n:::{{para}} chap-p1\n{FIRST}\n:::\n\n```{{para}} chap-p1\n{SECOND}\n```\n"
    warnings, _ = build(tmp_path, {"chapters/chap.md": chapter}, monkeypatch)
    # The paragraph directive (sphinx-scholarly-edition) refuses the second paragraph's id,
    # naming its line, and the edition's reading of the chapter names the sequence.
    assert "chapters/chap.md:7: WARNING: paragraph id 'chap-p1' must be 'chap-p2'" in warnings, warnings
    assert "paragraph id out of sequence: expected 'chap-p2'" in warnings, warnings


def test_a_target_that_repeats_a_paragraph_id_fails_the_build(tmp_path, monkeypatch):
    chapter = f"# The Chapter\n\n:::{{para}} chap-p1\n{FIRST}\n:::\n\n(chap-p1)=\n## A section\n\nText.\n"
    warnings, _ = build(tmp_path, {"chapters/chap.md": chapter}, monkeypatch)
    assert "duplicate label chap-p1" in warnings, warnings


def test_roles_are_read_as_myst_reads_them():
    from aes_edition.myst_blocks import inline_words, roles

    text = ("As {cite:t}`a2020` and {cite:p}``b2021`` say, {Emend2}`E01` *is* {term}`X <y>`; "
            "not `` {cite:p}`c2022` `` in code.")
    assert roles(text) == [("cite:t", "a2020"), ("cite:p", "b2021"), ("Emend2", "E01"), ("term", "X <y>")]
    assert inline_words(text, lambda name, body: f"[{name}]").strip() == \
        "As [cite:t] and [cite:p] say, [Emend2] is [term]; not {cite:p}`c2022` in code."


def test_a_paragraph_outside_the_chapters_fails_the_build(tmp_path, monkeypatch):
    warnings, _ = build(tmp_path, {"extra.md": f"# Extra\n\n:::{{para}} extra-p1\n{FIRST}\n:::\n"}, monkeypatch)
    assert "paragraphs extra-p1 of the paper stand outside chapters/" in warnings, warnings


def test_the_tokeniser_is_myst_parsers_own_on_every_page():
    """aes_edition.myst_blocks builds MyST's tokeniser without myst-parser (Binder has no
    Sphinx); on every page of the book, and on every spelling above, it must give the tokens
    myst-parser's own parser gives. If this fails after an upgrade, myst-parser changed how it
    builds its parser: follow it in aes_edition/myst_blocks.py."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    from aes_edition.myst_blocks import EXTENSIONS, _parser
    from aes_edition.paths import ROOT

    theirs = create_md_parser(MdParserConfig(enable_extensions=set(EXTENSIONS)), RendererHTML)

    def tokens(md, text):
        found = []
        for token in md.parse(text):
            found.append((token.type, token.info, token.map, token.content))
            found += [(child.type, child.content, tuple(sorted(child.meta.items()))) for child in token.children or []]
        return found

    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "chapters").glob("*.md"))]
    texts += list(SPELLINGS.values()) + list(NOTE_SPELLINGS.values())
    assert len(texts) > 20
    for text in texts:
        assert tokens(_parser(), text) == tokens(theirs, text)

"""Text from data stays text in every output: a small Sphinx project (sphinx.testing) holds
the edition's data-driven directives (glossary, timeline, register of references, textual
apparatus, changelog), fed with hostile values in every field, and is built as HTML (with sphinx-tippy's
hover previews and the search index) and as LaTeX. No value may come out as markup in any of
them; each must be there as the text it is.

The loaders are replaced by the hostile rows (the glossary, which the extension reads, is
written as its YAML file), so the project builds in about a second and needs nothing of the
book but its code.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from registers import write_register
from sphinx.testing.util import SphinxTestApp

from aes_edition.changelog import Release
from aes_edition.emendations import Emendation
from aes_edition.glossary import Term
from aes_edition.reference_register import RegisterRow
from aes_edition.timeline import Event, Source

SCRIPT = "<script>alert('data')</script>"
BOLD = "<b>bold</b>"
ROLE = "{ref}`hostile-target`"
LATEX = r"\textbf{x} 50% $x^2$ #1 & ~ _ ^"
MYST = "*not emphasis* % not a comment"
HOSTILE = f"{SCRIPT} {BOLD} {ROLE} {LATEX} {MYST}"
URL = "https://example.org/page?a=1&b=(2)"

TERMS = [
    Term("Plainterm", f"exp {BOLD}", "concept", f"Definition {HOSTILE}.", (URL,), (f"alias {SCRIPT}",), 1),
]
EVENTS = [
    Event("2023-09-16", "2023-09-16", f"Event {HOSTILE}", f"cat {BOLD}",
          (Source("key2023", f"Title {SCRIPT}", "Agency", URL),), "high", True, 2),
]
REGISTER = [
    RegisterRow("R01", "key2023", f"printed {HOSTILE}", f"corrected {HOSTILE}", f"changes {HOSTILE}",
                (URL,), "verified", "", f"suggestion {HOSTILE}"),
]
EMENDATIONS = {
    "E01": Emendation("E01", "", "punctuation", f"printed {HOSTILE}",
                      f"edition {HOSTILE} {{cite:p}}`key2023`", f"note {HOSTILE}"),
}
RELEASES = [
    Release("1.1.0", None, f"summary {HOSTILE}", (f"change {HOSTILE}",), 1),
    Release("1.0.0", datetime.date(2026, 12, 5), f"first {HOSTILE}", (f"change {SCRIPT}", f"change {LATEX}"), 5),
]
BIB = "@online{key2023, author={{Agency}}, title={A page}, url={https://example.org/}, year={2023}}\n"
CONF = """
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "sphinx_tippy", "hostile_ext"]
myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline", "smartquotes"]
bibtex_bibfiles = ["refs.bib"]
tippy_enable_doitips = False
tippy_enable_wikitips = False
tippy_anchor_parent_selector = "body"
tippy_tip_selector = "dd, p, div"
html_theme = "basic"
latex_documents = [("index", "project.tex", "Project", "Editors", "manual")]
scholarly_edition_emendations = "emendations.csv"
scholarly_edition_reading_roles = "cite(:[a-z]+)?"
scholarly_edition_glossary = "glossary.yaml"
"""
EXTENSION = '''
from aes_edition.sphinxext import datapages, edition_status, register


def setup(app):
    # The extension sets the readings and the apparatus, keeps the timeline's events and lists
    # their notes; its copy-text check is off (no scholarly_edition_copy_text here).
    app.setup_extension("scholarly_edition")
    app.add_directive("timeline", datapages.TimelineDirective)
    app.add_directive("reference-register", register.ReferenceRegisterDirective)
    app.add_directive("edition-changelog", edition_status.ChangelogDirective)
    return {"parallel_read_safe": True}
'''
INDEX = """(hostile-target)=
# Project

See {term}`Plainterm`. Emended: {emend}`E01`.

```{toctree}
glossary
```

:::{edition-glossary}
:::

:::{timeline}
:::

:::{reference-register}
:::

:::{apparatus}
:::

:::{edition-changelog}
:::

```{bibliography}
```
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    import aes_edition.sphinxext.datapages as datapages
    import aes_edition.sphinxext.edition_status as edition_status
    import aes_edition.sphinxext.register as register

    patch = pytest.MonkeyPatch()
    patch.setattr(datapages, "load_timeline", lambda: EVENTS)
    patch.setattr(register, "load_register", lambda: REGISTER)
    patch.setattr(edition_status, "load_changelog", lambda path: RELEASES)
    patch.setattr(edition_status, "check_against_citation", lambda *args: None)
    # The edition's citation comes from CITATION.cff, which this project has not.
    patch.setattr(edition_status, "edition_citation", lambda app: SimpleNamespace(version="1.0.0", date_released=None))
    source = tmp_path_factory.mktemp("hostile") / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "hostile_ext.py").write_text(EXTENSION, encoding="utf-8")
    (source / "refs.bib").write_text(BIB, encoding="utf-8")
    write_register(source / "emendations.csv", EMENDATIONS)
    write_glossary(source / "glossary.yaml", TERMS)
    (source / "index.md").write_text(INDEX.replace("```{toctree}\nglossary\n```\n\n", ""), encoding="utf-8")
    patch.syspath_prepend(str(source))
    built: dict[str, Path] = {}
    try:
        for builder in ("html", "latex"):
            app = SphinxTestApp(builder, srcdir=source, builddir=source.parent / "build")
            try:
                app.build()
                warnings = app.warning.getvalue()
                assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
            finally:
                app.cleanup()
            built[builder] = Path(app.outdir)
    finally:
        patch.undo()
    return built


def write_glossary(path: Path, terms: list[Term]) -> None:
    """The terms as the glossary's YAML (the extension's glossary reads it)."""
    entries = [{"term": t.term, "expansion": t.expansion, "kind": t.kind, "definition": t.definition,
                "sources": list(t.sources), "aliases": list(t.aliases)} for t in terms]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _texts(folder: Path, *suffixes: str) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8", errors="replace")
            for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes}


def test_no_value_is_live_markup_in_the_html(outputs):
    files = _texts(outputs["html"], ".html", ".js", ".json")
    for name, text in files.items():
        for markup in ("<script>alert", BOLD, "<em>not emphasis</em>", 'href="#hostile-target"'):
            assert markup not in text, f"{markup!r} is live in {name}"
    page = files["index.html"]
    assert page.count("&lt;script&gt;alert(") >= 12  # every field of every directive, shown
    assert "change &lt;script&gt;alert(" in page and "summary &lt;script&gt;alert(" in page  # the changelog
    assert "{ref}`hostile-target`" in page and "*not emphasis* % not a comment" in page
    assert "https://example.org/page?a=1&amp;b=(2)" in page


def test_the_hover_previews_show_the_text(outputs):
    tips = _texts(outputs["html"] / "_static", ".js")
    previews = "\n".join(text for name, text in tips.items() if "tippy" in name)
    assert "Definition" in previews, sorted(tips)
    assert "&lt;script&gt;alert(" in previews and "<script>alert" not in previews


def test_the_search_index_holds_the_words(outputs):
    index = (outputs["html"] / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(re.search(r"Search\.setIndex\((.*)\)", index, re.S)[1])["terms"]
    assert {"alert", "emphasi", "comment"} <= set(terms) or {"alert", "emphasis", "comment"} <= set(terms)


def test_latex_specials_are_escaped(outputs):
    tex = (outputs["latex"] / "project.tex").read_text(encoding="utf-8")
    assert r"\textbackslash{}textbf\{x\} 50\% \$x\textasciicircum{}2\$ \#1 \& \textasciitilde{} \_ \textasciicircum{}" in tex
    assert r"\sphinxstyleemphasis{not emphasis}" not in tex
    assert tex.count("script") >= 8 and r"\textless{}script\textgreater{}" in tex

"""The edition as an EPUB 3 for e-readers (``make epub``), built by Sphinx's own ``epub``
builder from the same pages as the HTML edition.

An e-book is read like the printed book, not like the site: it has no launch buttons
(sphinx-book-theme would look for the page's repository buttons, which the EPUB's own
theme does not have), and EPUB 3 requires a version, taken from ``CITATION.cff`` (the
same version the edition's citation gives). Everything else (text, notes, figures,
reference lists) is Sphinx's EPUB output of the edition's nodes, set by the EPUB theme's
style sheet and the edition's own for e-readers (``epub_static/edition-epub.css``), which
keeps the editors' voice apart from the authors' as the site does; ``make epub`` checks
the file with EPUBCheck, and the front page links to it beside the PDF
(``_build/html/aes-edition.epub``).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder

from ..citation import load_citation
from .location import book_relative

# The EPUB's own stylesheet: the editors' voice as the HTML edition sets it (edition.css),
# for e-readers. A folder of its own, given to Sphinx only when it builds the EPUB, so that
# the site does not carry a stylesheet none of its pages links.
EPUB_STATIC = Path(__file__).parent / "epub_static"
EPUB_CSS = "edition-epub.css"
# What an EPUB page links: the EPUB theme's style sheet, Pygments' and the edition's.
EPUB_STYLES = ("epub.css", "pygments.css", EPUB_CSS)


def _for_e_readers(app: Sphinx) -> None:
    if app.builder.name != "epub":
        return
    if not app.config.version:
        app.config.version = load_citation().version
    if not app.config.release:
        app.config.release = app.config.version
    options = dict(app.config.html_theme_options or {})
    options["launch_buttons"] = {}
    app.config.html_theme_options = options
    static = book_relative(EPUB_STATIC, app.confdir)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
    app.add_css_file(EPUB_CSS)


def _no_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """An e-book page is read, not run: without the site's scripts (hover previews, copy
    buttons, the theme's) and the site's style sheets, which EPUB 3 readers and EPUBCheck
    do not accept as they are (scripted pages must be declared; myst-nb's CSS nests rules),
    the pages keep the EPUB theme's own style sheet, Pygments' and the edition's own for
    e-readers (``epub_static/edition-epub.css``: the editors' notes, quoted sources and
    supplied words set apart from the authors' text, as on the site)."""
    if app.builder.name != "epub":
        return
    context["script_files"] = []
    context["css_files"] = [css for css in context.get("css_files", [])
                            if str(getattr(css, "filename", css)).endswith(EPUB_STYLES)]


class EditionEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder, with the reading order of a book whose root document is not
    at the top (``chapters/index``): Sphinx prefixes the root's folder to each entry of
    the contents, so the notebooks (``../notebooks/…`` from there) became
    ``chapters/../notebooks/…``, which is no file of the EPUB. Each entry is normalised."""

    def toc_add_files(self, refnodes: list[dict]) -> None:
        for node in refnodes:
            node["refuri"] = posixpath.normpath(node["refuri"])
        super().toc_add_files(refnodes)


def _exclude_site_files(app: Sphinx, *args) -> list:
    """The site's style sheets and scripts, which no EPUB page links (see _no_scripts), are
    left out of the file as well: EPUBCheck rejects myst-nb's CSS."""
    if app.builder.name == "epub":
        keep = (*EPUB_STYLES, "basic.css")
        names = [name for name, _attributes in [*app.registry.css_files, *app.registry.js_files] if name]
        app.config.epub_exclude_files = [*app.config.epub_exclude_files,
                                         *(f"_static/{name}" for name in names if not name.endswith(keep))]
    return []


def _no_inline_scripts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe writes its configuration into every page as inline scripts; an EPUB
    page has no kernel to start, and a scripted page must be declared as such."""
    if app.builder.name != "epub":
        return
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "") and "<script" in raw.astext():
            raw.parent.remove(raw)


def setup(app: Sphinx) -> None:
    app.add_builder(EditionEpubBuilder, override=True)
    app.connect("doctree-resolved", _no_inline_scripts, priority=900)
    app.connect("html-collect-pages", _exclude_site_files)
    # before the EPUB builder checks its configuration (also on builder-inited)
    app.connect("builder-inited", _for_e_readers, priority=400)
    app.connect("html-page-context", _no_scripts, priority=900)

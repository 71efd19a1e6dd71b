"""What an HTML page of the edition loads, so that it reads offline and without script errors.

* Hover previews of citations, glossary terms and cross-references come from sphinx-tippy
  (configured in ``_config.yml``). Its two libraries, Popper and tippy.js, are shipped in
  ``static/`` and named there with ``tippy_js``: by default sphinx-tippy loads them from a CDN,
  and a reader without a network would get no previews.
* The edition's icon (``extra/favicon.ico``, a white pilcrow on the editors' colour) is linked
  from every page (``favicon`` in ``_config.yml``) and also copied to the site's root, where
  browsers ask for ``/favicon.ico`` whatever the page says (a 404 there is a console error).
* ``edition.js`` lets a paragraph number offer the paragraph's address to copy.
* Sphinx 7.4 writes an inline script twice when an extension adds it after the builder has
  started: ``Sphinx.add_js_file(None, body=...)`` hands the builder ``None`` as the file name,
  and the builder adds the registry's copy again under ``''`` before writing, so the two do not
  compare equal (sphinx-doc/sphinx#13402). sphinx-thebe adds its configuration
  (``const THEBE_JS_URL = ...``) that way, and every page then stopped with "Identifier
  'THEBE_JS_URL' has already been declared". ``_one_copy_of_each_script`` leaves each page one
  copy of every script tag, in ``html-page-context`` (the page's ``script_files``, compared as
  the page's ``js_tag`` writes them); with a Sphinx that has the fix it changes nothing.
* Accessibility (WCAG 2 A/AA, as axe-core checks it): ``templates/`` holds the edition's copies
  of two theme buttons whose names did not match what they show, and ``visit_citation`` gives
  each bibliography entry the role ``listitem``: docutils writes ``doc-biblioentry``, which
  DPUB-ARIA 1.1 deprecates and which is not a valid child of the ``list`` docutils puts around
  the entries, so screen readers were not told the list's items.
* sphinx-book-theme 1.3.0 hides the page's table of contents while a margin note is on screen,
  and assumes the page has one: on a page without sections (no table of contents, so no
  secondary sidebar) every margin note scrolled into view threw "Cannot read properties of
  null (reading 'classList')". ``static/scripts/sphinx-book-theme.js`` is the edition's copy of
  the theme's script with the missing null check: Sphinx copies ``html_static_path`` after the
  theme's static files, so the copy takes the theme's place (tests/test_webpage.py checks that
  it is the installed theme's script with that one change).
* Weight: ``templates/static/webpack-macros.html`` is the edition's copy of the theme's
  asset macros without Font Awesome's script (1.5 MB on every page, half of what a page
  loaded): the theme's stylesheet already draws every icon from the icon font. The files no
  page uses are removed after the build (:mod:`.site_files`).
* sphinx-tippy collects each page's previews while the page is written, after Sphinx has
  saved its environment, and writes the preview files of the pages written in this build
  only, from what it collected in this build. An incremental build writes a few pages
  (strict.py), whose previews of every other page would then be missing.
  ``_restore_tippy_pages`` and ``_keep_tippy_pages`` keep the collected previews of every
  page beside the saved environment, so that each build writes every page's preview file
  from the current previews of all pages.
* myst-nb copies its stylesheet into ``_static`` when the build finishes, after the pages
  are written, so a clean build links it without Sphinx's checksum (``?v=…``) and every
  later build with it: an incremental build and a clean build of the same sources differed
  on every page. ``_mystnb_css_before_pages`` has myst-nb copy it before the pages are written
  (its own ``add_global_html_resources``, called early). Guarded patch 2 of 3: myst-nb has no
  setting for when it copies, and the build stops unless the installed myst-nb is a release
  this was written for and still copies its stylesheet with that function.
* Two builds of one commit must give the same files, and sphinx-tippy 0.4.3 would not: it names
  each page's data file ``<page>.<random uuid4>.js`` and writes the previews in the order of a
  set, which changes from run to run. ``_stable_tippy_names`` and ``_stable_tippy_order`` give it
  a name derived from the commit date and the page, and a sorted order.
* Guarded patch 1 of 3 is all of the above on sphinx-tippy (the names, the order, the previews
  kept across builds): sphinx-tippy 0.4.3 has no setting for any of it (its ``tippy_*`` options
  choose what is previewed, not how the files are named or kept), so the edition replaces the
  module's ``uuid4`` and works on the previews it collects (``env.tippy_data``); the build stops
  unless the installed sphinx-tippy is a release this was written for and still has both.
* This module has two of the three guarded patches the edition allows itself; the third is
  :mod:`.bib_content` (sphinxcontrib-bibtex's parse of the .bib files). The other pieces
  use public mechanisms: events (``html-page-context``,
  ``config-inited``, ``builder-inited``, ``build-finished``), ``templates_path``,
  ``html_static_path``, ``html_extra_path``, ``app.add_node(..., override=True)`` and
  ``app.add_js_file``.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import os
import pickle
import re
import uuid
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from .content import edition_code_version
from .location import book_relative

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
EXTRA = Path(__file__).parent / "extra"

_TIPPY_PAGE = {"name": ""}


# The upstream releases each guarded patch was written for (package name as installed).
WRITTEN_FOR = {
    "sphinx-tippy": ("0.4.3",),        # guarded patch 1 of 3
    "myst-nb": ("1.4.0",),             # guarded patch 2 of 3
}
PATCH_NUMBER = {"sphinx-tippy": 1, "myst-nb": 2}


def installed_version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def upstream_problem(package: str, version: str, code_found: bool) -> str | None:
    """Why guarded patch for ``package`` must not be applied (one line), or None."""
    if version in WRITTEN_FOR[package] and code_found:
        return None
    found = f"{package} {version or '(not installed)'}" + ("" if code_found else " without the code it patches")
    return (f"aes_edition/sphinxext/webpage.py: guarded patch {PATCH_NUMBER[package]} of 3 was written for "
            f"{package} {', '.join(WRITTEN_FOR[package])}, found {found}: check it against the new release")


def check_upstream(package: str, code_found: bool) -> None:
    """Stop the build when the installed ``package`` is not what its guarded patch was written for."""
    problem = upstream_problem(package, installed_version(package), code_found)
    if problem:
        raise ExtensionError(problem)


def _one_copy_of_each_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Drop a script tag the page already has (sphinx-doc/sphinx#13402), keeping the first."""
    scripts = context.get("script_files")
    js_tag = context.get("js_tag")
    if not isinstance(scripts, list) or js_tag is None:
        return
    seen: set[str] = set()
    once = []
    for script in scripts:
        tag = js_tag(script)
        if tag not in seen:
            seen.add(tag)
            once.append(script)
    scripts[:] = once  # in place: the builder's list, which later handlers may still add to


def _edition_templates_first(app: Sphinx, config: Config) -> None:
    """Let the edition's copies of theme components win over the theme's own."""
    templates = book_relative(TEMPLATES, app.confdir)
    if templates not in config.templates_path:
        config.templates_path.insert(0, templates)


def _icon_at_the_root(app: Sphinx, config: Config) -> None:
    """Copy ``extra/`` (the icon) to the root of the HTML output."""
    extra = book_relative(EXTRA, app.confdir)
    if extra not in config.html_extra_path:
        config.html_extra_path.append(extra)


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    """docutils 0.21's visit_citation, with the role ``listitem`` for the entry."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _tippy_file_token() -> uuid.UUID:
    """Stands in for sphinx-tippy's uuid4(): new with each commit (so browsers do not keep an
    old page's previews), the same for every build of one commit."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"aes-edition/{epoch}/{_TIPPY_PAGE['name']}")


def tippy_internals_found() -> bool:
    """Whether the installed sphinx-tippy names its data files with its module's ``uuid4()`` and
    keeps each page's previews in ``env.tippy_data["pages"]`` under the keys guarded patch 1 uses."""
    try:
        import sphinx_tippy as tippy
    except ImportError:
        return False
    try:
        collect = inspect.getsource(tippy.collect_tips)
        write = inspect.getsource(tippy.write_tippy_props_page)
    except (AttributeError, OSError, TypeError):
        return False
    page_keys = set(getattr(getattr(tippy, "TippyPageData", None), "__annotations__", {}))
    return (callable(getattr(tippy, "uuid4", None)) and "uuid4()" in collect
            and 'tippy_data["pages"][pagename]' in collect and 'get_tippy_data(app)["pages"]' in write
            and callable(getattr(tippy, "write_tippy_js", None))
            and {"refs_in_page", "custom_in_page", "wiki_titles", "dois", "rtd_urls", "id_to_html",
                 "js_path"} <= page_keys)


def _stable_tippy_names(app: Sphinx) -> None:
    if "sphinx_tippy" not in app.extensions:
        return
    check_upstream("sphinx-tippy", tippy_internals_found())
    import sphinx_tippy

    sphinx_tippy.uuid4 = _tippy_file_token  # type: ignore[attr-defined]


def _before_tippy_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Name the page for the token, and remove the page's data files of earlier builds (which
    sphinx-tippy means to do but looks for in the wrong folder)."""
    _TIPPY_PAGE["name"] = pagename
    if doctree is not None:
        for stale in Path(app.outdir, "_static", "tippy").glob(f"{pagename}.*.js"):
            stale.unlink()


def _stable_tippy_order(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Sort what sphinx-tippy collected for the page, so its data file is written in one order,
    and take the ids out of the previews: a preview of a paragraph or entry of the same page
    would otherwise put a second element with that id into the page while it is shown; and
    take out what a preview does not show (:data:`PREVIEW_ONLY`, :data:`BACKLINK_LIST`)."""
    page = getattr(app.env, "tippy_data", {}).get("pages", {}).get(pagename)
    if not page:
        return
    for key in ("refs_in_page", "custom_in_page", "wiki_titles", "dois", "rtd_urls"):
        if key in page:
            page[key] = sorted(page[key], key=_sort_key)
    if "id_to_html" in page:
        page["id_to_html"] = {key: PREVIEW_ONLY.sub("", BACKLINK_LIST.sub("", ID_ATTRIBUTE.sub("", html)))
                              for key, html in page["id_to_html"].items()}


ID_ATTRIBUTE = re.compile(r'\sid="[^"]*"')
# Attributes a preview has no use for, which made up a third of a page's preview file: native
# tooltips (a citation's whole reference) and the data an emendation's own preview reads.
PREVIEW_ONLY = re.compile(r'\s(?:title|data-note|data-kind|data-key)="[^"]*"|\s(?:title|data-note)=\'[^\']*\'')
# A preview shows the paragraph or entry, not the list of places that point to it (scholarly_edition.backlinks).
BACKLINK_LIST = re.compile(r'<p class="editorial backlinks[^"]*">.*?</p>', re.DOTALL)


def mystnb_copy_found() -> bool:
    """Whether the installed myst-nb copies its stylesheet with ``add_global_html_resources``."""
    try:
        from myst_nb import sphinx_ext
        source = inspect.getsource(sphinx_ext.add_global_html_resources)
    except (ImportError, AttributeError, OSError, TypeError):
        return False
    return "mystnb.css" in source and "copy_asset_file" in source


def _mystnb_css_before_pages(app: Sphinx) -> None:
    if app.builder.format == "html" and "myst_nb" in app.extensions:
        check_upstream("myst-nb", mystnb_copy_found())
        from myst_nb.sphinx_ext import add_global_html_resources

        Path(app.outdir, "_static").mkdir(parents=True, exist_ok=True)  # a clean build has none yet
        add_global_html_resources(app, None)


TIPPY_PAGES = "aes-tippy-pages.pickle"


def _previews_file(app: Sphinx) -> Path:
    """Where guarded patch 1 keeps every page's previews: beside Sphinx's saved environment,
    which is saved before the pages are written, when sphinx-tippy has not yet collected them."""
    return Path(app.doctreedir, TIPPY_PAGES)


def _restore_tippy_pages(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give sphinx-tippy the previews of every page as the last build left them (none when
    they cannot be read, or were kept by other code of the edition: a new code version also
    makes Sphinx read and write every page again). Done when the first page is written, just
    before sphinx-tippy collects its previews: after Sphinx has saved its environment, so the
    saved environment does not carry a second copy of them (sphinx-tippy keeps its data on
    the environment, which Sphinx would otherwise save and load on every build)."""
    if app.builder.format != "html" or hasattr(app.env, "tippy_data"):
        return
    try:
        kept = pickle.loads(_previews_file(app).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return
    if not isinstance(kept, dict) or kept.get("code") != edition_code_version():
        return
    pages = kept["pages"]
    for page in pages.values():
        page["js_path"] = Path(app.outdir, page["js_path"])
    if not hasattr(app.env, "tippy_data"):
        app.env.tippy_data = {"pages": {}, "wiki_titles": set()}  # type: ignore[attr-defined]
    app.env.tippy_data["pages"] = pages  # type: ignore[attr-defined]


def _keep_tippy_pages(app: Sphinx, exception: Exception | None) -> None:
    """Before sphinx-tippy writes the preview files: forget pages that are gone, and keep the
    previews of the others for the next build (paths relative to the site)."""
    if exception is not None or app.builder.format != "html" or not hasattr(app.env, "tippy_data"):
        return
    pages = app.env.tippy_data["pages"]  # type: ignore[attr-defined]
    for gone in set(pages) - set(app.env.found_docs):
        del pages[gone]
    previews = {name: {**page, "js_path": Path(page["js_path"]).relative_to(app.outdir).as_posix()}
                for name, page in pages.items()}
    file = _previews_file(app)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(pickle.dumps({"code": edition_code_version(), "pages": previews}))


def _sort_key(item: str | tuple[str | None, ...]) -> str | tuple[str, ...]:
    """Strings as they are; (page, target) pairs with None (this page, no target) as ''."""
    return tuple(part or "" for part in item) if isinstance(item, tuple) else item


def _one_preview_per_citation(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A citation's link opens the entry's preview (sphinx-tippy); the native tooltip that
    sphinxcontrib-bibtex also writes (``title``, the whole formatted entry) would show the
    same entry a second time, and on a page of many citations it is most of the page's weight."""
    if app.builder.format != "html":
        return
    for citation in doctree.findall(nodes.inline):
        if "bibtex-citation" in citation.get("classes", []):
            for link in citation.findall(nodes.reference):
                link.attributes.pop("reftitle", None)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _edition_templates_first)
    app.connect("config-inited", _icon_at_the_root)
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    # After every handler that adds a script to the page.
    app.connect("html-page-context", _one_copy_of_each_script, priority=900)
    # sphinx-tippy collects a page's previews in html-page-context at priority 450.
    app.connect("builder-inited", _stable_tippy_names)
    app.connect("doctree-resolved", _one_preview_per_citation)
    app.connect("builder-inited", _mystnb_css_before_pages)
    app.connect("build-finished", _keep_tippy_pages, priority=400)  # sphinx-tippy writes at 500
    app.connect("html-page-context", _restore_tippy_pages, priority=448)
    app.connect("html-page-context", _before_tippy_page, priority=449)
    app.connect("html-page-context", _stable_tippy_order, priority=451)
    # After tippy.js, which sphinx-tippy adds to each page with the default priority (500).
    app.add_js_file("edition.js", loading_method="defer", priority=600)

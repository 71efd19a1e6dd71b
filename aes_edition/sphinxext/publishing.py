"""Where the edition is published, and pages that readers' tools understand.

* **One setting.** At ``config-inited`` the addresses are derived from ``repository.url`` (and
  ``html.baseurl``) in ``_config.yml`` by :func:`aes_edition.publishing.derive`, the function
  the notebooks and the data check use too. Jupyter Book hands these settings to Sphinx as
  ``html_theme_options['repository_url']``, ``['repository_branch']`` and ``html_baseurl``.
  A missing or malformed setting stops the build with one line naming it (a
  :class:`~sphinx.errors.ConfigError`). ``html_baseurl`` becomes the derived site address, so
  Sphinx writes every page's ``<link rel="canonical">`` under it.
* **Addresses in the text.** The role ``{edition-url}`` writes an address derived from the
  setting: ``site``, ``repository``, ``pdf``, ``source:<path in the repository>`` or
  ``page:<docname>[#<id>]`` (with an optional title, ``text <target>``). The directive
  ``{edition-citation}`` writes the edition's citation from ``CITATION.cff``
  (:mod:`aes_edition.citation`), which the build holds to the same addresses.
* **Highwire Press tags** (``citation_*``, read by Zotero and Google Scholar) on every page:
  the page's and the edition's titles, the paper's authors and the editors as
  ``CITATION.cff`` names them, the edition's date (the last commit, ``SOURCE_DATE_EPOCH``),
  the page's address and the PDF's.
* **OpenGraph tags** for link previews on every page, written here too: ``og:title``,
  ``og:type`` (``article``), ``og:url`` (the page's address), ``og:site_name`` and
  ``og:description``, the start of the page's text (also its ``<meta name="description">``,
  unless the page has one); none on the EPUB's pages. They came from sphinxext-opengraph, which imports matplotlib for
  its social-card images even when the cards are off: half a second of every build, an
  editor's one-chapter rebuild included, for five tags; it also wrote the title's ``&`` and
  ``<`` unescaped. There is no ``og:image``. Every text put in a tag is escaped.
* **One viewport tag.** Three were written on every page: Sphinx's basic layout, docutils'
  HTML5 writer (into ``metatags``) and pydata-sphinx-theme's ``extrahead`` block each add one.
  Sphinx's stays; the writer's is taken out of ``metatags`` here and the theme's by the
  edition's ``templates/layout.html``.
* **sitemap.xml** at the site's root lists every page under the site address. It is written
  from the environment's list of pages, not from the pages written in this build:
  sphinx-sitemap 2.9.0 lists only the pages written (its ``html-page-context`` handler), so an
  incremental build would publish a sitemap without the pages it did not write again.
* **The download button** of the theme's page header offered ".pdf" as the browser's print
  dialog (``window.print()``); it now links the edition's PDF (``aes-edition.pdf`` at the
  site's root, put there by ``make pdf``), beside the page's source (``.md`` / ``.ipynb``).
  This changes the theme's public ``header_buttons`` list in the page context, after the
  theme has filled it (priority 501).
"""

from __future__ import annotations

import datetime
import hashlib
import html
import os
import posixpath
import re
from collections.abc import Iterator
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docutils import nodes
from scholarly_edition.strict_data import DataError
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..citation import CITATION_FILE, EditionCitation, load_citation
from ..publishing import Publishing, PublishingError, derive
from ..sources import EDITORS_BIB
from ..timeline import FILE as TIMELINE_FILE
from ..timeline import events_end, load_timeline
from .pdf import PDF_NAME

logger = logging.getLogger(__name__)

SITEMAP = "sitemap.xml"
VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\n?')
DOWNLOAD_GROUP = "download-buttons"
PRINT_BUTTON = "download-pdf-button"


def publishing(config: Config) -> Publishing:
    """The addresses as the configuration states them (checked at ``config-inited``)."""
    options = config.html_theme_options or {}
    return derive(options.get("repository_url"), options.get("repository_branch") or "main",
                  getattr(config, "html_baseurl", ""))


def edition_citation(app: Sphinx) -> EditionCitation:
    """The edition's citation from ``CITATION.cff``, held to the addresses the configuration
    states: parsed once per content of the file and per addresses (a function cache, so
    nothing is kept on the application and a long-lived process follows a change). Raises
    :class:`DataError` or :class:`PublishingError`."""
    path = Path(app.confdir, CITATION_FILE.name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return _citation_of(str(path), digest, publishing(app.config))


@lru_cache(maxsize=4)
def _citation_of(path: str, digest: str, derived: Publishing) -> EditionCitation:
    """The citation for one content of the file (``digest``)."""
    return load_citation(Path(path), derived)


def _derive_addresses(app: Sphinx, config: Config) -> None:
    try:
        derived = publishing(config)
        citation = edition_citation(app)
    except (PublishingError, DataError) as error:
        raise ConfigError(str(error)) from None
    config.html_baseurl = derived.site_url
    # A change to CITATION.cff changes every page's tags: as a configuration value, it makes
    # Sphinx write every page again (aes_edition.build watches the file's content).
    config.edition_citation_digest = hashlib.sha256(repr(citation).encode()).hexdigest()[:16]


# Addresses in the text ----------------------------------------------------------------------

def address(config: Config, target: str) -> str:
    """The absolute address named by an ``{edition-url}`` target; ValueError if none."""
    derived = publishing(config)
    if target == "site":
        return derived.site_url
    if target == "repository":
        return derived.repository_url
    if target == "pdf":
        return derived.site_url + PDF_NAME
    kind, _, rest = target.partition(":")
    if kind == "source" and rest and not rest.startswith("/"):
        return derived.source_url(rest)
    if kind == "page" and rest:
        docname, _, anchor = rest.partition("#")
        return derived.page_url(docname.lstrip("/"), anchor)
    raise ValueError(f"'{target}' is not site, repository, pdf, source:<path> or page:<docname>[#<id>]")


class EditionUrlRole(SphinxRole):
    """``{edition-url}`site``` or ``{edition-url}`the file <source:CITATION.cff>```."""

    TITLED = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", re.S)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        titled = self.TITLED.match(self.text)
        target = titled["target"] if titled else self.text.strip()
        try:
            url = address(self.config, target)
        except ValueError as error:
            logger.warning(f"edition-url: {error}", location=self.get_location())
            return [nodes.literal(self.rawtext, self.text)], []
        if target.startswith("page:"):
            docname = target.removeprefix("page:").partition("#")[0].lstrip("/")
            if docname not in self.env.found_docs:
                logger.warning(f"edition-url: no page '{docname}' in the edition", location=self.get_location())
        text = titled["title"] if titled else url
        return [nodes.reference(self.rawtext, text, refuri=url)], []


class EditionCitationDirective(SphinxDirective):
    """``{edition-citation}``: the edition's citation, as ``CITATION.cff`` states it."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(Path(self.env.srcdir, CITATION_FILE.name)))
        citation = edition_citation(self.env.app)
        paragraph = nodes.paragraph(classes=["edition-citation"])
        paragraph += nodes.Text(f"{citation.authors_text()}. ")
        paragraph += nodes.emphasis(text=citation.title)
        paragraph += nodes.Text(f". {citation.editors_text()}. Version {citation.version}, {citation.date_text()}. ")
        paragraph += nodes.reference(citation.url, citation.url, refuri=citation.url)
        paragraph += nodes.Text(".")
        # The edition's date and how far its account of later events goes, side by side: the
        # record the editors could reach may stop before the day the edition is dated.
        self.env.note_dependency(str(TIMELINE_FILE))
        self.env.note_dependency(str(EDITORS_BIB))
        end = events_end(load_timeline())
        scope = nodes.paragraph(classes=["edition-scope"])
        scope += nodes.Text(f"The edition is dated {citation.date_text()}. Its account of what followed the paper "
                            f"runs to the latest event the editors could source in the public record: events to {end}.")
        return [nodes.block_quote("", paragraph), scope]


# Pages that readers' tools understand -------------------------------------------------------

def edition_date() -> datetime.date:
    """The date the pages state: the last commit's (``SOURCE_DATE_EPOCH``), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.datetime.now(datetime.UTC).date()


def _meta(name: str, content: str, attribute: str = "name") -> str:
    """One ``<meta>`` tag, its text escaped. OpenGraph names its tags by ``property``, HTML and
    Highwire by ``name``."""
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(content, quote=True)}" />'


def _page_title(app: Sphinx, pagename: str) -> str:
    """The page's title as its tags give it (the edition's, for a page without one)."""
    return app.env.titles[pagename].astext() if pagename in app.env.titles else edition_citation(app).title


def highwire_tags(app: Sphinx, pagename: str) -> str:
    """The Highwire Press tags of one page: each chapter is a part of the edition."""
    citation = edition_citation(app)
    derived = publishing(app.config)
    title = _page_title(app, pagename)
    page_url = derived.page_url(pagename)
    tags = [("citation_title", title)]
    if pagename != app.config.root_doc:
        tags.append(("citation_inbook_title", citation.title))
    tags += [("citation_author", person.inverted) for person in citation.authors]
    tags += [("citation_editor", person.natural) for person in citation.editors]
    tags += [
        ("citation_publication_date", edition_date().strftime("%Y/%m/%d")),
        ("citation_edition", f"Version {citation.version}"),
        ("citation_language", app.config.language or "en"),
        ("citation_public_url", page_url),
        ("citation_abstract_html_url", page_url),
        ("citation_pdf_url", derived.site_url + PDF_NAME),
    ]
    return "\n" + "\n".join(_meta(name, content) for name, content in tags) + "\n"


# OpenGraph ---------------------------------------------------------------------------------

DESCRIPTION_LENGTH = 200  # sphinxext-opengraph's default, which the edition used
ELLIPSIS = "..."
# Not read as the page's text, as sphinxext-opengraph left them out: admonitions (asides to the
# text), comments, targets and other invisible nodes, raw HTML or LaTeX, and code.
NOT_TEXT = (nodes.Admonition, nodes.Invisible, nodes.raw, nodes.literal_block, nodes.system_message)
SPACES = re.compile(r"\s+")


def _page_title_node(doctree: nodes.document) -> nodes.Node | None:
    """The title node Sphinx takes the page's title from (its first section's title)."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        return section[0]
    return None


def _text_pieces(node: nodes.Node, leave_out: nodes.Node | None) -> Iterator[str]:
    """The text of ``node`` in reading order; a space around each block, so that two
    paragraphs do not run together while inline markup keeps its own spacing."""
    for child in node.children:
        if child is leave_out or isinstance(child, NOT_TEXT):
            continue
        if isinstance(child, nodes.Text):
            yield child.astext()
        elif isinstance(child, nodes.Inline):
            yield from _text_pieces(child, leave_out)
        else:
            yield " "
            yield from _text_pieces(child, leave_out)
            yield " "


def page_description(doctree: nodes.document, length: int = DESCRIPTION_LENGTH) -> str:
    """The start of the page's text for link previews: the body without the page's title
    (the preview shows it already), whitespace collapsed, at most ``length`` characters and
    cut with "..." when longer, as sphinxext-opengraph's ``og:description`` was."""
    text = SPACES.sub(" ", "".join(_text_pieces(doctree, _page_title_node(doctree)))).strip()
    if len(text) <= length:
        return text
    return text[:length - len(ELLIPSIS)].rstrip() + ELLIPSIS


class _DescriptionFinder(HTMLParser):
    """Whether tags already written carry a ``<meta name="description">``."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" and any(name == "name" and (value or "").lower() == "description" for name, value in attrs):
            self.found = True


def _has_description(metatags: str) -> bool:
    finder = _DescriptionFinder()
    finder.feed(metatags)
    finder.close()
    return finder.found


def opengraph_tags(app: Sphinx, pagename: str, doctree: nodes.document, metatags: str) -> str:
    """The OpenGraph tags of one page, for the previews chat programs and social sites show
    of a link; and the page's ``<meta name="description">`` (search engines' snippet) when
    ``metatags``, the page's tags so far, have none (a page's own ``description`` wins)."""
    description = page_description(doctree)
    tags = [
        ("og:title", _page_title(app, pagename)),
        ("og:type", "article"),
        ("og:url", publishing(app.config).page_url(pagename)),
        ("og:site_name", getattr(app.config, "html_title", "") or edition_citation(app).title),
    ]
    if description:
        tags.append(("og:description", description))
    written = [_meta(name, content, attribute="property") for name, content in tags]
    if description and not _has_description(metatags):
        written.append(_meta("description", description))
    return "\n" + "\n".join(written) + "\n"


def _page_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Add the OpenGraph and Highwire tags to the pages of the edition, and take out the
    docutils writer's viewport tag (Sphinx's layout has one). After the handlers of default
    priority (500), so that a description another extension gives a page is seen. The EPUB
    gets no OpenGraph tags: its pages are not linked to, so nothing previews them."""
    if app.builder.format != "html" or "metatags" not in context:
        return
    context["metatags"] = VIEWPORT.sub("", context["metatags"])
    if doctree is not None:
        if app.builder.name != "epub":
            context["metatags"] += opengraph_tags(app, pagename, doctree, context["metatags"])
        context["metatags"] += highwire_tags(app, pagename)


def _pdf_download_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The theme's ".pdf" item printed the page; it becomes a link to the edition's PDF."""
    for group in context.get("header_buttons", []):
        if group.get("label") != DOWNLOAD_GROUP:
            continue
        for index, button in enumerate(group.get("buttons", [])):
            if button.get("label") == PRINT_BUTTON:
                group["buttons"][index] = {
                    "type": "link",
                    "url": posixpath.relpath(PDF_NAME, posixpath.dirname(pagename) or "."),
                    "text": ".pdf",
                    "tooltip": "Download the whole edition as PDF",
                    "icon": "fas fa-file-pdf",
                    "label": PRINT_BUTTON,
                }


def _write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "html":
        return
    derived = publishing(app.config)
    day = edition_date().isoformat()
    urls = "".join(f"  <url><loc>{xml_escape(derived.page_url(docname))}</loc><lastmod>{day}</lastmod></url>\n"
                   for docname in sorted(app.env.found_docs))
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")
    Path(app.outdir, SITEMAP).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("edition_citation_digest", "", "html")
    # Before the theme reads repository_url (builder-inited) and the other handlers read html_baseurl.
    app.connect("config-inited", _derive_addresses, priority=100)
    app.add_role("edition-url", EditionUrlRole())
    app.add_directive("edition-citation", EditionCitationDirective)
    app.connect("html-page-context", _page_tags, priority=550)
    app.connect("html-page-context", _pdf_download_button, priority=600)
    app.connect("build-finished", _write_sitemap)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

"""Links to the published edition are cross-references inside the book.

A notebook's Markdown cells are read in two places: in the book (by myst-nb) and in
JupyterLab, on Binder or locally (by a CommonMark renderer that knows no MyST role and no
Sphinx label). So the notebooks link to a paragraph by its address on the published edition,
``https://<site>/chapters/impact.html#impact-p1``, which a reader in JupyterLab can follow.
In the book, that link should stay inside the book (the local build, the PDF) and be checked
like every ``{ref}``: while a notebook's page is read (chapters link with ``{ref}`` and give
the edition's own address with ``{edition-url}``), each link whose address is a page of the
published site (``aes_edition.publishing``, from ``repository.url`` and ``html.baseurl``)
becomes a ``std:ref`` cross-reference to its anchor (or a ``std:doc`` one to its page). A
label that does not exist fails the strict build as an undefined label; a label that exists
on another page than the address names fails it too, with the page and line of the link.
A notebook link to a page of this book on another site (the original edition, in a copy
published elsewhere) fails it as well, naming the command that rewrites the links
(:mod:`aes_edition.relink`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ..publishing import Publishing, PublishingError, derive
from ..relink import foreign_site

logger = logging.getLogger(__name__)
EXPECTED_PAGE = "edition_published_page"  # attribute of the cross-reference: the page its address named


def published(app: Sphinx) -> Publishing | None:
    """The published site as the book's configuration names it (Jupyter Book turns
    ``repository.url``/``branch`` into theme options and ``html.baseurl`` into
    ``html_baseurl``), or None for a project that names no repository."""
    options = app.config.html_theme_options or {}
    url = options.get("repository_url")
    if not url:
        return None
    return derive(url, options.get("repository_branch") or "main", app.config.html_baseurl or "")


def page_and_anchor(url: str, site: Publishing) -> tuple[str, str] | None:
    """``("chapters/impact", "impact-p1")`` for the address of a page of the published
    site, ``("", "")`` for an address on the site that names no page, None for any other."""
    if not url.startswith(site.site_url):
        return None
    page, _, anchor = url[len(site.site_url):].partition("#")
    if not page.endswith(".html") or "?" in page or page.startswith("/"):
        return "", ""
    return page.removesuffix(".html"), anchor


def _to_cross_references(app: Sphinx, doctree: nodes.document) -> None:
    try:
        site = published(app)
    except PublishingError:
        return  # reported where the configuration is checked
    if site is None:
        return
    if Path(app.env.doc2path(app.env.docname)).suffix != ".ipynb":
        return  # chapters link with {ref} and give the edition's own address with {edition-url}
    for node in list(doctree.findall(nodes.reference)):
        found = page_and_anchor(node.get("refuri", ""), site)
        if found is None:
            elsewhere = foreign_site(node.get("refuri", ""), site, app.env.found_docs)
            if elsewhere:
                logger.warning(f"link {node['refuri']} names a page of this edition at {elsewhere}, but the edition "
                               f"is published at {site.site_url} (repository.url, html.baseurl in _config.yml); "
                               "run `.venv/bin/python -m aes_edition.relink`", location=node,
                               type="edition", subtype="published-link")
            continue
        page, anchor = found
        if not page:
            logger.warning(f"link {node['refuri']} into the published edition names no page (…/<page>.html#<anchor>)",
                           location=node, type="edition", subtype="published-link")
            continue
        if anchor:
            xref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=anchor, refexplicit=True,
                                         refwarn=True, refdoc=app.env.docname, **{EXPECTED_PAGE: page})
        else:
            xref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{page}", refexplicit=True,
                                         refwarn=True, refdoc=app.env.docname)
        xref += nodes.inline(node.astext(), node.astext())
        xref.source, xref.line = node.source, node.line
        node.replace_self(xref)


class SamePage(SphinxPostTransform):
    """A cross-reference made from an address must reach the page the address names."""

    default_priority = 5  # before Sphinx resolves the cross-references (10)

    def run(self, **kwargs: Any) -> None:
        labels = self.env.get_domain("std").anonlabels
        for node in self.document.findall(addnodes.pending_xref):
            page = node.get(EXPECTED_PAGE)
            if page is None or node["reftarget"] not in labels:
                continue  # not from an address, or an undefined label Sphinx reports itself
            docname, labelid = labels[node["reftarget"]]
            if docname != page or labelid != node["reftarget"]:
                logger.warning(f"link to the published edition names {page}.html#{node['reftarget']}, but that "
                               f"anchor is on {docname}.html#{labelid}", location=node,
                               type="edition", subtype="published-link")


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", _to_cross_references, priority=400)  # before the link policy (500) sees them
    app.add_post_transform(SamePage)

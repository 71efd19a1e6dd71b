"""An incremental build writes every page that a clean build would write differently.

Sphinx's incremental build writes only the pages whose sources changed. When an editor
removes or renames a label, a term or a citation key in one file, the pages that point to
it have not changed, are not written, and their broken references go unreported: the
strict build passes. The same holds for a page that shows another page's title.

This module decides what else to write after a build has read some pages: if the book's
*inventory* changed (the pages, their titles, order and part captions, the labels, glossary
terms and other targets with the titles they carry, the cited works as their citations
show them), every page is written, so every reference is resolved again and a broken one
fails the build.

A page that only links to something whose *text* changed (a paragraph, a note, a glossary
entry, a page) is not written again: its HTML shows none of that text. The hover previews
that do show it live in each page's preview file, which sphinx-tippy writes for every page
on every build from the previews of all pages, the pages written now with their new text
(guarded patch 1, :mod:`.webpage`). The lists that a page builds from other pages (the
places that discuss a paragraph or an event) are the extension's to write again
(``scholarly_edition.backlinks``, ``scholarly_edition.events``).

What each page contributes to the inventory beyond Sphinx's own data (its toctrees' captions)
is kept in a domain (:class:`PageReferencesDomain`), which Sphinx saves, purges and merges
with the pages.

An editor who rewrites a note therefore waits for that chapter alone, not for the whole
book. Two more cases write every page: a new commit date (the pages state it; it is a
configuration value, ``edition_source_date_epoch``, so that Sphinx sees the change). The HTML
build keeps an environment of its own (``make pdf`` and ``make linkcheck`` share another), so
no other builder can read a changed page into it unseen. Warnings raised while *reading* a
page are kept by :mod:`aes_edition.build`, which reads every page again after a failed build.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .pages import PerPageDomain


class PageReferencesDomain(PerPageDomain):
    """What each page adds to the book's inventory, as last read (its toctrees' captions):
    kept in Sphinx's saved environment, forgotten with the page and merged after parallel reads.

    The state of one build (the inventory before reading, the pages read) is kept on the
    domain object, which lives for one build and is not saved."""

    name = "aes-references"
    label = "What each page adds to the inventory"
    store = "toctrees"  # {docname: [(caption, [entry, …]), …]}
    data_version = 2
    inventory_before: str | None = None
    read: frozenset[str] = frozenset()


def _domain(env: BuildEnvironment) -> PageReferencesDomain:
    return env.get_domain(PageReferencesDomain.name)  # type: ignore[return-value]


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of domain data: tuples and sets become sorted lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda item: str(item[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, nodes.Node):
        return value.astext()
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def inventory(env: BuildEnvironment) -> str:
    """A hash of everything one page may show of another: which pages there are, in what
    order, with what titles and part captions; every label, anonymous label and object
    (glossary terms among them) with its page and title; and the works cited anywhere, as
    the citations show them."""
    std = env.domaindata.get("std", {})
    cite = env.domaindata.get("cite", {})
    cited = sorted({target.key for ref in cite.get("citation_refs", []) for target in ref.targets})
    # Each cited work as the pages show it: its label and anchor, and the entry its formatted
    # text (the tooltip) is made from (rendering the text itself would take most of a second).
    works = sorted((c.key, c.citation_id, str(c.formatted_entry.label), c.entry.type,
                    sorted((k, str(v)) for k, v in c.entry.fields.items()),
                    sorted((role, [str(person) for person in people]) for role, people in c.entry.persons.items()))
                   for c in cite.get("citations", []))
    state = {
        "docs": sorted(env.found_docs),
        "titles": {doc: env.titles[doc].astext() for doc in sorted(env.titles)},
        "toctrees": _plain(env.toctree_includes),
        "captions": _plain(_domain(env).pages),
        "works": works,
        "labels": _plain(std.get("labels", {})),
        "anonlabels": _plain(std.get("anonlabels", {})),
        "objects": _plain(std.get("objects", {})),
        "cited": cited,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _record_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    """Keep, for each page read, the captions and entries of its toctrees (part captions)."""
    _domain(app.env).pages[app.env.docname] = [
        (node.get("caption") or "", [entry for _title, entry in node.get("entries", [])])
        for node in doctree.findall(addnodes.toctree)]


def _before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    domain = _domain(env)
    domain.inventory_before = inventory(env)
    domain.read = frozenset(docnames)


def _pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain = _domain(env)
    if not domain.read or inventory(env) == domain.inventory_before:
        return []
    return sorted(env.found_docs)


def _commit_date(app: Sphinx, config) -> None:
    config.edition_source_date_epoch = os.environ.get("SOURCE_DATE_EPOCH", "")


def setup(app: Sphinx) -> None:
    # The date the pages state; a change makes Sphinx's build info differ, so every page is written.
    app.add_config_value("edition_source_date_epoch", "", "html")
    app.connect("config-inited", _commit_date)
    # After the other handlers have added the pages they want read again (notebooks.py).
    app.connect("env-before-read-docs", _before_reading, priority=900)
    app.connect("doctree-read", _record_toctrees)
    app.add_domain(PageReferencesDomain)
    app.connect("env-get-updated", _pages_to_write)

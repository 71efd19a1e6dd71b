"""An incremental build writes every page that a clean build would write differently.

Sphinx's incremental build writes only the pages whose sources changed. When an editor
removes or renames a label, a term or a citation key in one file, the pages that point to
it have not changed, are not written, and their broken references go unreported: the
strict build passes. The same holds, more quietly, for a page that shows another page's
title or, in a hover preview, another page's paragraph.

This module decides what else to write after a build has read some pages:

* if the book's *inventory* changed (the pages, their titles, order and part captions, the
  labels, glossary terms and other targets with the titles they carry, the cited works as
  their citations show them), every page is written, so every reference is resolved again
  and a broken one fails the build;
* otherwise, the pages are written that hold a reference to something in the pages read
  whose text changed: a paragraph, a note, a section, a glossary entry (hover previews
  show it), or a page as a whole.

What each page points to and can be pointed at is kept in a domain
(:class:`PageReferencesDomain`), which Sphinx saves, purges and merges with the pages.

An editor who rewrites a note therefore waits for that chapter and the pages that point
to that note, not for the whole book. Two more cases write every page: a new commit date
(the pages state it; it is a configuration value, ``edition_source_date_epoch``, so that
Sphinx sees the change). The HTML build keeps an environment of its own (``make pdf`` and
``make linkcheck`` share another), so no other builder can read a changed page into it
unseen. Warnings raised while *reading* a page are kept by :mod:`aes_edition.build`,
which reads every page again after a failed build.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from scholarly_edition import backlinks
from scholarly_edition.notes import paragraph_list
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .pages import PerPageDomain


class PageReferencesDomain(PerPageDomain):
    """What each page points to and what in it can be pointed at, as last read: kept in
    Sphinx's saved environment, forgotten with the page and merged after parallel reads.

    The state of one build (the inventory and the anchors before reading, the pages read) is
    kept on the domain object, which lives for one build and is not saved."""

    name = "aes-references"
    label = "References and anchors of each page"
    stores = ("xrefs", "anchors", "toctrees")
    # xrefs: {docname: [(domain, type, target), …]}; anchors: {docname: {node id or "": digest
    # of its text}}; toctrees: {docname: [(caption, [entry, …]), …]}
    data_version = 1
    inventory_before: str | None = None
    read: frozenset[str] = frozenset()
    anchors_before: dict[str, dict[str, str]] = {}


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
        "captions": _plain(_domain(env).data["toctrees"]),
        "works": works,
        "labels": _plain(std.get("labels", {})),
        "anonlabels": _plain(std.get("anonlabels", {})),
        "objects": _plain(std.get("objects", {})),
        "cited": cited,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _targets(env: BuildEnvironment) -> dict[str, list[tuple[str, str, str]]]:
    return _domain(env).data["xrefs"]


def _anchors(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    return _domain(env).data["anchors"]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _record_references(app: Sphinx, doctree: nodes.document) -> None:
    """Keep, for each page read, the targets of its cross-references and a digest of the
    text of everything in it that can be pointed at (the page itself under "")."""
    found = {(node.get("refdomain") or "", node.get("reftype") or "", node.get("reftarget") or "")
             for node in doctree.findall(addnodes.pending_xref)}
    # A note's line of paragraphs becomes references when the page is written.
    found |= {("edition", "par", pid) for line in doctree.findall(paragraph_list) for pid in line["on"]}
    _targets(app.env)[app.env.docname] = sorted(found)
    anchors = {"": _digest(doctree.astext())}
    for node in doctree.findall(nodes.Element):
        # A glossary term's id is on the term; its preview shows the definition beside it.
        shown = node.parent if isinstance(node, nodes.term) and node.parent is not None else node
        for node_id in node.get("ids", []):
            anchors[node_id] = _digest(shown.astext())
    _anchors(app.env)[app.env.docname] = anchors
    _domain(app.env).data["toctrees"][app.env.docname] = [
        (node.get("caption") or "", [entry for _title, entry in node.get("entries", [])])
        for node in doctree.findall(addnodes.toctree)]


def _before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    domain = _domain(env)
    domain.inventory_before = inventory(env)
    domain.read = frozenset(docnames)
    domain.anchors_before = {doc: dict(_anchors(env).get(doc, {})) for doc in docnames}


class _Targets:
    """Where references lead: (page, node id), with "" for a page as a whole; built once
    from the labels and objects (glossary terms among them) of the whole book."""

    def __init__(self, env: BuildEnvironment) -> None:
        std = env.domaindata.get("std", {})
        self.all_pages = {(doc, "") for doc in env.found_docs}
        self.exact: dict[str, set[tuple[str, str]]] = {}
        self.terms: dict[str, set[tuple[str, str]]] = {}  # by lower-case name, as {term} finds them
        for table in ("labels", "anonlabels"):
            for name, value in std.get(table, {}).items():
                self.exact.setdefault(name, set()).add((value[0], value[1]))
        for (kind, name), value in std.get("objects", {}).items():
            self.exact.setdefault(name, set()).add((value[0], value[1]))
            if kind == "term":
                self.terms.setdefault(name.lower(), set()).add((value[0], value[1]))
        if "edition" in env.domains:  # the paragraphs and the dated events, by the names their references use
            for name, _shown, _kind, docname, anchor, _priority in env.get_domain("edition").get_objects():
                self.exact.setdefault(name, set()).add((docname, anchor))

    def of(self, domain: str, reftype: str, target: str) -> set[tuple[str, str]]:
        """A target this cannot place leads to every page (nothing is missed, at the cost of a write)."""
        if domain == "doc" or reftype == "doc":
            return {(target.lstrip("/"), "")}
        if domain == "cite":
            return set()  # the reference lists: sphinxcontrib-bibtex and the inventory's cited works
        return (self.exact.get(target, set()) | self.terms.get(target.lower(), set())) or self.all_pages


def pages_pointing_to(env: BuildEnvironment, changed: Iterable[tuple[str, str]]) -> set[str]:
    """The pages holding a reference to one of the ``changed`` (page, node id) pairs; a
    change to a page as a whole is the pair (page, "")."""
    changed = set(changed)
    where = _Targets(env)
    found = {docname for docname, targets in _targets(env).items()
             if any(where.of(*target) & changed for target in targets)}
    return found & set(env.found_docs)


def everything_in(env: BuildEnvironment, docname: str) -> set[tuple[str, str]]:
    """Every (page, node id) pair of a page, for a page that changes as a whole."""
    return {(docname, node_id) for node_id in _anchors(env).get(docname, {"": ""})}


def changed_anchors(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> set[tuple[str, str]]:
    """The (page, node id) pairs whose text differs between two readings of the pages."""
    changed = set()
    for doc in set(before) | set(after):
        old, new = before.get(doc, {}), after.get(doc, {})
        changed |= {(doc, node_id) for node_id in set(old) | set(new) if old.get(node_id) != new.get(node_id)}
    return changed


def retexted_anchors(env: BuildEnvironment) -> set[tuple[str, str]]:
    """The (page, node id) pairs whose text changed in the pages this build read (none
    where this module is not loaded)."""
    if PageReferencesDomain.name not in env.domains:
        return set()
    domain = _domain(env)
    return changed_anchors(domain.anchors_before, {doc: _anchors(env).get(doc, {}) for doc in domain.anchors_before})


def _pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain = _domain(env)
    if not domain.read:
        return []
    if inventory(env) != domain.inventory_before:
        return sorted(env.found_docs)
    after = {doc: _anchors(env).get(doc, {}) for doc in domain.read}
    return sorted(pages_pointing_to(env, changed_anchors(domain.anchors_before, after)) - domain.read)


def _lists_previewing_retexted(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """A back-reference's link (scholarly_edition.backlinks) previews the paragraph or glossary
    entry it leads to, on hover: the page holding the list is written again when that text changed."""
    return sorted(backlinks.pages_listing(env, retexted_anchors(env), previewed=True))


def _commit_date(app: Sphinx, config) -> None:
    config.edition_source_date_epoch = os.environ.get("SOURCE_DATE_EPOCH", "")


def setup(app: Sphinx) -> None:
    # The date the pages state; a change makes Sphinx's build info differ, so every page is written.
    app.add_config_value("edition_source_date_epoch", "", "html")
    app.connect("config-inited", _commit_date)
    # After the other handlers have added the pages they want read again (notebooks.py).
    app.connect("env-before-read-docs", _before_reading, priority=900)
    app.connect("doctree-read", _record_references)
    app.add_domain(PageReferencesDomain)
    app.connect("env-get-updated", _pages_to_write)
    app.connect("env-get-updated", _lists_previewing_retexted)

"""Links both ways: each paragraph, bibliography entry and glossary term lists where it is
discussed, cited or used, computed from the forward links themselves.

Nobody types a back-link. While a page is read (``doctree-read``), every forward link on it
is recorded as a *mention*: what it points to (a paragraph or another label, a cited work, a
glossary term) and the place it stands in (the editors' note, the paragraph of the paper, or
the section around it). The mentions are kept per page in a small domain, ``backlinks``,
whose ``clear_doc`` and ``merge_domaindata`` are Sphinx's own mechanism for a page read
again and for pages read in parallel. When a page is written (``doctree-resolved``), each
paragraph of the paper gets "Discussed in …" (the editors' notes and the analysis sections
that point to it, on any page), each bibliography entry "Cited in …" and each glossary
entry "Used in …", linking to the very paragraph or note.

The lists are navigation for the HTML edition; the PDF has its own index of places and is
left as it was. They are left out of the hover previews (:mod:`.webpage`), which show a
paragraph or an entry, not the places that point to it; so when the mentions of a target
change, only the page holding that target is written again (``env-get-updated``).
"""

from __future__ import annotations

import fnmatch
import json
from typing import NamedTuple

from docutils import nodes
from scholarly_edition.config import SHORT_TITLE
from scholarly_edition.notes import editors_note, paragraph_list, short_title
from scholarly_edition.paragraph import numbered_paragraph
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .pages import PerPageDomain, reading_order

BACKLINKS = "backlinks"
MENTIONS_BEFORE = "_edition_backlinks_before"  # on the application, which is not pickled


class Mention(NamedTuple):
    """One forward link, as the page holding the target will list it."""

    kind: str  # "ref" (a label: a paragraph, a note, an event…), "cite" (a work) or "term"
    target: str  # the label, the bib key, or the glossary term in lower case
    place: str  # the id of the note, paragraph or section the link stands in
    label: str  # how the place is named in the list: "¶3", "note “Title”", a section title
    in_note: bool  # the link stands in an editors' note
    previewed: bool  # the place is a paragraph or glossary entry, whose text a link's hover preview shows


class BacklinkDomain(PerPageDomain):
    """Holds the mentions of every page: ``{docname: [Mention, …]}`` in reading order."""

    name = BACKLINKS
    label = "Back-links"
    data_version = 1
    store = "mentions"

    @property
    def mentions(self) -> dict[str, list[Mention]]:
        return self.pages

    def pointing_to(self, kind: str, target: str) -> list[tuple[str, Mention]]:
        """Every (page, mention) of ``target``, pages in the order Sphinx reads them."""
        return [(doc, m) for doc in self.mentions for m in self.mentions[doc] if m.kind == kind and m.target == target]


# --- reading: where each forward link stands ----------------------------------------------

def _place(node: nodes.Node, std_labels: dict) -> tuple[str, str, bool, bool] | None:
    """(id, label, in a note, previewed) of the note, paragraph or section ``node`` stands in."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, editors_note):
            return parent["ids"][0], f"note “{parent['title']}”", True, False
        if isinstance(parent, numbered_paragraph):
            return parent["ids"][0], f"¶{parent['number']}", False, True
        if isinstance(parent, nodes.definition_list_item) and parent.children and parent[0].get("ids"):
            term = parent[0]
            return term["ids"][0], term.astext(), False, True
        if isinstance(parent, nodes.Element) and parent.get("ids") and parent["ids"][0] in std_labels \
                and not isinstance(parent, nodes.section):
            _doc, anchor, title = std_labels[parent["ids"][0]]
            return anchor, title, False, False
        if isinstance(parent, nodes.section) and parent.get("ids"):
            return parent["ids"][0], parent[0].astext() if parent.children else parent["ids"][0], False, False
        parent = parent.parent
    return None


def _section_pages(app: Sphinx, docname: str) -> bool:
    return any(fnmatch.fnmatch(docname, pattern) for pattern in app.config.edition_backlink_section_pages)


def _note(found: list[Mention], node: nodes.Node, kind: str, targets: list[str], std_labels: dict) -> None:
    place = _place(node, std_labels)
    if place is None:
        return
    for target in targets:
        mention = Mention(kind, target, *place)
        if mention not in found:
            found.append(mention)


def record_mentions(app: Sphinx, doctree: nodes.document) -> None:
    """Record every forward link of the page being read, with the place it stands in."""
    env = app.env
    std_labels = env.get_domain("std").labels
    cite_targets: dict[str, list[str]] = {}
    if "cite" in env.domains:
        for ref in env.get_domain("cite").citation_refs:  # type: ignore[attr-defined]
            if ref.docname == env.docname:
                cite_targets[ref.citation_ref_id] = [target.key for target in ref.targets]
    found: list[Mention] = []
    # In page order. A note's line of paragraphs (paragraph_list) is made into links when the
    # page is written; its ids are known now.
    for ref in doctree.findall(lambda n: isinstance(n, addnodes.pending_xref | paragraph_list)):
        if isinstance(ref, paragraph_list):
            _note(found, ref, "ref", ref["on"], std_labels)
            continue
        domain, reftype = ref.get("refdomain") or "", ref.get("reftype") or ""
        if domain == "cite":
            kind, targets = "cite", cite_targets.get((ref.get("ids") or [""])[0], [])
        elif reftype == "term":
            kind, targets = "term", [ref["reftarget"].lower()]
        elif domain in ("std", "") and reftype in ("ref", "myst") or (domain, reftype) == ("edition", "par"):
            kind, targets = "ref", [ref["reftarget"].lstrip("#")]
        else:
            continue
        _note(found, ref, kind, targets, std_labels)
    domain = env.get_domain(BACKLINKS)
    domain.mentions[env.docname] = found  # type: ignore[attr-defined]


# --- writing: the lists on the pages that hold the targets --------------------------------

def _page_name(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return short_title(title.astext(), env.config[SHORT_TITLE]) if title is not None else docname



def _links(app: Sphinx, fromdoc: str, lead: str, found: list[tuple[str, Mention]], classes: list[str]) -> nodes.paragraph:
    """``lead`` then the places, grouped by page: "Impact: ¶3, note “X”; Glossary: JNIM"."""
    env = app.env
    order = {doc: index for index, doc in enumerate(reading_order(env))}
    by_page: dict[str, list[Mention]] = {}
    for doc, mention in found:
        if mention not in by_page.setdefault(doc, []):
            by_page[doc].append(mention)
    line = nodes.paragraph("", "", classes=["editorial", "backlinks", *classes])
    line += nodes.inline(lead, lead, classes=["backlinks-lead"])
    for index, doc in enumerate(sorted(by_page, key=lambda d: order.get(d, len(order)))):
        line += nodes.Text("; " if index else " ")
        title = env.titles[doc].astext() if doc in env.titles else doc
        if doc != fromdoc and [m.label for m in by_page[doc]] != [title]:
            page = f"{_page_name(env, doc)}: "
            line += nodes.inline(page, page, classes=["backlinks-page"])
        for number, mention in enumerate(by_page[doc]):
            if number:
                line += nodes.Text(", ")
            uri = "" if doc == fromdoc else app.builder.get_relative_uri(fromdoc, doc)
            link = nodes.reference("", "", internal=True, refuri=f"{uri}#{mention.place}", classes=["backlink"])
            link += nodes.Text(mention.label)
            line += link
    line += nodes.Text(".")
    return line


def add_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each paragraph, bibliography entry and glossary entry of the page its list."""
    if app.builder.format != "html":
        return
    domain: BacklinkDomain = app.env.get_domain(BACKLINKS)  # type: ignore[assignment]
    for para in list(doctree.findall(numbered_paragraph)):
        pid = para["ids"][0]
        found = [(doc, m) for doc, m in domain.pointing_to("ref", pid)
                 if m.place != pid and (m.in_note or _section_pages(app, doc))]
        if found:
            para += _links(app, docname, "Discussed in", found, ["backlinks-para"])
    # A citation's id is unique within its page only.
    keys = {c.citation_id: c.key for c in getattr(app.env.get_domain("cite"), "citations", [])
            if c.bibliography_key.docname == docname} if "cite" in app.env.domains else {}
    for citation in list(doctree.findall(nodes.citation)):
        key = next((keys[i] for i in citation.get("ids", []) if i in keys), None)
        found = domain.pointing_to("cite", key) if key else []
        if found:
            citation += _links(app, docname, "Cited in", found, ["backlinks-cite"])
    for term in list(doctree.findall(nodes.term)):
        item = term.parent
        if not isinstance(item, nodes.definition_list_item) or term is not item[0] or not term.get("ids"):
            continue
        names = [t.astext().lower() for t in item.findall(nodes.term)]
        found = [(doc, m) for name in names for doc, m in domain.pointing_to("term", name)]
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        if found and definition is not None:
            definition += _links(app, docname, "Used in", found, ["backlinks-term"])


# --- incremental builds: write the pages whose lists changed ------------------------------

def _snapshot(env: BuildEnvironment) -> dict[str, list]:
    """{"kind target": [[page, place, label, in a note], …]}, as JSON would give it back."""
    domain: BacklinkDomain = env.get_domain(BACKLINKS)  # type: ignore[assignment]
    by_target: dict[str, list] = {}
    for doc in sorted(domain.mentions):
        for mention in domain.mentions[doc]:
            by_target.setdefault(f"{mention.kind} {mention.target}", []).append([doc, *mention[2:]])
    return json.loads(json.dumps(by_target))


def remember_mentions(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    setattr(app, MENTIONS_BEFORE, _snapshot(env))


def pages_with_changed_lists(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages holding a paragraph, work or term whose list changed in this build, and
    those whose list links to a paragraph or note whose text changed (the link's hover
    preview shows that text)."""
    from .strict import retexted_anchors

    before, after = getattr(app, MENTIONS_BEFORE, {}), _snapshot(env)
    changed = [key.split(" ", 1) for key in set(before) | set(after) if before.get(key) != after.get(key)]
    retexted = retexted_anchors(env)
    domain: BacklinkDomain = env.get_domain(BACKLINKS)  # type: ignore[assignment]
    changed += [[m.kind, m.target] for doc, place in retexted for m in domain.mentions.get(doc, [])
                if m.place == place and m.previewed]
    if not changed:
        return []
    std = env.get_domain("std")
    works: dict[str, set[str]] = {}
    for citation in getattr(env.get_domain("cite"), "citations", []) if "cite" in env.domains else []:
        works.setdefault(citation.key, set()).add(citation.bibliography_key.docname)
    terms = {name.lower(): value[0] for (kind, name), value in std.objects.items() if kind == "term"}  # type: ignore[attr-defined]
    pages = set()
    for kind, target in changed:
        if kind == "ref" and target in std.labels:  # type: ignore[attr-defined]
            pages.add(std.labels[target][0])  # type: ignore[attr-defined]
        elif kind == "cite" and target in works:
            pages |= works[target]
        elif kind == "term" and target in terms:
            pages.add(terms[target])
    return sorted(pages & set(env.found_docs))


def setup(app: Sphinx) -> None:
    # Pages whose sections (not only their editors' notes) discuss the paragraphs they link.
    app.add_config_value("edition_backlink_section_pages", [], "env", [list])
    app.add_domain(BacklinkDomain)
    app.connect("doctree-read", record_mentions)
    app.connect("doctree-resolved", add_backlinks)
    app.connect("env-before-read-docs", remember_mentions)
    app.connect("env-get-updated", pages_with_changed_lists)

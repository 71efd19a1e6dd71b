"""Back-references: each paragraph, cited work and glossary term lists the places that link
it ("Discussed in …", "Cited in …", "Used in …"), computed from the forward links themselves.

Nobody types a back-reference. While a page is read (``doctree-read``), every forward link on
it is kept as a :class:`Mention`: what it points to (a label, such as a numbered paragraph; a
cited work; a glossary term) and the place it stands in (the editors' note, the numbered
paragraph or glossary entry, or else the section around it). The ``edition`` domain keeps the
mentions page by page (its store ``backlinks``), so a page read again forgets its own and
pages read in parallel are merged by the domain's one rule for every store.

When a page is written (``doctree-resolved``, HTML only: the lists are a reader's navigation,
and print has its index), a list is added to:

- each numbered paragraph: the editors' notes that link it, on any page, and the sections
  of the pages ``scholarly_edition_backlink_section_pages`` names (an analysis that rests on
  the paragraph); a paragraph never lists itself;
- each citation or bibliography entry (sphinxcontrib-bibtex's, or Sphinx's own
  ``.. [label]``): every place that cites the work;
- each glossary entry: every place that uses one of its terms.

Which kinds of target get a list, and the words that open it, are ``scholarly_edition_backlinks``.
The places are grouped by page, pages in the reading order of the tables of contents, and
named by ``scholarly_edition_backlink_note`` and ``scholarly_edition_backlink_paragraph``.

A list is made when its page is written, so that page must be written again when a mention
of one of its targets changes on another page, although it did not change itself: the
domain remembers what each page held when it forgets it (``clear_doc``) and
:func:`pages_to_write` names the pages holding a target whose mentions changed
(``env-get-updated``), as dated events do for their lists of notes.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from typing import Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .config import BACKLINK_NOTE, BACKLINK_PARAGRAPH, BACKLINK_SECTION_PAGES, BACKLINKS, SHORT_TITLE
from .domain import EditionDomain
from .notes import editors_note, paragraph_list, short_title
from .paragraph import numbered_paragraph

logger = logging.getLogger(__name__)

#: The kinds of target a list can be given to (the keys of ``scholarly_edition_backlinks``),
#: and the kind of mention each lists.
KINDS = {"paragraph": "ref", "citation": "cite", "term": "term"}


class Mention(NamedTuple):
    """One forward link, as the list of its target names the place it stands in."""

    docname: str  # the page the link stands on
    position: int  # its place among the page's mentions: their order however pages merge
    kind: str  # "ref" (a label: a paragraph, a note, an event…), "cite" (a work) or "term"
    target: str  # the label, the work's key (or a citation's label), the term in lower case
    place: str  # the id of the note, paragraph, glossary entry or section the link stands in
    label: str  # how the list names the place: "¶3", "note “Title”", a term, a section's title
    in_note: bool  # the link stands in an editors' note
    previewed: bool  # the place is a paragraph or a glossary entry: a hover preview of a link to it shows its text

    @property
    def listed(self) -> tuple[str, str, str, bool, bool]:
        """What a list shows of the mention (the same place, linked twice, is listed once)."""
        return self.kind, self.target, self.place, self.label, self.in_note


def _domain(env: BuildEnvironment) -> EditionDomain:
    return env.get_domain(EditionDomain.name)  # type: ignore[return-value]


def mentions(env: BuildEnvironment) -> dict[tuple[str, int], Mention]:
    """Every page's mentions, kept by the ``edition`` domain under ``(page, position)``."""
    return _domain(env).data["backlinks"]


# --- reading: where each forward link stands ----------------------------------------------

def _place(env: BuildEnvironment, node: nodes.Node, std_labels: dict) -> tuple[str, str, bool, bool] | None:
    """(id, label, in a note, previewed) of the note, paragraph or section ``node`` stands in."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, editors_note):
            return parent["ids"][0], env.config[BACKLINK_NOTE].format(title=parent["title"]), True, False
        if isinstance(parent, numbered_paragraph):
            return parent["ids"][0], env.config[BACKLINK_PARAGRAPH].format(number=parent["number"]), False, True
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


def _cited_works(env: BuildEnvironment) -> dict[str, list[str]]:
    """The works each citation of sphinxcontrib-bibtex on the page being read cites, by the
    citation's id (its references are pending until the page is written)."""
    if "cite" not in env.domains:
        return {}
    return {ref.citation_ref_id: [target.key for target in ref.targets]
            for ref in env.get_domain("cite").citation_refs  # type: ignore[attr-defined]
            if ref.docname == env.docname}


def record_mentions(app: Sphinx, doctree: nodes.document) -> None:
    """Keep every forward link of the page just read, with the place it stands in, in page order."""
    env = app.env
    std_labels = env.get_domain("std").labels  # type: ignore[attr-defined]
    works = _cited_works(env)
    found: list[tuple[str, str, str, str, bool, bool]] = []
    # A note's line of paragraphs (paragraph_list) is made into links when the page is
    # written; the paragraphs' ids are known now.
    for ref in doctree.findall(lambda n: isinstance(n, addnodes.pending_xref | paragraph_list)):
        if isinstance(ref, paragraph_list):
            kind, targets = "ref", ref["on"]
        else:
            domain, reftype = ref.get("refdomain") or "", ref.get("reftype") or ""
            if domain == "cite":
                kind, targets = "cite", works.get((ref.get("ids") or [""])[0], [])
            elif domain == "citation":  # Sphinx's own citations: [label]_
                kind, targets = "cite", [ref["reftarget"]]
            elif reftype == "term":
                kind, targets = "term", [ref["reftarget"].lower()]
            elif domain in ("std", "") and reftype in ("ref", "myst") or (domain, reftype) == (EditionDomain.name, "par"):
                kind, targets = "ref", [ref["reftarget"].lstrip("#")]
            else:
                continue
        place = _place(env, ref, std_labels)
        if place is None:
            continue
        for target in targets:
            if (kind, target, *place) not in found:
                found.append((kind, target, *place))
    store = mentions(env)
    for position, (kind, target, place, label, in_note, previewed) in enumerate(found):
        store[env.docname, position] = Mention(env.docname, position, kind, target, place, label, in_note, previewed)


# --- writing: the lists on the pages that hold the targets --------------------------------

class _Lists:
    """What the lists of one page are made from: the mentions by target, pages in reading order."""

    def __init__(self, app: Sphinx, docname: str) -> None:
        self.app, self.env, self.docname = app, app.env, docname
        self.order = {doc: index for index, doc in enumerate(_domain(app.env).reading_order())}
        self.by_target: dict[tuple[str, str], list[Mention]] = {}
        for mention in sorted(mentions(app.env).values(), key=lambda m: (self._rank(m.docname), m.position)):
            self.by_target.setdefault((mention.kind, mention.target), []).append(mention)

    def _rank(self, docname: str) -> tuple[int, str]:
        """Pages in reading order; those outside every table of contents after them, by name."""
        return self.order.get(docname, len(self.order)), docname

    def pointing_to(self, kind: str, target: str) -> list[Mention]:
        return self.by_target.get((kind, target), [])

    def _page_name(self, docname: str) -> str:
        title = self.env.titles.get(docname)
        return short_title(title.astext(), self.env.config[SHORT_TITLE]) if title is not None else docname

    def line(self, lead: str, found: list[Mention], classes: list[str]) -> nodes.paragraph:
        """``lead`` then the places, grouped by page: "Discussed in Chapter 2: ¶3, note “X”; Glossary: Treaty."
        A page's places are named without the page when it is this page, or when the only
        place is the page itself (its title)."""
        env, fromdoc = self.env, self.docname
        by_page: dict[str, list[Mention]] = {}
        for mention in found:
            places = by_page.setdefault(mention.docname, [])
            if mention.listed not in [m.listed for m in places]:
                places.append(mention)
        line = nodes.paragraph("", "", classes=["editorial", "backlinks", *classes])
        line += nodes.inline(lead, lead, classes=["backlinks-lead"])
        for index, doc in enumerate(sorted(by_page, key=self._rank)):
            line += nodes.Text("; " if index else " ")
            title = env.titles[doc].astext() if doc in env.titles else doc
            if doc != fromdoc and [m.label for m in by_page[doc]] != [title]:
                page = f"{self._page_name(doc)}: "
                line += nodes.inline(page, page, classes=["backlinks-page"])
            uri = "" if doc == fromdoc else self.app.builder.get_relative_uri(fromdoc, doc)
            for number, mention in enumerate(by_page[doc]):
                if number:
                    line += nodes.Text(", ")
                link = nodes.reference("", "", internal=True, refuri=f"{uri}#{mention.place}", classes=["backlink"])
                link += nodes.Text(mention.label)
                line += link
        line += nodes.Text(".")
        return line


def _section_page(app: Sphinx, docname: str) -> bool:
    return any(fnmatch.fnmatch(docname, pattern) for pattern in app.config[BACKLINK_SECTION_PAGES])


def _work_of(env: BuildEnvironment, docname: str, citation: nodes.citation, keys: dict[str, str]) -> str | None:
    """The work a citation or bibliography entry of the page stands for: sphinxcontrib-bibtex's
    key (a citation's id is unique on its page only), or the label of Sphinx's own citation."""
    key = next((keys[i] for i in citation.get("ids", []) if i in keys), None)
    if key is not None or "citation" not in env.domains or not citation.children:
        return key
    label = citation[0].astext()
    held = env.get_domain("citation").citations.get(label)  # type: ignore[attr-defined]
    return label if held is not None and held[0] == docname else None


def add_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each paragraph, citation and glossary entry of the page being written its list."""
    if app.builder.format != "html":
        return
    leads = {kind: lead for kind, lead in app.config[BACKLINKS].items() if isinstance(lead, str)}  # else reported
    if not leads or not mentions(app.env):
        return
    lists = _Lists(app, docname)
    if "paragraph" in leads:
        for para in list(doctree.findall(numbered_paragraph)):
            pid = para["ids"][0]
            found = [m for m in lists.pointing_to("ref", pid)
                     if m.place != pid and (m.in_note or _section_page(app, m.docname))]
            if found:
                para += lists.line(leads["paragraph"], found, ["backlinks-para"])
    if "citation" in leads:
        env = app.env
        keys = {c.citation_id: c.key for c in getattr(env.get_domain("cite"), "citations", [])
                if c.bibliography_key.docname == docname} if "cite" in env.domains else {}
        for citation in list(doctree.findall(nodes.citation)):
            work = _work_of(env, docname, citation, keys)
            found = lists.pointing_to("cite", work) if work else []
            if found:
                citation += lists.line(leads["citation"], found, ["backlinks-cite"])
    if "term" in leads:
        for term in list(doctree.findall(nodes.term)):
            item = term.parent
            if not isinstance(item, nodes.definition_list_item) or term is not item[0] or not term.get("ids"):
                continue
            names = [t.astext().lower() for t in item.findall(nodes.term)]
            found = [m for name in names for m in lists.pointing_to("term", name)]
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            if found and definition is not None:
                definition += lists.line(leads["term"], found, ["backlinks-term"])


# --- incremental builds: write the pages whose lists changed ------------------------------

def _by_target(page: Iterable[Mention]) -> dict[tuple[str, str], list[tuple]]:
    """A page's mentions by target, each as its target's list shows it, in page order."""
    found: dict[tuple[str, str], list[tuple]] = {}
    for mention in page:
        found.setdefault((mention.kind, mention.target), []).append(mention[4:])
    return found


def pages_holding(env: BuildEnvironment, targets: Iterable[tuple[str, str]]) -> set[str]:
    """The pages holding the paragraphs, works and terms ``targets`` names, as ``(kind, target)``
    pairs of :class:`Mention`: the pages whose lists show the mentions of those targets."""
    paragraphs = _domain(env).paragraphs
    works: dict[str, set[str]] = {}
    for citation in getattr(env.get_domain("cite"), "citations", []) if "cite" in env.domains else []:
        works.setdefault(citation.key, set()).add(citation.bibliography_key.docname)
    if "citation" in env.domains:
        for label, (docname, _id, _line) in env.get_domain("citation").citations.items():  # type: ignore[attr-defined]
            works.setdefault(label, set()).add(docname)
    terms = {name.lower(): entry[0] for (kind, name), entry
             in env.get_domain("std").objects.items() if kind == "term"}  # type: ignore[attr-defined]
    pages: set[str] = set()
    for kind, target in targets:
        if kind == "ref" and target in paragraphs:
            pages.add(paragraphs[target].docname)
        elif kind == "cite":
            pages |= works.get(target, set())
        elif kind == "term" and target in terms:
            pages.add(terms[target])
    return pages & set(env.found_docs)


def pages_listing(env: BuildEnvironment, places: Iterable[tuple[str, str]], previewed: bool = False) -> set[str]:
    """The pages whose lists link to one of ``places``, ``(page, id)`` pairs (only to a
    paragraph or glossary entry with ``previewed``): an edition whose links show a preview of
    what they lead to writes them again when the text of such a place changed."""
    places = set(places)
    return pages_holding(env, {(m.kind, m.target) for m in mentions(env).values()
                               if (m.docname, m.place) in places and (m.previewed or not previewed)})


def pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages holding a target whose mentions changed on the pages this build read (a link
    added, dropped, or standing in a place renamed or moved), which were not read again."""
    domain = _domain(env)
    held = mentions(env)
    changed: set[tuple[str, str]] = set()
    for docname, before in domain.backlinks_before.items():
        after = sorted((m for m in held.values() if m.docname == docname), key=lambda m: m.position)
        old, new = _by_target(before), _by_target(after)
        changed |= {target for target in old.keys() | new.keys() if old.get(target) != new.get(target)}
    domain.backlinks_before.clear()  # compared once: the next build of this process starts afresh
    return sorted(pages_holding(env, changed))


def _check_kinds(app: Sphinx, config: Any) -> None:
    """A kind of target the extension does not know, and words that are not text, are
    reported (a strict build fails) rather than met when a page is written."""
    unknown = sorted(set(config[BACKLINKS]) - set(KINDS), key=str)
    if unknown:
        logger.warning(f"{BACKLINKS}: unknown kind of target {', '.join(map(repr, unknown))} "
                       f"(one of: {', '.join(KINDS)})", type="edition", subtype="config")
    for kind, lead in config[BACKLINKS].items():
        if not isinstance(lead, str):
            logger.warning(f"{BACKLINKS}: the words of {kind!r} must be text, not {lead!r}",
                           type="edition", subtype="config")


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _check_kinds)
    app.connect("doctree-read", record_mentions)
    app.connect("doctree-resolved", add_backlinks)
    app.connect("env-get-updated", pages_to_write)

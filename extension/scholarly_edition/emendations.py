"""Emendations and the textual apparatus: ``:emend:`E04``` and ``.. apparatus::``.

Every place where an edition's text differs from its copy-text is a row of one register, a
CSV file (``scholarly_edition_emendations``) with the columns ``id``, ``para`` (the paragraph
it stands in; empty outside the numbered text), ``kind``, ``printed`` (the copy-text's
reading), ``edition`` (the edited reading) and ``note`` (why). The text names only the row,
so the printed reading, the edited one and the reason live in one place that the text, the
apparatus and an edition's fidelity check all read:

* ``:emend:`E04``` (``{emend}`E04``` in MyST) sets the edited reading in the text as one
  node, :class:`emendation`, which keeps the printed reading beside it: in HTML on the span
  (``data-printed``, ``data-kind``, ``data-note``) with a small mark linking the row of the
  apparatus; in LaTeX as ``\\editionemendation``, whose default footnote gives the reading,
  the printed reading, the kind and the note; in text the reading alone;
* ``.. apparatus::`` sets the register as a table, each row a target (``apparatus-e04``) of
  Sphinx's standard domain, so ``:ref:`` and the marks reach it from any page.

An edited reading is text except its roles (``{cite:p}`key``` or ``:cite:p:`key```), so a
reading can link the citation it regularises without any other character acting as markup;
``[bracketed]`` parts are the editors' supplements (``scholarly_edition_supplied``). The
``edition`` domain keeps where each reading stands and reports a reading used twice, a
reading standing in another paragraph than its row names, and a row the text never uses.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes
from docutils.parsers.rst import roles
from docutils.utils import smartquotes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .config import (
    APPARATUS_HEADINGS,
    APPARATUS_UNPLACED,
    APPARATUS_WIDTHS,
    EMENDATION_ID,
    EMENDATION_KINDS,
    EMENDATION_NAME,
    EMENDATIONS,
    READING_ROLES,
    SUPPLIED,
)
from .paragraph import numbered_paragraph
from .register import COLUMNS, Emendation, read_register  # noqa: F401  (the register's API, re-exported)
from .strict_data import DataError
from .textnodes import wrap_matches

logger = logging.getLogger(__name__)

#: A role in a reading, in MyST's form or reStructuredText's.
ROLE = re.compile(r"\{(?P<myst>[a-z][\w:.-]*)\}`(?P<mtext>[^`]*)`|:(?P<rst>[a-z][\w:.-]*):`(?P<rtext>[^`]*)`")
class Reading(NamedTuple):
    """Where the domain found an edited reading in the text."""

    docname: str
    para: str  # the id of the numbered paragraph around it, or ""
    line: int | None


def register_path(env: BuildEnvironment) -> Path | None:
    """The register the configuration names, from the configuration's folder."""
    name = env.config[EMENDATIONS]
    return Path(env.app.confdir, name) if name else None


def register(env: BuildEnvironment) -> dict[str, Emendation]:
    """The register, parsed once per content (so a long-lived process follows a change even
    with an old file time), noted as a dependency of the page being read. A bad row stops the build with the
    data error's one line."""
    path = register_path(env)
    if path is None:
        return {}
    if "docname" in env.temp_data:  # while a page is read
        env.note_dependency(str(path))
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        kinds = tuple(sorted(env.config[EMENDATION_KINDS].items()))
        return dict(_parsed(str(path), digest, kinds, env.config[EMENDATION_ID]))
    except DataError as error:
        raise ExtensionError(f"data error: {error}") from error


@lru_cache(maxsize=8)
def _parsed(path: str, digest: str, kinds: tuple[tuple[str, str], ...], id_form: str) -> dict[str, Emendation]:
    """The register parsed once per content (``digest``), not once per reading that names a
    row: every ``emend`` role, the apparatus and the check read it."""
    return read_register(Path(path), dict(kinds), id_form)


def kind_name(env: BuildEnvironment, kind: str) -> str:
    """The name a kind is shown by (the kind itself when the edition names none)."""
    return env.config[EMENDATION_KINDS].get(kind, kind)


def plain(markup: str) -> str:
    """A reading or note reduced to text, for tooltips and footnotes: roles keep their text."""
    return ROLE.sub(lambda match: match["mtext"] if match["myst"] else match["rtext"], markup)


class emendation(nodes.inline):
    """An edited reading in the text; ``printed`` holds what the copy-text prints."""


def reading_nodes(env: BuildEnvironment, text: str, lineno: int, inliner: Any,
                  location: Any) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """A reading as nodes: its text as text, and the roles ``scholarly_edition_reading_roles``
    allows run as the page's roles (so that a citation resolves as the page's own do,
    whichever parser read the page). Every other character, other roles included, is text:
    a reading is data, never live markup."""
    result: list[nodes.Node] = []
    messages: list[nodes.system_message] = []
    allowed = env.config[READING_ROLES]
    position = 0
    text = re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()  # line breaks are spaces; other spaces kept
    for match in ROLE.finditer(text):
        name, content = (match["myst"], match["mtext"]) if match["myst"] else (match["rst"], match["rtext"])
        if not allowed or not re.fullmatch(allowed, name):
            continue
        if match.start() > position:
            result.append(nodes.Text(text[position:match.start()]))
        role, found = roles.role(name, None, lineno, inliner.reporter)
        messages += found
        if role is None:
            logger.warning(f"unknown role '{name}' in an edited reading", location=location,
                           type="edition", subtype="emendation")
            result.append(nodes.Text(match.group(0)))
        else:
            made, found = role(name, match.group(0), content, lineno, inliner)
            result += made
            messages += found
        position = match.end()
    if position < len(text):
        result.append(nodes.Text(text[position:]))
    return result, messages


def mark_supplements(env: BuildEnvironment, parent: nodes.Element) -> None:
    """Wrap the editors' supplements so that they look like the editors'."""
    pattern = env.config[SUPPLIED]
    if pattern:
        compiled = re.compile(f"({pattern})")
        for text in list(parent.findall(nodes.Text)):
            wrap_matches(text, compiled, ["editorial", "supplied"])


def emendation_name(env: BuildEnvironment, key: str, capital: bool = False) -> str:
    """"emendation E04", as ``scholarly_edition_emendation_name`` words it."""
    name = env.config[EMENDATION_NAME].format(id=key)
    return name[:1].upper() + name[1:] if capital else name


class EmendRole(SphinxRole):
    """``:emend:`E04```: the edited reading of one row of the register."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        key = self.text.strip()
        row = register(self.env).get(key)
        if row is None:
            where = register_path(self.env)
            logger.warning(f"unknown emendation '{key}' (not a row of {where.name if where else 'a register: set '}"
                           f"{'' if where else EMENDATIONS})", location=self.get_location(),
                           type="edition", subtype="emendation")
            return [nodes.inline(key, key)], []
        children, messages = reading_nodes(self.env, row.edition, self.lineno, self.inliner, self.get_location())
        node = emendation("", "", ids=[f"emend-{key.lower()}"], key=key, printed=row.printed, kind=row.kind,
                          note=plain(row.note), classes=["emendation", f"emendation-{row.kind}"])
        node.source, node.line = self.get_source_info()
        node.extend(children)
        mark_supplements(self.env, node)
        mark = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=row.anchor, refexplicit=True,
                                     refwarn=True, classes=["editorial", "emend-mark"])
        mark += nodes.inline("", "e", classes=["editorial", "emend-mark"])
        node += mark
        return [node], messages


def readings_on_page(document: nodes.document) -> list[tuple[str, Reading]]:
    """Each reading of a page read, with the numbered paragraph it stands in."""
    found = []
    docname = document.settings.env.docname
    for node in document.findall(emendation):
        parent = node.parent
        while parent is not None and not isinstance(parent, numbered_paragraph):
            parent = parent.parent
        found.append((node["key"], Reading(docname, parent["ids"][0] if parent is not None else "", node.line)))
    return found


def check_register(env: BuildEnvironment, readings: dict[str, Reading], paragraphs: set[str]) -> None:
    """Once every page is read: each row's paragraph exists, each reading stands in the
    paragraph its row names, and the text uses every row."""
    path = register_path(env)
    if path is None:
        return
    rows = register(env)
    for key, row in rows.items():
        if row.para and row.para not in paragraphs:
            logger.warning(f"{emendation_name(env, key)} names the unknown paragraph '{row.para}'",
                           location=f"{path}:{row.line}", type="edition", subtype="emendation")
        reading = readings.get(key)
        if reading is None:
            logger.warning(f"{emendation_name(env, key)} is not used in the text",
                           location=f"{path}:{row.line}", type="edition", subtype="emendation")
        elif reading.para != row.para:
            placed = f"in paragraph '{reading.para}'" if reading.para else "outside the numbered paragraphs"
            named = f"'{row.para}'" if row.para else "no paragraph"
            logger.warning(f"{emendation_name(env, key)} stands {placed}, but its row in {path.name} names {named}",
                           location=(reading.docname, reading.line), type="edition", subtype="emendation")


def visit_emendation_html(self: Any, node: emendation) -> None:
    """The printed reading, the kind of change and the note ride on the span as data, for a
    script to show beside the reading (a native ``title`` tooltip opens on hover only)."""
    self.body.append(self.starttag(node, "span", "", **{
        "data-printed": node["printed"], "data-key": node["key"],
        "data-kind": kind_name(self.builder.env, node["kind"]), "data-note": node["note"]}))


def depart_emendation_html(self: Any, node: emendation) -> None:
    self.body.append("</span>")


def name_the_marks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In HTML, each mark's accessible name is "e" as shown, then what it is, which screen
    readers read ("e (emendation E04)"); the reference resolver keeps only the text of a
    link, so the hidden words are added to the resolved link."""
    if app.builder.format != "html":
        return
    for node in doctree.findall(emendation):
        for link in node.findall(nodes.reference):
            if "emend-mark" in link.get("classes", []):
                words = f" ({emendation_name(app.env, node['key'])})"
                link += nodes.inline(words, words, classes=["editorial", "visually-hidden"])


def visit_emendation_latex(self: Any, node: emendation) -> None:
    """On paper the mark is left out (the footnote mark does its work) and the reading
    written is kept, to be given to ``\\editionemendation`` whole."""
    anchor = f"apparatus-{node['key'].lower()}"
    last = node.children[-1] if node.children else None
    if isinstance(last, nodes.reference) and (last.get("refuri") or last.get("refid") or "").endswith(anchor):
        node.remove(last)
    node["latex_start"] = len(self.body)


def depart_emendation_latex(self: Any, node: emendation) -> None:
    """``\\editionemendation{reading}{row}{printed}{kind}{note}``: scholarly-edition.sty sets
    the reading and a footnote with the rest; "E01" links to the row of the apparatus."""
    start = node["latex_start"]
    lemma = "".join(self.body[start:]).strip()
    del self.body[start:]
    key = node["key"]
    label = self.builder.env.get_domain("std").labels.get(f"apparatus-{key.lower()}")
    row = self.hyperlink(f"{label[0]}:{label[1]}") + f"{key}}}}}" if label else key
    # The note is the editors' prose: typographic quotes, as the text has them.
    note = self.encode("".join(smartquotes.educate_tokens([("text", node["note"])], attr="qe", language="en")))
    kind = self.encode(kind_name(self.builder.env, node["kind"]))
    self.body.append(f"\\editionemendation{{{lemma}}}{{{row}}}{{{self.encode(node['printed'])}}}{{{kind}}}{{{note}}}")


def visit_emendation_text(self: Any, node: emendation) -> None:
    """The reading alone: the mark's "e" is the apparatus's, not the text's."""
    for link in list(node.findall(nodes.reference)):
        if "emend-mark" in link.get("classes", []) or link.get("refid", "").startswith("apparatus-"):
            link.parent.remove(link)


def depart_nothing(self: Any, node: emendation) -> None:
    pass


class ApparatusDirective(SphinxDirective):
    """The register as a table: number, place, kind, printed reading, edited reading, note."""

    def run(self) -> list[nodes.Node]:
        rows = register(self.env)
        headings = self.config[APPARATUS_HEADINGS]
        widths = self.config[APPARATUS_WIDTHS]
        if len(headings) != len(COLUMNS) or len(widths) != len(COLUMNS):
            raise self.error(f"{APPARATUS_HEADINGS} and {APPARATUS_WIDTHS} need {len(COLUMNS)} entries each")
        table = nodes.table(classes=["apparatus-table", "colwidths-given"])
        group = nodes.tgroup(cols=len(COLUMNS))
        table += group
        group.extend(nodes.colspec(colwidth=width) for width in widths)
        group += nodes.thead("", self._row([nodes.Text(heading)] for heading in headings))
        body = nodes.tbody()
        group += body
        std = self.env.get_domain("std")
        for row in rows.values():
            where: nodes.Node = nodes.Text(self.config[APPARATUS_UNPLACED])
            if row.para:
                where = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=row.para,
                                              refexplicit=False, refwarn=True, refdoc=self.env.docname)
                where += nodes.inline(row.para, row.para, classes=["xref", "std", "std-ref"])
            reading, _messages = reading_nodes(self.env, row.edition, self.lineno, self.state.inliner, self.get_location())
            printed = f"“{row.printed}”" if row.printed else "(nothing)"
            tr = self._row([[nodes.Text(row.id)], [where], [nodes.Text(kind_name(self.env, row.kind))],
                            [nodes.Text(printed)], reading, [nodes.Text(" ".join(row.note.split()))]])
            mark_supplements(self.env, tr[4])
            tr["ids"].append(row.anchor)
            self.state.document.note_explicit_target(tr)
            std.note_hyperlink_target(row.anchor, self.env.docname, row.anchor,  # type: ignore[attr-defined]
                                      emendation_name(self.env, row.id, capital=True))
            body += tr
        return [nodes.container("", table, classes=["apparatus"])]

    @staticmethod
    def _row(cells) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", nodes.paragraph("", "", *cell))
        return row


def setup(app: Sphinx) -> None:
    app.add_node(emendation, html=(visit_emendation_html, depart_emendation_html),
                 latex=(visit_emendation_latex, depart_emendation_latex),
                 text=(visit_emendation_text, depart_nothing))
    app.add_role("emend", EmendRole())
    app.add_directive("apparatus", ApparatusDirective)
    app.connect("doctree-resolved", name_the_marks)

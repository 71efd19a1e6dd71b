"""A glossary generated from data: ``.. edition-glossary::`` (``:::{edition-glossary}`` in MyST).

An edition's glossary (the organisations, concepts and acronyms its text uses, each with a
short sourced definition) is data, one YAML file (``scholarly_edition_glossary``, read by
:mod:`.glossary_data`), so that the page, an edition's checks and its notebooks read one
source. The directive sets it as a Sphinx glossary, sorted by term: each term a target of
Sphinx's standard domain (``term-…`` ids), so ``:term:`` reaches it from any page; under it
the kind (``glossary-kind``), the expansion, the definition, the sources, each cited through
``scholarly_edition_glossary_citation_role`` (a web address is a link named by its site),
and the other forms in which the text names it (``glossary-forms``).

Text from the data is text: the nodes are built here, never parsed from markup, so a ``*``,
``<b>`` or a role in a definition stays as written in every output. An edition adds its own
rules for an entry (a known bib key, a short definition) by connecting to the event
``edition-glossary-entry`` ``(app, path, term)`` and raising
:class:`~scholarly_edition.strict_data.DataError`; a fault stops the build with its one line
naming the file, the entry and its line, and the field.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from docutils import nodes
from docutils.parsers.rst import roles
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from .config import (
    GLOSSARY,
    GLOSSARY_CITATION_ROLE,
    GLOSSARY_FORM,
    GLOSSARY_FORMS,
    GLOSSARY_KINDS,
    GLOSSARY_SOURCE,
    GLOSSARY_SOURCES,
)
from .glossary_data import Term, read_glossary
from .strict_data import DataError

#: The event an edition connects to for its own checks of each entry.
ENTRY_EVENT = "edition-glossary-entry"
#: A source that is a web address, not a bib key.
WEB = ("http://", "https://")


def glossary_path(env: BuildEnvironment) -> Path | None:
    """The glossary the configuration names, from the configuration's folder."""
    name = env.config[GLOSSARY]
    return Path(env.app.confdir, name) if name else None


def glossary(env: BuildEnvironment) -> list[Term]:
    """The glossary's entries, parsed once per content (so a long-lived process follows a
    change even with an old file time) and checked by the edition's handlers of
    ``edition-glossary-entry``. A fault stops the build with the data error's one line."""
    path = glossary_path(env)
    if path is None:
        raise ExtensionError(f"the edition-glossary directive needs {GLOSSARY}: the glossary's YAML file")
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        terms = _parsed(str(path), digest, tuple(sorted(env.config[GLOSSARY_KINDS])))
        for term in terms:
            env.events.emit(ENTRY_EVENT, path, term, allowed_exceptions=(DataError,))
    except DataError as error:
        raise ExtensionError(f"data error: {error}") from error
    return list(terms)


@lru_cache(maxsize=4)
def _parsed(path: str, digest: str, kinds: tuple[str, ...]) -> tuple[Term, ...]:
    """The glossary parsed once per content (``digest``)."""
    return tuple(read_glossary(Path(path), kinds))


def kind_name(env: BuildEnvironment, kind: str) -> str:
    """The name a definition opens with: the edition's, or the kind with its hyphens as spaces."""
    return env.config[GLOSSARY_KINDS].get(kind) or kind.replace("-", " ").capitalize()


def worded(setting: str, template: str, placeholder: str, filling: list[nodes.Node]) -> list[nodes.Node]:
    """A setting's words around ``filling``, set where the template has ``{placeholder}``."""
    before, found, after = template.partition(f"{{{placeholder}}}")
    if not found:
        raise ExtensionError(f"{setting} must hold {{{placeholder}}}: {template!r}")
    return [*([nodes.Text(before)] if before else []), *filling, *([nodes.Text(after)] if after else [])]


class GlossaryDirective(SphinxDirective):
    """Every entry of the glossary as a Sphinx glossary, sorted by term."""

    def run(self) -> list[nodes.Node]:
        terms = glossary(self.env)
        self.env.note_dependency(str(glossary_path(self.env)))
        source, line = self.get_source_info()
        messages: list[nodes.Node] = []
        items = []
        for term in terms:
            made = make_glossary_term(self.env, [nodes.Text(term.term)], None, source, line, None, self.state.document)
            made.rawsource = term.term
            definition = nodes.definition()
            opening = nodes.paragraph()
            opening += nodes.inline("", kind_name(self.env, term.kind), classes=["glossary-kind"])
            if term.expansion:
                opening += nodes.Text(" ")
                opening += nodes.emphasis("", f"{term.expansion}.")
            opening += nodes.Text(f" {term.definition}")
            definition += opening
            if term.sources:
                cited: list[nodes.Node] = []
                for number, key in enumerate(term.sources):
                    if number:
                        cited.append(nodes.Text("; "))
                    found, problems = self._source(key, line)
                    cited += found
                    messages += problems
                setting = GLOSSARY_SOURCES if len(term.sources) > 1 else GLOSSARY_SOURCE
                words = worded(setting, self.config[setting], "sources", cited)
                definition += nodes.paragraph("", "", nodes.inline("", "", *words, classes=["glossary-sources"]))
            if term.aliases:
                forms: list[nodes.Node] = []
                for number, alias in enumerate(term.aliases):
                    if number:
                        forms.append(nodes.Text(", "))
                    forms += worded(GLOSSARY_FORM, self.config[GLOSSARY_FORM], "form", [nodes.Text(alias)])
                words = worded(GLOSSARY_FORMS, self.config[GLOSSARY_FORMS], "forms", forms)
                definition += nodes.paragraph("", "", nodes.inline("", "", *words, classes=["glossary-forms"]))
            items.append(nodes.definition_list_item("", made, definition))
        listing = addnodes.glossary()
        listing.document = self.state.document
        listing["sorted"] = False  # sorted already, by term
        listing += nodes.definition_list("", *items, classes=["glossary"])
        return [*messages, nodes.container("", listing, classes=["editorial", "edition-glossary"])]

    def _source(self, source: str, line: int) -> tuple[list[nodes.Node], list[nodes.Node]]:
        """A source: a web address as a link named by its site, a bib key through the citation role."""
        if source.startswith(WEB):
            host = urlparse(source).netloc.removeprefix("www.")
            return [nodes.reference("", host, refuri=source)], []
        name = self.config[GLOSSARY_CITATION_ROLE]
        role, messages = roles.role(name, None, line, self.state.inliner.reporter)
        if role is None:
            raise self.error(f"{GLOSSARY_CITATION_ROLE}: unknown role '{name}'")
        made, found = role(name, f":{name}:`{source}`", source, line, self.state.inliner)
        return made, [*messages, *found]


def setup(app: Sphinx) -> None:
    app.add_event(ENTRY_EVENT)
    app.add_directive("edition-glossary", GlossaryDirective)

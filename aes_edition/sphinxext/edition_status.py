"""Where the edition stands: its version, the date its text was last revised, its changelog.

* **One version.** The version is ``CITATION.cff``'s (held equal to ``pyproject.toml``'s by
  :mod:`aes_edition.citation`); the role ``{edition}`version``` writes it in the text, so the
  examples on "How to cite" name the version the reader has in front of them.
* **The text's last revision** is derived, never typed (:mod:`aes_edition.revision`): the
  newest commit that touched the paper's text or the apparatus. ``{edition}`revised``` writes it.
* **Both on every page**: the footer of every HTML page names the version, the date and the
  changelog (``templates/edition-version.html``, one of the theme's ``footer_content_items``);
  ``{edition-status}`` says it in a sentence on the front page, so the PDF and the EPUB, which
  have no footer, carry it after the title page, whose last lines (``\\edversionline``) name the
  version and the date too.
* **Changelog.** ``{edition-changelog}`` renders ``data/changelog.yaml``
  (:mod:`aes_edition.changelog`), each version a block with the id ``version-1-0-0``; its text
  is written with :func:`aes_edition.myst_text.literal`. The newest released version must be
  ``CITATION.cff``'s, or the build stops naming the line.

The version and the date are written into the pages when they are written (placeholders filled
by a post-transform), not when they are read: the date moves with a commit that need not touch
the page, and both are configuration values that make Sphinx write every page when they change.
"""

from __future__ import annotations

import datetime
import hashlib
import posixpath
from functools import lru_cache
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from scholarly_edition.strict_data import DataError
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.texescape import escape as tex_escape

from ..changelog import FILE as CHANGELOG_FILE
from ..changelog import Release, check_against_citation, current, in_preparation, load_changelog
from ..citation import CITATION_FILE
from ..myst_text import literal
from ..revision import Revision, text_revision
from .datapages import label_block
from .publishing import edition_citation

logger = logging.getLogger(__name__)

FACTS = ("version", "revised")


def _changelog(app: Sphinx) -> list[Release]:
    """The changelog, read and checked against ``CITATION.cff`` once per content of the two (a
    function cache, nothing kept on the application); a fault stops the build naming its line."""
    path = Path(app.confdir, CHANGELOG_FILE.relative_to(CHANGELOG_FILE.parents[1]))
    try:
        citation = edition_citation(app)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        return list(_checked_changelog(str(path), digest, citation.version, citation.date_released))
    except DataError as error:
        raise ExtensionError(f"data error: {error}") from error


@lru_cache(maxsize=4)
def _checked_changelog(path: str, digest: str, version: str, date_released: datetime.date | None) -> tuple[Release, ...]:
    """The changelog for one content of the file (``digest``) and one version of the edition."""
    releases = load_changelog(Path(path))
    check_against_citation(releases, version, date_released, Path(path))
    return tuple(releases)


def _revision(app: Sphinx) -> Revision:
    """The text's last revision, as the configuration value :func:`_derive` set holds it."""
    return Revision.from_key(app.config.edition_text_revised)


def version_phrase(app: Sphinx) -> str:
    """"Version 1.0.0", and the version in preparation when the changelog lists one."""
    releases = _changelog(app)
    text = f"Version {current(releases).version}"
    upcoming = in_preparation(releases)
    return text + (f", with changes in preparation for version {upcoming.version}" if upcoming else "")


def revised_phrase(app: Sphinx) -> str:
    """"text last revised 5 December 2026" (or "on or before …" where git cannot say)."""
    return f"text last revised {_revision(app).text()}"


def status_sentences(app: Sphinx) -> str:
    """The front page's sentences: "This is version 1.0.0 of the edition. Its text was last
    revised on 5 December 2026." """
    releases = _changelog(app)
    upcoming = in_preparation(releases)
    revision = _revision(app)
    return (f"This is version {current(releases).version} of the edition"
            + (f", with the changes in preparation for version {upcoming.version}" if upcoming else "")
            + f". Its text was last revised {'on ' if revision.exact else ''}{revision.text()}.")


# Read time: placeholders -----------------------------------------------------------------------

class edition_fact(nodes.Inline, nodes.TextElement):
    """The version or the text's date, filled in when the page is written."""


class changelog_link(nodes.Inline, nodes.TextElement):
    """A link to the changelog page, resolved when the page is written."""


class EditionFactRole(SphinxRole):
    """``{edition}`version``` (``1.0.0``) or ``{edition}`revised``` (``5 December 2026``)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        fact = self.text.strip()
        if fact not in FACTS:
            logger.warning(f"{{edition}} takes {' or '.join(FACTS)}, not '{fact}'", location=self.get_location())
            return [nodes.inline(self.text, self.text)], []
        self.env.note_dependency(str(Path(self.env.srcdir, CITATION_FILE.name)))
        self.env.note_dependency(str(Path(self.env.srcdir, "data", CHANGELOG_FILE.name)))
        return [edition_fact("", "", fact=fact, classes=[f"edition-{fact}"])], []


class EditionStatusDirective(SphinxDirective):
    """``{edition-status}``: the version, the text's date and the changelog, in a sentence."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(Path(self.env.srcdir, CITATION_FILE.name)))
        self.env.note_dependency(str(Path(self.env.srcdir, "data", CHANGELOG_FILE.name)))
        paragraph = nodes.paragraph(classes=["edition-status", "editorial"])
        paragraph += edition_fact("", "", fact="status")
        paragraph += nodes.Text(" What changed in each version is listed in the ")
        paragraph += changelog_link("", "changelog")
        paragraph += nodes.Text(".")
        return [paragraph]


class ChangelogDirective(SphinxDirective):
    """``{edition-changelog}``: every version of ``data/changelog.yaml``, newest first."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(Path(self.env.srcdir, "data", CHANGELOG_FILE.name)))
        self.env.note_dependency(str(Path(self.env.srcdir, CITATION_FILE.name)))
        releases = _changelog(self.env.app)
        released = current(releases)
        lines: list[str] = []
        for release in releases:
            if release.released:
                when = f"{release.date.day} {release.date:%B %Y}"  # type: ignore[union-attr]
                heading = f"Version {release.version}, {when}"
            else:
                heading = f"Version {release.version}, in preparation"
            lines += ["::::{container} changelog-version", f":::{{rubric}} {literal(heading)}", ":::", ""]
            if release.summary:
                lines += [f"*{literal(release.summary)}*", ""]
            if not release.released:
                lines += [f"These changes are in this copy of the edition but not yet in a released version: cite it "
                          f"as version {literal(released.version)} and give the date its text was last revised.", ""]
            lines += [f"- {literal(change)}" for change in release.changes]
            lines += ["", "::::", ""]
        container = nodes.container(classes=["editorial", "changelog"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        blocks = [c for c in container.findall(nodes.container) if "changelog-version" in c["classes"]]
        for block, release in zip(blocks, releases, strict=True):
            label_block(self, block, release.anchor, f"Version {release.version}")
        return [container]


# Write time: the values ---------------------------------------------------------------------------

class FillEditionFacts(SphinxPostTransform):
    """Write the version and the date into the placeholders, and link the changelog."""

    default_priority = 5  # before the references are resolved

    def run(self, **kwargs: Any) -> None:
        app = self.env.app
        for node in list(self.document.findall(edition_fact)):
            fact = node["fact"]
            if fact == "version":
                text = current(_changelog(app)).version
            elif fact == "revised":
                text = _revision(app).text()
            else:
                text = status_sentences(app)
            node.replace_self(nodes.inline(text, text, classes=node["classes"]))
        for node in list(self.document.findall(changelog_link)):
            target = self.config.edition_changelog_page
            ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/" + target, refexplicit=True,
                                        refwarn=True, refdoc=self.env.docname)
            ref += nodes.inline(node.astext(), node.astext())
            node.replace_self(ref)


def _derive(app: Sphinx, config: Config) -> None:
    """The text's date, once per build, as a configuration value (a change writes every page),
    and ``\\edversionline``, the version and the date at the foot of the PDF's title page
    (``latex/aes-edition.sty``). The date is kept only as that value (:func:`_revision` reads
    it back); after :mod:`.publishing` has checked ``CITATION.cff`` and the addresses."""
    config.edition_text_revised = text_revision(Path(app.confdir)).key()
    version = tex_escape(version_phrase(app))
    revised = tex_escape(revised_phrase(app))
    elements = dict(config.latex_elements)
    elements["preamble"] = (elements.get("preamble", "") +
                            f"\n\\newcommand*\\edversionline{{{version}\\par {revised[0].upper()}{revised[1:]}}}")
    config.latex_elements = elements


def _footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """What ``templates/edition-version.html`` shows."""
    if app.builder.format != "html":
        return
    page = app.config.edition_changelog_page
    context["edition_version_text"] = version_phrase(app)
    context["edition_revised_text"] = revised_phrase(app)
    context["edition_changelog_url"] = posixpath.relpath(page, posixpath.dirname(pagename) or ".") + app.builder.link_suffix
    context["edition_changelog_here"] = pagename == page


def _visit_inner(self, node: nodes.Element) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_text_revised", "", "html")
    app.add_config_value("edition_changelog_page", "chapters/changelog", "env", types=[str])
    app.connect("config-inited", _derive)
    app.add_role("edition", EditionFactRole())
    app.add_directive("edition-status", EditionStatusDirective)
    app.add_directive("edition-changelog", ChangelogDirective)
    app.add_node(edition_fact)
    app.add_node(changelog_link)
    app.add_post_transform(FillEditionFacts)
    app.connect("html-page-context", _footer)

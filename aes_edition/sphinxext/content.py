"""Sphinx reads a page again when its content or an input it declared changed, whatever the clocks say.

Sphinx decides what to read again by comparing times: a page, or a file the page declared
with ``env.note_dependency``, is outdated when its modification time is later than the time
the page was last read. A file whose content changed but whose time did not move forward
(a checkout of an older commit, an archive unpacked with its times, ``cp -p``, ``touch -d``,
a clock set back) is then taken as unchanged, and the published page shows the old text.

This module keeps, for every page read, a digest of the page's source and of each file it
declared (in a small domain, so the digests live in Sphinx's saved environment, merge after
a parallel read and go with the page when it is purged), and on ``env-get-outdated`` hands
Sphinx every page whose recorded digests differ from the files' present content. Times then
only ever add work: a page is read again when Sphinx's times or its content say so.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .pages import PerPageDomain

logger = logging.getLogger(__name__)

ABSENT = "absent"


def file_digest(path: Path) -> str:
    """A digest of a file's bytes ("absent" for a file that is not there)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ABSENT


class ContentDomain(PerPageDomain):
    """Holds, per page, the digests of its source and declared inputs as last read."""

    name = "aes-content"
    label = "Content of each page's inputs"
    store = "digests"
    # digests: docname -> {path relative to srcdir: digest}
    data_version = 1

    @property
    def digests(self) -> dict[str, dict[str, str]]:
        return self.pages


PACKAGE = Path(__file__).resolve().parent.parent


def code_version(package: Path = PACKAGE) -> int:
    """A number that changes whenever the edition's own code (its modules, templates, styles)
    changes, given to Sphinx as the extension's ``env_version``: the code shapes every page
    and Sphinx watches no code, so a new version makes Sphinx discard its saved environment
    and read every page again (Sphinx's own mechanism, where a Makefile stamp used to do it)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and not p.name.startswith(".")):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return int(digest.hexdigest()[:15], 16)


@cache
def edition_code_version() -> int:
    """:func:`code_version` of this package and of the extension it builds on
    (sphinx-scholarly-edition, installed editable from this repository), once per process."""
    import scholarly_edition

    return code_version(PACKAGE) ^ code_version(Path(scholarly_edition.__file__).resolve().parent)


def _inputs(env: BuildEnvironment, docname: str) -> list[str]:
    """The page's source and the files it declared, as paths relative to the source folder
    (or absolute, as Sphinx keeps a dependency outside it)."""
    source = Path(env.doc2path(docname))
    own = source.relative_to(env.srcdir).as_posix() if source.is_relative_to(env.srcdir) else str(source)
    return [own, *sorted(str(dep) for dep in env.dependencies.get(docname, ()))]


def _digests(env: BuildEnvironment, docname: str, seen: dict[str, str]) -> dict[str, str]:
    found = {}
    for name in _inputs(env, docname):
        if name not in seen:
            seen[name] = file_digest(Path(env.srcdir, name))
        found[name] = seen[name]
    return found


def _record(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    domain: ContentDomain = env.get_domain(ContentDomain.name)  # type: ignore[assignment]
    domain.digests[env.docname] = _digests(env, env.docname, {})


def changed_content(env: BuildEnvironment, known: set[str]) -> set[str]:
    """The pages, among those already read and not in ``known``, whose source or declared
    inputs differ from what was recorded when they were read (or that have no record)."""
    domain: ContentDomain = env.get_domain(ContentDomain.name)  # type: ignore[assignment]
    seen: dict[str, str] = {}
    changed = set()
    for docname in sorted(set(env.found_docs) & set(env.all_docs) - known):
        recorded = domain.digests.get(docname)
        if recorded is None or _digests(env, docname, seen) != recorded:
            changed.add(docname)
    return changed


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
              removed: set[str]) -> list[str]:
    found = changed_content(env, added | changed | removed)
    for docname in sorted(found):
        logger.info(f"[aes_edition] {docname}: its content or an input it reads changed (whatever the file times)")
    return sorted(found)


def setup(app: Sphinx) -> None:
    app.add_domain(ContentDomain)
    app.connect("doctree-read", _record)
    app.connect("env-get-outdated", _outdated)

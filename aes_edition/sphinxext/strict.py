"""Every build that reads a page writes every page, so every cross-reference is resolved
again.

Sphinx's incremental build writes only the pages whose sources changed. When an editor
removes or renames a label, a term or a citation key in one file, the pages that point to
it have not changed, are not written, and their broken references go unreported: the
strict build passes. Writing every page costs a few seconds (the pages are not read again
and the notebooks are not run again; their doctrees come from the pickled environment)
and makes each build report exactly what a clean build would. A build that read and
removed nothing changed no target, and writes only what Sphinx asks for. Warnings raised
while *reading* a page are kept by the Makefile instead, which reads every page again
after a failed build.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

CHANGED = "_edition_pages_changed"  # on the application, which is not pickled


def _pages_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if docnames:
        setattr(app, CHANGED, True)


def _page_removed(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    setattr(app, CHANGED, True)


def _every_page(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return sorted(env.found_docs) if getattr(app, CHANGED, False) else []


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _pages_read)
    app.connect("env-purge-doc", _page_removed)
    app.connect("env-get-updated", _every_page)

"""Every build writes every page, so every cross-reference is resolved again.

Sphinx's incremental build writes only the pages whose sources changed. When an editor
removes or renames a label in one chapter, the chapters that point to it have not
changed, are not written, and their broken references go unreported: the strict build
passes. Writing every page costs little (the pages are not read again and the notebooks
are not run again; their doctrees come from the pickled environment) and makes each
build report exactly what a clean build would. Warnings raised while *reading* a page
are kept by the Makefile instead, which reads every page again after a failed build.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def _every_page(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return sorted(env.found_docs)


def setup(app: Sphinx) -> None:
    app.connect("env-get-updated", _every_page)

"""One incremental build of a small Sphinx project, as ``sphinx-build`` would make it, for the
tests of what a build reads again."""

from __future__ import annotations

import io
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace


def build_index(root: Path) -> str:
    """Build ``root`` into ``root/_build`` (keeping the saved environment) and return the
    written ``index.html``. As sphinx-build does, the nodes and directives the build registers
    with docutils are forgotten afterwards, so later test projects in this process start clean."""
    with docutils_namespace():
        app = Sphinx(str(root), str(root), str(root / "_build" / "html"), str(root / "_build" / "doctrees"), "html",
                     status=io.StringIO(), warning=io.StringIO(), freshenv=False)
        app.build()
    return (root / "_build" / "html" / "index.html").read_text(encoding="utf-8")

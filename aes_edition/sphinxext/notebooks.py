"""Sphinx side of :mod:`aes_edition.notebook_cache`: before the documents are read, every
notebook whose inputs changed loses its cached outputs and is put on the list of
documents to read, so that myst-nb executes it again. Sphinx alone would not re-read it,
because the notebook file itself did not change."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..notebook_cache import refresh

logger = logging.getLogger(__name__)


def _refresh_notebooks(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if getattr(app.config, "nb_execution_mode", None) != "cache":
        return
    notebooks = {docname: Path(env.doc2path(docname)) for docname in sorted(env.found_docs)}
    notebooks = {d: p for d, p in notebooks.items() if p.suffix == ".ipynb"}
    cache_dir = Path(app.config.nb_execution_cache_path or ".jupyter_cache")
    stale = set(refresh(notebooks.values(), cache_dir, Path(app.srcdir)))
    for docname, path in notebooks.items():
        if path in stale:
            logger.info(f"[aes_edition] {docname}: its inputs changed, it is executed again")
            if docname not in docnames:
                docnames.append(docname)


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _refresh_notebooks)

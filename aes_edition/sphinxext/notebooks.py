"""Sphinx side of :mod:`aes_edition.notebook_cache` and :mod:`aes_edition.notebook_execution`.

Before the documents are read, every notebook whose inputs changed loses its cached outputs
and is put on the list of documents to read, so that myst-nb executes it again (Sphinx alone
would not re-read it: the notebook file itself did not change). Then every notebook to be
read that the cache does not hold starts executing in a process of its own, at most one per
core at a time, while Sphinx reads the chapters; when Sphinx reaches a notebook, its outputs
are put into the cache, where myst-nb takes them. A notebook whose execution failed is
reported here, once, as a warning on the notebook naming the cell and the failure
(:mod:`aes_edition.notebook_execution`), and myst-nb shows the cells as they ran instead of
running the notebook a second time.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .. import notebook_execution
from ..notebook_cache import cached_record, refresh

logger = logging.getLogger(__name__)

QUEUE = "_edition_notebooks_waiting"  # docname -> notebook path, not yet started
RUNNING = "_edition_notebooks_running"  # docname -> notebook_execution.Running
WORKDIR = "_edition_notebooks_workdir"


def _cache_dir(app: Sphinx) -> Path:
    return Path(app.config.nb_execution_cache_path or ".jupyter_cache")


def _start_next(app: Sphinx, docname: str | None = None) -> None:
    """Start the named notebook, or the next ones waiting, up to one per core."""
    queue: dict[str, Path] = getattr(app, QUEUE)
    running: dict[str, notebook_execution.Running] = getattr(app, RUNNING)
    names = [docname] if docname in queue else list(queue)
    for name in names:
        if docname is None and len(running) >= (os.cpu_count() or 1):
            break
        running[name] = notebook_execution.start(
            queue.pop(name), app.config.nb_execution_timeout, app.config.nb_execution_allow_errors,
            getattr(app, WORKDIR), Path(app.srcdir))


def _refresh_notebooks(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    setattr(app, QUEUE, {})
    setattr(app, RUNNING, {})
    if getattr(app.config, "nb_execution_mode", None) != "cache":
        return
    notebooks = {docname: Path(env.doc2path(docname)) for docname in sorted(env.found_docs)}
    notebooks = {d: p for d, p in notebooks.items() if p.suffix == ".ipynb"}
    cache_dir = _cache_dir(app)
    stale = set(refresh(notebooks.values(), cache_dir, Path(app.srcdir)))
    for docname, path in notebooks.items():
        if path in stale:
            logger.info(f"[aes_edition] {docname}: its inputs changed, it is executed again")
            if docname not in docnames:
                docnames.append(docname)
    if app.parallel > 1:
        return  # Sphinx reads in forked processes, which cannot wait for these: myst-nb runs them
    waiting = {d: notebooks[d] for d in sorted(docnames)
               if d in notebooks and cached_record(notebooks[d], cache_dir) is None}
    if waiting:
        setattr(app, QUEUE, waiting)
        setattr(app, WORKDIR, Path(tempfile.mkdtemp(prefix="aes-edition-notebooks-")))
        atexit.register(_stop, app, None)  # also when the build is interrupted
        _start_next(app)


def _collect(app: Sphinx, docname: str, source: list[str]) -> None:
    """Before myst-nb reads a notebook, wait for its execution and cache the outputs."""
    if docname in getattr(app, QUEUE, {}):
        _start_next(app, docname)
    running = getattr(app, RUNNING, {}).pop(docname, None)
    if running is None:
        return
    seconds, error, executed = notebook_execution.collect(running, _cache_dir(app))
    if error is None:
        logger.info(f"[aes_edition] {docname}: executed in {seconds:.2f} s, beside the reading of the pages")
    else:
        logger.warning(f"Executing notebook failed: {error}", location=docname, type="aes_edition", subtype="notebook")
        if executed is not None:
            # The cells as they ran, errors included, for myst-nb to show without running them again.
            executed.metadata.setdefault("mystnb", {})["execution_mode"] = "off"
            source[0] = json.dumps(executed)
    _start_next(app)


def _stop(app: Sphinx, exception: Exception | None) -> None:
    """End executions a failed or interrupted build left running, and remove their files."""
    running = getattr(app, RUNNING, {})
    for execution in running.values():
        notebook_execution.stop(execution)
    running.clear()
    workdir = getattr(app, WORKDIR, None)
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _refresh_notebooks)
    app.connect("source-read", _collect)
    app.connect("build-finished", _stop)

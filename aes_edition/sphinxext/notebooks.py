"""The notebooks run by myst-nb's own execution (``execute_notebooks: cache``), again when their data change.

myst-nb executes a notebook when Sphinx reads it, through jupyter-cache, which recognises a
notebook by its code cells (and its ``kernelspec``) alone; Sphinx reads a page again only
when its own file changed. A notebook whose data changed would keep its old figure. So:

* **Inputs by content.** When a notebook is read, the digest of the files it declares
  (:func:`aes_edition.notebook_inputs.fingerprint`, contents, never times) is kept in the
  domain :class:`NotebookInputsDomain`, and on ``env-get-outdated`` every notebook whose
  digest changed is handed back to Sphinx to be read again.
* **A cache key that includes them.** On ``source-read`` the digest is written into the
  notebook's ``kernelspec`` metadata as Sphinx hands the notebook to myst-nb (the file is not
  touched), and jupyter-cache hashes the ``kernelspec`` with the code: a notebook whose inputs
  changed no longer matches its cached outputs and is executed again, even in a fresh
  environment (after a failed build, or in a copy of the book with its cache), and one whose
  inputs did not change is served from the cache. The notebook's records for other inputs
  are dropped with jupyter-cache's public API.
* **One message per failure.** myst-nb's own failure warnings (``mystnb.exec``: the error's
  class, then where its traceback was saved) are replaced by one warning on the notebook
  that names the cell (number and id) and the failure, made on ``doctree-read`` from what
  myst-nb left: its execution data (error class and traceback), the executed cells' error
  outputs in the doctree, and the kernel's log (:mod:`aes_edition.notebook_audit`). Nothing
  runs twice.
* **The kernel's audit.** The kernels myst-nb starts inherit this process's environment:
  ``IPYTHONDIR`` points them at a folder under the build whose startup file logs the cells
  and the files they open. A notebook that writes into the book or reads an undeclared
  data or chapter file fails, and its outputs are dropped from the cache.

A kernel that dies (``DeadKernelError``) is not caught by jupyter-cache nor by myst-nb, so it
would end the whole build with a traceback; :class:`NotebookParser` reports it as the same
one warning and shows the notebook's cells without outputs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..notebook_audit import (
    LOG_VARIABLE,
    ROOT_VARIABLE,
    STARTUP,
    STARTUP_NAME,
    audit_problems,
    failure_message,
    read_log,
)
from ..notebook_inputs import fingerprint, inputs_of
from .pages import PerPageDomain

logger = logging.getLogger(__name__)

# The key, in a notebook's kernelspec metadata as myst-nb receives it, that holds its inputs' digest.
KERNELSPEC_KEY = "aes_edition_inputs"
# myst-nb's own warnings on a failed execution, which the edition's single warning replaces.
MYSTNB_EXEC = "mystnb.exec"


class NotebookInputsDomain(PerPageDomain):
    """Holds, per notebook, the digest of its declared inputs when it was last read."""

    name = "aes-notebooks"
    label = "Inputs of each notebook"
    store = "inputs"  # docname -> fingerprint
    data_version = 1


def _domain(env: BuildEnvironment) -> NotebookInputsDomain:
    return env.get_domain(NotebookInputsDomain.name)  # type: ignore[return-value]


def _caching(config: Config) -> bool:
    return getattr(config, "nb_execution_mode", None) == "cache"


def _is_notebook(env: BuildEnvironment, docname: str) -> bool:
    return Path(env.doc2path(docname)).suffix == ".ipynb"


def _kernel_folder(app: Sphinx) -> Path:
    """Where the build's kernels keep their IPython folder and logs: beside the doctrees, in the build."""
    return Path(app.doctreedir).parent / ".kernels"


def _log_path(app: Sphinx, docname: str) -> Path:
    return _kernel_folder(app) / "logs" / (docname.replace("/", "--") + ".log")


def _suppress_mystnb_warnings(app: Sphinx, config: Config) -> None:
    if MYSTNB_EXEC not in config.suppress_warnings:
        config.suppress_warnings = [*config.suppress_warnings, MYSTNB_EXEC]


def _prepare_kernels(app: Sphinx) -> None:
    """Point the kernels myst-nb starts at an IPython folder whose startup file audits them."""
    folder = _kernel_folder(app)
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (folder / "logs").mkdir(exist_ok=True)
    (startup / STARTUP_NAME).write_text(STARTUP, encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(folder / "ipython")
    os.environ[ROOT_VARIABLE] = str(Path(app.srcdir).resolve())


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
              removed: set[str]) -> list[str]:
    """The notebooks, read before and unchanged themselves, whose inputs changed by content."""
    if not _caching(app.config):
        return []
    recorded = _domain(env).pages
    stale = []
    for docname in sorted(set(env.found_docs) & set(env.all_docs) - added - changed - removed):
        if not _is_notebook(env, docname):
            continue
        notebook = Path(env.doc2path(docname))
        if recorded.get(docname) != fingerprint(inputs_of(notebook), Path(app.srcdir)):
            logger.info(f"[aes_edition] {docname}: its inputs changed, it is executed again")
            stale.append(docname)
    return stale


def _same_notebook(uri: str, notebook: Path, relative: str) -> bool:
    """Whether a cache record is this notebook's (here, or in the copy of the book it came from)."""
    return Path(uri).resolve() == notebook.resolve() or Path(uri).as_posix().endswith("/" + relative)


def _cache(app: Sphinx) -> Any:
    """The jupyter-cache myst-nb executes into (its public API)."""
    from jupyter_cache import get_cache

    return get_cache(app.config.nb_execution_cache_path or ".jupyter_cache")


def _keyed_on_inputs(nb: Any, digest: str | None) -> Any:
    """The notebook as myst-nb receives it: its inputs' digest in its kernelspec, which
    jupyter-cache hashes with the code (a notebook without a kernelspec is left as it is)."""
    if isinstance(nb.metadata.get("kernelspec"), dict):
        nb.metadata.kernelspec[KERNELSPEC_KEY] = digest
    return nb


def _drop_other_records(app: Sphinx, notebook: Path, nb: Any) -> None:
    """Forget the notebook's cached outputs for any other code or inputs than these."""
    cache = _cache(app)
    _, key = cache.create_hashed_notebook(nb)
    relative = notebook.resolve().relative_to(Path(app.srcdir).resolve()).as_posix()
    for record in cache.list_cache_records():
        if record.hashkey != key and _same_notebook(record.uri, notebook, relative):
            cache.remove_cache(record.pk)


def _before_reading(app: Sphinx, docname: str, source: list[str]) -> None:
    """Key the notebook's cached outputs on its inputs too, and name its kernel's log."""
    import nbformat

    if not _is_notebook(app.env, docname):
        return
    log = _log_path(app, docname)
    log.unlink(missing_ok=True)
    os.environ[LOG_VARIABLE] = str(log)
    if not _caching(app.config):
        return
    notebook = Path(app.env.doc2path(docname))
    digest = fingerprint(inputs_of(notebook), Path(app.srcdir))
    _domain(app.env).pages[docname] = digest
    try:
        nb = nbformat.reads(source[0], as_version=4)
    except Exception:  # noqa: BLE001 (not a notebook: myst-nb reports it, as check_data does first)
        return
    if isinstance(nb.metadata.get("kernelspec"), dict):
        source[0] = nbformat.writes(_keyed_on_inputs(nb, digest))
    _drop_other_records(app, notebook, nb)


def _error_cell(doctree: nodes.document) -> int | None:
    """The index of the cell whose output shows an error, as myst-nb rendered it."""
    for cell in doctree.findall(nodes.Element):
        if cell.get("nb_element") == "cell_code" and any(
                "traceback" in node.get("classes", ()) for node in cell.findall(nodes.Element)):
            return cell.get("cell_index")
    return None


def _execution_data(env: BuildEnvironment, docname: str) -> dict[str, Any] | None:
    """myst-nb's record of the notebook's execution (the data its execution tables show)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    return NbMetadataCollector.get_exec_data(env, docname)


def _traceback(text: str) -> str:
    """The cell's error as nbclient gave it, without the build's own Python stack above it."""
    marker = "CellExecutionError: "
    return text[text.index(marker) + len(marker):] if marker in text else text


def report(app: Sphinx, docname: str, error: str | None, traceback: str, doctree: nodes.document | None) -> None:
    """One warning on the notebook for what went wrong in its execution (the failure, and
    what its kernel must not do); a notebook that broke the rules loses its cached outputs."""
    import nbformat

    notebook = Path(app.env.doc2path(docname))
    nb = nbformat.read(notebook, as_version=4)
    log = read_log(_log_path(app, docname), nb)
    problems = audit_problems(notebook, log, nb, Path(app.srcdir))
    message = None
    if error is not None:
        cell = _error_cell(doctree) if doctree is not None else None
        if cell is None:
            cell = log.last_cell
        message = failure_message(error, _traceback(traceback), nb, cell, app.config.nb_execution_timeout)
    if problems:
        message = "\n".join([message, *problems]) if message else "; ".join(problems)
        if error is None and _caching(app.config):
            _drop_record(app, docname, nb)
    if message:
        logger.warning(f"Executing notebook failed: {message}", location=docname, type="aes_edition",
                       subtype="notebook")


def _drop_record(app: Sphinx, docname: str, nb: Any) -> None:
    """Forget the cached outputs of the notebook as myst-nb cached them (keyed on its inputs)."""
    import copy

    keyed = _keyed_on_inputs(copy.deepcopy(nb), _domain(app.env).pages.get(docname))
    cache = _cache(app)
    try:
        record = cache.match_cache_notebook(keyed)
    except KeyError:
        return
    cache.remove_cache(record.pk)


def _after_reading(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if not _is_notebook(app.env, docname):
        return
    os.environ.pop(LOG_VARIABLE, None)
    data = _execution_data(app.env, docname) or {}
    error = None if data.get("succeeded", True) else (data.get("error") or "an error")
    report(app, docname, error, data.get("traceback") or "", doctree)


# The myst-nb versions whose notebook parser NotebookParser extends (tested by
# tests/test_notebook_failures.py, whose dying notebook fails if the parser changes).
MYSTNB_PARSER_VERSIONS = ("1.",)


def _parser_with_dead_kernels() -> type | None:
    """myst-nb's notebook parser, extended to report a kernel that died instead of ending the build.

    jupyter-cache catches a cell's error or timeout, never a dead kernel, and myst-nb lets
    the exception through, so one notebook whose kernel dies would stop every page. This is
    the one place the edition reaches into myst-nb (its ``Parser`` class): only for the
    versions it was made for, and the failure tests break if that class changes."""
    import myst_nb
    from myst_nb.sphinx_ import Parser

    if not myst_nb.__version__.startswith(MYSTNB_PARSER_VERSIONS):
        logger.info(f"[aes_edition] myst-nb {myst_nb.__version__}: a notebook whose kernel dies stops the build")
        return None

    class NotebookParser(Parser):
        """myst-nb's parser; a kernel that died is one warning, and the cells are shown unexecuted."""

        def parse(self, inputstring: str, document: nodes.document) -> None:
            import nbformat
            from myst_nb.sphinx_ import NbMetadataCollector
            from nbclient.exceptions import DeadKernelError

            try:
                super().parse(inputstring, document)
                return
            except DeadKernelError as died:
                failure = f"{died.__class__.__name__}: {died}"
            nb = nbformat.reads(inputstring, as_version=4)
            nb.metadata.setdefault("mystnb", {})["execution_mode"] = "off"
            document.children = []
            super().parse(nbformat.writes(nb), document)
            # Into myst-nb's execution record, where the report (and myst-nb's execution tables) find it.
            NbMetadataCollector.set_exec_data(self.env, self.env.docname, {
                "mtime": None, "runtime": None, "method": "cache", "succeeded": False,
                "error": "DeadKernelError", "traceback": failure})

    return NotebookParser


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")  # its parser first, then the edition's in its place
    app.add_domain(NotebookInputsDomain)
    parser = _parser_with_dead_kernels()
    if parser is not None:
        app.add_source_parser(parser, override=True)
    app.connect("config-inited", _suppress_mystnb_warnings)
    app.connect("builder-inited", _prepare_kernels)
    app.connect("env-get-outdated", _outdated)
    app.connect("source-read", _before_reading)
    app.connect("doctree-read", _after_reading)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

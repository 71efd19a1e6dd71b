"""The notebooks run by myst-nb's cache (``execute_notebooks: cache``), side by side, and again when their data change.

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
* **Side by side.** On ``env-before-read-docs`` the notebooks about to be read that the cache
  cannot serve are executed at the same time, one worker process each
  (:mod:`aes_edition.notebook_runs`: jupyter-cache's ``single_nb_execution``, the call
  myst-nb makes, with myst-nb's settings for that notebook), and what passed is put into the
  cache under the key myst-nb will look up. myst-nb then serves every notebook from its
  cache. A notebook that failed is handed to myst-nb as far as it ran, with its execution
  off for this reading (myst-nb's own ``mystnb.execution_mode`` metadata), so it is shown
  with the outputs it got and not run a second time. A kernel that dies or does not start,
  which neither jupyter-cache nor myst-nb catches, is such a failure too, not the end of the build.
* **One message per failure.** myst-nb's own failure warnings (``mystnb.exec``) are replaced
  by one warning on the notebook that names the cell (number and id) and the failure, made on
  ``doctree-read`` from the failure (or, when myst-nb executed the notebook itself, in a mode
  other than ``cache``, from its execution data), the executed cells' error outputs in the
  doctree, and the kernel's log (:mod:`aes_edition.notebook_audit`).
* **The kernel's audit.** The kernels inherit this process's environment: ``IPYTHONDIR``
  points them at a folder under the build whose startup file logs the cells and the files
  they open. A notebook that writes into the book or reads an undeclared data or chapter
  file fails, and its outputs are dropped from the cache.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
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
from ..notebook_runs import Outcome, Run, SideBySide, workers_available
from .pages import PerPageDomain

logger = logging.getLogger(__name__)

# The key, in a notebook's kernelspec metadata as myst-nb receives it, that holds its inputs' digest.
KERNELSPEC_KEY = "aes_edition_inputs"
# myst-nb's own warnings on a failed execution, which the edition's single warning replaces.
MYSTNB_EXEC = "mystnb.exec"


class NotebookInputsDomain(PerPageDomain):
    """Holds, per notebook, the digest of its declared inputs when it was last read; and,
    during a build, the failures of the notebooks executed ahead of their reading."""

    name = "aes-notebooks"
    label = "Inputs of each notebook"
    store = "inputs"  # docname -> fingerprint
    stores = ("inputs", "failed_ahead")  # docname -> {"notebook", "error", "traceback"}
    data_version = 2

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        # The notebooks executing ahead of their reading in this build; not part of the saved
        # environment (Sphinx saves a domain's ``data``, not the domain).
        self.running: SideBySide | None = None

    def clear_doc(self, docname: str) -> None:
        """Forget the page's inputs before it is read again; a failure found ahead of this
        reading is for this reading (it is taken on ``doctree-read``, the rest on ``env-updated``)."""
        self.pages.pop(docname, None)


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


def _settings(config: Config, notebook: Path, nb: Any) -> dict[str, Any] | None:
    """myst-nb's execution settings for ``notebook`` (its ``mystnb`` metadata over the book's),
    or None when myst-nb would not execute it through the cache."""
    overrides = dict(nb.metadata.get(getattr(config, "nb_metadata_key", "mystnb")) or {})
    if overrides.get("execution_mode", config.nb_execution_mode) != "cache":
        return None
    path = PurePosixPath(notebook.as_posix())
    if any(path.match(pattern) for pattern in config.nb_execution_excludepatterns):
        return None
    return {"timeout": overrides.get("execution_timeout", config.nb_execution_timeout),
            "allow_errors": overrides.get("execution_allow_errors", config.nb_execution_allow_errors),
            "in_temp": overrides.get("execution_in_temp", config.nb_execution_in_temp)}


def _kernel_aliased(config: Config, nb: Any) -> Any:
    """The kernel's name as myst-nb gives it before hashing (``nb_kernel_rgx_aliases``)."""
    name = nb.metadata.get("kernelspec", {}).get("name")
    for pattern, alias in (getattr(config, "nb_kernel_rgx_aliases", None) or {}).items():
        if name is not None and re.fullmatch(pattern, name):
            nb.metadata.kernelspec["name"] = alias
            break
    return nb


def _execute_ahead(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Execute, side by side, the notebooks about to be read that the cache cannot serve;
    cache what passed, keep what failed for its reading."""
    import nbformat

    notebooks = [docname for docname in docnames if _is_notebook(env, docname)]
    for docname in notebooks:
        _log_path(app, docname).unlink(missing_ok=True)
    if not _caching(app.config):
        return
    cache = _cache(app)
    runs: list[Run] = []
    for docname in notebooks:
        notebook = Path(env.doc2path(docname))
        try:
            nb = nbformat.read(notebook, as_version=4)
        except Exception:  # noqa: BLE001 (not a notebook: myst-nb reports it, as check_data does first)
            continue
        settings = _settings(app.config, notebook, nb)
        if settings is None:
            continue
        keyed = _keyed_on_inputs(_kernel_aliased(app.config, nb), fingerprint(inputs_of(notebook), Path(app.srcdir)))
        try:
            cache.match_cache_notebook(keyed)
            continue
        except KeyError:
            pass
        runs.append(Run(docname, nbformat.writes(keyed), None if settings["in_temp"] else str(notebook.parent),
                        settings["timeout"], settings["allow_errors"], str(_log_path(app, docname))))
    if not runs:
        return
    workers = min(len(runs), workers_available())
    logger.info(f"[aes_edition] executing {len(runs)} notebook(s), {workers} at a time")
    running = _domain(env).running = SideBySide(runs, workers)
    if app.parallel > 1 and app.is_parallel_allowed("read"):  # the readers are forked: their outcomes first
        for outcome in running.take_all():
            _take(env, cache, outcome)


def _take(env: BuildEnvironment, cache: Any, outcome: Outcome) -> None:
    """Cache a notebook that passed, for myst-nb to find; keep a failure for its reading."""
    import nbformat
    from jupyter_cache.base import CacheBundleIn

    logger.info(f"Executed notebook ahead of its reading, in {outcome.seconds:.2f} seconds"
                + ("" if outcome.error is None else f" ({outcome.error})"), location=outcome.name)
    if outcome.error is None:
        bundle = CacheBundleIn(nbformat.reads(outcome.notebook, as_version=4), str(env.doc2path(outcome.name)),
                               data={"execution_seconds": outcome.seconds})
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
    else:
        _domain(env).data["failed_ahead"][outcome.name] = {
            "notebook": outcome.notebook, "error": outcome.error, "traceback": outcome.traceback}


def _wait_for(app: Sphinx, docname: str) -> None:
    """Before myst-nb reads a notebook executing ahead: its outcome."""
    running = _domain(app.env).running
    outcome = running.take(docname) if running is not None else None
    if outcome is not None:
        _take(app.env, _cache(app), outcome)


def _forget_failures(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every run has ended (a page that was not read after all has its outcome cached too); what
    failed ahead was for this build's readings: nothing of it is saved with the environment."""
    domain = _domain(env)
    if domain.running is not None:
        for outcome in domain.running.take_all():
            _take(env, _cache(app), outcome)
        domain.running = None
    domain.data["failed_ahead"].clear()
    return []


def _before_reading(app: Sphinx, docname: str, source: list[str]) -> None:
    """Key the notebook's cached outputs on its inputs too, name its kernel's log, and hand
    myst-nb a notebook that failed ahead as far as it ran, not to be run again."""
    import nbformat

    if not _is_notebook(app.env, docname):
        return
    _wait_for(app, docname)
    os.environ[LOG_VARIABLE] = str(_log_path(app, docname))
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
    failure = _domain(app.env).data["failed_ahead"].get(docname)
    if failure is not None:
        ran = nbformat.reads(failure["notebook"], as_version=4)
        ran.metadata.setdefault(getattr(app.config, "nb_metadata_key", "mystnb"), {})["execution_mode"] = "off"
        source[0] = nbformat.writes(ran)


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
    failure = _domain(app.env).data["failed_ahead"].pop(docname, None)
    if failure is not None:
        report(app, docname, failure["error"], failure["traceback"], doctree)
        return
    data = _execution_data(app.env, docname) or {}
    error = None if data.get("succeeded", True) else (data.get("error") or "an error")
    report(app, docname, error, data.get("traceback") or "", doctree)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")
    app.add_domain(NotebookInputsDomain)
    app.connect("config-inited", _suppress_mystnb_warnings)
    app.connect("builder-inited", _prepare_kernels)
    app.connect("env-get-outdated", _outdated)
    # After every other handler that may add pages to read.
    app.connect("env-before-read-docs", _execute_ahead, priority=900)
    app.connect("source-read", _before_reading)
    app.connect("env-updated", _forget_failures)
    app.connect("doctree-read", _after_reading)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

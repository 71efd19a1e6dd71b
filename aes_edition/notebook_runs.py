"""Notebooks executed side by side, each in a process of its own, as myst-nb would execute them.

myst-nb executes a notebook while Sphinx reads it, so a book's notebooks run one after
another and the build waits for each (more than half of this edition's cold build was its
two notebooks, one after the other). :class:`SideBySide` starts them all before Sphinx reads
its pages and lets them run while Sphinx reads the others: each in a forked worker (as
Sphinx's own parallel build forks), through jupyter-cache's ``single_nb_execution``, the
call myst-nb's ``cache`` mode makes, with the same settings. What passes is put into the
cache myst-nb reads (:mod:`aes_edition.sphinxext.notebooks`), so myst-nb finds it there
instead of running it.

A worker also catches what myst-nb lets through (a kernel that dies, one that does not
start): every failure comes back as an :class:`Outcome` with the notebook as far as it ran.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from tempfile import TemporaryDirectory

from .notebook_audit import LOG_VARIABLE


@dataclass(frozen=True)
class Run:
    """One notebook to execute, as myst-nb would: its text (nbformat JSON), the folder its
    kernel runs in (None: a temporary one, myst-nb's ``execution_in_temp``), its settings,
    and the file its kernel's audit log goes to."""

    name: str
    notebook: str
    cwd: str | None
    timeout: int | None
    allow_errors: bool
    log: str


@dataclass(frozen=True)
class Outcome:
    """What became of a :class:`Run`: the notebook with the outputs it got (nbformat JSON),
    the seconds it took and, when it failed, the error's class name and its traceback."""

    name: str
    notebook: str
    seconds: float
    error: str | None = None
    traceback: str = ""


def execute(run: Run) -> Outcome:
    """Execute one notebook (in a worker process: its kernel inherits the log's address)."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    os.environ[LOG_VARIABLE] = run.log
    nb = nbformat.reads(run.notebook, as_version=4)
    try:
        with TemporaryDirectory() if run.cwd is None else nullcontext(run.cwd) as cwd:
            result = single_nb_execution(nb, cwd=cwd, timeout=run.timeout,
                                         allow_errors=run.allow_errors, meta_override=True)
    except Exception as failure:  # noqa: BLE001 - a dead kernel, a kernel that did not start
        return Outcome(run.name, nbformat.writes(nb), 0.0, failure.__class__.__name__,
                       f"{failure.__class__.__name__}: {failure}")
    if result.err is not None:
        return Outcome(run.name, nbformat.writes(nb), result.time, result.err.__class__.__name__,
                       result.exc_string or "")
    return Outcome(run.name, nbformat.writes(nb), result.time)


class SideBySide:
    """Notebooks executing in worker processes, at most ``workers`` at a time, while the
    caller goes on; each outcome is taken when it is needed (:meth:`take` waits for it)."""

    def __init__(self, runs: list[Run], workers: int) -> None:
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(runs))), mp_context=context)
        self._futures: dict[str, Future[Outcome]] = {run.name: pool.submit(execute, run) for run in runs}
        pool.shutdown(wait=False)  # nothing more to submit: the workers end with their last run
        self._owner = os.getpid()

    def take(self, name: str) -> Outcome | None:
        """The outcome of the run ``name`` once it has ended (None: no such run, or taken)."""
        future = self._futures.pop(name, None)
        if future is not None and os.getpid() != self._owner:  # a forked copy would wait for ever
            raise RuntimeError(f"{name}: a notebook's outcome is taken in the process that started it")
        return None if future is None else future.result()

    def take_all(self) -> list[Outcome]:
        """The outcomes of every run not taken yet, in the order they were given."""
        return [outcome for name in list(self._futures) if (outcome := self.take(name)) is not None]


def workers_available() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1

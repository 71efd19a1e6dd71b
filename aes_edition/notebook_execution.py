"""Running the notebooks side by side with the reading of the pages, and saying plainly how one failed.

myst-nb executes a notebook when Sphinx reaches it, so a build spends the notebooks' time
(a kernel start, the imports, the figures) one after the other, after the chapters, while
the machine's other cores wait. Before Sphinx reads anything, :func:`start` launches every
notebook that the jupyter-cache does not hold in a process of its own (``python -m
aes_edition.notebook_execution``), executing it exactly as myst-nb would (same function,
same working directory, timeout and error policy). When Sphinx reaches the notebook,
:func:`collect` waits for its process and puts the executed notebook into the cache, where
myst-nb finds it.

A notebook that failed is run once, not twice: :func:`collect` returns one message naming
the cell (its number and id) and what happened: the error and its traceback, a cell that
did not finish within the timeout (and the setting that set it), a kernel that died, a file
that is not a notebook. The Sphinx side reports it as a warning on the notebook and shows
the executed cells without running them again.

While the notebook runs, an audit hook in its kernel (``sys.addaudithook``, installed
through IPython's ``exec_files`` before the first cell) records the files it opens in the
book. A notebook that writes into the book (its data, chapters, notebooks, package or
configuration: anything but ``_build``) fails, naming the file and the cell; a notebook that
reads a file of ``data/`` or ``chapters/`` its ``metadata.aes_edition.reads`` does not
declare fails too, because it would not run again when that file changes
(:mod:`aes_edition.notebook_cache`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .notebook_cache import input_files, inputs_of

# Where, in the book, a notebook may write (everything else is data or sources) and which
# of its folders hold the inputs a notebook must declare.
WRITABLE = ("_build",)
DECLARED_FOLDERS = ("data", "chapters")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

AUDIT_HOOK = '''
def _aes_edition_audit():
    """Installed by aes_edition.notebook_execution: records the files this kernel opens in the book."""
    import os
    import sys

    root, log = {root!r}, open({log!r}, "a", encoding="utf-8")
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    shell = get_ipython()  # noqa: F821 (IPython runs this file in the kernel's namespace)
    changes = {{"os.remove": 0, "os.rename": 0, "os.rmdir": 0, "os.mkdir": 0, "os.truncate": 0,
               "shutil.rmtree": 0, "shutil.move": 0, "shutil.copyfile": 1}}

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            path, kind = args[0], "write" if isinstance(args[2], int) and args[2] & writing else "read"
        elif event in changes and len(args) > changes[event] and isinstance(args[changes[event]], (str, bytes, os.PathLike)):
            path, kind = args[changes[event]], "write"
        else:
            return
        path = os.path.abspath(os.fsdecode(path))
        if path.startswith(root + os.sep) and "__pycache__" not in path:
            log.write(f"{{kind}}\\t{{shell.execution_count}}\\t{{path}}\\n")
            log.flush()

    sys.addaudithook(hook)


_aes_edition_audit()
del _aes_edition_audit
'''


@dataclass
class Running:
    """One notebook executing in its own process."""

    notebook: Path
    process: subprocess.Popen
    output: Path  # the executed notebook, written by the process
    report: Path  # JSON: {"seconds": float | None, "error": str | None}


def start(notebook: Path, timeout: int | None, allow_errors: bool, workdir: Path, root: Path) -> Running:
    """Launch the notebook's execution in a new process and return at once."""
    handle, name = tempfile.mkstemp(suffix=".ipynb", prefix=notebook.stem + "-", dir=workdir)
    os.close(handle)
    output = Path(name)
    report = output.with_suffix(".json")
    command = [sys.executable, "-m", __name__, str(notebook), str(output), str(report), str(timeout or -1),
               "allow-errors" if allow_errors else "stop-on-error", str(root)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Running(notebook, process, output, report)


def stop(running: Running, grace: float = 10.0) -> None:
    """Stop an execution: SIGTERM lets it shut its kernel down; SIGKILL if it does not end."""
    if running.process.poll() is None:
        running.process.terminate()
        try:
            running.process.wait(grace)
        except subprocess.TimeoutExpired:
            running.process.kill()
            running.process.wait()


def collect(running: Running, cache_dir: Path) -> tuple[float | None, str | None, nbformat.NotebookNode | None]:
    """Wait for the notebook's process; cache the executed notebook if it succeeded.

    Returns the seconds it ran, the failure (None if it succeeded) and the executed
    notebook (as far as it ran; None if there is none)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    running.process.wait()
    try:
        report = json.loads(running.report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {"seconds": None, "error": f"the execution process ended with status {running.process.returncode}"}
    try:
        executed = nbformat.read(str(running.output), as_version=4)
    except (OSError, ValueError):
        executed = None
    if report["error"] is None and executed is not None:
        cache = get_cache(str(cache_dir))
        record = cache.add_nb_to_project(str(running.notebook))
        cache.cache_notebook_bundle(
            CacheBundleIn(executed, record.uri, data={"execution_seconds": report["seconds"]}),
            check_validity=False, overwrite=True,
        )
    for path in (running.output, running.report, running.output.with_suffix(".audit")):
        path.unlink(missing_ok=True)
    return report["seconds"], report["error"], executed


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _cell_named(nb: nbformat.NotebookNode, index: int | None) -> str:
    if index is None:
        return "before its first cell"
    cell_id = nb.cells[index].get("id")
    return f"cell {index + 1}" + (f" (id '{cell_id}')" if cell_id else "")


def _cell_of_count(nb: nbformat.NotebookNode, count: int) -> int | None:
    """The index of the cell that ran as execution number ``count``."""
    return next((i for i, cell in enumerate(nb.cells) if cell.get("execution_count") == count), None)


def audit_problems(notebook: Path, log: Path, nb: nbformat.NotebookNode, root: Path, running_cell: int | None) -> list[str]:
    """What the kernel's audit log shows the notebook must not do: write into the book, or
    read a data or chapter file it does not declare."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    declared = {path.resolve() for path in input_files(inputs_of(notebook), root)}
    problems: list[str] = []
    for line in lines:
        kind, count, name = line.split("\t", 2)
        path = Path(name)
        relative = _shown(path, root)
        index = _cell_of_count(nb, int(count)) if count.isdigit() else None
        cell = _cell_named(nb, running_cell if index is None else index)
        if kind == "write" and relative.split("/")[0] not in WRITABLE:
            problem = (f"{cell} writes into the book's sources ({relative}): a notebook must not change the "
                       f"data or the sources it is built from; write to a temporary folder instead")
        elif kind == "read" and relative.split("/")[0] in DECLARED_FOLDERS and path.resolve() not in declared \
                and path.is_file():
            problem = (f"{cell} reads {relative}, which metadata.aes_edition.reads does not declare: declare it, "
                       f"or the notebook will not run again when the file changes")
        else:
            continue
        if problem not in problems:
            problems.append(problem)
    return problems


def _timeout_setting(nb: nbformat.NotebookNode, timeout: int | None) -> str:
    if "timeout" in nb.metadata.get("execution", {}):
        return f"{timeout} seconds, set by the notebook's metadata.execution.timeout"
    return f"{timeout} seconds, set by execute.timeout in _config.yml"


def failure_message(error: BaseException, nb: nbformat.NotebookNode, cell: int | None, timeout: int | None) -> str:
    """One line saying which cell failed and how (then, for an error, its traceback)."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    where = _cell_named(nb, cell)
    if isinstance(error, CellTimeoutError):
        return (f"{where} did not finish within the notebook timeout ({_timeout_setting(nb, timeout)}); "
                f"it was stopped. A cell that needs longer must say so in the notebook's metadata.execution.timeout")
    if isinstance(error, DeadKernelError):
        return f"the kernel died while running {where} (it crashed, ran out of memory or was killed)"
    if isinstance(error, CellExecutionError):
        return f"{where} raised {error.ename}: {error.evalue}\n{ANSI.sub('', str(error))}"
    return f"{where} failed: {error.__class__.__name__}: {error}"


def _execute(notebook: Path, output: Path, report: Path, timeout: int | None, allow_errors: bool, root: Path) -> None:
    """The process's work: myst-nb's own execution call, in the notebook's folder, with the
    audit hook in the kernel and the running cell followed."""
    from jupyter_cache.executors.utils import single_nb_execution

    try:
        nb = nbformat.read(str(notebook), as_version=4)
        nbformat.validate(nb)
    except (ValueError, nbformat.ValidationError) as error:
        message = f"not a valid notebook: {str(error).splitlines()[0]}"
        report.write_text(json.dumps({"seconds": None, "error": message}), encoding="utf-8")
        return
    if "timeout" in nb.metadata.get("execution", {}):
        timeout = nb.metadata.execution.timeout
    log = output.with_suffix(".audit")
    hook = output.with_suffix(".audit.py")
    hook.write_text(AUDIT_HOOK.format(root=str(root.resolve()), log=str(log)), encoding="utf-8")
    running: list[int] = []
    started = time.perf_counter()
    try:
        result = single_nb_execution(
            nb, cwd=str(notebook.parent.resolve()), allow_errors=allow_errors, timeout=timeout, meta_override=True,
            on_cell_start=lambda cell, cell_index, **_: running.append(cell_index),
            extra_arguments=[f"--IPKernelApp.exec_files={hook}"],
        )
        seconds, failure = result.time, result.err
    except Exception as crash:  # a dead kernel is raised, not returned
        seconds, failure = time.perf_counter() - started, crash
    finally:
        hook.unlink(missing_ok=True)
    cell = running[-1] if running else None
    error = None if failure is None else failure_message(failure, nb, cell, timeout)
    problems = audit_problems(notebook, log, nb, root, cell)
    if problems and error is None:
        error = "; ".join(problems)
    elif problems:
        error += "\n" + "\n".join(problems)
    nbformat.write(nb, str(output))
    report.write_text(json.dumps({"seconds": seconds, "error": error}), encoding="utf-8")


def _interrupted(signum: int, _frame: object) -> None:
    """SIGTERM (the build stopping) unwinds like Ctrl-C, so that the kernel is shut down."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupted)
    _notebook, _output, _report, _timeout, _errors, _root = sys.argv[1:7]
    _execute(Path(_notebook), Path(_output), Path(_report), None if int(_timeout) < 0 else int(_timeout),
             _errors == "allow-errors", Path(_root))

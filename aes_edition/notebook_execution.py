"""Running the notebooks side by side with the reading of the pages.

myst-nb executes a notebook when Sphinx reaches it, so a build spends the notebooks' time
(a kernel start, the imports, the figures) one after the other, after the chapters, while
the machine's other cores wait. Before Sphinx reads anything, :func:`start` launches every
notebook that the jupyter-cache does not hold in a process of its own (``python -m
aes_edition.notebook_execution``), executing it exactly as myst-nb would (same function,
same working directory, timeout and error policy). When Sphinx reaches the notebook,
:func:`collect` waits for its process and puts the executed notebook into the cache, where
myst-nb finds it. A notebook that failed is not cached: myst-nb runs it again and reports
the failure with its traceback, exactly as without this module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat


@dataclass
class Running:
    """One notebook executing in its own process."""

    notebook: Path
    process: subprocess.Popen
    output: Path  # the executed notebook, written by the process
    report: Path  # JSON: {"seconds": float, "error": str | null}


def start(notebook: Path, timeout: int | None, allow_errors: bool, workdir: Path) -> Running:
    """Launch the notebook's execution in a new process and return at once."""
    handle, name = tempfile.mkstemp(suffix=".ipynb", prefix=notebook.stem + "-", dir=workdir)
    os.close(handle)
    output = Path(name)
    report = output.with_suffix(".json")
    command = [sys.executable, "-m", __name__, str(notebook), str(output), str(report), str(timeout or -1),
               "allow-errors" if allow_errors else "stop-on-error"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Running(notebook, process, output, report)


def collect(running: Running, cache_dir: Path) -> tuple[float | None, str | None]:
    """Wait for the notebook's process; cache the executed notebook if it succeeded.

    Returns the seconds it ran and the error it raised (None if it succeeded)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    running.process.wait()
    try:
        report = json.loads(running.report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {"seconds": None, "error": f"the execution process ended with status {running.process.returncode}"}
    if report["error"] is None:
        executed = nbformat.read(str(running.output), as_version=4)
        cache = get_cache(str(cache_dir))
        record = cache.add_nb_to_project(str(running.notebook))
        cache.cache_notebook_bundle(
            CacheBundleIn(executed, record.uri, data={"execution_seconds": report["seconds"]}),
            check_validity=False, overwrite=True,
        )
    for path in (running.output, running.report):
        path.unlink(missing_ok=True)
    return report["seconds"], report["error"]


def _execute(notebook: Path, output: Path, report: Path, timeout: int | None, allow_errors: bool) -> None:
    """The process's work: myst-nb's own execution call, in the notebook's folder."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(str(notebook), as_version=4)
    result = single_nb_execution(nb, cwd=str(notebook.parent.resolve()), allow_errors=allow_errors,
                                 timeout=timeout, meta_override=True)
    if result.err is None:
        nbformat.write(nb, str(output))
    error = None if result.err is None else f"{result.err.__class__.__name__}: {result.err}"
    report.write_text(json.dumps({"seconds": result.time, "error": error}), encoding="utf-8")


if __name__ == "__main__":
    _notebook, _output, _report, _timeout, _errors = sys.argv[1:6]
    _execute(Path(_notebook), Path(_output), Path(_report), None if int(_timeout) < 0 else int(_timeout),
             _errors == "allow-errors")

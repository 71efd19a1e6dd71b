"""What a notebook's kernel did during the build, and one message saying how a notebook failed.

myst-nb executes the notebooks (through jupyter-cache) and keeps, for each, whether it
succeeded, the class of the error and its traceback. What it does not keep is which cell
was running when the execution stopped, nor what the notebook did to the book's files.
Both come from the kernel itself: the build points the kernels it starts at an IPython
folder of its own (``IPYTHONDIR``), whose startup file (:data:`STARTUP`, IPython's public
``profile_default/startup`` mechanism, run before the first cell) writes a log named by
the environment variable :data:`LOG_VARIABLE`:

* ``cell<TAB>id<TAB>digest`` when a cell starts (IPython's ``pre_run_cell`` event: the cell's
  id when the client sends one, and the SHA-256 of its source, by which it is found in the
  notebook otherwise);
* ``read<TAB>path`` and ``write<TAB>path`` for each file of the book the kernel opens,
  writes, removes or renames (a ``sys.addaudithook`` hook).

:func:`audit_problems` turns the log into faults: a notebook that writes into the book (its
data, chapters, notebooks, package or configuration: anything but ``_build``) fails, naming
the file and the cell; so does a notebook that reads a file of ``data/`` or ``chapters/``
its ``metadata.aes_edition.reads`` does not declare, because it would not run again when that
file changes (:mod:`aes_edition.notebook_inputs`). :func:`failure_message` says in one line
which cell failed and how. The Sphinx side is :mod:`aes_edition.sphinxext.notebooks`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .notebook_inputs import input_files, inputs_of

# Where, in the book, a notebook may write (everything else is data or sources) and which
# of its folders hold the inputs a notebook must declare.
WRITABLE = ("_build",)
DECLARED_FOLDERS = ("data", "chapters")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
LOG_VARIABLE = "AES_EDITION_KERNEL_LOG"
ROOT_VARIABLE = "AES_EDITION_KERNEL_BOOK"
STARTUP_NAME = "00-aes-edition-audit.py"

STARTUP = f'''"""Written by aes_edition (notebook_audit.py) for the build's kernels: records the cells that
run and the files of the book this kernel opens, in the log the build names."""


def _aes_edition_audit():
    import hashlib
    import os
    import sys

    target, root = os.environ.get("{LOG_VARIABLE}"), os.environ.get("{ROOT_VARIABLE}")
    if not target or not root:
        return  # a kernel the build did not start
    log = open(target, "a", encoding="utf-8")
    shell = get_ipython()  # noqa: F821 (IPython runs this file in the kernel's namespace)
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    changes = {{"os.remove": 0, "os.rename": 0, "os.rmdir": 0, "os.mkdir": 0, "os.truncate": 0,
               "shutil.rmtree": 0, "shutil.move": 0, "shutil.copyfile": 1}}

    def started(info):
        digest = hashlib.sha256((info.raw_cell or "").encode()).hexdigest()
        log.write(f"cell\\t{{getattr(info, 'cell_id', None) or ''}}\\t{{digest}}\\n")
        log.flush()

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            path, kind = args[0], "write" if isinstance(args[2], int) and args[2] & writing else "read"
        elif event in changes and len(args) > changes[event] and isinstance(args[changes[event]], (str, bytes, os.PathLike)):
            path, kind = args[changes[event]], "write"
        else:
            return
        path = os.path.abspath(os.fsdecode(path))
        if path.startswith(root + os.sep) and not path.startswith(sys.prefix + os.sep) and "__pycache__" not in path:
            log.write(f"{{kind}}\\t{{path}}\\n")
            log.flush()

    shell.events.register("pre_run_cell", started)
    sys.addaudithook(hook)


_aes_edition_audit()
del _aes_edition_audit
'''


@dataclass
class KernelLog:
    """What one kernel's log says: the cells in the order they started (index into the
    notebook's cells, None when the id is unknown) and the files touched, each with the
    cell that was running (None: before the first cell)."""

    cells: list[int | None]
    files: list[tuple[str, int | None, Path]]  # (read | write, cell index, path)

    @property
    def last_cell(self) -> int | None:
        return self.cells[-1] if self.cells else None


def _cell_index(nb: nbformat.NotebookNode, cell_id: str, digest: str, after: int) -> int | None:
    """The index of a cell, from its id, or else from its source (the first such cell after
    the cell that ran before it, then any such cell)."""
    if cell_id:
        found = next((i for i, cell in enumerate(nb.cells) if cell.get("id") == cell_id), None)
        if found is not None:
            return found
    same = [i for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and hashlib.sha256(cell.source.encode()).hexdigest() == digest]
    return next((i for i in same if i > after), same[0] if same else None)


def read_log(log: Path, nb: nbformat.NotebookNode) -> KernelLog:
    """The kernel's log (empty if there is none)."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    cells: list[int | None] = []
    files: list[tuple[str, int | None, Path]] = []
    for line in lines:
        parts = line.split("\t")
        if parts[0] == "cell" and len(parts) == 3:
            previous = next((c for c in reversed(cells) if c is not None), -1)
            cells.append(_cell_index(nb, parts[1], parts[2], previous))
        elif parts[0] in ("read", "write") and len(parts) == 2:
            files.append((parts[0], cells[-1] if cells else None, Path(parts[1])))
    return KernelLog(cells, files)


def cell_named(nb: nbformat.NotebookNode, index: int | None) -> str:
    """``cell 3 (id 'abc')``: the cell's number among all the notebook's cells, and its id."""
    if index is None:
        return "before its first cell"
    cell_id = nb.cells[index].get("id")
    return f"cell {index + 1}" + (f" (id '{cell_id}')" if cell_id else "")


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def audit_problems(notebook: Path, log: KernelLog, nb: nbformat.NotebookNode, root: Path) -> list[str]:
    """What the kernel's log shows the notebook must not do: write into the book, or read a
    data or chapter file it does not declare."""
    root = root.resolve()
    declared = {path.resolve() for path in input_files(inputs_of(notebook), root)}
    problems: list[str] = []
    for kind, index, path in log.files:
        relative = _shown(path, root)
        cell = cell_named(nb, index)
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
        return f"{nb.metadata.execution.timeout} seconds, set by the notebook's metadata.execution.timeout"
    return f"{timeout} seconds, set by execute.timeout in _config.yml"


def _raised(traceback: str) -> str:
    """``ValueError: injected fault``: the last line of the error's traceback."""
    lines = [line.strip() for line in ANSI.sub("", traceback).splitlines() if line.strip()]
    return lines[-1] if lines else "an error"


def failure_message(error: str, traceback: str, nb: nbformat.NotebookNode, cell: int | None,
                    timeout: int | None) -> str:
    """One line saying which cell failed and how (then, for an error, its traceback), from
    the error's class name and traceback as myst-nb keeps them."""
    where = cell_named(nb, cell)
    if error == "CellTimeoutError":
        return (f"{where} did not finish within the notebook timeout ({_timeout_setting(nb, timeout)}); "
                f"it was stopped. A cell that needs longer must say so in the notebook's metadata.execution.timeout")
    if error == "DeadKernelError":
        return f"the kernel died while running {where} (it crashed, ran out of memory or was killed)"
    if error == "CellExecutionError":
        return f"{where} raised {_raised(traceback)}\n{ANSI.sub('', traceback).rstrip()}"
    if cell is None:  # nothing ran: the kernel did not start, or the notebook could not be run
        return f"the notebook could not run: {_raised(traceback)}"
    return f"{where} failed: {error}: {_raised(traceback)}"

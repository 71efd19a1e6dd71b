"""Where the edition keeps its parts, so that notebooks, tests and Sphinx all find the same files.

The package reads the book's files (``data/``, ``chapters/``, ``_config.yml``), which are not
part of the installed package. It finds them however it is installed:

1. ``AES_EDITION_ROOT``, when set, names the book's folder (and must be one);
2. the folder above the package, when the package is used from the book itself (an editable
   install, or ``PYTHONPATH`` pointing at the checkout, as ``make`` does);
3. otherwise the working folder or the nearest folder above it that is a book. Binder installs
   the package as a regular package into site-packages and starts the kernel in
   ``notebooks/``; the book is the folder above.

Outside a book, the first use of a path raises :class:`BookNotFound`, which says what is
missing and how to point the package at a checkout. The lookup is done once, on first use
(PEP 562 module ``__getattr__``), so importing the package costs nothing and a module that
imports ``ROOT`` at its top gets the same answer as every other.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

ENVIRONMENT_VARIABLE = "AES_EDITION_ROOT"
# What makes a folder the book: its configuration and its copy-text.
MARKERS: tuple[str, ...] = ("_config.yml", "data/copy-text.txt")
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


class BookNotFound(FileNotFoundError):
    """The package runs outside a checkout of the edition, so it has no data to read."""


def is_book(folder: Path) -> bool:
    """Whether ``folder`` holds the edition's configuration and copy-text."""
    return all((folder / marker).is_file() for marker in MARKERS)


@cache
def book_root() -> Path:
    """The book's folder, found as the module docstring says (once per process)."""
    named = os.environ.get(ENVIRONMENT_VARIABLE)
    if named:
        folder = Path(named).expanduser().resolve()
        if not is_book(folder):
            raise BookNotFound(
                f"{ENVIRONMENT_VARIABLE}={named} is not a checkout of the edition: "
                f"it lacks {' or '.join(m for m in MARKERS if not (folder / m).is_file())}"
            )
        return folder
    if is_book(_PACKAGE_PARENT):
        return _PACKAGE_PARENT
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if is_book(folder):
            return folder
    raise BookNotFound(
        f"aes_edition cannot find the edition's files ({', '.join(MARKERS)}) in {here} or any folder "
        f"above it: run from a checkout of the edition (its notebooks/ folder or its top folder), "
        f"or set {ENVIRONMENT_VARIABLE} to the checkout's path"
    )


_PARTS: dict[str, str] = {
    "ROOT": "",
    "DATA": "data",
    "CHAPTERS": "chapters",
    "NOTEBOOKS": "notebooks",
    "COPY_TEXT": "data/copy-text.txt",
}


def __getattr__(name: str) -> Path:
    """``ROOT``, ``DATA``, ``CHAPTERS``, ``NOTEBOOKS`` and ``COPY_TEXT``, found on first use."""
    if name in _PARTS:
        root = book_root()
        return root / _PARTS[name] if _PARTS[name] else root
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


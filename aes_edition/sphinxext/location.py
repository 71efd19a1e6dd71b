"""Paths of the extension's own files as Sphinx's configuration should hold them.

Sphinx hashes the HTML configuration into ``.buildinfo``; an absolute path there would make
two builds of the same commit in two folders differ. Inside the book the paths are given
relative to it; a package installed elsewhere keeps its absolute path.
"""

from __future__ import annotations

import os
from pathlib import Path


def book_relative(path: Path, confdir: str | os.PathLike[str]) -> str:
    """``path`` relative to the book's folder when it lies inside it, else absolute."""
    try:
        return Path(path).resolve().relative_to(Path(confdir).resolve()).as_posix()
    except ValueError:
        return str(path)

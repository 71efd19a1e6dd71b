"""What a build keeps for the next one, in files beside Sphinx's saved environment.

Three pieces of work are kept between builds so that an editor's rebuild does not redo
them: the formatted bibliography (:mod:`.bibstyle`), the hover previews of every page
(:mod:`.webpage`) and the file names the site's scripts mention (:mod:`.site_files`). They
live in ``_build/.doctrees`` and go with it: the Makefile drops that folder when the
edition's code changes and after a failed build, and a file that cannot be read is as
good as none.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def path(app: Sphinx, name: str) -> Path:
    """Where the kept file ``name`` lives for this build."""
    return Path(app.doctreedir, name)


def read(file: Path, default: Any) -> Any:
    """What an earlier build kept in ``file``, or ``default``."""
    try:
        return pickle.loads(file.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return default


def write(file: Path, value: Any) -> None:
    """Keep ``value`` for the next build."""
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(pickle.dumps(value))

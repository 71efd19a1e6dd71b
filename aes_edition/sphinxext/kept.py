"""What a build keeps for the next one, in files beside Sphinx's saved environment.

Three pieces of work are kept between builds so that an editor's rebuild does not redo
them: the formatted bibliography (:mod:`.bibstyle`), the hover previews of every page
(:mod:`.webpage`) and the file names the site's scripts mention (:mod:`.site_files`). They
live beside each saved environment and go with it (a failed build drops that folder).
Each file also records the version of the edition's code that wrote it
(:func:`aes_edition.sphinxext.content.code_version`): after a change to the code a kept
file is as good as none, as is a file that cannot be read.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .content import edition_code_version


def path(app: Sphinx, name: str) -> Path:
    """Where the kept file ``name`` lives for this build."""
    return Path(app.doctreedir, name)


def read(file: Path, default: Any) -> Any:
    """What an earlier build kept in ``file``, or ``default``."""
    try:
        kept = pickle.loads(file.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return default
    if not isinstance(kept, dict) or kept.get("code") != edition_code_version():
        return default
    return kept["value"]


def write(file: Path, value: Any) -> None:
    """Keep ``value`` for the next build."""
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(pickle.dumps({"code": edition_code_version(), "value": value}))

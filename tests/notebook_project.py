"""The configuration of the small Sphinx projects that build notebooks with myst-nb and the
edition's notebook glue (tests/test_notebook_failures.py, tests/test_notebook_inputs.py)."""

from __future__ import annotations

from pathlib import Path

CONF = """\
extensions = ["myst_nb", "aes_edition.sphinxext.notebooks"]
# A dict of its own: Sphinx 7.4 adds the extensions' suffixes into this setting in place, so a
# project that leaves it unset shares (and inherits) the suffixes of earlier projects in the process.
source_suffix = {{".rst": "restructuredtext"}}
exclude_patterns = ["_build"]
nb_execution_mode = "cache"
nb_execution_cache_path = {cache!r}
nb_execution_timeout = {timeout}
nb_execution_raise_on_error = False
"""


def notebook_conf(cache: Path, timeout: int = 30) -> str:
    """A ``conf.py`` whose jupyter-cache is ``cache`` and whose cells may run ``timeout`` seconds."""
    return CONF.format(cache=str(cache), timeout=timeout)

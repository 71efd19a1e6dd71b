"""Sphinx glue for the edition: registered in ``_config.yml`` as ``aes_edition.sphinxext``.

Each concern has its own module; this one only wires them into Sphinx.
"""

from __future__ import annotations

import atexit
import gc
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import (
    bib_content,
    bibstyle,
    citestyle,
    content,
    datapages,
    edition_status,
    epub,
    figures,
    icon_fonts,
    linkpolicy,
    markup_forms,
    notebook_voice,
    notebooks,
    pdf,
    published_links,
    publishing,
    register,
    review,
    site_files,
    strict,
    typography,
    webpage,
)
from .location import book_relative

STATIC = Path(__file__).parent / "static"


def _add_static(app: Sphinx) -> None:
    """Ship the edition's stylesheet from the package, not from the book's top level."""
    static = book_relative(STATIC, app.confdir)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def _no_collection_at_exit() -> None:
    """The build's objects (every page's doctree, the environment) die with the process;
    letting the garbage collector walk them at exit cost about half a second per build,
    a sixth of an editor's one-chapter rebuild. Frozen objects are not collected."""
    gc.freeze()


def setup(app: Sphinx) -> dict[str, Any]:
    bibstyle.setup(app)
    citestyle.setup(app)
    # The numbered paragraphs and the editors' notes come from the reusable extension (extension/ in this repository).
    app.setup_extension("scholarly_edition")
    register.setup(app)
    pdf.setup(app)
    epub.setup(app)
    markup_forms.setup(app)
    datapages.setup(app)
    review.setup(app)
    strict.setup(app)
    linkpolicy.setup(app)
    webpage.setup(app)
    notebooks.setup(app)
    notebook_voice.setup(app)
    published_links.setup(app)
    site_files.setup(app)
    icon_fonts.setup(app)
    figures.setup(app)
    typography.setup(app)
    publishing.setup(app)
    edition_status.setup(app)
    app.connect("builder-inited", _add_static)
    atexit.register(_no_collection_at_exit)
    app.add_css_file("edition.css")
    content.setup(app)
    bib_content.setup(app)
    # A new version of the edition's code is a new environment version: Sphinx reads every page again.
    return {"version": "1.0", "env_version": content.edition_code_version(),
            "parallel_read_safe": True, "parallel_write_safe": True}

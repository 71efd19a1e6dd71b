"""What aes_edition/sphinxext/webpage.py does to a page, and its two guarded patches: each one is
checked against the installed upstream release (these tests fail when upstream changes), and a
build with an upstream release the patch was not written for stops with one line naming the
module. Small Sphinx projects of their own; the book's pages are checked in test_browser.py,
test_reproducible.py and test_incremental.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import sphinx_book_theme
from sphinx.errors import ExtensionError
from sphinx.testing.util import SphinxTestApp

from aes_edition.sphinxext import webpage

INLINE = "const AES_INLINE_ONCE = 1"

CONF = f"""
extensions = ['sphinx_tippy']
tippy_js = []
tippy_enable_doitips = False
tippy_enable_wikitips = False
exclude_patterns = ['_build']


def _late_inline_script(app, env, docnames):
    # As sphinx-thebe adds its configuration: after the builder has started.
    app.add_js_file(None, body={INLINE!r})


def setup(app):
    app.connect('env-before-read-docs', _late_inline_script)
    if EDITION:
        from aes_edition.sphinxext import webpage
        webpage.setup(app)
"""


def project(tmp_path: Path, edition: bool) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(f"EDITION = {edition}\n" + CONF, encoding="utf-8")
    (src / "index.rst").write_text("Page\n====\n\n.. _target:\n\nSection\n-------\n\nA paragraph, see :ref:`target`.\n",
                                   encoding="utf-8")
    return src


def build(src: Path, out: Path) -> str:
    app = SphinxTestApp("html", srcdir=src, builddir=out, warningiserror=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return (out / "html" / "index.html").read_text(encoding="utf-8")


def test_an_inline_script_added_late_is_written_once(tmp_path: Path) -> None:
    page = build(project(tmp_path, edition=True), tmp_path / "out")
    assert page.count(INLINE) == 1


def test_sphinx_still_writes_a_late_inline_script_twice(tmp_path: Path) -> None:
    """sphinx-doc/sphinx#13402 in the installed Sphinx: when this fails, Sphinx has the fix and
    ``_one_copy_of_each_script`` can go."""
    page = build(project(tmp_path, edition=False), tmp_path / "out")
    assert page.count(INLINE) == 2


@pytest.mark.parametrize(("package", "found"), [
    ("sphinx-tippy", webpage.tippy_internals_found),
    ("myst-nb", webpage.mystnb_copy_found),
])
def test_each_guarded_patch_fits_the_installed_release(package: str, found) -> None:
    assert webpage.installed_version(package) in webpage.WRITTEN_FOR[package]
    assert found(), f"{package} no longer has the code its guarded patch works on"
    assert webpage.upstream_problem(package, webpage.installed_version(package), found()) is None


THEME_SCRIPT = Path(sphinx_book_theme.__file__).parent / "theme/sphinx_book_theme/static/scripts/sphinx-book-theme.js"
OUR_SCRIPT = Path(webpage.__file__).parent / "static/scripts/sphinx-book-theme.js"
# The theme's margin-note observer, and the edition's copy of it with the null check; ``n`` is
# the observer callback's second parameter, unused by the theme.
SBT_UNGUARDED = ('e.length>0?document.querySelector("div.bd-sidebar-secondary").classList.add("hide")'
                 ':document.querySelector("div.bd-sidebar-secondary").classList.remove("hide")')
SBT_GUARDED = ('(n=document.querySelector("div.bd-sidebar-secondary"))'
               '&&(e.length>0?n.classList.add("hide"):n.classList.remove("hide"))')


def test_the_edition_copy_of_the_theme_script_differs_only_by_the_null_check():
    """If the theme is upgraded, the copy must be made again from the new file."""
    theirs = THEME_SCRIPT.read_text(encoding="utf-8")
    assert theirs.count(SBT_UNGUARDED) == 1
    assert OUR_SCRIPT.read_text(encoding="utf-8") == theirs.replace(SBT_UNGUARDED, SBT_GUARDED)


def test_the_site_has_the_edition_copy_of_the_theme_script(html_dir):
    built = html_dir / "_static" / "scripts" / "sphinx-book-theme.js"
    assert built.read_bytes() == OUR_SCRIPT.read_bytes()


def test_sphinx_tippy_names_files_with_the_replaced_uuid4() -> None:
    import sphinx_tippy

    assert sphinx_tippy.__version__ in webpage.WRITTEN_FOR["sphinx-tippy"]
    assert hasattr(sphinx_tippy, "uuid4")


@pytest.mark.parametrize(("package", "version", "found", "says"), [
    ("sphinx-tippy", "0.5.0", True, "found sphinx-tippy 0.5.0"),
    ("myst-nb", "1.4.0", False, "found myst-nb 1.4.0 without the code it patches"),
    ("myst-nb", "", True, "found myst-nb (not installed)"),
])
def test_an_other_release_is_named_in_one_line(package: str, version: str, found: bool, says: str) -> None:
    problem = webpage.upstream_problem(package, version, found)
    assert problem is not None and "\n" not in problem
    assert problem.startswith("aes_edition/sphinxext/webpage.py: guarded patch") and says in problem


def test_a_build_with_an_other_release_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webpage, "installed_version", lambda package: "99.0")
    with pytest.raises(ExtensionError, match=r"webpage\.py: guarded patch 1 of 3 .* found sphinx-tippy 99\.0"):
        build(project(tmp_path, edition=True), tmp_path / "out")

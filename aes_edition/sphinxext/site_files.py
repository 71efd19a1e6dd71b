"""The HTML edition ships only files its pages use.

Jupyter Book's themes copy their whole toolkit into ``_static``: source maps for
developers, the theme's translation catalogues (read when building, not when reading),
logos of notebook services this edition does not offer, fonts in two formats, images of
Sphinx's basic theme; and an incremental build leaves behind figures that a notebook no
longer draws. None of it is loaded by any page, but all of it is published and
downloaded by anyone who mirrors the site (6 of its 9.3 MB, with the script below). After the pages are
written, this module removes:

* source maps (``*.map``), read only by a browser's developer tools;
* ``_static/locales/``, the theme's translations;
* files in ``_static`` that no page, stylesheet or script names;
* TrueType fonts that have a WOFF2 twin (every browser that runs the theme reads WOFF2);
* Font Awesome's *regular* style when no page shows a regular-style icon;
* the toggle images of Sphinx's domain indices when no page has such an index, and the
  bullet of its search results when the theme's stylesheet replaces it;
* figures in ``_images`` that no page shows;
* sphinx-tippy's look-up caches at the site's root (the look-ups are turned off);
* the licence notice of a bundled script that is not shipped (the notices of the scripts
  that are shipped stay beside them).

The theme's Font Awesome script (1.5 MB, which redraws icons as SVG) is not loaded at all:
the edition's copy of the theme's ``static/webpack-macros.html`` template leaves it out,
and the theme's stylesheet draws the icons from the icon font.

What a page loads is measured, in Chromium, by ``make bench`` ("Page weight"), and the
test suite requires that no file of the site is left that no page loads.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".html", ".css", ".js"}
KEEP = re.compile(r"(LICENSE|\.txt$)")  # licence notices of bundled scripts stay with them
SEARCH_BULLET_REPLACED = "ul.search li{background-image:none"
REGULAR_ICON = re.compile(r'class="[^"]*\b(fa-regular|far)\b')


# A file name: it starts where no name character stands before it (so the search does not try
# every position inside a long word of a minified script again), then runs to a known suffix.
FILE_NAME = re.compile(r"(?<![\w.@-])[\w@-][\w.@-]*\.(?:png|svg|gif|jpe?g|ico|js|css|woff2?|ttf|eot|html|json|mo|po)\b")


def _theme_replaces_search_bullet(static: Path) -> bool:
    css = static / "styles" / "pydata-sphinx-theme.css"
    return css.exists() and SEARCH_BULLET_REPLACED in css.read_text(encoding="utf-8", errors="replace")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _names(text: str) -> set[str]:
    """The file names a page, stylesheet or script mentions."""
    return set(FILE_NAME.findall(text))


def _reached(roots: dict[Path, str], candidates: list[Path]) -> set[Path]:
    """The ``candidates`` a browser can be sent to from ``roots``: named by a root, or by a
    stylesheet or script so reached. Only those are searched for names, not the megabytes of
    scripts that nothing loads."""
    by_name: dict[str, list[Path]] = {}
    for path in candidates:
        by_name.setdefault(path.name, []).append(path)
    reached: set[Path] = set()
    queue = list(roots.items())
    while queue:
        path, text = queue.pop()
        for name in _names(text):
            for target in by_name.get(name, ()):
                if target not in reached and target != path:
                    reached.add(target)
                    if target.suffix in TEXT_SUFFIXES:
                        queue.append((target, _read(target)))
    return reached


def unused_files(site: Path) -> list[Path]:
    """The files of a built site that no page would load (see the module's docstring)."""
    static = site / "_static"
    roots = {path: _read(path) for path in site.rglob("*") if path.suffix in TEXT_SUFFIXES and path.is_file()
             and static not in path.parents}  # the pages, and the scripts at the site's root
    pages_text = "\n".join(text for path, text in roots.items() if path.suffix == ".html")
    doomed: set[Path] = set(site.rglob("*.map"))
    if (static / "locales").is_dir():
        doomed |= {p for p in (static / "locales").rglob("*") if p.is_file()}
    candidates_all = [p for p in (static.rglob("*") if static.is_dir() else []) if p.is_file()]
    candidates = [p for p in candidates_all if not KEEP.search(p.name) and p not in doomed]
    reached = _reached(roots, candidates)
    for path in candidates:
        if path not in reached:
            doomed.add(path)
        elif path.suffix == ".ttf" and path.with_suffix(".woff2").exists():
            doomed.add(path)
        elif path.stem == "fa-regular-400" and not REGULAR_ICON.search(pages_text):
            doomed.add(path)
        elif path.name in ("plus.png", "minus.png") and 'class="toggler' not in pages_text:
            doomed.add(path)
        elif path.name == "file.png" and _theme_replaces_search_bullet(static):
            doomed.add(path)
    # A licence notice goes with the script it is the notice of.
    doomed |= {p for p in candidates_all if p.name.endswith(".LICENSE.txt")
               and (p.with_name(p.name.removesuffix(".LICENSE.txt")) in doomed
                    or not p.with_name(p.name.removesuffix(".LICENSE.txt")).exists())}
    images = site / "_images"
    if images.is_dir():
        doomed |= {p for p in images.iterdir() if p.is_file() and f"_images/{p.name}" not in pages_text}
    doomed |= set(site.glob("tippy_*_cache.json"))
    return sorted(doomed)


def _remove_unused(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    doomed = unused_files(site)
    for path in doomed:
        path.unlink()
    locales = site / "_static" / "locales"
    if locales.is_dir() and not any(p.is_file() for p in locales.rglob("*")):
        shutil.rmtree(locales)
    if doomed:
        logger.info(f"[aes_edition] removed {len(doomed)} files that no page uses")


def setup(app: Sphinx) -> None:
    # After sphinx-tippy has written its files (build-finished, default priority).
    app.connect("build-finished", _remove_unused, priority=900)

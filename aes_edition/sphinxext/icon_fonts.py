"""The theme's icon fonts, cut down to the icons the edition shows.

pydata-sphinx-theme draws its icons (search, colour mode, download, GitHub …) from two Font
Awesome fonts, *solid* (153 KiB) and *brands* (115 KiB): more than half of what a first
visit of a page downloaded, for about twenty of their 2,000 glyphs. After the pages are
written, this module writes each font again with only the glyphs the site can show
(fontTools' subsetter, WOFF2 as before, same file name, so the theme's stylesheet needs no
change):

* every ``fa-<name>`` class that a page or a script of the site names, looked up in the
  stylesheets' ``.fa-<name>:before{content:…}`` rules;
* every other icon character the stylesheets use directly (the theme's ``--pst-icon-*``
  variables, the book theme's "On this page" arrow), found as characters of Unicode's
  private-use area outside those rules.

The subset is always cut from the theme's own font (found through the theme's folders), so
a later build that shows a new icon gets its glyph. Every build cuts them again: Sphinx copies
the theme's whole fonts over the cut ones each time (their contents differ), and cutting both
takes a few hundredths of a second.
"""

from __future__ import annotations

import io
import logging as python_logging
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

WEBFONTS = Path("vendor", "fontawesome", "webfonts")
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"\\([0-9a-f]{4,5})"\}')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+\b")
PRIVATE_USE = re.compile(r'[\ue000-\uf8ff]|\\([ef][0-9a-f]{3})(?![0-9a-f])')


def _icon_classes(css: str) -> dict[str, int]:
    """{"fa-magnifying-glass": 0xf002, …} from the stylesheets' icon rules."""
    found: dict[str, int] = {}
    for selectors, code in ICON_RULE.findall(css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+)", selectors):
            found[name] = int(code, 16)
    return found


def wanted_codepoints(site: Path) -> set[int]:
    """The icon characters the built site can show (see the module's docstring)."""
    static = site / "_static"
    css = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.css"))
    classes = _icon_classes(css)
    named: set[str] = set()
    for path in [*site.rglob("*.html"), *static.rglob("*.js")]:
        named |= set(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    wanted = {classes[name] for name in named if name in classes}
    for match in PRIVATE_USE.finditer(ICON_RULE.sub("", css)):
        wanted.add(int(match.group(1), 16) if match.group(1) else ord(match.group(0)))
    return wanted


def cut(source: Path, codepoints: set[int]) -> bytes:
    """``source`` with only the glyphs of ``codepoints`` (those it has), as WOFF2. fontTools
    reports each step of its subsetter at INFO, a dozen lines in every build's log: it is
    quietened while it cuts."""
    quiet = python_logging.getLogger("fontTools.subset")
    level = quiet.level
    quiet.setLevel(python_logging.WARNING)
    try:
        return _cut(source, codepoints)
    finally:
        quiet.setLevel(level)


def _cut(source: Path, codepoints: set[int]) -> bytes:
    font = TTFont(source)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints & set(font.getBestCmap())))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def _theme_font(app: Sphinx, name: str) -> Path | None:
    """The theme's own copy of a font (the site's copy may be a subset already)."""
    theme = getattr(app.builder, "theme", None)
    for folder in theme.get_theme_dirs() if theme is not None else []:
        candidate = Path(folder, "static", WEBFONTS, name)
        if candidate.is_file():
            return candidate
    return None


def _cut_icon_fonts(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    fonts = sorted((site / "_static" / WEBFONTS).glob("*.woff2"))
    if not fonts:
        return
    wanted = wanted_codepoints(site)
    for font in fonts:
        source = _theme_font(app, font.name)
        if source is None:
            logger.warning(f"{font.name}: not found in the theme's folders; check aes_edition/sphinxext/icon_fonts.py")
            continue
        font.write_bytes(cut(source, wanted))


def setup(app: Sphinx) -> None:
    # After site_files has removed the fonts no page uses (priority 900).
    app.connect("build-finished", _cut_icon_fonts, priority=950)

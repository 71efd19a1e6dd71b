"""Light pages (issue 18): the icon fonts hold only the icons the site shows, the figures'
path data is rounded to what a screen can show, the search scripts load on the search page
only, and a first visit of every chapter and analysis page, as a web server sends it, stays
within the budget (the same measure as ``make bench``'s page-weight table)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pydata_sphinx_theme
import pytest
from fontTools.ttLib import TTFont

from aes_edition.paths import ROOT
from aes_edition.sphinxext.figures import round_path_data
from aes_edition.sphinxext.icon_fonts import ICON_CLASS, WEBFONTS, _icon_classes, cut, wanted_codepoints

THEME_FONTS = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / WEBFONTS


def test_the_wanted_icons_are_those_the_pages_name_and_the_stylesheets_draw(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "theme.css").write_text(
        '.fa-magnifying-glass:before,.fa-search:before{content:"\\f002"}.fa-moon:before{content:"\\f186"}'
        '.fa-github:before{content:"\\f09b"}html{--pst-icon-download:"\uf019"}'
        '.onthispage:after{content:"\\f107";font-family:Font Awesome\\ 6 Free}', encoding="utf-8")
    (tmp_path / "page.html").write_text('<i class="fa-solid fa-magnifying-glass"></i>', encoding="utf-8")
    (static / "app.js").write_text('icon.className = "fa-brands fa-github"', encoding="utf-8")
    assert wanted_codepoints(tmp_path) == {0xF002, 0xF09B, 0xF019, 0xF107}  # not the moon, which nothing names


def test_a_cut_font_holds_exactly_the_glyphs_asked_for():
    source = THEME_FONTS / "fa-solid-900.woff2"
    data = cut(source, {0xF002, 0xF186, 0x10FFFF})  # a code point the font lacks is left out
    font = TTFont(io.BytesIO(data))
    assert font.flavor == "woff2"
    assert set(font.getBestCmap()) == {0xF002, 0xF186}
    assert len(data) < source.stat().st_size / 20


def test_path_data_is_rounded_and_nothing_else():
    svg = ('<g transform="translate(12.345678 9.87654) scale(0.015625 -0.015625)">'
           '<path d="M 324.786696 415.260745 L 10.004 -0.001 L 7 8.5 z" style="stroke-width: 1.123456"/></g>')
    assert round_path_data(svg) == ('<g transform="translate(12.345678 9.87654) scale(0.015625 -0.015625)">'
                                    '<path d="M 324.79 415.26 L 10 0 L 7 8.5 z" style="stroke-width: 1.123456"/></g>')


def test_every_icon_the_built_site_names_is_in_its_font(html_dir):
    """On the built site: each fa-* class of a page or script has its glyph in the shipped fonts."""
    css = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (html_dir / "_static").rglob("*.css"))
    classes = _icon_classes(css)
    fonts = sorted((html_dir / "_static" / WEBFONTS).glob("*.woff2"))
    assert fonts, "the site ships no icon font"
    shipped = set().union(*(set(TTFont(font).getBestCmap()) for font in fonts))
    for page in html_dir.rglob("*.html"):
        for name in set(ICON_CLASS.findall(page.read_text(encoding="utf-8"))):
            if name in classes:
                assert classes[name] in shipped, f"{page.relative_to(html_dir)}: icon {name} has no glyph"
    assert sum(font.stat().st_size for font in fonts) < 20_000, "the icon fonts were not cut down"


def test_the_search_scripts_load_on_the_search_page_only(pages, html_dir):
    for docname, soup in pages.items():
        sources = [script.get("src", "") for script in soup.select("script")]
        assert not any(re.search(r"searchindex\.js|searchtools\.js", s) for s in sources), docname
    search = (html_dir / "search.html").read_text(encoding="utf-8")
    assert "searchindex.js" in search and "searchtools.js" in search


@pytest.fixture(scope="module")
def weight_table(html_dir) -> str:
    """``make bench``'s page-weight table for the built site, from its command line (a process
    of its own: Chromium, driven by playwright, may already run in this one)."""
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("/usr/bin/chromium is missing: `make test` installs it")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--weigh", str(html_dir)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return done.stdout


def test_a_first_visit_of_each_reading_page_stays_within_the_budget(weight_table):
    rows = re.findall(r"^\| `([^`]+)` \| (\d+) \| \d+ \| \d+ \| (.*) \|$", weight_table, re.M)
    reading = {page: int(kib) for page, kib, target in rows if target}
    assert len(reading) >= 20 and "chapters/introduction.html" in reading, weight_table
    over = {page: kib for page, kib in reading.items() if kib > 250}
    assert over == {}, f"over 250 KiB as served: {over}"
    assert "**missed**" not in weight_table

"""The HTML edition ships only the files its pages use (issue 8, page weight).

``aes_edition/sphinxext/site_files.py`` removes what no page loads; the quick bench
(tests/test_bench.py) checks the built site in Chromium. These tests hold the rules to a
small site made for the purpose, and the edition's copy of one theme template to the
theme it was copied from.
"""

from __future__ import annotations

from pathlib import Path

import pydata_sphinx_theme
import pytest

from aes_edition.paths import ROOT
from aes_edition.sphinxext.site_files import FILE_NAME, unused_files

THEME_MACROS = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "webpack-macros.html"
OUR_MACROS = ROOT / "aes_edition" / "sphinxext" / "templates" / "static" / "webpack-macros.html"


def _site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_files_no_page_loads_go_and_files_a_page_loads_stay(tmp_path):
    site = _site(tmp_path, {
        "index.html": '<link href="_static/style.css"><script src="_static/app.js"></script><img src="_images/shown.svg">'
                      '<i class="fa-solid fa-bars"></i>',
        "_static/style.css": "@font-face{src:url(fonts/icons.woff2) format('woff2'),url(fonts/icons.ttf)}"
                             " .a{background:url(used.png)}",
        "_static/app.js": "load('helper.js')",
        "_static/helper.js": "",
        "_static/used.png": "",
        "_static/fonts/icons.woff2": "",
        "_static/fonts/icons.ttf": "",
        "_static/app.js.map": "",
        "_static/app.js.LICENSE.txt": "MIT",
        "_static/locales/fr/LC_MESSAGES/theme.mo": "",
        "_static/unmentioned.svg": "",
        "_static/macros.html": '<script src="heavy.js"></script>',
        "_static/heavy.js": "",
        "_static/heavy.js.LICENSE.txt": "MIT",
        "_images/shown.svg": "",
        "_images/stale.svg": "",
        "tippy_wiki_cache.json": "{}",
    })
    gone = {p.relative_to(site).as_posix() for p in unused_files(site)}
    assert gone == {
        "_static/fonts/icons.ttf", "_static/app.js.map", "_static/locales/fr/LC_MESSAGES/theme.mo",
        "_static/unmentioned.svg", "_static/macros.html", "_static/heavy.js", "_static/heavy.js.LICENSE.txt",
        "_images/stale.svg", "tippy_wiki_cache.json",
    }


def test_what_is_unused_follows_the_pages_as_they_are_now(tmp_path):
    page = '<script src="_static/a.js"></script>'
    site = _site(tmp_path / "site", {"index.html": page, "_static/a.js": "", "_static/b.js": ""})
    assert [p.name for p in unused_files(site)] == ["b.js"]
    (site / "index.html").write_text('<script src="_static/b.js"></script> and more text', encoding="utf-8")
    assert [p.name for p in unused_files(site)] == ["a.js"]


@pytest.mark.parametrize("text, names", [
    ('e.p="_static/";n.u=e=>"chunk-"+e+".js";', []),  # a name built in code is no name
    ('src:url(../webfonts/fa-solid-900.woff2) format("woff2")', ["fa-solid-900.woff2"]),
    ('<img src="../_images/map.svg" alt="">', ["map.svg"]),
    ("a.jsx b.json c.cssfoo", ["b.json"]),  # the suffix ends where the name does
    ("@font-face x@2x.png", ["x@2x.png"]),
])
def test_file_names_are_found_as_pages_and_scripts_write_them(text, names):
    assert FILE_NAME.findall(text) == names


def test_the_edition_copy_of_the_theme_macros_differs_only_by_the_icon_script():
    """If the theme is upgraded, the copy must be made again from the new file."""
    theirs = THEME_MACROS.read_text(encoding="utf-8").splitlines()
    ours = OUR_MACROS.read_text(encoding="utf-8").splitlines()
    dropped = [line for line in theirs if line not in ours]
    assert [line.strip() for line in dropped] == [
        "<!-- So that users can add custom icons -->",
        "<script defer src=\"{{ pathto('_static/scripts/fontawesome.js', 1) }}?digest=55c26ed414f5f8a31ebb\"></script>",
    ]
    added = [line for line in ours if line not in theirs]
    assert added and all(line.strip().startswith("{#-") or "-#}" in line or line.startswith("      ") for line in added)


def test_the_built_pages_load_no_icon_script(html_dir):
    assert not (html_dir / "_static" / "scripts" / "fontawesome.js").exists()
    page = (html_dir / "chapters" / "introduction.html").read_text(encoding="utf-8")
    assert "fontawesome.js" not in page and 'class="fa-solid fa-bars"' in page

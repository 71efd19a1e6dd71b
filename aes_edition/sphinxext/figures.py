"""The notebooks' SVG figures, written with the precision a screen can show.

matplotlib writes every coordinate of a path with six decimals of a point; the concept map's
curved arrows, drawn as polylines of hundreds of points, made its figure 330 KB (70 KiB
compressed), the largest file of any page. After the pages are written, this module rounds
the coordinates of the path data (``d="…"``) of each figure in ``_images`` to a hundredth of
a point, about a thirtieth of a screen pixel. Transforms and the glyph outlines, which are in
font units, are left as they are. Sphinx copies a figure into ``_images`` again whenever its
source differs, and the rounding is the same every time, so two builds give the same file.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

PATH_DATA = re.compile(r'(\sd=")([^"]*)(")')
LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")


def _short(number: re.Match) -> str:
    text = f"{float(number.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def round_path_data(svg: str) -> str:
    """``svg`` with each path's coordinates rounded to two decimals."""
    return PATH_DATA.sub(lambda m: m.group(1) + LONG_NUMBER.sub(_short, m.group(2)) + m.group(3), svg)


def _round_figures(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for figure in sorted(Path(app.outdir, "_images").glob("*.svg")):
        text = figure.read_text(encoding="utf-8")
        rounded = round_path_data(text)
        if rounded != text:
            figure.write_text(rounded, encoding="utf-8")


def setup(app: Sphinx) -> None:
    # After site_files has removed the figures no page shows (priority 900).
    app.connect("build-finished", _round_figures, priority=950)

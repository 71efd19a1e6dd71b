"""Point the notebooks' links at the edition as it is published now.

A notebook's Markdown cell is plain CommonMark, read by JupyterLab as well as by the book, so
it links to a paragraph by its absolute address on the published site
(``https://<site>/chapters/impact.html#impact-p1``): the one place in the repository where
an address derived from ``repository.url`` is written out rather than computed, because a
Markdown cell cannot compute. This module keeps that one exception honest. The build
(``aes_edition.sphinxext.published_links``) fails on a notebook link to a page of the edition
on any other site than the derived one, and ``python -m aes_edition.relink`` rewrites those
links after ``repository.url`` or ``html.baseurl`` has changed (someone publishing their own
copy), so nobody edits addresses by hand.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

from .publishing import Publishing, PublishingError, from_config

# An absolute address of a page of an edition built from this book: a site, then
# chapters/<page>.html or notebooks/<page>.html, then perhaps an anchor. The site part ends
# with "/" and holds no parenthesis, quote or space, so a Markdown link's closing ")" ends it.
EDITION_ADDRESS = re.compile(r"""https?://[^\s()<>"'\]]+?/(?P<page>(?:chapters|notebooks)/[\w-]+)\.html""")


def foreign_site(url: str, site: Publishing, pages: Iterable[str]) -> str | None:
    """The site part of ``url`` when it addresses one of this book's ``pages`` on another
    site than the edition is published at, else None."""
    match = EDITION_ADDRESS.match(url)
    if not match or match["page"] not in set(pages) or url.startswith(site.site_url):
        return None
    return url[:match.start("page")]


def relinked(text: str, site: Publishing, pages: Iterable[str]) -> str:
    """``text`` with every address of one of the book's pages moved to ``site``."""
    known = set(pages)

    def move(match: re.Match[str]) -> str:
        if match["page"] not in known:
            return match[0]
        return f"{site.site_url}{match['page']}.html"

    return EDITION_ADDRESS.sub(move, text)


def book_pages(root: Path) -> list[str]:
    """The pages a notebook may link to: every chapter and notebook of the book."""
    return sorted(str(p.relative_to(root).with_suffix("")) for folder in ("chapters", "notebooks")
                  for p in (root / folder).glob("*") if p.suffix in {".md", ".ipynb"})


def relink_notebooks(root: Path, site: Publishing) -> list[Path]:
    """Rewrite the Markdown cells of ``root``'s notebooks; return the notebooks changed."""
    pages, changed = book_pages(root), []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        touched = False
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                new = relinked(cell.source, site, pages)
                touched |= new != cell.source
                cell.source = new
        if touched:
            nbformat.write(notebook, path)
            changed.append(path)
    return changed


def main() -> int:
    from .paths import ROOT

    try:
        site = from_config()
    except PublishingError as error:
        print(f"relink: {error}", file=sys.stderr)
        return 1
    changed = relink_notebooks(ROOT, site)
    for path in changed:
        print(f"relink: {path.relative_to(ROOT)} now links to {site.site_url}")
    if not changed:
        print(f"relink: every notebook already links to {site.site_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

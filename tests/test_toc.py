"""The table of contents and the chapters folder agree: no orphan page, no missing file."""

from __future__ import annotations

from aes_edition.paragraphs import toc_files
from aes_edition.paths import ROOT


def test_every_toc_entry_exists():
    for docname in toc_files():
        assert (ROOT / f"{docname}.md").exists() or (ROOT / f"{docname}.ipynb").exists(), docname


def test_every_chapter_and_notebook_is_in_the_toc():
    listed = set(toc_files())
    files = {f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.md")}
    files |= {f"notebooks/{p.stem}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert sorted(files - listed) == []


def test_paper_chapters_in_the_papers_order():
    order = [d for d in toc_files() if d.startswith("chapters/")]
    paper = ["abstract", "introduction", "objectives", "literature-review", "theoretical-framework", "methodology",
             "emergence", "impact", "challenges", "conclusion", "recommendations", "references"]
    positions = [order.index(f"chapters/{name}") for name in paper]
    assert positions == sorted(positions)

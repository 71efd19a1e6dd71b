"""Every paragraph of the paper has a visible number and a stable, unique id, and the
registry the data and notebooks use agrees with the built pages."""

from __future__ import annotations

import re
from collections import Counter

from aes_edition.paragraphs import all_paragraphs


def test_ids_are_unique_and_follow_the_convention():
    paragraphs = all_paragraphs()
    counts = Counter(p.id for p in paragraphs)
    assert [pid for pid, n in counts.items() if n > 1] == []
    for p in paragraphs:
        assert re.fullmatch(rf"{p.chapter}-p{p.number}", p.id)


def test_every_paragraph_is_numbered_and_anchored_in_the_html(pages):
    registry = all_paragraphs()
    assert len(registry) >= 38, "the paper has at least 38 paragraphs and list items"
    built = {}
    for docname, soup in pages.items():
        for div in soup.select("div.para"):
            built[div["id"]] = (docname, div)
    assert sorted(built) == sorted(p.id for p in registry)
    for p in registry:
        docname, div = built[p.id]
        assert docname == f"chapters/{p.chapter}"
        link = div.select_one("a.para-num")
        assert link is not None and link.get_text() == f"¶{p.number}"
        assert link["href"] == f"#{p.id}"


def test_no_text_of_the_paper_stands_outside_a_numbered_paragraph(pages):
    """In the paper's chapters every <p> is either a numbered paragraph of the paper or
    inside something marked as the editors'."""
    paper = {f"chapters/{p.chapter}" for p in all_paragraphs()}
    for docname, soup in pages.items():
        if docname not in paper:
            continue
        for p in soup.select_one("article.bd-article").select("p"):
            if p.find_parent("div", class_="para") or p.find_parent(class_="editorial"):
                continue
            raise AssertionError(f"{docname}: paragraph outside the numbered text: {p.get_text()[:80]!r}")

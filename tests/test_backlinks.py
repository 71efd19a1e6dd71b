"""Links both ways on the built book: its paragraphs, works and glossary terms list the notes,
analyses and pages that point to them. The lists are the extension's back-references
(extension/scholarly_edition/backlinks.py), whose own small projects
(extension/tests/test_back_references.py) cover a note on another page, a cited work, a term
used, a page read again, parallel reads and the page of a target written again; the book sets
their wording and the analysis pages whose sections count (_config.yml)."""

from __future__ import annotations

from aes_edition.paragraphs import paragraph_index


def test_the_books_paragraphs_works_and_terms_list_their_places(pages):
    """On the built book: every note's :on: paragraph lists the note; every term of the glossary
    used in the paper lists its places; the concept map leads to its paragraphs."""
    for docname, soup in pages.items():
        for note in soup.select("div.ednote[data-on]"):
            for pid in note["data-on"].split():
                doc = "chapters/" + paragraph_index()[pid].chapter
                listed = {a["href"].rpartition("#")[2] for a in pages[doc].select(f"div#{pid} > p.backlinks a")}
                assert note["id"] in listed, f"{pid} does not list the note {note['id']} of {docname}"
    glossary = pages["chapters/glossary"]
    assert len(glossary.select("p.backlinks-term")) >= 10
    works = pages["chapters/references"].select("div.citation p.backlinks-cite")
    assert works, "the paper's references list where they are cited"
    concept_map = pages["notebooks/concept-map"]
    section = concept_map.select_one("section#the-concepts-and-where-the-paper-names-them")
    assert section is not None and len(section.select("li")) >= 20
    assert all(item.select("a[href*='chapters/']") for item in section.select("li"))

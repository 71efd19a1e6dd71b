"""The editors' commentary as a reader meets it: a note on every chapter of the paper,
each note sourced and linked to the paragraphs it discusses, the three voices kept apart,
the glossary and the timeline one click from the text (issue: annotated commentary)."""

from __future__ import annotations

import re

import yaml
from bs4 import BeautifulSoup, NavigableString
from scholarly_edition.fidelity import normalise

from aes_edition.glossary import first_uses, load_glossary
from aes_edition.paragraphs import all_paragraphs
from aes_edition.paths import COPY_TEXT, ROOT

QUOTED = re.compile(r"“([^”]{3,})”|\"([^\"]{3,})\"")
NUMBER = re.compile(r"\d")


def paper_chapters() -> list[str]:
    """Docnames of the chapters that hold the paper's paragraphs, in the paper's order."""
    return list(dict.fromkeys(f"chapters/{p.chapter}" for p in all_paragraphs()))


def notes(soup: BeautifulSoup) -> list:
    return soup.select("div.ednote")


def body_text(note) -> str:
    """A note's own prose: without its heading, its "On ¶…" line, its links and quotations
    of sources (which carry their own attribution)."""
    note = BeautifulSoup(str(note), "html.parser")
    for node in note.select("p.ednote-heading, p.ednote-on, a, figure.quoted-source"):
        node.decompose()
    return re.sub(r"¶\s?\d+", "¶", normalise(note.get_text(" ")))  # paragraph numbers are references, not facts


def is_sourced(note) -> bool:
    """A citation of a bib entry, or a link to a source outside the edition."""
    return bool(note.select("span.bibtex-citation, a.reference.external[href^='http']"))


def the_paper_part() -> list[str]:
    """Every page of the part "The paper" in the table of contents, the References included."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "The paper")
    return [entry["file"] for entry in part["chapters"]]


def test_every_chapter_of_the_paper_has_an_editors_note(pages):
    chapters = the_paper_part()
    assert set(paper_chapters()) <= set(chapters) and "chapters/references" in chapters
    missing = [doc for doc in chapters if not notes(pages[doc])]
    assert missing == [], f"chapters without an editors' note: {missing}"


def test_there_are_at_least_thirty_notes_on_the_paper(pages):
    count = sum(len(notes(pages[doc])) for doc in paper_chapters())
    assert count >= 30, count


def test_notes_stand_outside_the_papers_paragraphs(pages):
    for doc, soup in pages.items():
        inside = soup.select("div.para div.ednote, div.para figure.quoted-source")
        assert inside == [], f"{doc}: an editors' note or quotation inside a paragraph of the paper"


def test_each_note_is_labelled_and_marked_as_the_editors(pages):
    for doc, soup in pages.items():
        for note in notes(soup):
            assert "editorial" in note["class"], f"{doc}: note without the class 'editorial'"
            assert note.get("role") == "note"
            label = note.select_one("p.ednote-heading span.ednote-label")
            assert label is not None and label.get_text().replace("’", "'") == "Editors' note", doc
            assert note.select_one("span.ednote-title").get_text().strip(), f"{doc}: note without a title"


def test_each_note_links_the_paragraphs_it_discusses(pages):
    """Every note on the paper names its paragraphs (data-on) and links each of them."""
    known = {p.id: p for p in all_paragraphs()}
    for doc in paper_chapters():
        for note in notes(pages[doc]):
            title = note.select_one("span.ednote-title").get_text()
            ids = note.get("data-on", "").split()
            assert ids, f"{doc}: note '{title}' names no paragraph"
            hrefs = [a["href"] for a in note.select("p.ednote-on a")]
            for pid in ids:
                para = known[pid]
                expected = f"#{pid}" if f"chapters/{para.chapter}" == doc else f"{para.chapter}.html#{pid}"
                assert expected in hrefs, f"{doc}: note '{title}' does not link {pid}"
                assert pages[f"chapters/{para.chapter}"].find(id=pid) is not None


def test_notes_with_numbers_dates_or_quotations_cite_a_source(pages):
    """A note that states a number or a date, or quotes a source, carries a citation or a
    link. Words quoted from the paper need none beyond the paragraph links, but must come
    from a paragraph the note names."""
    paper = normalise(COPY_TEXT.read_text(encoding="utf-8"))
    paragraphs = {div["id"]: normalise(div.get_text(" ")) for soup in pages.values() for div in soup.select("div.para")}
    problems = []
    for doc, soup in pages.items():
        for note in notes(soup):
            title = note.select_one("span.ednote-title").get_text()
            text = body_text(note)
            quotes = [normalise(a or b).strip(" .,…") for a, b in QUOTED.findall(text)]
            named = " ".join(paragraphs.get(pid, "") for pid in note.get("data-on", "").split())
            from_named = [q for q in quotes if q in named]
            if (NUMBER.search(text) or len(from_named) < len(quotes)) and not is_sourced(note):
                problems.append(f"{doc}: note '{title}' states a number, date or quotation without a source: "
                                f"{NUMBER.findall(text)[:3]} {[q for q in quotes if q not in from_named]}")
            for quote in quotes:
                if quote in paper and quote not in named and not is_sourced(note):
                    problems.append(f"{doc}: note '{title}' quotes “{quote}” from a paragraph it does not name")
    assert problems == []


def test_every_quotation_of_a_source_is_attributed(pages):
    for doc, soup in pages.items():
        for figure in soup.select("figure.quoted-source"):
            assert figure.select_one("blockquote.quoted-text").get_text().strip(), doc
            caption = figure.select_one("figcaption.quoted-attribution")
            assert caption is not None and "Quoted source" in caption.get_text(), doc
            assert caption.select("a, span.bibtex-citation"), f"{doc}: quotation whose attribution links no source"


def counts(sentence: str) -> list[str]:
    """Numbers in a sentence that are counts: written with a thousands comma ("1,907"), or
    100 and over and not a year ("930", but not "2023")."""
    tokens = re.findall(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d,.])\d+(?![\d,])", sentence)
    return [t for t in tokens if "," in t or (int(t) >= 100 and not 1900 <= int(t) <= 2099)]


def gti_problems(soup: BeautifulSoup) -> list[str]:
    """Sentences of notes that give numbers of deaths without naming the index edition."""
    problems = []
    for note in notes(soup):
        for item in note.select("p, li"):
            for sentence in re.split(r"(?<=[.;])\s+", normalise(item.get_text(" "))):
                if counts(sentence) and re.search(r"\bdeaths?\b", sentence) and "edition" not in sentence:
                    problems.append(sentence[:120])
    return problems


def test_global_terrorism_index_figures_give_their_edition(pages):
    """Editions of the index revise earlier years, so a figure without its edition is
    ambiguous: every sentence that gives deaths from terrorism names the edition."""
    problems = [f"{doc}: {p!r}" for doc, soup in pages.items() for p in gti_problems(soup)]
    assert problems == []


def test_the_checks_above_can_fail():
    """Guard against vacuous checks: an unsourced dated note and an edition-less figure are caught."""
    figures = BeautifulSoup('<div class="ednote"><p>Niger had 930 deaths in 2024 (source).</p>'
                            "<p>Burkina Faso had 1,907 deaths in 2023 (2024 edition).</p>"
                            "<p>Deaths before and after 2023 would be needed.</p></div>", "html.parser")
    assert gti_problems(figures) == ["Niger had 930 deaths in 2024 (source)."]
    note = BeautifulSoup('<div class="ednote"><p class="ednote-heading"><span class="ednote-title">T</span></p>'
                         "<p>The force was launched on 20 December 2025.</p></div>", "html.parser").div
    assert NUMBER.search(body_text(note)) and not is_sourced(note)
    linked = BeautifulSoup('<div class="ednote"><p>On <a class="reference external" href="https://example.org">x</a></p></div>',
                           "html.parser").div
    assert is_sourced(linked)


def term_text(dt) -> str:
    """A glossary headword without its permalink mark."""
    dt = BeautifulSoup(str(dt), "html.parser")
    for link in dt.select("a.headerlink"):
        link.decompose()
    return normalise(dt.get_text())


def _linked_text(soup: BeautifulSoup) -> tuple[str, list[str | None]]:
    """The authors' text of a chapter, and for each character the glossary anchor it links to.

    Emendations and citations are blanked out (kept at their length), as the chapters'
    {term} links are placed outside them."""
    text: list[str] = []
    targets: list[str | None] = []
    for para in soup.select("div.para"):
        for node in para.descendants:
            if not isinstance(node, NavigableString) or node.find_parent(class_="editorial"):
                continue
            piece = str(node).replace("’", "'")
            if node.find_parent(class_=["emendation", "bibtex-citation"]):
                piece = "\x00" * len(piece)
            link = node.find_parent("a", href=re.compile(r"glossary\.html#term-"))
            target = link["href"].split("#", 1)[1] if link else None
            text.append(piece)
            targets.extend([target] * len(piece))
        text.append("\n")
        targets.append(None)
    return "".join(text), targets


def test_every_term_role_resolves_to_the_glossary(pages):
    glossary = pages["chapters/glossary"]
    found = 0
    for doc, soup in pages.items():
        for span in soup.select("span.std-term"):
            link = span.find_parent("a")
            assert link is not None, f"{doc}: unresolved term {span.get_text()!r}"
            page, _, anchor = link["href"].partition("#")
            assert page.endswith("glossary.html") and glossary.find(id=anchor) is not None, (doc, link["href"])
            found += 1
    assert found > 0


def test_each_term_is_linked_at_its_first_use_in_every_chapter(pages):
    problems = []
    glossary = pages["chapters/glossary"]
    terms = load_glossary()
    anchors = {}
    for term in terms:
        anchors[term.term] = {dt["id"] for dt in glossary.select("dl.glossary dt[id]") if term_text(dt) == normalise(term.term)}
        assert anchors[term.term], f"glossary page has no entry for {term.term}"
    for doc in paper_chapters():
        text, targets = _linked_text(pages[doc])
        for term, (start, end) in first_uses(text, terms).items():
            if targets[start] not in anchors[term]:
                problems.append(f"{doc}: first use of '{text[start:end]}' is not linked to the glossary entry {term}")
    assert problems == []


def test_glossary_and_timeline_are_one_click_from_every_chapter(pages):
    for doc in paper_chapters():
        hrefs = [a.get("href", "") for a in pages[doc].select("article a")]
        assert any("glossary.html#term-" in h for h in hrefs), f"{doc}: no link to the glossary"
    dated = [doc for doc in paper_chapters() if pages[doc].select("span.event a[href*='timeline.html#timeline-']")]
    assert len(dated) >= 8, dated

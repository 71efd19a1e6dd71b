"""The paper's text as a reader reads it in the built HTML, paragraph by paragraph.

The reading text is what the page shows with the editors' furniture taken out (¶ numbers,
the apparatus marks, bracketed supplements, notes): the edited readings stay in place.
Each edited reading, swapped for the printed reading of its row in data/emendations.csv,
must give back the copy-text's words for that paragraph exactly, and no word may stand
twice in a row where the copy-text does not print it twice.
"""

from __future__ import annotations

import copy
from collections import Counter

import pytest
from book_settings import copy_text_until
from bs4 import BeautifulSoup, Tag
from scholarly_edition.fidelity import ReadingUnit, copy_text_stream, doubled_words, normalise, unmatched_units

from aes_edition.emendations import load_emendations
from aes_edition.paths import COPY_TEXT

FURNITURE = ".editorial, a.headerlink, .margin, aside, .admonition, script, style"


def _reading(node: Tag) -> Tag:
    """A copy of the node without the editors' furniture."""
    node = copy.copy(node)
    for part in node.select(FURNITURE):
        part.decompose()
    return node


def _text(node: Tag) -> str:
    for block in node.find_all(["p", "div", "li", "br"]):
        block.insert_after("\n")
    return normalise(node.get_text(""))


def _units(pages: dict[str, BeautifulSoup]) -> list[tuple[ReadingUnit, str, list[str]]]:
    """Each paragraph (and the title block) as (unit read as printed, text as read, emendations)."""
    rows = load_emendations()
    found = []
    for soup in pages.values():
        article = soup.select_one("article.bd-article") or soup.body
        for node in article.select("div.para[id], div.title-block"):
            name = node.get("id") or "title block"
            as_read = _reading(node)
            as_printed = _reading(node)
            keys = []
            for span in as_printed.select(".emendation"):
                key = span["id"].removeprefix("emend-").upper()
                keys.append(key)
                span.replace_with(rows[key].printed)
            kinds = [rows[key].kind for key in keys]
            unit = ReadingUnit(name, _text(as_printed), joins=kinds.count("join"),
                               moved="transposition" in kinds, block=name == "title block")
            found.append((unit, _text(as_read), keys))
    return found


@pytest.fixture(scope="module")
def units(pages):
    return _units(pages)


def test_every_paragraph_is_the_copy_texts_words(units):
    assert len(units) > 30
    problems = unmatched_units([unit for unit, _, _ in units], COPY_TEXT, copy_text_until())
    assert not problems, "paragraphs that read otherwise than the copy-text:\n" + "\n".join(problems)


def test_every_emendation_stands_once_in_the_text(units):
    """Each row of the register is read once in the text, and nothing else is marked as one."""
    used = [key for _, _, keys in units for key in keys]
    assert sorted(used) == sorted(load_emendations())


def test_no_word_is_doubled_that_the_copy_text_prints_once(units):
    stream, _ = copy_text_stream(COPY_TEXT)
    allowed = Counter(doubled_words(stream))
    read = Counter(word for _, as_read, _ in units for word in doubled_words(as_read))
    where = {word: [unit.name for unit, as_read, _ in units if word in doubled_words(as_read)] for word in read}
    problems = [f"{word!r} twice in a row {n} time(s) (the copy-text: {allowed[word]}), in {', '.join(where[word])}"
                for word, n in read.items() if n > allowed[word]]
    assert not problems, "words doubled in the reading text:\n" + "\n".join(problems)


def test_the_check_finds_a_word_doubled_at_a_join(units):
    """Guard against a vacuous comparison: the fault this test was written for is reported."""
    damaged = []
    for unit, _, _ in units:
        printed = unit.printed.replace("Past failures of collective", "Past failures of of collective")
        damaged.append(ReadingUnit(unit.name, printed, unit.joins, unit.moved, unit.block))
    problems = unmatched_units(damaged, COPY_TEXT, copy_text_until())
    assert any(p.startswith("emergence-p2:") for p in problems), problems


def test_the_check_finds_a_lost_paragraph_and_an_unrecorded_join(units):
    kept = [unit for unit, _, _ in units if unit.name != "methodology-p1"]
    assert any("in no paragraph of the edition" in p for p in unmatched_units(kept, COPY_TEXT, copy_text_until()))
    unjoined = [ReadingUnit(u.name, u.printed, 0, u.moved, u.block) for u, _, _ in units]
    assert any("records 0 join(s)" in p for p in unmatched_units(unjoined, COPY_TEXT, copy_text_until()))


def test_doubled_words_are_found():
    assert doubled_words("Past failures of of collective arrangements") == ["of"]
    assert doubled_words("Past failures of collective arrangements") == []

"""The glossary and the timeline are built from data that is checked row by row: every
entry sourced, every timeline row dated and linked to its source, and a bad row stopping
the build with a message naming the file, the row and the field."""

from __future__ import annotations

import csv
import re

import pytest
import yaml
from test_commentary import term_text

from aes_edition.errors import DataError
from aes_edition.glossary import FILE as GLOSSARY
from aes_edition.glossary import count_sentences, load_glossary
from aes_edition.reference_register import bib_keys
from aes_edition.sources import EDITORS_BIB, load_editors_sources
from aes_edition.timeline import FILE as TIMELINE
from aes_edition.timeline import load_timeline, parse_partial_date


def test_every_timeline_row_has_a_date_an_event_and_a_source_url():
    with TIMELINE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 25
    for number, row in enumerate(rows, start=2):
        assert parse_partial_date(row["date"].strip()), f"row {number}: date"
        assert row["event"].strip(), f"row {number}: event"
        assert re.match(r"^https?://\S+$", row["url"].strip()), f"row {number}: url"
    assert len(load_timeline()) == len(rows)


def test_the_timeline_runs_from_the_liptako_gourma_authority_to_the_unified_force():
    events = load_timeline()
    assert events[0].date.startswith("1970")
    assert any(e.date.startswith("2025") and "unified" in e.event.lower() for e in events)
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_the_timeline_page_shows_every_event_with_its_source(pages):
    page = pages["chapters/timeline"]
    for event in load_timeline():
        block = page.find(id=event.anchor)
        assert block is not None, event.anchor
        assert block.find("a", href=event.url) is not None, f"{event.anchor}: source link missing"
        assert event.display_date in block.get_text()


def test_events_dated_in_the_notes_link_to_the_timeline_and_back(pages):
    """A date in a note leads to its event, and the event lists the note among those that
    discuss it."""
    timeline = pages["chapters/timeline"]
    linked = 0
    for doc, soup in pages.items():
        for note in soup.select("div.ednote"):
            for link in note.select("span.event a[href*='timeline.html#timeline-']"):
                block = timeline.find(id=link["href"].split("#", 1)[1])
                assert block is not None, (doc, link["href"])
                back = [a["href"] for a in block.select("p.timeline-mentions a")]
                assert any(h.endswith(f"{doc.split('/')[-1]}.html#{note['id']}") for h in back), (doc, note["id"], link["href"])
                linked += 1
    assert linked >= 40


def test_medium_confidence_rows_say_so_on_the_page(pages):
    page = pages["chapters/timeline"]
    for event in load_timeline():
        if event.confidence != "high":
            assert f"{event.confidence} confidence" in page.find(id=event.anchor).get_text()


def test_the_glossary_has_at_least_fifteen_sourced_short_definitions():
    terms = load_glossary()
    assert len(terms) >= 15
    for term in terms:
        assert 1 <= count_sentences(term.definition) <= 3, term.term
        assert term.sources, term.term


def test_the_glossary_page_defines_every_term_with_its_sources(pages):
    page = pages["chapters/glossary"]
    shown = {term_text(dt) for dt in page.select("dl.glossary dt")}
    for term in load_glossary():
        assert term.term in shown, term.term
    for dd in page.select("dl.glossary dd"):
        assert dd.select_one("span.glossary-sources a"), "a definition without a linked source"


def test_editors_sources_are_listed_on_their_own_page_and_not_among_the_papers_references(pages):
    entries = load_editors_sources()
    editors = pages["chapters/editors-sources"]
    def plain(text: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"[{}`'‘’]", "", text))

    text = plain(editors.get_text(" "))
    assert len(editors.select("div.citation")) == len(entries)
    for fields in entries.values():
        assert plain(fields["title"])[:40] in text, fields["title"]
    assert len(pages["chapters/references"].select("div.citation")) == len(bib_keys())


# --- bad data is rejected by name --------------------------------------------------------

def _write_timeline(tmp_path, change):
    with TIMELINE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    change(rows)
    bad = tmp_path / "timeline.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return bad


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "2023-02-30", "is not a date"),
        ("url", "www.example.org/no-scheme", "is not a web address"),
        ("confidence", "certain", "is not one of"),
        ("event", "", "required field is empty"),
    ],
)
def test_bad_timeline_rows_are_rejected_by_file_row_and_field(tmp_path, field, value, message):
    bad = _write_timeline(tmp_path, lambda rows: rows[2].__setitem__(field, value))
    with pytest.raises(DataError) as caught:
        load_timeline(bad)
    assert (caught.value.path.name, caught.value.row, caught.value.field) == ("timeline.csv", 4, field)
    assert message in str(caught.value)


def _write_glossary(tmp_path, change):
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    entries = data["terms"] if isinstance(data, dict) else data
    change(entries)
    bad = tmp_path / "glossary.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return bad


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sources", [], "needs a source"),
        ("sources", ["nosuchkey2099"], "neither a web address nor a key"),
        ("definition", "One. Two. Three. Four.", "4 sentences"),
        ("kind", "", "required field is empty"),
    ],
)
def test_bad_glossary_entries_are_rejected_by_file_entry_and_field(tmp_path, field, value, message):
    bad = _write_glossary(tmp_path, lambda entries: entries[1].__setitem__(field, value))
    with pytest.raises(DataError) as caught:
        load_glossary(bad)
    assert (caught.value.path.name, caught.value.row, caught.value.field) == ("glossary.yaml", 2, field)
    assert message in str(caught.value)


def test_a_repeated_glossary_term_is_rejected(tmp_path):
    bad = _write_glossary(tmp_path, lambda entries: entries.append(dict(entries[0])))
    with pytest.raises(DataError, match="already names entry 1"):
        load_glossary(bad)


def test_an_editors_source_without_a_url_is_rejected(tmp_path):
    bad = tmp_path / "editors.bib"
    bad.write_text(EDITORS_BIB.read_text(encoding="utf-8") +
                   "\n@online{nourl2024, title={No address}, year={2024}}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"nourl2024\.url"):
        load_editors_sources(bad)


def test_first_uses_prefer_the_longer_name_and_respect_case():
    from aes_edition.glossary import Term, first_uses

    terms = [Term("G5 Sahel", "", "organisation", "x", ("u",), (), 1),
             Term("G5 Sahel Joint Force", "", "organisation", "x", ("u",), (), 2),
             Term("AES", "", "organisation", "x", ("u",), ("Alliance for Sahel States",), 3),
             Term("collective security", "", "concept", "x", ("u",), (), 4)]
    text = "The G5 Sahel Joint Force failed; the aes and the AES differ. Collective security. The G5 Sahel ended."
    uses = first_uses(text, terms)
    assert text[slice(*uses["G5 Sahel Joint Force"])] == "G5 Sahel Joint Force"
    assert text[slice(*uses["G5 Sahel"])] == "G5 Sahel" and uses["G5 Sahel"][0] > 60
    assert text[slice(*uses["AES"])] == "AES" and uses["AES"][0] > text.index("aes")
    assert text[slice(*uses["collective security"])] == "Collective security"

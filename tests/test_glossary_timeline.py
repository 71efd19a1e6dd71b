"""The glossary and the timeline are built from data that is checked row by row: every
entry sourced, every timeline row dated and linked to its source, and a bad row stopping
the build with a message naming the file, the row and the field."""

from __future__ import annotations

import csv
import re

import pytest
import yaml
from scholarly_edition.strict_data import DataError
from test_commentary import term_text

from aes_edition.glossary import FILE as GLOSSARY
from aes_edition.glossary import count_sentences, load_glossary
from aes_edition.reference_register import bib_keys
from aes_edition.sources import EDITORS_BIB, load_editors_sources
from aes_edition.timeline import FILE as TIMELINE
from aes_edition.timeline import Event, events_end, load_timeline, parse_partial_date


def test_every_timeline_row_has_a_date_an_event_and_sources_listed_in_editors_bib():
    """A row names its sources by key; each is a web page of editors.bib with its address
    and the date the editors read it, so it is listed once, on the Editors' sources page."""
    entries = bib_keys(EDITORS_BIB)
    with TIMELINE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 25
    for number, row in enumerate(rows, start=2):
        assert parse_partial_date(row["date"].strip()), f"row {number}: date"
        assert row["event"].strip(), f"row {number}: event"
        keys = row["source"].split()
        assert keys, f"row {number}: source"
        for key in keys:
            assert key in entries, f"row {number}: {key}"
            assert re.match(r"^https?://\S+$", entries[key]["url"]), f"row {number}: {key} url"
            assert parse_partial_date(entries[key]["urldate"]), f"row {number}: {key} urldate"
    assert len(load_timeline()) == len(rows)


def test_the_timeline_runs_from_the_liptako_gourma_authority_to_the_unified_force():
    events = load_timeline()
    assert events[0].date.startswith("1970")
    assert any(e.date.startswith("2025") and "unified" in e.event.lower() for e in events)
    assert [e.date for e in events] == sorted(e.date for e in events)


def _event(date: str, row: int) -> Event:
    return Event(date, date, "event", "diplomacy", (), "high", True, row)


@pytest.mark.parametrize("dates, expected", [
    (["2025-12-23", "2026-02-26", "2026-01-29"], "February 2026"),
    (["2024-07-06", "2024-08"], "August 2024"),
    (["2019-03-02", "2020"], "2020"),
])
def test_the_month_the_events_run_to_is_that_of_the_latest_row(dates, expected):
    """Whatever order the rows come in, the account runs to the latest dated event, said as
    precisely as that row is dated."""
    assert events_end([_event(date, row) for row, date in enumerate(dates, start=2)]) == expected


def test_the_site_says_how_far_the_events_run_where_it_states_the_edition_date(pages):
    """How to cite states the edition's date and, beside it, the month of the latest
    timeline row ("events to …"); the timeline page and the notes on later events say the
    same month, taken from the same data, so a row added later changes them all."""
    end = events_end(load_timeline())
    scope = pages["chapters/how-to-cite"].select_one("p.edition-scope")
    assert scope is not None, "How to cite does not say how far the events run"
    text = " ".join(scope.get_text(" ").split())
    assert re.search(r"dated \d{1,2} [A-Z][a-z]+ \d{4}\.", text), text
    assert f"events to {end}." in text, text
    for docname in ("chapters/timeline", "chapters/conclusion", "chapters/impact", "chapters/editorial-principles"):
        shown = [span.get_text() for span in pages[docname].select("span.events-to")]
        assert shown and set(shown) == {end}, (docname, shown)


def test_the_timeline_page_shows_every_event_with_its_source(pages):
    page = pages["chapters/timeline"]
    for event in load_timeline():
        block = page.find(id=event.anchor)
        assert block is not None, event.anchor
        for source in event.sources:
            assert block.find("a", href=source.url) is not None, f"{event.anchor}: link to {source.key} missing"
        assert len(block.select("span.timeline-source a[href*='editors-sources.html#']")) == len(event.sources)
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
        ("source", "nosuchkey2099", "is not a key of editors.bib"),
        ("source", "buzan2003regions", "is not a key of editors.bib"),  # a work of the paper, not a web source
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


@pytest.mark.parametrize(("field", "message"), [("urldate", "has no urldate"), ("url", "has no url")])
def test_a_timeline_source_without_its_address_or_date_read_is_rejected(tmp_path, field, message):
    """The timeline cites web pages: an entry that cannot be followed, or does not say when
    it was read, is refused by the row that cites it."""
    first = load_timeline()[0]
    key = first.sources[0].key
    text = EDITORS_BIB.read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    end = text.index("\n}", start)
    entry = re.sub(rf"\n\s*{field} = {{[^}}]*}},?", "", text[start:end])
    assert entry != text[start:end], f"{key} has no {field} to remove"
    bib = tmp_path / "editors.bib"
    bib.write_text(text[:start] + entry + text[end:], encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_timeline(bib=bib)
    assert (caught.value.row, caught.value.field) == (first.row, "source")
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

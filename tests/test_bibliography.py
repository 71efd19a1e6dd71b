"""The corrected bibliography: every work verified or marked, every citation linked, the
register accounting for every printed reference (issue: corrected bibliography)."""

from __future__ import annotations

import re
import shutil

import pytest
from scholarly_edition.strict_data import DataError

from aes_edition.emendations import load_emendations
from aes_edition.myst_blocks import find, roles
from aes_edition.paragraphs import all_paragraphs
from aes_edition.paths import COPY_TEXT, DATA
from aes_edition.reference_register import FILE, STATUSES, bib_keys, load_register


def cited_keys() -> set[str]:
    """Keys cited by the paper's text (its numbered paragraphs, not the editors' notes),
    directly or through an emendation."""
    found = [role for p in all_paragraphs() for role in roles(p.source)]
    found += [role for row in load_emendations().values() for role in roles(row.edition)]
    return {key.strip() for name, group in found if name.startswith("cite") for key in group.split(",")}


def test_register_is_valid_and_complete():
    rows = load_register()
    assert all(r.status in STATUSES for r in rows)
    assert {r.key for r in rows if r.key} == set(bib_keys())
    printed_works = sum(len(re.findall(r"\(\d{4}\)\.|\. \d{4}\. ", line))
                        for line in COPY_TEXT.read_text(encoding="utf-8").split("References", 1)[1].splitlines())
    assert len([r for r in rows if r.id.startswith("R")]) == printed_works


def test_every_work_is_cited_by_the_paper():
    uncited = set(bib_keys()) - cited_keys()
    assert uncited == set(), f"works never cited in the text: {sorted(uncited)}"


def test_every_citation_resolves_to_a_work():
    assert cited_keys() - set(bib_keys()) == set()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("status", "probably", "not one of"),
        ("evidence", "http://insecure.example", "neither an https URL"),
        ("key", "nosuchkey2024", "not an entry of"),
    ],
)
def test_bad_register_rows_are_rejected_by_name(tmp_path, column, value, message):
    import csv

    rows = list(csv.DictReader(FILE.open(encoding="utf-8")))
    target = next(r for r in rows if r["id"].startswith("R") and r["status"] != "unverified")
    target[column] = value
    bad = tmp_path / "reference-register.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shutil.copy(DATA.parent / "references.bib", tmp_path / "references.bib")
    with pytest.raises(DataError) as caught:
        load_register(bad, tmp_path / "references.bib")
    assert message in str(caught.value) and "reference-register.csv, row" in str(caught.value)


def _straight(text: str) -> str:
    return text.translate(str.maketrans("‘’“”", "''\"\""))


def test_unverified_works_say_so_on_the_page(pages):
    soup = pages["chapters/references"]
    entries = soup.select("div.citation")
    assert len(entries) == len(bib_keys())
    for row in load_register():
        if not row.key:
            continue
        title = bib_keys()[row.key]["title"].replace("{", "").replace("}", "")
        # (the page sets the title's quotes and apostrophes typographically)
        entry = next((e for e in entries if title.split(":")[0] in _straight(e.get_text())), None)
        assert entry is not None, f"{row.key} is not in the References"
        assert ("Unverified" in entry.get_text()) == (row.status == "unverified"), row.key


def test_citations_in_the_text_link_to_their_entries(pages):
    entry_ids = {e["id"] for e in pages["chapters/references"].select("div.citation[id]")}
    links = [a for docname, soup in pages.items() if docname != "chapters/references"
             for a in soup.select("div.para span.bibtex-citation a.reference")]
    assert len(links) >= 13  # the paper's text cites its works thirteen times
    for a in links:
        page, _, anchor = a["href"].partition("#")
        assert page.endswith("references.html") and anchor in entry_ids, a


def test_editors_citations_link_to_an_entry_of_references_or_editors_sources(pages):
    """The editors' notes cite both the paper's works and the editors' own sources; each
    citation must reach an entry of the list it belongs to."""
    entries = {name: {e["id"] for e in pages[f"chapters/{name}"].select("div.citation[id]")}
               for name in ("references", "editors-sources")}
    for docname, soup in pages.items():
        for a in soup.select("span.bibtex-citation a.reference"):
            page, _, anchor = a["href"].partition("#")
            name = page.rsplit("/", 1)[-1].removesuffix(".html") or docname.rsplit("/", 1)[-1]
            assert name in entries and anchor in entries[name], (docname, a)


def test_editors_web_sources_show_the_date_they_were_read(pages):
    """Each entry of the Editors' sources with a web address and an access date shows it,
    as a reader says it ("accessed 25 November 2026"); every web page has one."""
    from aes_edition.sources import EDITORS_BIB, load_editors_sources
    from aes_edition.timeline import display_date

    entries = load_editors_sources()
    page = pages["chapters/editors-sources"]
    shown = {a["href"]: a.parent.get_text(" ") for a in page.select("div.citation a.reference.external")}
    dated = {key: fields for key, fields in entries.items() if fields.get("url") and fields.get("urldate")}
    assert dated, f"no entry of {EDITORS_BIB.name} has an access date"
    for key, fields in dated.items():
        text = re.sub(r"\s+", " ", shown.get(fields["url"], ""))
        assert f"(accessed {display_date(fields['urldate'])})" in text, f"{key}: {text or 'not on the page'}"


def test_an_editors_web_page_without_its_access_date_is_rejected(tmp_path):
    from aes_edition.sources import EDITORS_BIB, load_editors_sources

    bad = tmp_path / "editors.bib"
    bad.write_text(EDITORS_BIB.read_text(encoding="utf-8") +
                   "\n@online{nodate2024, author={{A body}}, title={A page}, year={2024}, url={https://example.org/a}}\n"
                   "@online{baddate2024, author={{A body}}, title={A page}, year={2024}, url={https://example.org/b},"
                   " urldate={25/11/2026}}\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match=r"nodate2024\.urldate"):
        load_editors_sources(bad)
    bad.write_text(bad.read_text(encoding="utf-8").replace("@online{nodate2024", "@misc{nodate2024"), encoding="utf-8")
    with pytest.raises(DataError, match=r"baddate2024\.urldate.*not a date"):
        load_editors_sources(bad)


def test_every_web_page_linked_from_an_editors_note_is_an_editors_source():
    """A web page a note links to must also be an entry of editors.bib, so that the Editors'
    sources page lists it with the date the editors read it."""
    from aes_edition.review import editors_notes
    from aes_edition.sources import EDITORS_BIB

    listed = {fields.get("url") for fields in bib_keys(EDITORS_BIB).values()}
    missing = []
    for note in editors_notes():
        body = next(d.body for d in find(note.path.read_text(encoding="utf-8"), "ednote") if d.line == note.line)
        missing += [f"{note.name}: {url}" for url in re.findall(r"\]\(<?(https?://[^)\s>]+)>?\)", body)
                    if url not in listed]
    assert missing == []

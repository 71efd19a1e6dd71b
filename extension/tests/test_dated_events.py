"""Dated events: references from any page, the list of the notes under each event, unknown
and duplicate keys, a page read again, parallel reads."""

from __future__ import annotations

import re

import pytest
from built_pages import built_page as _html


def _mentions(page: str, anchor: str) -> list[str]:
    """The titles of the notes listed under an event, in their order."""
    block = re.search(rf'<div class="event" id="{anchor}">(.*?)</div>', page, re.S)
    assert block, page
    line = re.search(r'<p class="event-mentions"><span>Discussed in the editors(?:’|&#8217;|\')? notes: </span>(.*?)</p>',
                     block.group(1), re.S)
    return re.findall(r"<span class=\"std std-ref\">([^<]*)</span></a>", line.group(1)) if line else []


@pytest.mark.sphinx("html", testroot="events")
def test_an_event_is_linked_from_other_pages_and_lists_the_notes_that_refer_to_it(app):
    app.build()
    assert app._warning.getvalue() == ""
    chapter = _html(app, "chapter")
    assert chapter.count('href="events.html#event-2023-09-16"') == 2
    assert re.search(r'href="events.html#event-2023-09-16"><span class="xref edition edition-event">16 September 2023</span>',
                     chapter)
    assert re.search(r'href="events.html#event-2024-07-06"><span class="xref edition edition-event">the founding</span>',
                     chapter)
    events = _html(app, "events")
    # Pages in the order of the table of contents, notes in their order on the page; a note
    # that refers to an event twice is listed once; a link outside a note is no mention.
    assert _mentions(events, "event-2023-09-16") == ["The charter", "Once more", "Afterwards"]
    assert _mentions(events, "event-2024-07-06") == ["The charter"]
    assert _mentions(events, "event-2025-01-29") == []
    assert 'href="chapter.html#note-chapter-the-charter"' in events and 'href="later.html#note-later-afterwards"' in events
    objects = {name: (kind, doc, anchor) for name, _disp, kind, doc, anchor, _prio
               in app.env.get_domain("edition").get_objects() if kind == "event"}
    assert objects["2024-07-06"] == ("event", "events", "event-2024-07-06") and len(objects) == 3


@pytest.mark.sphinx("html", testroot="events", srcdir="events-config",
                    confoverrides={"scholarly_edition_event_reference": "{key}",
                                   "scholarly_edition_event_mentions_label": "Notes: "})
def test_the_reference_text_and_the_list_s_label_are_settings(app):
    app.build()
    assert '<span class="xref edition edition-event">2023-09-16</span>' in _html(app, "chapter")
    assert '<p class="event-mentions"><span>Notes: </span>' in _html(app, "events")


@pytest.mark.sphinx("latex", testroot="events", srcdir="events-latex")
def test_in_print_an_event_is_a_target_and_keeps_its_list(app):
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\phantomsection\\label{\\detokenize{events:event-2023-09-16}}" in tex
    assert "\\hyperref[\\detokenize{events:event-2023-09-16}]" in tex
    assert re.search(r"Discussed in the editors.{0,20} notes: ", tex)


@pytest.mark.sphinx("html", testroot="event-unknown")
def test_a_reference_to_an_unknown_event_is_reported_naming_it(app):
    app.build()
    warnings = app._warning.getvalue()
    assert re.search(r"index.rst:\d+: WARNING: unknown event '2023-09-17'", warnings), warnings
    assert "unknown paragraph id" not in warnings


@pytest.mark.sphinx("html", testroot="event-duplicate")
def test_a_key_listed_twice_is_reported_naming_both_places(app):
    app.build()
    warnings = app._warning.getvalue()
    assert re.search(r"other.rst:\d+: WARNING: duplicate event '2023-09-16' \(also in index, line 8\)", warnings), warnings
    assert warnings.count("duplicate event") == 1


@pytest.mark.sphinx("html", testroot="events", srcdir="events-incremental", freshenv=True)
def test_when_a_note_s_mentions_change_the_events_page_is_written_again_alone(app, make_app):
    app.build()
    assert _mentions(_html(app, "events"), "event-2024-07-06") == ["The charter"]
    (app.srcdir / "later.rst").write_text(
        "Later\n=====\n\n.. ednote:: Renamed\n\n   Now on :edition:event:`2024-07-06` only.\n", encoding="utf-8")
    app.cleanup()  # forget the first build's registrations, as a new sphinx-build process would
    again = make_app("html", srcdir=app.srcdir, freshenv=False)
    written: list[str] = []
    again.connect("html-page-context", lambda _app, pagename, *_args: written.append(pagename))
    again.build()
    events = _html(again, "events")
    assert _mentions(events, "event-2023-09-16") == ["The charter", "Once more"]
    assert _mentions(events, "event-2024-07-06") == ["The charter", "Renamed"]
    assert {"events", "later"} <= set(written) and "chapter" not in written, written


@pytest.mark.sphinx("html", testroot="event-parallel", parallel=2)
def test_pages_read_in_parallel_give_the_same_events_and_lists(app, make_app, tmp_path):
    app.build()
    assert app._warning.getvalue() == ""
    serial = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "serial")
    serial.build()
    parallel_domain, serial_domain = app.env.get_domain("edition"), serial.env.get_domain("edition")
    assert dict(parallel_domain.events) == dict(serial_domain.events)
    assert dict(parallel_domain.event_mentions) == dict(serial_domain.event_mentions)
    assert _html(app, "events") == _html(serial, "events")
    order = [f"{which} on page {n}" for n in (5, 1, 4, 2, 3) for which in ("First", "Second")]
    assert _mentions(_html(app, "events"), "event-2023-09-16") == order
    assert _mentions(_html(app, "events"), "event-2024-07-06") == [f"Second on page {n}" for n in (5, 1, 4, 2, 3)]

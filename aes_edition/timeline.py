"""The timeline of events around the Alliance of Sahel States (``data/timeline.csv``).

One row per dated event, each with the source that dates it. The Timeline page is
generated from this file, and the notes link to its rows (``{event}`2023-09-16```), so
a date in a note and the date on the timeline can never disagree.

A row names its sources by their keys in ``editors.bib`` (the ``source`` column, keys
separated by spaces), not by a title and an address typed into the row: each web page
is then described once, with its address and the date the editors read it, and the
Editors' sources page lists every page the timeline rests on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scholarly_edition.strict_data import DataError, read_rows

from .paths import DATA
from .reference_register import bib_keys, parsed_bib
from .sources import EDITORS_BIB

FILE = DATA / "timeline.csv"
REQUIRED = ["date", "event", "category", "source", "confidence", "checked"]
OPTIONAL: list[str] = []
CONFIDENCE = ("high", "medium", "low")
CHECKED = ("yes", "no")
PARTIAL_DATE = re.compile(r"^(?P<y>[0-9]{4})(-(?P<m>[0-9]{2})(-(?P<d>[0-9]{2}))?)?$")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class Source:
    """A web source of the timeline, as its ``editors.bib`` entry describes it."""

    key: str
    title: str
    author: str  # the agency, newspaper or body that published it
    url: str


@dataclass(frozen=True)
class Event:
    """One dated event and the sources that date it."""

    key: str  # the event's date, with -2, -3 … for a second event on the same day
    date: str  # ISO 8601, as precise as known: 2023-09-16, 2023-09 or 2023
    event: str
    category: str
    sources: tuple[Source, ...]  # in the order the row names them; the first dates the event
    confidence: str
    checked: bool  # the editors checked the row against its source
    row: int

    @property
    def url(self) -> str:
        """The address of the event's first source, where a date in a note points."""
        return self.sources[0].url

    @property
    def anchor(self) -> str:
        """The event's id on the Timeline page, and its Sphinx label."""
        return f"timeline-{self.key}"

    @property
    def display_date(self) -> str:
        """The date as a reader says it: "16 September 2023"."""
        return display_date(self.date)


def parse_partial_date(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) of an ISO date that may omit day or month (0 when omitted);
    None if it is not a real date."""
    match = PARTIAL_DATE.match(value)
    if not match:
        return None
    year, month, day = int(match["y"]), int(match["m"] or 0), int(match["d"] or 0)
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def display_date(value: str) -> str:
    """'2023-09-16' → '16 September 2023'; '2023-09' → 'September 2023'."""
    parsed = parse_partial_date(value)
    if parsed is None:
        return value
    year, month, day = parsed
    if day:
        return f"{day} {MONTHS[month - 1]} {year}"
    if month:
        return f"{MONTHS[month - 1]} {year}"
    return str(year)


def _plain(value: str) -> str:
    """A BibTeX field as a reader reads it: without the braces that protect case."""
    return " ".join(value.replace("{", "").replace("}", "").split())


def _sources(path: Path, number: int, value: str, bib: Path, entries: dict[str, dict[str, str]],
             persons: dict) -> tuple[Source, ...]:
    """The row's sources, each a key of ``editors.bib`` (its ``entries`` fields and its
    ``persons``, read once for the whole table) with a web address and the date the editors
    read it: a timeline row points its reader at a page, so the page must be named once,
    where the Editors' sources page lists it."""
    keys = value.split()
    if not keys:
        raise DataError(path, number, "source", "required field is empty")
    found: list[Source] = []
    for key in keys:
        fields = entries.get(key)
        if fields is None:
            raise DataError(path, number, "source", f"'{key}' is not a key of {bib.name}")
        if not fields.get("url"):
            raise DataError(path, number, "source", f"'{key}' has no url in {bib.name}")
        if not fields.get("urldate"):
            raise DataError(path, number, "source", f"'{key}' has no urldate (date read) in {bib.name}")
        authors = persons[key].persons.get("author", [])
        author = _plain(" and ".join(str(p) for p in authors) or fields.get("organization", ""))
        found.append(Source(key, _plain(fields["title"]), author, fields["url"]))
    if len(set(keys)) != len(keys):
        raise DataError(path, number, "source", "names a source twice")
    return tuple(found)


def load_timeline(path: Path = FILE, bib: Path = EDITORS_BIB) -> list[Event]:
    """Load and validate the timeline, in date order; raise :class:`DataError` at the
    first bad row, naming the file, the row and the field."""
    events: list[Event] = []
    seen: dict[tuple[str, str], int] = {}
    per_day: dict[str, int] = {}
    entries, persons = bib_keys(bib), parsed_bib(bib).entries
    for number, row in read_rows(path, REQUIRED, OPTIONAL):
        if parse_partial_date(row["date"]) is None:
            raise DataError(path, number, "date", f"'{row['date']}' is not a date of the form 2023-09-16 (or 2023-09, 2023)")
        sources = _sources(path, number, row["source"], bib, entries, persons)
        if row["confidence"] not in CONFIDENCE:
            raise DataError(path, number, "confidence", f"'{row['confidence']}' is not one of {', '.join(CONFIDENCE)}")
        if row["checked"] not in CHECKED:
            raise DataError(path, number, "checked", f"'{row['checked']}' is not one of {', '.join(CHECKED)}")
        identity = (row["date"], row["event"])
        if identity in seen:
            raise DataError(path, number, "event", f"repeats row {seen[identity]}")
        seen[identity] = number
        per_day[row["date"]] = per_day.get(row["date"], 0) + 1
        key = row["date"] if per_day[row["date"]] == 1 else f"{row['date']}-{per_day[row['date']]}"
        events.append(Event(key, row["date"], row["event"], row["category"], sources, row["confidence"],
                            row["checked"] == "yes", number))
    if not events:
        raise DataError(path, None, None, "the timeline has no events")
    return sorted(events, key=lambda e: (parse_partial_date(e.date), e.row))


def events_end(events: list[Event]) -> str:
    """The month the timeline runs to, as a reader says it ("February 2026"): the month of
    its latest event (the year alone if that event is dated only by its year).

    The site states it beside the edition's date, and the commentary says "events to" this
    month, so that when the record the editors could reach stops before the edition's date,
    the reader is told, and the statement follows the data when a later event is added.
    """
    if not events:
        raise ValueError("the timeline has no events")
    year, month, _day = max(parse_partial_date(event.date) or (0, 0, 0) for event in events)
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


def events_by_key(path: Path = FILE) -> dict[str, Event]:
    """The events by key, the look-up the ``{event}`` role uses."""
    return {event.key: event for event in load_timeline(path)}

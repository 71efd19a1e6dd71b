"""The edition's versions and what changed in each (``data/changelog.yaml``).

A reader who cites the edition gives its version; the Changelog page says what each version
changed, so that a citation of version 1.0.0 can be read against the text as it then stood.
The page is generated from this file, and the file is held to the edition's other statements
of its version: the newest released version and its date must be those of ``CITATION.cff``
(which must agree with ``pyproject.toml``: :mod:`aes_edition.citation`). Work not yet released
is one entry at the top, ``status: in preparation``, with a version above the released one
and no date. Versions are numbered ``MAJOR.MINOR.PATCH`` and listed newest first.

The file is a YAML list::

    - version: 1.1.0
      status: in preparation
      changes:
        - What changed, in a sentence.
    - version: 1.0.0
      date: 2026-12-05
      summary: The first edition.
      changes:
        - ...

Every fault raises :class:`~scholarly_edition.strict_data.DataError` naming the file, the line and
the problem.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from scholarly_edition.strict_data import LINE, DataError, compose_yaml, load_yaml

from .paths import DATA

FILE = DATA / "changelog.yaml"
FIELDS = ("version", "date", "status", "summary", "changes")
IN_PREPARATION = "in preparation"
VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Release:
    """One version of the edition: released on ``date``, or in preparation (``date`` None)."""

    version: str
    date: datetime.date | None
    summary: str
    changes: tuple[str, ...]
    line: int

    @property
    def released(self) -> bool:
        return self.date is not None

    @property
    def number(self) -> tuple[int, int, int]:
        major, minor, patch = (int(part) for part in self.version.split("."))
        return major, minor, patch

    @property
    def anchor(self) -> str:
        """The id of the version on the Changelog page: ``version-1-0-0``."""
        return "version-" + self.version.replace(".", "-")


def _fault(path: Path, line: int | None, problem: str) -> DataError:
    return DataError(path, line, None, problem, row_name=LINE)


def _node_lines(node: yaml.MappingNode) -> dict[str, int]:
    """The line of each key of a mapping node."""
    return {key.value: key.start_mark.line + 1 for key, _value in node.value if isinstance(key, yaml.ScalarNode)}


def _text(path: Path, line: int, value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fault(path, line, f"'{field}' must be a text, and not empty")
    return re.sub(r"\s+", " ", value).strip()


def _entry(path: Path, node: yaml.Node, value: object) -> Release:
    line = node.start_mark.line + 1
    if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
        raise _fault(path, line, "an entry must be a mapping of version, date or status, summary and changes")
    lines = _node_lines(node)
    unknown = [key for key in value if key not in FIELDS]
    if unknown:
        raise _fault(path, lines.get(unknown[0], line),
                     f"unknown field '{unknown[0]}' (known: {', '.join(FIELDS)})")
    if "version" not in value:
        raise _fault(path, line, "the entry has no 'version'")
    version = _text(path, lines["version"], value["version"], "version")
    if not VERSION.fullmatch(version):
        raise _fault(path, lines["version"], f"version '{version}' is not MAJOR.MINOR.PATCH (for example 1.0.0)")
    date: datetime.date | None = None
    if "date" in value and "status" in value:
        raise _fault(path, lines["status"], f"version {version} has a date and a status: a released version has "
                     f"its date, one in preparation 'status: {IN_PREPARATION}'")
    if "date" in value:
        text = _text(path, lines["date"], value["date"], "date")
        if not DATE.fullmatch(text):
            raise _fault(path, lines["date"], f"date '{text}' of version {version} is not YYYY-MM-DD")
        try:
            date = datetime.date.fromisoformat(text)
        except ValueError as error:
            raise _fault(path, lines["date"], f"date '{text}' of version {version} is not a date: {error}") from None
    elif "status" in value:
        status = _text(path, lines["status"], value["status"], "status")
        if status != IN_PREPARATION:
            raise _fault(path, lines["status"], f"status '{status}' of version {version}: the only status is "
                         f"'{IN_PREPARATION}' (a released version gives its date instead)")
    else:
        raise _fault(path, line, f"version {version} has neither a date (released) nor 'status: {IN_PREPARATION}'")
    summary = _text(path, lines["summary"], value["summary"], "summary") if "summary" in value else ""
    changes = value.get("changes")
    change_line = lines.get("changes", line)
    if not isinstance(changes, list) or not changes:
        raise _fault(path, change_line, f"version {version} lists no changes (a list under 'changes')")
    items = node.value[[key.value for key, _ in node.value].index("changes")][1]
    texts = []
    for item_node, item in zip(items.value, changes, strict=True):
        texts.append(_text(path, item_node.start_mark.line + 1, item, "changes"))
    return Release(version, date, summary, tuple(texts), line)


def load_changelog(path: Path = FILE) -> list[Release]:
    """The versions of the edition, newest first, checked: one entry per version, in
    descending order of version and date, only the newest may be in preparation, and at
    least one is released."""
    data = load_yaml(path, text_only=True)
    tree = compose_yaml(path)
    if not isinstance(data, list) or not isinstance(tree, yaml.SequenceNode) or not data:
        raise _fault(path, 1, "expected a list of versions, newest first")
    releases = [_entry(path, node, value) for node, value in zip(tree.value, data, strict=True)]
    for newer, older in zip(releases, releases[1:], strict=False):
        if older.number >= newer.number:
            raise _fault(path, older.line, f"version {older.version} follows {newer.version}: list the versions "
                         "newest first, each once")
        if not older.released:
            raise _fault(path, older.line, f"version {older.version} is in preparation but is not the newest; "
                         "only the next version can be in preparation")
        if newer.date is not None and older.date is not None and older.date > newer.date:
            raise _fault(path, older.line, f"version {older.version} is dated {older.date.isoformat()}, after the "
                         f"newer version {newer.version} ({newer.date.isoformat()})")
    if not any(release.released for release in releases):
        raise _fault(path, releases[0].line, "no released version (an entry with a date)")
    return releases


def current(releases: list[Release]) -> Release:
    """The newest released version."""
    return next(release for release in releases if release.released)


def in_preparation(releases: list[Release]) -> Release | None:
    """The next version, when changes not yet released are listed."""
    return releases[0] if not releases[0].released else None


def check_against_citation(releases: list[Release], version: str, date_released: datetime.date,
                           path: Path = FILE, citation_file: str = "CITATION.cff") -> None:
    """The newest released version must be the one ``CITATION.cff`` asks readers to cite."""
    newest = current(releases)
    if newest.version != version:
        raise _fault(path, newest.line, f"the newest released version is {newest.version}, but {citation_file} "
                     f"gives version {version}: release the version in both, or mark it 'status: {IN_PREPARATION}'")
    if newest.date != date_released:
        raise _fault(path, newest.line, f"version {newest.version} is dated {newest.date}, but {citation_file} "
                     f"gives date-released {date_released.isoformat()}")


def check_changelog() -> list[Release]:
    """For ``python -m aes_edition.check_data``: the file, and its agreement with ``CITATION.cff``."""
    from .citation import load_citation

    releases = load_changelog()
    citation = load_citation()
    check_against_citation(releases, citation.version, citation.date_released)
    return releases

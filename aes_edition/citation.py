"""What to cite: the edition as ``CITATION.cff`` states it, read and held to the addresses.

``CITATION.cff`` is read by GitHub's "Cite this repository", by reference managers and by
archives; the "How to cite" page shows its ``preferred-citation`` (the ``edition-citation``
directive) and every page's Highwire Press tags name its authors and editors
(:mod:`aes_edition.sphinxext.publishing`). One file states the citation, so the page, the
tags and the file cannot disagree. Its two addresses (``repository-code`` and ``url``, at
the top and in ``preferred-citation``) are written out, as the format requires, and must
equal the ones derived from ``repository.url`` in ``_config.yml``
(:mod:`aes_edition.publishing`): the data check and the build stop when they do not, so
a copy published elsewhere cannot go on citing the original's address.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.strict_data import DataError, load_yaml, read_text

from .paths import ROOT
from .publishing import Publishing, from_config

CITATION_FILE = ROOT / "CITATION.cff"
# The package's version is the edition's: one version, stated in pyproject.toml (for the package)
# and CITATION.cff (for readers), held equal here.
PYPROJECT = ROOT / "pyproject.toml"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Person:
    """An author or editor: a person (family and given names) or a body (``name``)."""

    family: str = ""
    given: str = ""
    name: str = ""

    @property
    def inverted(self) -> str:
        """"Enejo, Julius Benjamin": as Highwire Press tags and reference lists want it."""
        return self.name or (f"{self.family}, {self.given}" if self.given else self.family)

    @property
    def natural(self) -> str:
        """"Bekaye Coulibaly"."""
        return self.name or " ".join(part for part in (self.given, self.family) if part)


@dataclass(frozen=True)
class EditionCitation:
    """The ``preferred-citation`` of ``CITATION.cff``."""

    title: str
    authors: tuple[Person, ...]
    editors: tuple[Person, ...]
    version: str
    date_released: datetime.date
    url: str
    repository_code: str

    def text(self) -> str:
        """The citation as the "How to cite" page shows it, as plain text (for the tests)."""
        return f"{self.authors_text()}. {self.title}. {self.editors_text()}. Version {self.version}, " \
               f"{self.date_text()}. {self.url}."

    def authors_text(self) -> str:
        """"Enejo, Julius Benjamin, and Bekaye Coulibaly": the first inverted, as in a reference list."""
        names = [self.authors[0].inverted, *(person.natural for person in self.authors[1:])]
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + (", and " if len(names) > 2 or "," in names[0] else " and ") + names[-1]

    def editors_text(self) -> str:
        names = [person.natural for person in self.editors]
        first = names[0][0].lower() + names[0][1:] if names[0].startswith("The ") else names[0]
        return "Edited by " + " and ".join([first, *names[1:]])

    def date_text(self) -> str:
        return f"{self.date_released.day} {self.date_released:%B %Y}"


def _people(path: Path, field: str, value: object) -> tuple[Person, ...]:
    if not isinstance(value, list) or not value:
        raise DataError(path, None, field, "must list at least one person or body", field_name="key")
    people = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise DataError(path, None, f"{field}[{number}]", "must be a mapping", field_name="key")
        person = Person(str(item.get("family-names", "")).strip(), str(item.get("given-names", "")).strip(),
                        str(item.get("name", "")).strip())
        if not (person.family or person.name):
            raise DataError(path, None, f"{field}[{number}]", "needs family-names or name", field_name="key")
        people.append(person)
    return tuple(people)


def _text(path: Path, data: dict, field: str, where: str) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, None, f"{where}{field}", "is missing", field_name="key")
    return value.strip()


def _date(path: Path, data: dict, field: str, where: str) -> datetime.date:
    value = data.get(field)
    text = value.isoformat() if isinstance(value, datetime.date) else str(value or "")
    if not DATE.fullmatch(text):
        raise DataError(path, None, f"{where}{field}", f"{value!r} is not a date (YYYY-MM-DD)", field_name="key")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise DataError(path, None, f"{where}{field}", f"{text} is not a date: {error}", field_name="key") from None


def _same_address(path: Path, field: str, stated: str, derived: str) -> None:
    if stated.rstrip("/") != derived.rstrip("/"):
        raise DataError(path, None, field, f"'{stated}' differs from '{derived}', derived from repository.url in "
                        "_config.yml (and html.baseurl); correct CITATION.cff", field_name="key")


def package_version(path: Path = PYPROJECT) -> str:
    """The version ``pyproject.toml`` gives the package."""
    try:
        version = tomllib.loads(read_text(path)).get("project", {}).get("version")
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, None, None, f"not valid TOML: {error}") from None
    if not isinstance(version, str) or not version.strip():
        raise DataError(path, None, "project.version", "is missing", field_name="key")
    return version.strip()


def load_citation(path: Path = CITATION_FILE, publishing: Publishing | None = None,
                  pyproject: Path | None = None) -> EditionCitation:
    """Read ``CITATION.cff``'s preferred citation and check its dates and addresses, and,
    given ``pyproject``, that its version is the package's (``python -m aes_edition.check_data``
    checks it before every build; the small Sphinx projects of the tests have no package).

    Raises :class:`DataError` naming the file and key; a missing or malformed publishing
    setting raises :class:`aes_edition.publishing.PublishingError` first.
    """
    publishing = publishing or from_config()
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise DataError(path, None, None, "must be a mapping of CFF keys")
    _date(path, data, "date-released", "")
    _same_address(path, "repository-code", _text(path, data, "repository-code", ""), publishing.repository_url)
    _same_address(path, "url", _text(path, data, "url", ""), publishing.site_url)
    preferred = data.get("preferred-citation")
    if not isinstance(preferred, dict):
        raise DataError(path, None, "preferred-citation", "is missing: it says what to cite", field_name="key")
    where = "preferred-citation."
    citation = EditionCitation(
        title=_text(path, preferred, "title", where),
        authors=_people(path, f"{where}authors", preferred.get("authors")),
        editors=_people(path, f"{where}editors", preferred.get("editors")),
        version=str(preferred.get("version") or "").strip() or _text(path, preferred, "version", where),
        date_released=_date(path, preferred, "date-released", where),
        url=_text(path, preferred, "url", where),
        repository_code=_text(path, preferred, "repository-code", where),
    )
    _same_address(path, f"{where}url", citation.url, publishing.site_url)
    _same_address(path, f"{where}repository-code", citation.repository_code, publishing.repository_url)
    if str(data.get("version", "")).strip() != citation.version:
        raise DataError(path, None, f"{where}version", f"'{citation.version}' differs from the file's version "
                        f"'{data.get('version')}'", field_name="key")
    package = package_version(pyproject) if pyproject is not None else citation.version
    if citation.version != package:
        raise DataError(path, None, "version", f"'{citation.version}' differs from the version in pyproject.toml, "
                        f"'{package}': the edition has one version; give it in both files", field_name="key")
    return citation


def check_citation() -> EditionCitation:
    """For ``python -m aes_edition.check_data``: the citation, its addresses and its version."""
    return load_citation(pyproject=PYPROJECT)

"""Which of the paper's works can count as support: the register of references decides.

The analysis records, for each finding, the works of the paper's reference list that the
paper cites for it (``findings.csv``, column ``works``). Whether such a citation is support
a reader can check depends on the register (``data/reference-register.csv``): a work the
editors verified or corrected is a *verified* work; a work of which no public record was
found is *unverified* and counts as unverified grounds, never as cited support. The
category of a finding's grounds is therefore derived from the register, not typed by hand,
and the checks below stop data that would call an unverified work support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.strict_data import DataError

from .emendations import Emendation
from .reference_register import BIB, bib_keys, load_register

VERIFIED = "verified work cited"
UNVERIFIED_ONLY = "unverified work only"
NONE_CITED = "no work cited"
CATEGORIES = (VERIFIED, UNVERIFIED_ONLY, NONE_CITED)
# Words that qualify a mention of an unverified work as such.
QUALIFIER = re.compile(r"\bunverified\b|could not (?:verify|find)|no record", re.IGNORECASE)
# Words that present grounds as a checkable citation.
SUPPORT_WORDS = re.compile(r"\bsourced\b|\bcited (?:source|work)\b|\bwith a (?:cited )?source\b", re.IGNORECASE)


@dataclass(frozen=True)
class Work:
    """A work of the paper's reference list as the analysis may name it."""

    key: str
    status: str  # the register's: verified, corrected or unverified
    names: tuple[str, ...]  # surnames under which the paper prints it (list and text)
    year: str
    listed: str = ""  # the first surname as the reference list prints it

    @property
    def label(self) -> str:
        """How a reader finds the work in the References: "Akinkugbe (2024)"."""
        return f"{self.listed or self.names[0]} ({self.year})"

    @property
    def verified(self) -> bool:
        return self.status in ("verified", "corrected")

    def named_in(self, text: str) -> bool:
        """Whether ``text`` names the work: one of its surnames followed by its year
        ("Akinkugbe (2024)", "Akinkugbe 2024", "Akinkugbe, 2024")."""
        return any(re.search(rf"\b{re.escape(name)}\b[^.;]{{0,40}}?\b{self.year}\b", text) for name in self.names)


def works(register: Path, bib: Path = BIB, emendations: dict[str, Emendation] | None = None) -> dict[str, Work]:
    """The paper's works by key, with the register's status and every surname the paper
    prints for them: the list's (from the register's printed reading) and the text's where
    an emendation keeps another form ("Adebajo" for the list's "Adebayo")."""
    entries = bib_keys(bib)
    result: dict[str, Work] = {}
    for row in load_register(register, bib):
        if not row.key:
            continue
        listed = re.match(r"[^,(]+", row.printed).group(0).strip()  # type: ignore[union-attr]
        names = {listed}
        for emendation in (emendations or {}).values():
            if f"`{row.key}`" in emendation.edition and emendation.printed:
                names.add(emendation.printed.split()[0].rstrip(","))
        result[row.key] = Work(row.key, row.status, tuple(sorted(names)), entries[row.key].get("year", ""), listed)
    return result


def category(keys: tuple[str, ...], known: dict[str, Work]) -> str:
    """The grounds category of a finding from the works cited for it."""
    if not keys:
        return NONE_CITED
    return VERIFIED if any(known[k].verified for k in keys) else UNVERIFIED_ONLY


def check_works(path: Path, number: int, value: str, grounds: str, known: dict[str, Work]) -> tuple[str, ...]:
    """The ``works`` of a finding: known keys, each named in the finding's grounds."""
    keys = tuple(value.split())
    for key in keys:
        if key not in known:
            raise DataError(path, number, "works", f"'{key}' is not a work of the register of references")
        if not known[key].named_in(grounds):
            raise DataError(path, number, "grounds",
                            f"the works column lists {key}, but the grounds do not name it ({' or '.join(known[key].names)}, "
                            f"{known[key].year})")
    return keys


def check_named_as_unverified(path: Path, number: int, field: str, text: str, known: dict[str, Work]) -> None:
    """A text that names an unverified work must say that it is unverified: it may report
    what the paper cites, never present it as support a reader can check."""
    for work in known.values():
        if not work.verified and work.named_in(text) and not QUALIFIER.search(text):
            raise DataError(path, number, field,
                            f"names {work.names[0]} ({work.year}), a work the register marks unverified, "
                            "without saying so: an unverified work is not cited support")

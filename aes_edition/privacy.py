"""The first author's personal telephone number, recognised without being written down.

The source prints the number under the author's e-mail address; the edition publishes it
nowhere (see the editorial principles). To prove that, the tests must recognise the number
in any file, and a pattern spelling out its digits would itself put it in the repository.
So the edition keeps only the SHA-256 digest of its ten national digits (those after the
country code +234, without a trunk 0) and compares the digest of every run of ten digits
in a text with it, whatever spaces, dots, dashes or brackets stand between the digits.
"""

from __future__ import annotations

import hashlib
import re

NUMBER_DIGEST = "2b04036afc5604127f3cd4dea04625cbc887bd623e8fb500abf2c759c150590d"
LENGTH = 10
# Digits with up to three bytes of punctuation or space between them ("+234 (0)703-…",
# "703 599 …", a no-break space); letters, commas and semicolons end a run, so that two
# numbers in a list are not read as one.
RUN = re.compile(rb"[0-9](?:[^0-9A-Za-z,;]{0,3}[0-9]){9,}")
NOT_DIGIT = re.compile(rb"[^0-9]")


def digest(digits: str) -> str:
    """The digest the edition keeps for a run of digits."""
    return hashlib.sha256(digits.encode("ascii")).hexdigest()


def contains_number(data: bytes | str, number_digest: str = NUMBER_DIGEST) -> bool:
    """Whether ``data`` writes the number whose ten digits have ``number_digest``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    for run in RUN.finditer(raw):
        digits = NOT_DIGIT.sub(b"", run.group())
        for start in range(len(digits) - LENGTH + 1):
            if hashlib.sha256(digits[start : start + LENGTH]).hexdigest() == number_digest:
                return True
    return False

"""The first author's personal telephone number is published nowhere: not in a tracked
file, not in the HTML (pages, sources, search index), not in any other output."""

from __future__ import annotations

import re
import subprocess

from aes_edition.paths import ROOT

# Digits only, so this file does not itself contain the number.
PATTERN = re.compile(rb"7\D{0,3}0\D{0,3}3\D{0,3}5\D{0,3}9\D{0,3}9\D{0,3}8\D{0,3}4\D{0,3}3\D{0,3}9")


def test_no_tracked_file_contains_the_number():
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    hits = [f.decode() for f in files if f and (ROOT / f.decode()).is_file() and PATTERN.search((ROOT / f.decode()).read_bytes())]
    assert hits == []


def test_no_build_output_contains_the_number(html_dir):
    outputs = [p for p in (ROOT / "_build").rglob("*") if p.is_file() and ".jupyter_cache" not in p.parts]
    assert any(p.name == "searchindex.js" for p in outputs)
    assert [str(p) for p in outputs if PATTERN.search(p.read_bytes())] == []


def test_the_pattern_finds_the_number_in_any_spacing():
    sample = "".join(["+234 ", "703", " 599 ", "8439"]).encode()
    assert PATTERN.search(sample)

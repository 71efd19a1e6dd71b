"""The first author's personal telephone number is published nowhere: not in a tracked
file, not in any build output (HTML pages and their text, the search index, page
sources, executed notebooks, the LaTeX sources and the text of the PDF).

The number is recognised by the digest of its digits (aes_edition/privacy.py), so this
file does not contain it either.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from aes_edition.paths import ROOT
from aes_edition.privacy import contains_number, digest

OUTPUTS = ROOT / "_build"


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    return [ROOT / name.decode() for name in listed if name and (ROOT / name.decode()).is_file()]


def _strings(value: object) -> Iterator[str]:
    """Every string inside a parsed JSON document (a notebook's sources and outputs)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return text + "\n" + info


def readable_forms(path: Path) -> Iterator[tuple[str, str | bytes]]:
    """The file's bytes, and the text a reader or a search engine gets from it."""
    yield "bytes", path.read_bytes()
    if path.suffix == ".html":
        yield "page text", BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "html.parser").get_text("")
    elif path.suffix == ".ipynb":
        yield "notebook cells", "\n".join(_strings(json.loads(path.read_text(encoding="utf-8"))))
    elif path.suffix == ".pdf":
        yield "PDF text", pdf_text(path)


def test_no_tracked_file_contains_the_number():
    hits = [str(p.relative_to(ROOT)) for p in tracked_files() if any(contains_number(d) for _, d in readable_forms(p))]
    assert hits == []


def test_no_build_output_contains_the_number(html_dir):
    scanned: dict[str, list[Path]] = {}
    hits = []
    for path in sorted(p for p in OUTPUTS.rglob("*") if p.is_file()):
        for form, data in readable_forms(path):
            scanned.setdefault(form, []).append(path)
            if contains_number(data):
                hits.append(f"{path.relative_to(ROOT)} ({form})")
    assert hits == []
    assert any(p.name == "searchindex.js" for p in scanned["bytes"])
    assert len(scanned["page text"]) >= 10
    pdfs = list(OUTPUTS.glob("latex/*.pdf"))
    if (OUTPUTS / "latex").is_dir():
        assert pdfs, "_build/latex exists but holds no PDF: run `make pdf` (make test does)"
        assert set(pdfs) <= set(scanned.get("PDF text", [])) and all(pdf_text(p).strip() for p in pdfs)


def test_the_notebooks_do_not_contain_the_number():
    notebooks = sorted((ROOT / "notebooks").rglob("*.ipynb")) + sorted(OUTPUTS.rglob("*.ipynb"))
    assert [str(p) for p in notebooks if any(contains_number(d) for _, d in readable_forms(p))] == []


@pytest.mark.parametrize("written", [
    "+234 0123456789", "0123456789", "(0) 012 345 6789", "012-345-6789", "+234\u00a0012.345.6789",
    "<td>012</td><td>345</td><td>6789</td>",
])
def test_the_detector_finds_a_number_however_it_is_written(written):
    """The detector at work on a stand-in number whose digest the test computes."""
    stand_in = digest("0123456789")
    found = contains_number(written, stand_in) or contains_number(BeautifulSoup(written, "html.parser").get_text(""), stand_in)
    assert found


def test_the_detector_ignores_other_numbers():
    stand_in = digest("0123456789")
    assert not contains_number("+234 0123456780, 1234567890, 012345678", stand_in)


def test_pdf_text_is_searched(tmp_path):
    """The PDF check reads the PDF's text, not its compressed bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure()
    figure.text(0.1, 0.5, "Phone: 012 345 6789")
    figure.savefig(tmp_path / "sample.pdf")
    plt.close(figure)
    assert contains_number(pdf_text(tmp_path / "sample.pdf"), digest("0123456789"))

"""Where the edition stands: the changelog (data/changelog.yaml) and its page, the version and
the date the text was last revised on every page.

The file is read strictly: each fault is refused with one line naming the file, the line and
the problem. Its newest released version is the one CITATION.cff gives. The built pages show
the version and the date the package derives, not a typed copy of them.
"""

from __future__ import annotations

import datetime
import re
import textwrap

import pytest
from scholarly_edition.strict_data import DataError

from aes_edition.changelog import (
    FILE,
    check_against_citation,
    check_changelog,
    current,
    in_preparation,
    load_changelog,
)
from aes_edition.citation import load_citation
from aes_edition.paragraphs import toc_files
from aes_edition.revision import text_revision

GOOD = """\
- version: 1.1.0
  status: in preparation
  changes:
    - A change not yet released.
- version: 1.0.0
  date: 2026-12-05
  summary: The first edition.
  changes:
    - The first change.
"""


def _write(tmp_path, text: str):
    path = tmp_path / "changelog.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_good_changelog_is_read_newest_first(tmp_path):
    releases = load_changelog(_write(tmp_path, GOOD))
    assert [r.version for r in releases] == ["1.1.0", "1.0.0"]
    assert current(releases).date == datetime.date(2026, 12, 5) and in_preparation(releases).version == "1.1.0"
    assert releases[1].line == 5 and releases[1].anchor == "version-1-0-0"


BAD = [
    ("not a list", "version: 1.0.0\n", r"line 1: expected a list of versions"),
    ("unknown field", GOOD.replace("  summary:", "  sumary:"), r"line 7: unknown field 'sumary'"),
    ("no version", GOOD.replace("- version: 1.0.0\n  date", "- date"), r"line 5: the entry has no 'version'"),
    ("bad version", GOOD.replace("1.0.0", "1.0"), r"line 5: version '1\.0' is not MAJOR\.MINOR\.PATCH"),
    ("bad date", GOOD.replace("2026-12-05", "5 December 2026"), r"line 6: date '5 December 2026' of version 1\.0\.0 "
     r"is not YYYY-MM-DD"),
    ("impossible date", GOOD.replace("2026-12-05", "2026-02-30"), r"line 6: date '2026-02-30' .* is not a date"),
    ("date and status", GOOD.replace("  status: in preparation\n", "  status: in preparation\n  date: 2026-12-06\n"),
     r"line 2: version 1\.1\.0 has a date and a status"),
    ("other status", GOOD.replace("in preparation", "draft"), r"line 2: status 'draft' of version 1\.1\.0"),
    ("neither", GOOD.replace("  status: in preparation\n", ""), r"line 1: version 1\.1\.0 has neither a date"),
    ("no changes", GOOD.replace("  changes:\n    - A change not yet released.\n", ""), r"line 1: version 1\.1\.0 "
     r"lists no changes"),
    ("empty change", GOOD.replace("A change not yet released.", "''"), r"line 4: 'changes' must be a text"),
    ("change not a text", GOOD.replace("- A change not yet released.", "- {a: b}"), r"line 4: 'changes' must be a text"),
    ("out of order", GOOD.replace("1.1.0", "0.9.0"), r"line 5: version 1\.0\.0 follows 0\.9\.0"),
    ("same version twice", GOOD.replace("1.1.0", "1.0.0"), r"line 5: version 1\.0\.0 follows 1\.0\.0"),
    ("older in preparation", GOOD + "- version: 0.9.0\n  status: in preparation\n  changes: [x]\n",
     r"line 10: version 0\.9\.0 is in preparation but is not the newest"),
    ("dates out of order", GOOD.replace("  status: in preparation\n", "  date: 2026-12-01\n"),
     r"line 5: version 1\.0\.0 is dated 2026-12-05, after the newer version 1\.1\.0"),
    ("nothing released", "- version: 1.0.0\n  status: in preparation\n  changes: [x]\n",
     r"line 1: no released version"),
    ("repeated key", GOOD.replace("  summary: The first edition.\n", "  date: 2026-12-04\n"),
     r"line 7: not valid YAML: .*key 'date' repeated"),
    ("bad YAML", GOOD.replace("  changes:\n    - The first change.", "  changes: [x"), r"line \d+: not valid YAML"),
]


@pytest.mark.parametrize(("text", "message"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_faulty_changelog_is_refused_naming_file_and_line(tmp_path, text, message):
    with pytest.raises(DataError, match=rf"^changelog\.yaml, {message}") as caught:
        load_changelog(_write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_the_newest_release_is_the_one_citation_cff_gives(tmp_path):
    path = _write(tmp_path, GOOD)
    releases = load_changelog(path)
    check_against_citation(releases, "1.0.0", datetime.date(2026, 12, 5), path)
    with pytest.raises(DataError, match=r"changelog\.yaml, line 5: the newest released version is 1\.0\.0, but "
                       r"CITATION\.cff gives version 1\.1\.0"):
        check_against_citation(releases, "1.1.0", datetime.date(2026, 12, 5), path)
    with pytest.raises(DataError, match=r"line 5: version 1\.0\.0 is dated 2026-12-05, but CITATION\.cff gives "
                       r"date-released 2026-12-06"):
        check_against_citation(releases, "1.0.0", datetime.date(2026, 12, 6), path)


def test_the_editions_changelog_agrees_with_its_citation():
    releases = check_changelog()
    citation = load_citation()
    assert current(releases).version == citation.version and current(releases).date == citation.date_released


# The built pages ------------------------------------------------------------------------------

def _text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).replace(" .", ".").replace(" ;", ";").strip()


def test_the_changelog_page_lists_every_version_and_change(pages):
    assert "chapters/changelog" in toc_files()
    page = pages["chapters/changelog"]
    releases = load_changelog(FILE)
    blocks = page.select("div.changelog-version")
    assert [block.get("id") for block in blocks] == [release.anchor for release in releases]
    for block, release in zip(blocks, releases, strict=True):
        heading = _text(block.select_one("p.rubric"))
        assert heading.startswith(f"Version {release.version}, ")
        assert heading.endswith("in preparation" if not release.released else f"{release.date:%B %Y}")
        items = [_text(item) for item in block.select("li")]
        assert items == [change.replace("'", "’") for change in release.changes]


def test_every_page_names_the_version_and_the_texts_last_revision(pages):
    version = current(check_changelog()).version
    revised = text_revision().text()
    for doc, page in pages.items():
        line = page.select_one("footer .edition-version-line")
        assert line is not None, f"{doc}: no version in the footer"
        text = _text(line)
        assert text.startswith(f"Version {version}") and f"text last revised {revised}" in text, f"{doc}: {text}"
        link = line.select_one("a")
        if doc == "chapters/changelog":
            assert link is None
        else:
            assert link is not None and link["href"].endswith("changelog.html"), f"{doc}: {line}"
    front = _text(pages[toc_files()[0]].select_one("p.edition-status"))
    assert f"This is version {version} of the edition" in front and revised in front


def test_how_to_cite_gives_the_current_version(pages):
    text = pages["chapters/how-to-cite"].select_one("article").get_text(" ")
    versions = re.findall(r"version\s+(\d+\.\d+\.\d+)", text, re.I)
    assert len(versions) >= 3, versions  # the citation and the two examples
    versions = set(versions)
    assert versions == {load_citation().version}

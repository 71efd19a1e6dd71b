"""The analysis data (concepts, propositions, objectives, findings and their links) load,
and every kind of bad row is rejected with a message that names the file, the row and the
field to fix (issue: executable notebooks)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from scholarly_edition.strict_data import DataError

from aes_edition.analysis_data import (
    CONCEPT_KINDS,
    TRACE_KINDS,
    load_concept_map,
    load_traceability,
    paper_words,
)
from aes_edition.emendations import load_emendations
from aes_edition.paragraphs import paragraph_index
from aes_edition.paths import CHAPTERS, COPY_TEXT, DATA

TABLES = ["concepts.csv", "propositions.csv", "objectives.csv", "findings.csv", "objective-findings.csv",
          "recommendations.csv", "recommendation-links.csv", "emendations.csv", "glossary.yaml",
          "reference-register.csv"]


def test_the_analysis_is_as_large_as_promised():
    concept_map = load_concept_map()
    assert len(concept_map.concepts) >= 25
    assert len(concept_map.propositions) >= 30
    assert {c.kind for c in concept_map.concepts.values()} == set(CONCEPT_KINDS)
    trace = load_traceability()
    assert [o.id for o in trace.objectives.values() if o.kind == "objective"] == ["i", "ii", "iii", "iv"]
    assert trace.objectives["iii"].status == "truncated"
    assert {link.kind for link in trace.trace_links} <= set(TRACE_KINDS)
    assert len({link.kind for link in trace.trace_links}) >= 2
    assert list(trace.recommendations) == ["i", "ii", "iii", "iv", "v"]


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in TABLES:
        shutil.copy(DATA / name, data / name)
    return data


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _edit(data: Path, table: str, index: int, **changes: str) -> int:
    """Change the fields of the data row ``index``; return its row number as reported."""
    header, rows = _rows(data / table)
    rows[index].update(changes)
    _write(data / table, header, rows)
    return index + 2


def _load_all(data: Path) -> None:
    load_concept_map(data, CHAPTERS)
    load_traceability(data, CHAPTERS, COPY_TEXT)


@pytest.mark.parametrize(
    ("table", "index", "changes", "field", "message"),
    [
        ("propositions.csv", 3, {"source": "regional-secutiry"}, "source", "unknown concept id 'regional-secutiry'"),
        ("propositions.csv", 0, {"target": "nato"}, "target", "unknown concept id 'nato'"),
        ("concepts.csv", 2, {"paras": "literature-review-p1 literature-review-p42"}, "paras",
         "unknown paragraph id 'literature-review-p42'"),
        ("findings.csv", 5, {"paras": "impact-p9"}, "paras", "unknown paragraph id 'impact-p9'"),
        ("concepts.csv", 4, {"id": "security"}, "id", "duplicate id 'security'"),
        ("findings.csv", 1, {"id": "F01"}, "id", "duplicate id 'F01'"),
        ("propositions.csv", 6, {"quote": "The Sahel exemplifies no such complex"}, "quote", "not found in"),
        ("findings.csv", 0, {"quote": "the AES has failed"}, "quote", "not found in"),
        ("concepts.csv", 0, {"kind": "idea"}, "kind", "unknown value 'idea'"),
        ("concepts.csv", 0, {"level": "top"}, "level", "not a whole number"),
        ("objectives.csv", 1, {"printed": "ii. To analyse the effect of the AES."}, "printed", "not in the copy-text"),
        ("objectives.csv", 0, {"status": "truncated"}, "status", "no 'lacuna' row"),
        ("objectives.csv", 2, {"status": "complete"}, "status", "text wanting in objectives-p3"),
        ("objective-findings.csv", 0, {"finding": "F99"}, "finding", "unknown finding 'F99'"),
        ("objective-findings.csv", 0, {"objective": "v"}, "objective", "unknown objective 'v'"),
        ("objective-findings.csv", 0, {"objective": "iii"}, "objective", "truncated in the source"),
        ("objective-findings.csv", 0, {"kind": "proved"}, "kind", "unknown value 'proved'"),
        ("objective-findings.csv", 0, {"bearing": "supports"}, "bearing", "only a claim of the hypothesis"),
        ("recommendation-links.csv", 0, {"recommendation": "vi"}, "recommendation", "unknown recommendation 'vi'"),
        ("recommendations.csv", 1, {"title": "Rebuild Relations with the AU"}, "title", "not in the copy-text"),
        # An unverified work is unverified grounds, never cited support (aes_edition.grounds).
        ("findings.csv", 2, {"grounds": "Akinkugbe (2024) is cited for it (emergence-p1)."}, "grounds",
         "names Akinkugbe (2024), a work the register marks unverified, without saying so"),
        ("findings.csv", 2, {"works": "akinkugbe2024"}, "works", "'akinkugbe2024' is not a work of the register"),
        ("findings.csv", 1, {"works": "baldwin1997concept"}, "grounds", "the works column lists baldwin1997concept"),
        ("objective-findings.csv", 2, {"kind": "addressed"}, "kind",
         "F03 rests only on works the register marks unverified (akinkugbe2024ecowas)"),
        ("objective-findings.csv", 7, {"note": "The break with ECOWAS is sourced."}, "note",
         "calls the grounds of F08 sourced"),
        ("recommendation-links.csv", 3, {"note": "Koné (2024) shows the risk."}, "note",
         "names Koné (2024), a work the register marks unverified"),
    ],
)
def test_bad_rows_are_rejected_by_file_row_and_field(tmp_path, table, index, changes, field, message):
    data = _copy(tmp_path)
    row = _edit(data, table, index, **changes)
    with pytest.raises(DataError) as caught:
        _load_all(data)
    error = caught.value
    assert (error.path.name, error.row, error.field) == (table, row, field), str(error)
    assert message in str(error)
    assert str(error).startswith(f"{table}, row {row}, field '{field}': ")


def test_an_objective_with_no_row_is_rejected(tmp_path):
    data = _copy(tmp_path)
    header, rows = _rows(data / "objectives.csv")
    _write(data / "objectives.csv", header, [r for r in rows if r["id"] != "ii"])
    header, links = _rows(data / "objective-findings.csv")
    _write(data / "objective-findings.csv", header, [r for r in links if r["objective"] != "ii"])
    with pytest.raises(DataError) as caught:
        load_traceability(data, CHAPTERS, COPY_TEXT)
    assert str(caught.value) == "objectives.csv, field 'para': objective Objectives of the Study ¶2 (objectives-p2) has no row"


def test_a_recommendation_with_no_row_is_rejected(tmp_path):
    data = _copy(tmp_path)
    header, rows = _rows(data / "recommendations.csv")
    _write(data / "recommendations.csv", header, [r for r in rows if r["id"] != "v"])
    header, links = _rows(data / "recommendation-links.csv")
    _write(data / "recommendation-links.csv", header, [r for r in links if r["recommendation"] != "v"])
    with pytest.raises(DataError, match=r"recommendations.csv, field 'para': recommendation Recommendations ¶5"):
        load_traceability(data, CHAPTERS, COPY_TEXT)


def test_two_propositions_between_the_same_concepts_are_rejected(tmp_path):
    data = _copy(tmp_path)
    header, rows = _rows(data / "propositions.csv")
    first = rows[0]
    rows.append({**first, "id": "P99", "source": first["target"], "target": first["source"]})
    _write(data / "propositions.csv", header, rows)
    with pytest.raises(DataError, match=rf"propositions.csv, row {len(rows) + 1}, field 'target': .* already linked in row 2"):
        load_concept_map(data, CHAPTERS)


def test_a_glossary_term_must_be_in_the_glossary(tmp_path):
    data = _copy(tmp_path)
    header, rows = _rows(data / "concepts.csv")
    index = next(i for i, r in enumerate(rows) if r["glossary_term"])
    rows[index]["glossary_term"] = "Group of Eight"
    _write(data / "concepts.csv", header, rows)
    with pytest.raises(DataError, match=rf"concepts.csv, row {index + 2}, field 'glossary_term': 'Group of Eight' is not a term"):
        load_concept_map(data, CHAPTERS)
    (data / "glossary.yaml").unlink()
    with pytest.raises(DataError, match=r"glossary.yaml: file is missing"):
        load_concept_map(data, CHAPTERS)


def test_quotations_are_matched_against_the_words_the_paper_prints():
    """Links the editors add to a paragraph (glossary terms, emendations) do not hide its words."""
    index = paragraph_index()
    printed = {e.id: e.printed for e in load_emendations().values()}
    conclusion = paper_words(index["conclusion-p1"], printed)
    assert "The creation of the Alliance for Sahel States was a result" in conclusion
    assert "{term}" not in conclusion and "<AES>" not in conclusion
    impact = paper_words(index["impact-p3"], printed)
    assert "regional coordination effort-for instance" in impact  # E12 as printed
    review = paper_words(index["literature-review-p1"], printed)
    assert "{cite" not in review and "baldwin1997concept" not in review


def test_the_data_check_runs_the_analysis_loaders():
    from aes_edition.check_data import CHECKS

    loaders = {load for _name, load in CHECKS}
    assert load_concept_map in loaders and load_traceability in loaders


def test_grounds_are_derived_from_the_register(tmp_path):
    """The category of a finding's grounds follows the register: the same finding counts as
    cited support once its work is verified, and as unverified grounds while it is not."""
    from aes_edition.grounds import UNVERIFIED_ONLY, VERIFIED

    assert load_traceability().findings["F03"].grounds_category == UNVERIFIED_ONLY
    data = _copy(tmp_path)
    header, rows = _rows(data / "reference-register.csv")
    for row in rows:
        if row["key"] == "akinkugbe2024ecowas":
            row.update(status="verified", evidence="https://example.org/record")
    _write(data / "reference-register.csv", header, rows)
    bib = tmp_path / "references.bib"
    bib.write_text((DATA.parent / "references.bib").read_text(encoding="utf-8").replace(
        "note    = {Unverified: no public record found by the editors; reproduced as printed.}\n}\n\n@article{baldwin",
        "note    = {}\n}\n\n@article{baldwin"), encoding="utf-8")
    trace = load_traceability(data, CHAPTERS, COPY_TEXT, bib)
    assert trace.findings["F03"].grounds_category == VERIFIED

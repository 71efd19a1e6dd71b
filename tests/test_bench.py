"""``make bench`` works (issue 8). Its quick mode runs every measurement once, in a copy of
the book; no time is asserted (machines are noisy: benchmarks/RESULTS.md records the
timed run). What is asserted could fail: every row is measured, the data change
re-executes exactly the notebooks that declare the table, and every file of the site is
loaded by some page."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from aes_edition.paths import ROOT

BENCH = ROOT / "benchmarks" / "bench.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--output", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert out.read_text(encoding="utf-8") in done.stdout, "make bench prints the table it writes"
    return out.read_text(encoding="utf-8")


def test_the_quick_bench_measures_every_row(quick_report):
    rows = [line for line in quick_report.splitlines() if line.startswith("| (")]
    labels = [row.split("|")[1].strip().split(" ")[0] for row in rows]
    assert labels[:7] == ["(a)", "(b)", "(c)", "(d)", "(d′)", "(e)", "(f)"]
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert [re.search(r"`([\w-]+\.ipynb)`", row).group(1) for row in rows[7:]] == notebooks
    for row in rows:
        minimum, median = (float(cell) for cell in row.split("|")[2:4])
        assert 0 < minimum <= median
    assert "Machine:" in quick_report and "cores" in quick_report


def test_the_data_change_re_executes_exactly_the_notebooks_that_read_the_table(quick_report):
    row = next(line for line in quick_report.splitlines() if line.startswith("| (e)"))
    ran, expected = re.search(r"re-executed ([\w, -]+); expected ([\w, -]+) — ", row).groups()
    assert ran == expected and ran != "none", row
    assert len(expected.split(", ")) < len(list((ROOT / "notebooks").glob("*.ipynb"))), "the table must not be read by all"


def test_every_file_of_the_site_is_loaded_by_some_page(quick_report):
    assert re.search(r"Heaviest page: `[^`]+\.html`, \d+ KiB in \d+ requests", quick_report)
    unused = re.search(r"Files of the site that no page loads: (\d+)(.*)", quick_report)
    assert unused and unused.group(1) == "0", unused.group(0) if unused else quick_report


def test_the_bench_edits_change_one_note_and_one_cell():
    bench = _bench_module()
    chapter = (ROOT / bench.CHAPTER).read_text(encoding="utf-8")
    edited = bench.add_sentence_to_first_note(chapter, 1)
    added = set(edited.splitlines()) - set(chapter.splitlines())
    assert added == {"The editors revised this note (benchmark run 1)."}
    table = (ROOT / bench.DATA_FILE).read_text(encoding="utf-8")
    changed = bench.change_table_cell(table, 2)
    before, after = table.splitlines(), changed.splitlines()
    assert len(before) == len(after) and sum(a != b for a, b in zip(before, after, strict=True)) == 1
    assert "(benchmark run 2)" in next(line for line in after if line.startswith(bench.DATA_ROW + ","))
    paragraph = bench.add_word_to_first_paragraph(chapter, 3)
    assert sum(a != b for a, b in zip(chapter.splitlines(), paragraph.splitlines(), strict=True)) == 1
    assert "\n[Benchmark3]{.editorial} " in paragraph

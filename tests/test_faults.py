"""An editor's mistake stops ``make html`` with a message that names it, and keeps
stopping it until it is fixed.

Each case damages a copy of the book (tests/bookcopy.py), runs the real ``make html``
twice and requires both runs to fail naming the culprit: the second run is where a stock
Jupyter Book lets the fault through, because Sphinx skips the pages it has already read
and forgets their warnings. Mistakes the data check catches get a copy each (the build
stops before Sphinx, so they are cheap); mistakes only Sphinx finds share one copy, each
required on a warning line of its own. Faults in the data tables are in
test_data_faults.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from bookcopy import BookCopy, Build, read_table, write_table

from aes_edition.paragraphs import all_paragraphs, paragraph_index

# An editors' page: text added here cannot disturb the paper's own paragraphs.
PAGE = "chapters/editorial-principles.md"
# A paragraph to misnumber: the second of the first chapter that has two.
SECOND = next(p for p in all_paragraphs() if p.number == 2)
# The last paragraph of the paper's last chapter: a paragraph added after it is in no copy-text.
LAST = all_paragraphs()[-1]


def _second_paragraph_renumbered(book: BookCopy) -> None:
    book.replace(f"chapters/{SECOND.chapter}.md", f"{{para}} {SECOND.id}\n", f"{{para}} {SECOND.chapter}-p7\n")


def _failing_notebook(book: BookCopy) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "intro", "metadata": {},
             "source": ["# Injected fault\n", "\n", "A notebook that raises."]},
            {"cell_type": "code", "id": "raises", "execution_count": None, "metadata": {}, "outputs": [],
             "source": ["total = 1\n", "raise ValueError(\"injected fault\")"]},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    book.write("notebooks/injected-fault.ipynb", json.dumps(notebook, indent=1))
    book.add_to_toc("notebooks/injected-fault")


def _missing_toc_file(book: BookCopy) -> None:
    book.add_to_toc("chapters/no-such-chapter")


@dataclass(frozen=True)
class Fault:
    """One mistake, how to make it in a copy, and what the failure must say."""

    name: str
    inject: Callable[[BookCopy], None]
    culprits: tuple[str, ...]


# Mistakes the Makefile's data check stops before Sphinx starts: cheap, one copy each.
CHECKED_BEFORE_SPHINX = [
    Fault("malformed BibTeX",
          lambda b: b.append("references.bib", "@article{injected2024, author={Nobody, A.}, title={Unclosed, "
                                               "journal={Nowhere}, year={2024}}"),
          ("references.bib", "entry 'injected2024'", "syntax error")),
    Fault("BibTeX entry lacking a required field",
          lambda b: b.append("references.bib", "@book{injected2024, author={Nobody, A.}, title={No Publisher}, year={2024}}"),
          ("references.bib", "entry 'injected2024'", "publisher")),
    Fault("paragraph id out of sequence",
          _second_paragraph_renumbered,
          (f"chapters/{SECOND.chapter}.md", f"'{SECOND.chapter}-p7'", "paragraph id out of sequence")),
    Fault("_toc.yml entry naming a missing file",
          _missing_toc_file,
          ("_toc.yml", "chapters/no-such-chapter", "does not exist")),
    Fault("chapter file missing from _toc.yml",
          lambda b: b.write("chapters/unlisted-note.md", "# An unlisted note\n\nText that no reader would see.\n"),
          ("chapters/unlisted-note.md", "not listed in _toc.yml")),
]


@dataclass(frozen=True)
class SphinxFault:
    """A mistake only Sphinx finds: ``warning`` must stand on a warning line of the page
    named, so it is fatal under -W; ``also`` must appear somewhere in the output."""

    name: str
    page: str
    text: str  # appended to the page to make the mistake
    warning: str
    also: tuple[str, ...] = ()


SPHINX_FAULTS = [
    SphinxFault("unknown citation key", PAGE, "As {cite:t}`nosuchauthor2024` shows.",
                'could not find bibtex key "nosuchauthor2024"'),
    SphinxFault("broken cross-reference", PAGE, "See {ref}`no-such-label`.", "undefined label: 'no-such-label'"),
    SphinxFault("reference to a paragraph id that does not exist", PAGE, "See {ref}`introduction-p99`.",
                "undefined label: 'introduction-p99'"),
    SphinxFault("unknown emendation", PAGE, "The reading {emend}`E99`.", "unknown emendation 'E99'"),
    SphinxFault("emended reading that repeats the word before it", PAGE, "Past failures of {emend}`E10` arrangements.",
                "emendation E10: read as printed, the text here is 'of of collective arrangements.'"),
    SphinxFault("events-to role given something other than 'month'", PAGE, "Events to {events-to}`year`.",
                "{events-to} takes 'month', not 'year'"),
    SphinxFault("link over plain http to a site that serves https", PAGE, "See [the UN](http://www.un.org/en/).",
                "http://www.un.org/en/ uses http, but www.un.org serves https"),
    SphinxFault("a paragraph of the paper that the copy-text does not print", f"chapters/{LAST.chapter}.md",
                f":::{{para}} {LAST.chapter}-p{LAST.number + 1}\nA sentence the authors never wrote.\n:::",
                f"{LAST.chapter}-p{LAST.number + 1}: not the copy-text's words"),
    SphinxFault("notebook cell that raises", "notebooks/injected-fault.ipynb", "",
                "Executing notebook failed", ("ValueError: injected fault",)),
]


def _warning_lines(build: Build, page: str) -> list[str]:
    return [line for line in build.output.splitlines() if page in line and "WARNING" in line]


@pytest.mark.parametrize("fault", CHECKED_BEFORE_SPHINX, ids=[f.name for f in CHECKED_BEFORE_SPHINX])
def test_fault_fails_the_build_twice_naming_the_culprit(fault: Fault, tmp_path):
    book = BookCopy(tmp_path / "book")
    fault.inject(book)
    for attempt in ("first", "second"):
        build = book.make()
        assert build.failed, f"{attempt} make html passed with the fault '{fault.name}' in place:\n{build.tail()}"
        missing = build.names(*fault.culprits)
        assert not missing, f"the failure does not name {missing}; make said:\n{build.tail()}"


def test_sphinx_faults_fail_the_build_twice_each_named_until_fixed(tmp_path):
    """One copy holds every mistake that only Sphinx finds (the build runs with
    --keep-going, so one run reports them all). Each must be a warning naming its page,
    in both runs; once all are fixed, the build passes again, the notebook's failed
    jupyter-cache record and traceback report left behind."""
    book = BookCopy(tmp_path / "book")
    pristine = {name: book.read(name) for name in {f.page for f in SPHINX_FAULTS if f.text} | {"_toc.yml"}}
    for fault in SPHINX_FAULTS:
        if fault.text:
            book.append(fault.page, fault.text)
    _failing_notebook(book)
    for attempt in ("first", "second"):
        build = book.make()
        assert build.failed, f"{attempt} make html passed with the faults in place:\n{build.tail()}"
        for fault in SPHINX_FAULTS:
            lines = _warning_lines(build, fault.page)
            assert any(fault.warning in line for line in lines), (
                f"{attempt} build: no warning on {fault.page} says {fault.warning!r} ({fault.name}); "
                f"its warnings were:\n" + "\n".join(lines) + f"\n{build.tail()}")
            assert not build.names(*fault.also), f"{attempt} build does not show {fault.also}:\n{build.tail()}"
    for name, text in pristine.items():
        book.write(name, text)
    book.path("notebooks/injected-fault.ipynb").unlink()
    fixed = book.make()
    assert not fixed.failed, fixed.tail()
    assert not list(book.path("_build/html").rglob("injected-fault.err.log"))


def test_a_label_removed_from_one_page_fails_the_page_that_points_to_it(tmp_path):
    """The fault is made in a page that changed while the broken reference sits in a page
    that did not: the incremental build after a good build must still report it."""
    book = BookCopy(tmp_path / "book")
    book.replace("chapters/conclusion.md", "# ", "(editors-conclusion)=\n# ")
    book.append(PAGE, "See the {ref}`conclusion <editors-conclusion>`.")
    first = book.make()
    assert not first.failed, first.tail()
    book.replace("chapters/conclusion.md", "(editors-conclusion)=\n", "")
    for attempt in ("first", "second"):
        build = book.make()
        assert build.failed, f"{attempt} build after removing the label passed:\n{build.tail()}"
        assert not build.names(PAGE, "undefined label: 'editors-conclusion'"), build.tail()


def test_without_the_marker_the_second_build_would_pass(tmp_path):
    """Why the Makefile remembers failures: delete its marker after a failed build and
    Sphinx, skipping the page it has read, passes the second build with the fault in
    place. If this ever fails, Sphinx has learnt to repeat warnings by itself."""
    book = BookCopy(tmp_path / "book")
    book.append(PAGE, "The reading {emend}`E99`.")
    assert book.make().failed
    marker = book.path("_build/.environment-untrusted")
    assert marker.exists(), "a failed build must leave the marker"
    marker.unlink()
    assert not book.make().failed


def test_a_notebook_broken_by_a_change_to_the_package_fails(tmp_path):
    """A notebook that ran cleanly is served from the jupyter-cache, which knows the
    notebook's cells but not the code and data they import. A notebook that declares no
    inputs runs again whenever the package or the data change (aes_edition.notebook_inputs),
    so its new failure is reported (and, like any failure, again on the next run)."""
    book = BookCopy(tmp_path / "book")
    book.write("aes_edition/injected_helper.py", '"""Injected by the fault tests."""\n\n\ndef value() -> int:\n    return 1\n')
    _failing_notebook(book)
    book.replace("notebooks/injected-fault.ipynb", 'raise ValueError(\\"injected fault\\")',
                 "from aes_edition.injected_helper import value\\n\", \"print(value())")
    first = book.make()
    assert not first.failed, first.tail()
    book.write("aes_edition/injected_helper.py",
               '"""Injected by the fault tests."""\n\n\ndef value() -> int:\n    raise ValueError("injected fault")\n')
    build = book.make()
    assert build.failed, f"the build after breaking the package passed:\n{build.tail()}"
    assert not build.names("notebooks/injected-fault.ipynb", "ValueError: injected fault"), build.tail()


def test_a_change_to_the_data_reaches_pages_that_did_not_change(tmp_path):
    """The text of an emendation lives in data/emendations.csv; the page that shows it
    does not change when the row does, yet the next build must show the new reading."""
    book = BookCopy(tmp_path / "book")
    assert not book.make().failed
    header, rows = read_table(book.path("data/emendations.csv"))
    row = next(r for r in rows if r["para"])
    row["edition"] += " [changed reading]"
    book.write("data/emendations.csv", write_table(header, rows))
    build = book.make()
    assert not build.failed, build.tail()
    page = book.read(f"_build/html/chapters/{paragraph_index()[row['para']].chapter}.html")
    assert "[changed reading]" in page

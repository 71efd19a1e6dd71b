"""Benchmark of the edition's build: what an editor and a Binder user wait for.

``make bench`` runs this script. It copies the book into a temporary folder (the working
tree and its ``_build`` are never touched), builds it there with the real Makefile and the
working tree's virtualenv, and measures, each over a few repetitions:

a. a cold ``make html`` (no ``_build``, no execution cache);
b. the floor: the same cold build with notebook execution turned off;
c. a no-op rebuild;
d. a rebuild after an editor adds a sentence to a note in one chapter (and, for the
   record, after a word is added to one of the paper's paragraphs there, which also
   re-executes the notebooks that quote the paper);
e. a rebuild after one data table changes, checking that it re-executes exactly the
   notebooks that declare that table as an input, and no others;
f. ``make pdf`` (after ``make html``, LaTeX output removed);
g. each notebook run in a fresh kernel, as Binder runs it;

and, in headless Chromium, the bytes a reader downloads for each page with everything it
loads, uncompressed and as a web server sends them on a first visit (text gzip-compressed,
fonts and images as they are; target: at most 250 KiB for each chapter and analysis page),
page by page, and the files of the site that no page loads. It prints a table with the ratios the
targets are set in and writes it, with the machine it ran on, to ``benchmarks/RESULTS.md``.

``--quick`` runs each measurement once and writes the report elsewhere: the test suite uses
it to prove the benchmark works, without asserting any time (machines are noisy).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import gzip
import http.server
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The package, and the tests' disposable copy of the book, which the bench builds and times.
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bookcopy import BookCopy  # noqa: E402

from aes_edition.notebook_inputs import input_files, inputs_of  # noqa: E402

# (d) The edit: a sentence added to the first editors' note of one chapter.
CHAPTER = "chapters/introduction.md"
# (e) The edit: one cell of a table only one notebook reads (the test suite checks that).
DATA_FILE, DATA_ROW, DATA_FIELD = "data/findings.csv", "F01", "short"
# Targets (issue 8), each a ratio of medians measured in the same run.
COLD_OVER_FLOOR = 2.0
NOOP_OVER_COLD = 0.15
CHAPTER_OVER_COLD = 0.35
NOTE_OVER_COLD = 0.30  # issue 17: a note edited (the edit of (d) is a note's)
NOTEBOOK_SECONDS = 5.0
# Issue 18: a first visit of a chapter or analysis page, as served, weighs at most this much.
FIRST_VISIT_KIB = 250
# What a web server compresses (gzip) when it sends it; fonts (woff2) and images are compressed already.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".ico", ".map"}
# Files a reader fetches on purpose rather than a page loading them (sources, notebooks,
# the PDF, Sphinx's inventory), the address browsers ask for an icon, the sitemap search
# engines read, and the licence notices of bundled scripts: not "unused".
DOWNLOADS = re.compile(r"(^_sources/|\.ipynb$|\.pdf$|^objects\.inv$|^\.buildinfo$|^reports/|^favicon\.ico$"
                       r"|^sitemap\.xml$|LICENSE)")
# Pages are loaded as a reader meets them; the search page with a query, showing results.
PAGE_QUERY = {"search.html": "?q=ECOWAS"}


@dataclass
class Timing:
    """One measurement's repetitions, in seconds."""

    name: str
    seconds: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def minimum(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class PageWeight:
    """What the heaviest page costs a reader, and what no page uses."""

    pages: dict[str, tuple[int, int]]  # page -> (bytes, requests)
    unused: list[tuple[str, int]]  # (file, bytes) that no page loaded
    loads: dict[str, dict[str, int]] = field(default_factory=dict)  # page -> {file: bytes}

    served: dict[str, int] = field(default_factory=dict)  # page -> bytes of a first visit as served

    @property
    def heaviest(self) -> tuple[str, int, int]:
        page = max(self.pages, key=lambda p: self.pages[p][0])
        return page, *self.pages[page]


class Book(BookCopy):
    """A copy of the book (tests/bookcopy.py: the real Makefile, the working tree's
    virtualenv, no notebook cache), whose builds are timed."""

    def __init__(self, dest: Path) -> None:
        super().__init__(dest, notebook_cache=False)

    def timed(self, target: str = "html") -> tuple[float, str]:
        """Run ``make <target>``; return its wall time and output. A failure stops the bench."""
        start = time.perf_counter()
        build = self.make(target)
        seconds = time.perf_counter() - start
        if build.failed:
            sys.exit(f"bench: `make {target}` failed in {self.root}:\n{build.tail(40)}")
        return seconds, build.output

    def clean(self) -> None:
        shutil.rmtree(self.root / "_build", ignore_errors=True)

    def edit(self, relative: str, change: Callable[[str], str]) -> Callable[[], None]:
        """Change a file; return the function that puts it back."""
        path = self.path(relative)
        original = path.read_bytes()
        path.write_text(change(original.decode("utf-8")), encoding="utf-8")
        return lambda: path.write_bytes(original)


def add_sentence_to_first_note(text: str, run: int) -> str:
    """Add a sentence at the end of the chapter's first editors' note."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(r"^(:{3,})\{ednote\}", line))
    fence = re.match(r"^(:{3,})", lines[start]).group(1)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == fence)
    lines.insert(end, f"\nThe editors revised this note (benchmark run {run}).\n")
    return "".join(lines)


def add_word_to_first_paragraph(text: str, run: int) -> str:
    """Add a word at the start of the chapter's first paragraph of the paper, marked as the
    editors' (the build holds the paper's own words to the copy-text)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(r"^:{3,}\{para\} ", line))
    lines[start + 1] = f"[Benchmark{run}]{{.editorial}} " + lines[start + 1]
    return "".join(lines)


def change_table_cell(text: str, run: int) -> str:
    """Append a few words to one cell of a CSV table, keeping every other byte."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    row = next(r for r in rows if r and r[0] == DATA_ROW)
    old = row[header.index(DATA_FIELD)]
    line = next(i for i, raw in enumerate(text.splitlines(keepends=True)) if raw.startswith(DATA_ROW + ","))
    raw_lines = text.splitlines(keepends=True)
    raw_lines[line] = raw_lines[line].replace(old, f"{old} (benchmark run {run})", 1)
    return "".join(raw_lines)


def notebooks_run(output: str) -> set[str]:
    """The notebooks a build executed, from its log: the edition names each it executes ahead
    of its reading (aes_edition.sphinxext.notebooks), myst-nb each it executes itself."""
    return set(re.findall(r"notebooks/([\w-]+)\.ipynb: Execut(?:ed notebook ahead|ing notebook using)", output))


def notebooks_reading(relative: str) -> set[str]:
    """The notebooks that declare ``relative`` among their inputs."""
    target = (ROOT / relative).resolve()
    return {nb.stem for nb in sorted((ROOT / "notebooks").glob("*.ipynb"))
            if target in {p.resolve() for p in input_files(inputs_of(nb), ROOT)}}


def time_notebook(notebook: Path, book: Path) -> float:
    """Execute a notebook in a fresh kernel, from its folder, as Binder does; seconds."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    os.environ["PYTHONPATH"] = str(book)
    os.environ["MATPLOTLIBRC"] = str(book / "matplotlibrc")
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return time.perf_counter() - start


def weigh_pages(site: Path) -> PageWeight:
    """Load every page in Chromium from a local server; count the bytes each loads."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages: dict[str, tuple[int, int]] = {}
    loads: dict[str, dict[str, int]] = {}
    loaded: set[str] = set()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for html in sorted(site.rglob("*.html")):
                relative = html.relative_to(site).as_posix()
                if relative.startswith(("_sources/", "reports/", "_static/")):
                    continue
                page = browser.new_page()
                responses = []
                page.on("response", lambda response, found=responses: found.append(response))
                page.goto(base + relative + PAGE_QUERY.get(relative, ""), wait_until="networkidle")
                sizes = {r.url: _body_size(r) for r in responses if r.url.startswith(base) and r.status == 200}
                # Headless Chromium does not fetch the icon a page links to; a browser with a tab bar does.
                icons = page.eval_on_selector_all("link[rel~=icon]", "links => links.map(link => link.href)")
                page.close()
                pages[relative] = (sum(sizes.values()), len(sizes))
                loads[relative] = {url[len(base):].split("?")[0]: size for url, size in sizes.items()}
                loaded |= {url[len(base):].split("#")[0].split("?")[0] for url in [*sizes, *icons]}
            browser.close()
    finally:
        server.shutdown()
    served = {page: sum(served_size(site, name) for name in files) for page, files in loads.items()}
    unused = sorted((f.relative_to(site).as_posix(), f.stat().st_size) for f in site.rglob("*")
                    if f.is_file() and f.suffix != ".html" and f.relative_to(site).as_posix() not in loaded
                    and not DOWNLOADS.search(f.relative_to(site).as_posix()))
    return PageWeight(pages, unused, loads, served)


def served_size(site: Path, name: str) -> int:
    """The bytes a web server sends for one file of the site: text gzip-compressed (level 6,
    as servers do by default), everything else as it is."""
    path = site / name
    if not path.is_file():
        return 0
    data = path.read_bytes()
    return len(gzip.compress(data, compresslevel=6, mtime=0)) if path.suffix in COMPRESSED else len(data)


def in_first_visit_target(page: str) -> bool:
    """The chapter and analysis pages (the search page and the index are not reading pages)."""
    return page.startswith(("chapters/", "notebooks/"))


def weight_lines(weight: PageWeight) -> list[str]:
    """The first-visit weight of every page as served, with the target for reading pages."""
    lines = ["", f"First visit as served (text gzip-compressed, fonts and images as they are), page by page; "
             f"target: each chapter and analysis page at most {FIRST_VISIT_KIB} KiB:", "",
             "| page | KiB as served | KiB uncompressed | requests | target |", "| --- | ---: | ---: | ---: | --- |"]
    for page in sorted(weight.served):
        size, requests = weight.pages[page]
        target = (f"≤ {FIRST_VISIT_KIB} — {verdict(weight.served[page] <= FIRST_VISIT_KIB * 1024)}"
                  if in_first_visit_target(page) else "")
        lines.append(f"| `{page}` | {weight.served[page] / 1024:.0f} | {size / 1024:.0f} | {requests} | {target} |")
    return lines


def _body_size(response) -> int:
    try:
        return len(response.body())
    except Exception:  # a response without a body (a redirect)
        return 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def machine() -> list[str]:
    """What the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor() or "unknown")
    meminfo = Path("/proc/meminfo").read_text().splitlines() if Path("/proc/meminfo").exists() else []
    memory = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    from importlib.metadata import version

    return [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}; commit {commit or 'unknown'}",
        f"- Machine: {platform.system()} {platform.release()} ({platform.machine()}), {cpu}, "
        f"{os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB memory; load average {load:.2f} at the start",
        f"- Python {platform.python_version()}, jupyter-book {version('jupyter-book')}, Sphinx {version('sphinx')}, "
        f"myst-nb {version('myst-nb')}",
    ]


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(timings: dict[str, Timing], notebooks: dict[str, Timing], weight: PageWeight | None,
           data_check: tuple[set[str], set[str]], repeat: int, header: list[str]) -> str:
    """The Markdown report: machine, table of times and ratios, page weight."""
    cold, floor, noop, chapter, data = (timings[k] for k in ("cold", "floor", "noop", "chapter", "data"))
    ran, expected = data_check
    cold_ratio, noop_ratio, chapter_ratio = (t.median / cold.median for t in (floor, noop, chapter))
    cold_ratio = 1 / cold_ratio
    rows = [
        ("(a) cold `make html`", cold, "", ""),
        ("(b) floor: cold, notebook execution off", floor,
         f"cold / floor = {cold_ratio:.2f}", f"≤ {COLD_OVER_FLOOR} — {verdict(cold_ratio <= COLD_OVER_FLOOR)}"),
        ("(c) no-op rebuild", noop, f"no-op / cold = {noop_ratio:.3f}",
         f"≤ {NOOP_OVER_COLD} — {verdict(noop_ratio <= NOOP_OVER_COLD)}"),
        (f"(d) one chapter: a sentence added to a note in `{CHAPTER}`", chapter,
         f"chapter / cold = {chapter_ratio:.2f}",
         f"≤ {NOTE_OVER_COLD} (a note edited; one chapter: ≤ {CHAPTER_OVER_COLD}) — "
         f"{verdict(chapter_ratio <= min(NOTE_OVER_COLD, CHAPTER_OVER_COLD))}"),
        (f"(d′) one chapter: a word added to a paragraph of the paper in `{CHAPTER}`", timings["paragraph"],
         f"paragraph / cold = {timings['paragraph'].median / cold.median:.2f}",
         f"no target; re-executed {timings['paragraph'].note} (they quote the paper)"),
        (f"(e) one data file: a cell of `{DATA_FILE}`", data, f"data / cold = {data.median / cold.median:.2f}",
         f"re-executed {', '.join(sorted(ran)) or 'none'}; expected {', '.join(sorted(expected)) or 'none'} — "
         f"{verdict(ran == expected)}"),
        ("(f) `make pdf` (after `make html`)", timings["pdf"], "", ""),
    ]
    for name, timing in notebooks.items():
        rows.append((f"(g) notebook `{name}` in a fresh kernel", timing, "",
                     f"≤ {NOTEBOOK_SECONDS:.0f} s — {verdict(timing.median <= NOTEBOOK_SECONDS)}"))
    lines = [*header, "", f"Each measurement ran {repeat} time{'s' if repeat > 1 else ''}; ratios are of medians.", "",
             "| measurement | min (s) | median (s) | ratio | target |", "| --- | ---: | ---: | --- | --- |"]
    lines += [f"| {name} | {t.minimum:.2f} | {t.median:.2f} | {ratio} | {target} |" for name, t, ratio, target in rows]
    if weight is not None:
        page, size, requests = weight.heaviest
        lightest = min(s for s, _ in weight.pages.values())
        lines += ["", "Page weight (every file a page loads in Chromium from a local server, uncompressed):", "",
                  f"- Heaviest page: `{page}`, {size / 1024:.0f} KiB in {requests} requests; the largest: "
                  + ", ".join(f"`{name}` {bytes_ / 1024:.0f} KiB" for name, bytes_ in
                              sorted(weight.loads.get(page, {}).items(), key=lambda item: -item[1])[:5]),
                  f"- Lightest page: {lightest / 1024:.0f} KiB; pages measured: {len(weight.pages)}",
                  f"- Files of the site that no page loads: {len(weight.unused)}"
                  + (f" ({sum(s for _, s in weight.unused) / 1024:.0f} KiB): "
                     + ", ".join(f"`{f}`" for f, _ in weight.unused[:20]) if weight.unused else "")]
        lines += weight_lines(weight)
    return "\n".join(lines) + "\n"


def measure(book: Book, floor_book: Book, repeat: int, weigh: bool) -> tuple[str, bool]:
    """Run every measurement; return the report and whether the data change re-executed
    exactly the notebooks that read the table."""
    timings = {name: Timing(name) for name in ("cold", "floor", "noop", "chapter", "paragraph", "data", "pdf")}
    for _ in range(repeat):
        floor_book.clean()
        timings["floor"].seconds.append(floor_book.timed()[0])
        book.clean()
        seconds, output = book.timed()
        if notebooks_run(output) != {nb.stem for nb in (book.root / "notebooks").glob("*.ipynb")}:
            sys.exit("bench: the cold build did not execute every notebook:\n" + output[-3000:])
        timings["cold"].seconds.append(seconds)
    for _ in range(repeat):
        timings["noop"].seconds.append(book.timed()[0])
    for run in range(1, repeat + 1):
        restore = book.edit(CHAPTER, lambda text, run=run: add_sentence_to_first_note(text, run))
        timings["chapter"].seconds.append(book.timed()[0])
        restore()
        book.timed()
    quoting: set[str] = set()
    for run in range(1, repeat + 1):
        restore = book.edit(CHAPTER, lambda text, run=run: add_word_to_first_paragraph(text, run))
        seconds, output = book.timed()
        timings["paragraph"].seconds.append(seconds)
        quoting |= notebooks_run(output)
        restore()
        book.timed()
    timings["paragraph"].note = ", ".join(sorted(quoting)) or "none"
    expected = notebooks_reading(DATA_FILE)
    ran_each: list[set[str]] = []
    for run in range(1, repeat + 1):
        restore = book.edit(DATA_FILE, lambda text, run=run: change_table_cell(text, run))
        seconds, output = book.timed()
        timings["data"].seconds.append(seconds)
        ran_each.append(notebooks_run(output))
        restore()
        book.timed()
    ran = set.union(*ran_each) if all(r == ran_each[0] for r in ran_each) else {"(differs between runs)"}
    for _ in range(repeat):
        shutil.rmtree(book.root / "_build" / "latex", ignore_errors=True)
        timings["pdf"].seconds.append(book.timed("pdf")[0])
    notebooks = {}
    for notebook in sorted((book.root / "notebooks").glob("*.ipynb")):
        notebooks[notebook.name] = Timing(notebook.name, [time_notebook(notebook, book.root) for _ in range(repeat)])
    weight = weigh_pages(book.root / "_build" / "html") if weigh else None
    return report(timings, notebooks, weight, (ran, expected), repeat, []), ran == expected


def _execution_off(config: str) -> str:
    if "execute_notebooks: cache" not in config:
        sys.exit("bench: _config.yml no longer says `execute_notebooks: cache`; update the floor build")
    return config.replace("execute_notebooks: cache", 'execute_notebooks: "off"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each measurement (default 3)")
    parser.add_argument("--quick", action="store_true", help="one repetition, report not written to RESULTS.md")
    parser.add_argument("--output", type=Path, help="where to write the report (default benchmarks/RESULTS.md)")
    parser.add_argument("--no-page-weight", action="store_true", help="skip the Chromium page-weight measurement")
    parser.add_argument("--weigh", type=Path, metavar="SITE",
                        help="only weigh the pages of a built site (e.g. _build/html) and print the table")
    args = parser.parse_args(argv)
    if args.weigh:
        weight = weigh_pages(args.weigh)
        lines = weight_lines(weight)
        print("\n".join(lines))
        return 1 if "**missed**" in "\n".join(lines) else 0
    repeat = 1 if args.quick else max(1, args.repeat)
    output = args.output or (None if args.quick else ROOT / "benchmarks" / "RESULTS.md")
    header = machine()
    with tempfile.TemporaryDirectory(prefix="aes-edition-bench-") as tmp:
        book = Book(Path(tmp) / "book")
        floor_book = Book(Path(tmp) / "floor")
        floor_book.edit("_config.yml", _execution_off)
        body, data_ok = measure(book, floor_book, repeat, weigh=not args.no_page_weight)
    text = "# Build benchmark\n\nWritten by `make bench` (`benchmarks/bench.py`); see the README, \"Build performance\".\n\n" \
        + "\n".join(header) + "\n" + body
    print(text)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        print(f"bench: report written to {output}")
    if not data_ok:
        print("bench: the data change did not re-execute exactly the notebooks that read the table", file=sys.stderr)
        return 1  # a fault of the build, in any mode
    return 1 if not args.quick and "**missed**" in body else 0


if __name__ == "__main__":
    sys.exit(main())

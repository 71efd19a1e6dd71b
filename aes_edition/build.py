"""``python -m aes_edition.build html|pdf|epub|linkcheck``: how ``make`` builds the edition.

The published site, ``_build/html``, changes only when a build succeeds:

* **Staging.** Jupyter Book builds the HTML into ``_build/.staging`` (its output, its saved
  environment and its failed notebooks' reports). Only when the strict build succeeds is
  the staged site copied and put in place of ``_build/html`` in one atomic exchange of the
  two folders, so a reader (or an upload) sees the old site or the new one, never a mixture.
  A failed, strict or interrupted build leaves ``_build/html`` as it was.
* **One build at a time.** Every build holds an exclusive lock on ``_build/.lock``; a second
  build started meanwhile stops at once and says which build holds it.
* **Nothing left running.** The build runs in a process group of its own, and this process
  adopts whatever the build leaves orphaned (a subreaper): on SIGINT or SIGTERM it passes the
  interrupt to the build, waits for it, and stops every process still running below it
  (notebook kernels included), as it also does after a build that ended by itself.
* **Content, not clocks.** ``make html`` has nothing to do when the content of every source
  (chapters, notebooks, data, the package, the configuration and bibliographies), the set of
  source files and the edition's date are those of the published site; file times play no
  part. Inside the build, Sphinx reads again what changed by content
  (:mod:`aes_edition.sphinxext.content`) and after a change to the package reads everything.
* **Honest dates.** The pages state the date of the last commit (``SOURCE_DATE_EPOCH``, set by
  the Makefile from git). A copy without git history (a source archive) is dated from its
  newest source file, which for an archive made with ``git archive`` is the commit's date,
  and never 1 January 1970.

A failed strict build also leaves a marker (``.environment-untrusted``): Sphinx forgets the
warnings of pages it read, so the next build reads every page again rather than pass them.
The PDF and ``make linkcheck`` share a second saved environment (``_build/.doctrees``), kept
apart from the HTML's so that neither can make the other skip a page.
"""

from __future__ import annotations

import ctypes
import datetime
import errno
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
LOCK = BUILD / ".lock"
SITE = BUILD / "html"
STAGING = BUILD / ".staging"  # Jupyter Book's --path-output: it builds into STAGING/_build
STAGED_BUILD = STAGING / "_build"
STAGED_SITE = STAGED_BUILD / "html"
PUBLISHED = BUILD / ".html-published"  # the inputs' digest of the site in SITE
EPOCH_FILE = BUILD / ".source-date-epoch"  # the date the site in SITE states
UNTRUSTED = BUILD / ".environment-untrusted"  # the HTML environment (STAGED_BUILD/.doctrees)
LATEX_UNTRUSTED = BUILD / ".latex-environment-untrusted"  # the PDF's and linkcheck's (BUILD/.doctrees)
PDF = "aes-edition.pdf"
EPUB = "aes-edition.epub"
# EPUBCheck from Debian (it brings a Java runtime), run from its jar.
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
# Everything the edition is made from (hidden files, such as an editor's lock and backup
# files, and Python's bytecode caches aside).
SOURCE_FOLDERS = ("chapters", "notebooks", "data", "aes_edition", "extension/scholarly_edition")
SOURCE_FILES = ("_config.yml", "_toc.yml", "references.bib", "editors.bib", "matplotlibrc", "CITATION.cff")

# What the build imports from the virtualenv; a package missing means an install that did not finish.
REQUIRED_PACKAGES = ("jupyter_book", "sphinx", "myst_nb", "jupyter_cache", "nbclient", "ipykernel", "psutil", "pandas",
                     "matplotlib")

PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1
RENAME_EXCHANGE = 2
AT_FDCWD = -100


class BuildError(Exception):
    """A build that cannot go on; the message says why and what to do."""


def say(target: str, message: str) -> None:
    print(f"make {target}: {message}", file=sys.stderr, flush=True)


# --- what the site is made from ------------------------------------------------------


def source_files(root: Path = ROOT) -> list[Path]:
    """The edition's source files, sorted."""
    found = [root / name for name in SOURCE_FILES]
    for folder in SOURCE_FOLDERS:
        for path in (root / folder).rglob("*"):
            relative = path.relative_to(root).parts
            if path.is_file() and "__pycache__" not in relative and not any(p.startswith(".") for p in relative):
                found.append(path)
    return sorted(found)


def inputs_digest(epoch: str, root: Path = ROOT) -> str:
    """One digest of the names and contents of the sources, the edition's date and the
    Python that builds: what the published site was made from."""
    digest = hashlib.sha256(f"date {epoch}\0python {sys.executable}\0".encode())
    stamp = Path(sys.prefix, ".installed-stamp")
    digest.update(stamp.read_bytes() if stamp.is_file() else b"no stamp")
    for path in source_files(root):
        content = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"
        digest.update(f"\0{path.relative_to(root).as_posix()}\0{content}".encode())
    return digest.hexdigest()


def source_date_epoch(root: Path = ROOT) -> tuple[str, str | None]:
    """The edition's date (seconds since 1970) and, when it is not the last commit's, why.

    ``SOURCE_DATE_EPOCH`` (the Makefile sets it from git) wins; without git history the
    newest source file dates the edition; with no sources either, today does."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit() and int(given) > 0:
        return given, None
    times = [int(path.stat().st_mtime) for path in source_files(root) if path.is_file()]
    if times:
        newest = max(times)
        when = datetime.datetime.fromtimestamp(newest, datetime.UTC).strftime("%d %B %Y")
        return str(newest), f"no git history here: the pages are dated from the newest source file ({when})"
    return str(int(time.time())), "no git history and no sources: the pages are dated today"


# --- one build at a time ---------------------------------------------------------------


@contextmanager
def exclusive(target: str, lock: Path = LOCK) -> Iterator[None]:
    """Hold the build lock, or stop with a message naming the build that holds it."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock, "a+", encoding="utf-8")  # noqa: SIM115 (held for the whole build)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            where = lock.relative_to(ROOT) if lock.is_relative_to(ROOT) else lock
            raise BuildError(f"another build of this book is running ({holder}); it holds {where}. "
                             f"Wait for it to finish, then run make {target} again.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"make {target}, process {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


# --- running the build's processes ---------------------------------------------------------


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def adopt_orphans() -> None:
    """Become the subreaper of the build's processes (Linux), so that a process whose parent
    died (a kernel whose notebook process was killed) is still found and stopped."""
    libc = _libc()
    if libc is not None and sys.platform.startswith("linux"):
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _die_with_parent() -> None:
    """In a child: receive SIGTERM if the build's driver dies (Linux)."""
    libc = _libc()
    if libc is not None and sys.platform.startswith("linux"):
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def descendants() -> list:
    """Every process still running below this one."""
    import psutil

    try:
        return psutil.Process().children(recursive=True)
    except psutil.Error:
        return []


def stop_leftovers(grace: float = 10.0) -> list[str]:
    """Stop every process still running below this one (SIGTERM, then SIGKILL); return what
    they were."""
    import psutil

    left = descendants()
    names = []
    for process in left:
        try:
            names.append(f"{process.pid} {' '.join(process.cmdline())[:120]}")
            process.terminate()
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(left, timeout=grace)
    for process in alive:
        try:
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=grace)
    return names


class Interrupted(Exception):
    """The build was interrupted (SIGINT or SIGTERM)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def run(command: Sequence[str], env: dict[str, str] | None = None) -> int:
    """Run one step of the build in a process group of its own and return its status. An
    interrupt received meanwhile goes to the whole group (the step's own processes stop
    cleanly: Python unwinds and shuts its kernels down), then raises :class:`Interrupted`."""
    received: list[int] = []
    process = subprocess.Popen(list(command), cwd=ROOT, env=env, process_group=0, preexec_fn=_die_with_parent)

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        try:
            os.killpg(process.pid, signal.SIGINT)
        except ProcessLookupError:
            pass

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                status = process.wait()
                break
            except InterruptedError:
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        raise Interrupted(received[0])
    return status


# --- publishing ---------------------------------------------------------------------------


def exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step (``renameat2(RENAME_EXCHANGE)``, Linux): each name
    always names a whole folder. Elsewhere, two renames in quick succession."""
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None) if libc is not None else None
    if renameat2 is not None:
        result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
        if result == 0:
            return
        if ctypes.get_errno() not in (errno.EINVAL, errno.ENOSYS):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))
    aside = a.with_name(a.name + ".exchanging")
    os.rename(a, aside)
    os.rename(b, a)
    os.rename(aside, b)


def publish(staged: Path, site: Path) -> None:
    """Put a copy of the staged site in place of ``site`` at once. The PDF and the EPUB,
    made by ``make pdf`` and ``make epub`` and not by the HTML build, stay with the site."""
    fresh = site.with_name(site.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(staged, fresh)
    for made_apart in (PDF, EPUB):  # by `make pdf` and `make epub`
        if (site / made_apart).is_file() and not (fresh / made_apart).exists():
            shutil.copy2(site / made_apart, fresh / made_apart)
    if site.is_dir():
        exchange(fresh, site)
        shutil.rmtree(fresh)
    else:
        os.rename(fresh, site)


def put_file(source: Path, dest: Path) -> None:
    """Copy a file so that ``dest`` is always whole: the old file or the new one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    shutil.copy2(source, partial)
    os.replace(partial, dest)


# --- the targets ----------------------------------------------------------------------------


def _environment(epoch: str) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": epoch}


def _jupyter_book() -> list[str]:
    """Jupyter Book's command, run by this Python: the script's first line names the folder
    the virtualenv was made in, which a moved checkout no longer has."""
    return [sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; sys.exit(main())"]


def check_packages(target: str, names: Sequence[str] = REQUIRED_PACKAGES) -> None:
    """Stop with the fix when the virtualenv lacks a package the build needs."""
    import importlib.util

    missing = [name for name in names if importlib.util.find_spec(name) is None]
    if missing:
        raise BuildError(f"the virtualenv {sys.prefix} lacks {', '.join(missing)} (an install that did not finish, "
                         f"or a package removed by hand); make it again: rm -rf .venv && make {target}")


# The status of a build step whose data check failed (EX_DATAERR): Jupyter Book never exits with it.
DATA_FAULT = 65


def check_then_build(args: list[str], clear: Sequence[str] = ()) -> int:
    """Check the data (:mod:`aes_edition.check_data`), then, when it passed, remove the
    folders ``clear`` (the last output of this build) and run Jupyter Book with ``args``: in
    one process, so the build finds the modules the check imported and the files it parsed
    (cached by content) already there, instead of a second Python doing it all again (a third
    of an editor's one-chapter rebuild). A failed check leaves everything as it was."""
    from .check_data import main as check_data

    if check_data() != 0:
        return DATA_FAULT
    for folder in clear:
        shutil.rmtree(folder, ignore_errors=True)
    from jupyter_book.cli.main import main

    sys.argv = ["jupyter-book", *args]
    try:
        main()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def _checked_build(args: Sequence[str], env: dict[str, str], clear: Sequence[Path] = ()) -> int:
    """The data check and the Jupyter Book build ``args`` (one step, in a process of its own;
    ``clear``: folders removed once the check passed); a failed check stops it before Sphinx
    starts, with the line that names each fault."""
    folders = [str(folder) for folder in clear]
    status = run([sys.executable, "-c", "import sys; from aes_edition.build import check_then_build; "
                  f"sys.exit(check_then_build({list(args)!r}, {folders!r}))"], env)
    if status == DATA_FAULT:
        raise BuildError("the data above must be fixed; nothing was built.")
    return status


def build_html() -> None:
    epoch, note = source_date_epoch()
    state = inputs_digest(epoch)
    if (SITE / "index.html").is_file() and PUBLISHED.is_file() and PUBLISHED.read_text(encoding="utf-8") == state:
        return
    if note:
        say("html", note)
    env = _environment(epoch)
    if UNTRUSTED.exists():  # the last build failed or was interrupted: read every page again
        shutil.rmtree(STAGED_BUILD / ".doctrees", ignore_errors=True)
    # Tracebacks of notebooks that failed in an earlier build are not part of this one.
    shutil.rmtree(STAGED_SITE / "reports", ignore_errors=True)
    UNTRUSTED.touch()
    if _checked_build(["build", ".", "--path-output", str(STAGING), "--builder", "html",
                       "-W", "-n", "--keep-going"], env) != 0:
        raise BuildError(f"the strict build failed; see the messages above. The published site, "
                         f"{SITE.relative_to(ROOT)}, is unchanged.")
    publish(STAGED_SITE, SITE)
    PUBLISHED.write_text(state, encoding="utf-8")
    EPOCH_FILE.write_text(epoch + "\n", encoding="utf-8")
    UNTRUSTED.unlink()


def build_pdf() -> None:
    epoch, note = source_date_epoch()
    if note:
        say("pdf", note)
    env = _environment(epoch)
    env["LATEXOPTS"] = "-interaction=nonstopmode -halt-on-error -file-line-error"
    if LATEX_UNTRUSTED.exists():
        shutil.rmtree(BUILD / ".doctrees", ignore_errors=True)
    LATEX_UNTRUSTED.touch()
    if _checked_build(["build", ".", "--builder", "pdflatex", "-W", "-n", "--keep-going"], env) != 0:
        raise BuildError(f"the build failed; see the messages above and {BUILD.name}/latex/aes-edition.log.")
    LATEX_UNTRUSTED.unlink()
    pdf = BUILD / "latex" / PDF
    put_file(pdf, SITE / PDF)
    put_file(pdf, STAGED_SITE / PDF)
    say("pdf", f"{BUILD.name}/latex/{PDF} (copied to {BUILD.name}/html/{PDF})")


def build_epub() -> None:
    epoch, note = source_date_epoch()
    if note:
        say("epub", note)
    env = _environment(epoch)
    # The EPUB builder shares the PDF's saved environment (_build/.doctrees) and its memory
    # of failed builds.
    if LATEX_UNTRUSTED.exists():
        shutil.rmtree(BUILD / ".doctrees", ignore_errors=True)
    LATEX_UNTRUSTED.touch()
    if _checked_build(["build", ".", "--builder", "custom", "--custom-builder", "epub", "-W", "-n",
                       "--keep-going"], env, clear=[BUILD / "epub"]) != 0:
        raise BuildError("the build failed; see the messages above.")
    LATEX_UNTRUSTED.unlink()
    epub = BUILD / "epub" / EPUB
    if run(["java", "-jar", str(EPUBCHECK_JAR), "--quiet", str(epub)], env) != 0:
        raise BuildError(f"EPUBCheck found errors in {BUILD.name}/epub/{EPUB} (listed above).")
    put_file(epub, SITE / EPUB)
    put_file(epub, STAGED_SITE / EPUB)
    say("epub", f"{BUILD.name}/epub/{EPUB} passes EPUBCheck (copied to {BUILD.name}/html/{EPUB})")


def build_linkcheck() -> None:
    epoch, _note = source_date_epoch()
    # Shares the PDF's saved environment without failing on warnings: the next PDF build
    # must not trust it.
    LATEX_UNTRUSTED.touch()
    if run([*_jupyter_book(), "build", ".", "--builder", "custom", "--custom-builder", "linkcheck"],
           _environment(epoch)) != 0:
        raise BuildError(f"some links failed; see {BUILD.name}/linkcheck/output.txt.")


TARGETS = {"html": build_html, "pdf": build_pdf, "epub": build_epub, "linkcheck": build_linkcheck}


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1 or argv[0] not in TARGETS:
        print(f"usage: python -m aes_edition.build {{{'|'.join(TARGETS)}}}", file=sys.stderr)
        return 2
    target = argv[0]
    adopt_orphans()
    status = 0
    try:
        BUILD.mkdir(exist_ok=True)
        check_packages(target)
        with exclusive(target):
            TARGETS[target]()
    except BuildError as error:
        say(target, str(error))
        status = 1
    except Interrupted as error:
        say(target, f"interrupted ({error}); the published site, {SITE.relative_to(ROOT)}, is unchanged.")
        status = 128 + error.signum
    finally:
        left = stop_leftovers()
        if left and status == 0:
            say(target, "stopped processes the build left running: " + "; ".join(left))
    if status == 0 and target == "html":
        print(f"make html: the HTML edition is in {SITE.relative_to(ROOT)} (open {SITE.relative_to(ROOT)}/index.html).")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

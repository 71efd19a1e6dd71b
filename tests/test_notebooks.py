"""The notebooks run as Binder runs them: unchanged, in a fresh kernel started in
``notebooks/``, with nothing installed but the pinned requirements. Each declares exactly the
data files it reads, which is what re-executes it when they change (issue: executable
notebooks)."""

from __future__ import annotations

import importlib.metadata
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from aes_edition.notebook_inputs import declared_inputs, input_files
from aes_edition.paths import NOTEBOOKS, ROOT

NAMES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))

# Installed in every Python environment by its installer rather than by requirements.txt.
INSTALLER_MODULES = {"_distutils_hack", "pkg_resources", "setuptools", "pip"}

AUDIT = r'''
import os, sys
_log = open(os.environ["AES_AUDIT_LOG"], "a", encoding="utf-8")
def _audit(event, args, _log=_log, _write=_log.write, _flush=_log.flush):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        _write("open\t" + os.path.abspath(os.fsdecode(args[0])) + "\n"); _flush()
    elif event == "import" and args:
        _write("import\t" + str(args[0]) + "\n"); _flush()
sys.addaudithook(_audit)
'''


def test_both_notebooks_exist_and_are_in_the_toc():
    assert NAMES == ["concept-map.ipynb", "traceability-matrix.ipynb"]


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_committed_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: a code cell has outputs"


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_stay_short(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) <= 12
    assert all(len(c.source.splitlines()) <= 6 for c in code), "notebook code belongs in the package"
    assert all("import matplotlib" not in c.source for c in code)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[nbformat.NotebookNode, list[tuple[str, str]]]]:
    """Each notebook executed in a fresh kernel from notebooks/, with a log of the files the
    kernel opened and the modules it imported (an IPython startup file installs an audit
    hook; the notebook itself runs unchanged)."""
    import os

    results = {}
    for name in NAMES:
        home = tmp_path_factory.mktemp(f"ipython-{name}")
        startup = home / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-audit.py").write_text(AUDIT, encoding="utf-8")
        log = home / "audit.log"
        before = {k: os.environ.get(k) for k in ("IPYTHONDIR", "AES_AUDIT_LOG")}
        os.environ.update({"IPYTHONDIR": str(home), "AES_AUDIT_LOG": str(log)})
        try:
            nb = nbformat.read(NOTEBOOKS / name, as_version=4)
            NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        finally:
            for key, value in before.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        events = [tuple(line.split("\t", 1)) for line in log.read_text(encoding="utf-8").splitlines()]
        results[name] = (nb, events)
    return results


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_run_unchanged_in_a_fresh_kernel(runs, name):
    nb, _events = runs[name]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    mimes = {m for o in outputs for m in o.get("data", {})}
    assert {"image/svg+xml", "application/pdf", "text/markdown", "text/html"} <= mimes
    markdown = "\n".join(o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {}))
    assert re.search(r"\{ref\}`[^`<]+ <[a-z-]+-p[0-9]+>`", markdown), "tables must link to paragraphs"


def _under(paths, folder: str) -> set[str]:
    base = (ROOT / folder).resolve()
    return {Path(p).resolve().relative_to(ROOT).as_posix() for p in paths
            if Path(p).resolve().is_relative_to(base) and Path(p).resolve().is_file()}


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_declares_exactly_the_data_it_reads(runs, name):
    _nb, events = runs[name]
    opened = [path for kind, path in events if kind == "open"]
    declared = input_files(declared_inputs(NOTEBOOKS / name), ROOT)
    for folder in ("data", "chapters"):
        assert _under(opened, folder) == _under(declared, folder), f"{name}: declared and read {folder}/ files differ"
    imported = {m for kind, m in events if kind == "import" and m.startswith("aes_edition.")}
    declared_modules = {f"aes_edition.{p.stem}" for p in declared if p.parent.name == "aes_edition" and p.suffix == ".py"}
    assert imported and imported <= declared_modules


def test_the_two_notebooks_read_different_tables(runs):
    """So that a change to one notebook's table re-executes that notebook only."""
    reads = {name: _under([p for k, p in runs[name][1] if k == "open"], "data") for name in NAMES}
    assert "data/concepts.csv" in reads["concept-map.ipynb"] and "data/concepts.csv" not in reads["traceability-matrix.ipynb"]
    assert "data/findings.csv" in reads["traceability-matrix.ipynb"] and "data/findings.csv" not in reads["concept-map.ipynb"]


def _pinned() -> set[str]:
    pins = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==", line.strip())
        if match:
            pins.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return pins


def test_the_kernel_uses_only_pinned_requirements(runs):
    """Every module a notebook's kernel imports comes from the standard library, the
    edition's package, or a distribution pinned in requirements.txt, as on Binder."""
    owners = importlib.metadata.packages_distributions()
    pinned = _pinned()
    unpinned = set()
    for _nb, events in runs.values():
        for top in {m.split(".")[0] for kind, m in events if kind == "import"}:
            ours = top in ("aes_edition", "scholarly_edition")  # this repository's packages
            if top in sys.stdlib_module_names or top in INSTALLER_MODULES or ours or top not in owners:
                continue
            dists = {re.sub(r"[-_.]+", "-", d).lower() for d in owners[top]}
            if not dists & pinned:
                unpinned.add(f"{top} ({', '.join(sorted(dists))})")
    assert unpinned == set()


def test_requirements_pin_every_distribution_exactly():
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            # Every distribution pinned, but the repository's own two packages (the book's and the extension).
            assert "==" in line or line in ("-e .", "-e ./extension"), line


def test_notebooks_use_the_kernel_binder_starts():
    assert json.loads((NOTEBOOKS / NAMES[0]).read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"] == "python3"

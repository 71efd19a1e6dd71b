"""The notebooks as Binder runs them, built from repo2docker's own recipe for this repository.

mybinder.org builds the image with repo2docker. ``jupyter-repo2docker --no-build --debug``
prints that build's Dockerfile without Docker; this test reads it (nothing of it is copied
here), so a change in repo2docker or in the repository's Binder files changes what is tested:

1. a fresh virtual environment stands for Binder's base environment: the Python version the
   recipe builds and the ipykernel of repo2docker's own lock file for that version;
2. every step the recipe runs after copying the repository into the image runs here, in a copy
   of the repository's files, with the virtual environment in place of the image's
   ``${KERNEL_PYTHON_PREFIX}``. So the package is installed as Binder installs it (a regular
   install into site-packages, not the editable one ``make`` uses);
3. every notebook runs unchanged in a fresh kernel of that environment, started in the
   notebook's own folder, as JupyterLab starts it, with nothing of the build's environment
   (``PYTHONPATH``, ``MATPLOTLIBRC``) leaking in.

The first run downloads the notebooks' libraries from PyPI (Binder's ``--no-cache-dir``).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from aes_edition.paths import ROOT

REPO2DOCKER = Path(sys.executable).parent / "jupyter-repo2docker"
# What the build and tests need and Binder must not carry (it would only slow the image).
BUILD_TOOLING = ("jupyter_book", "sphinx", "myst_nb", "pytest", "playwright", "ruff", "repo2docker", "bs4")
# What the build's environment sets and Binder's does not.
BUILD_ONLY_VARIABLES = ("PYTHONPATH", "MATPLOTLIBRC", "AES_EDITION_ROOT", "VIRTUAL_ENV")


@dataclass(frozen=True)
class Recipe:
    python: str  # "3.11"
    steps: list[str]  # shell commands, run in the repository's folder in the image


def repository_files(destination: Path) -> Path:
    """The files a clone of the repository has (tracked, and new ones git does not ignore),
    as they are in the working tree: what Binder would receive once they are committed."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def read_recipe(repository: Path) -> Recipe:
    """The Python version and the assemble steps of repo2docker's Dockerfile for ``repository``."""
    done = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--debug", str(repository)],
        capture_output=True, text=True, timeout=120,
    )
    text = done.stdout + done.stderr
    assert done.returncode == 0, text[-2000:]
    version = re.search(r"Building conda environment for python=(\d+\.\d+)", text)
    assert version, "repo2docker chose no Python environment:\n" + text[:2000]
    dockerfile = text[text.index("FROM "):]
    # The steps that depend on the repository's content run after it is copied into the image.
    # (repo2docker chowns to root when run as root, to the user who runs it otherwise.)
    after_copy = re.split(r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$", dockerfile, maxsplit=1, flags=re.M)[1]
    joined = re.sub(r"\\\n", " ", after_copy)
    steps = [line[len("RUN "):].strip() for line in joined.splitlines() if line.startswith("RUN ")]
    return Recipe(python=version.group(1), steps=steps)


def base_ipykernel(python: str) -> str:
    """The ipykernel version in repo2docker's lock file of Binder's base environment."""
    spec = importlib.util.find_spec("repo2docker")  # found, not imported
    assert spec and spec.submodule_search_locations
    lock = Path(spec.submodule_search_locations[0]) / "buildpacks" / "conda" / f"environment.py-{python}-linux-64.lock"
    found = re.search(r"/ipykernel-(\d+(?:\.\d+)+)-", lock.read_text(encoding="utf-8"))
    assert found, f"no ipykernel in {lock}"
    return found.group(1)


def binder_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in BUILD_ONLY_VARIABLES}


@pytest.fixture(scope="module")
def binder(tmp_path_factory) -> tuple[Path, Path, Recipe]:
    """(the repository as in the image, the environment's prefix, the recipe), built as above."""
    repository = repository_files(tmp_path_factory.mktemp("binder") / "repo")
    recipe = read_recipe(repository)
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert recipe.python == here, f"Binder builds Python {recipe.python}; this test runs on {here}"
    prefix = tmp_path_factory.mktemp("binder") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(prefix)], check=True)
    env = binder_environment()
    pip = [str(prefix / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"ipykernel=={base_ipykernel(recipe.python)}"], check=True, env=env)
    for step in recipe.steps:
        command = step.replace("${KERNEL_PYTHON_PREFIX}", str(prefix)).replace("${NB_PYTHON_PREFIX}", str(prefix))
        command = command.replace("${REPO_DIR}", str(repository))
        done = subprocess.run(["bash", "-c", command], cwd=repository, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"Binder's step failed: {command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return repository, prefix, recipe


def run_python(prefix: Path, code: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Binder's Python, isolated (-I) from the folder it runs in, so the installed package is used."""
    return subprocess.run([str(prefix / "bin" / "python"), "-I", "-c", code], cwd=cwd, capture_output=True, text=True,
                          env={**binder_environment(), **extra})


def test_binder_states_python_3_11_where_repo2docker_reads_it(binder):
    repository, _prefix, recipe = binder
    assert recipe.python == "3.11"
    assert (repository / "binder" / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def test_binder_installs_the_binder_requirements_and_the_package(binder):
    _repository, _prefix, recipe = binder
    assert any('-r "binder/requirements.txt"' in step for step in recipe.steps), recipe.steps


def test_the_package_is_a_regular_install_without_the_build_tooling(binder, tmp_path):
    _repository, prefix, _recipe = binder
    where = run_python(prefix, "import aes_edition; print(aes_edition.__file__)", tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(prefix), "the package must come from site-packages"
    found = f"import importlib.util as u; print([m for m in {BUILD_TOOLING!r} if u.find_spec(m)])"
    missing = run_python(prefix, found, tmp_path)
    assert missing.stdout.strip() == "[]", f"build tooling in the Binder image: {missing.stdout}"


def test_the_installed_package_carries_its_data_files(binder, tmp_path):
    _repository, prefix, _recipe = binder
    code = "import importlib.resources as r; p = r.files('aes_edition') / 'sphinxext'; " \
           "print(all((p / f).is_file() for f in ('static/edition.css', 'latex/aes-edition.sty')))"
    assert run_python(prefix, code, tmp_path).stdout.strip() == "True"


LOAD = "from aes_edition.analysis_data import load_concept_map; print(len(load_concept_map().concepts))"


def test_the_installed_package_finds_the_book_from_its_top_folder(binder):
    repository, prefix, _recipe = binder
    done = run_python(prefix, LOAD, repository)
    assert done.returncode == 0 and int(done.stdout) > 0, done.stderr


def test_outside_a_checkout_the_package_says_what_is_missing(binder, tmp_path):
    repository, prefix, _recipe = binder
    done = run_python(prefix, LOAD, tmp_path)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("aes_edition.paths.BookNotFound:"), done.stderr
    assert "data/copy-text.txt" in last and "AES_EDITION_ROOT" in last and str(tmp_path) in last
    named = run_python(prefix, LOAD, tmp_path, AES_EDITION_ROOT=str(repository))
    assert named.returncode == 0, named.stderr
    wrong = run_python(prefix, LOAD, tmp_path, AES_EDITION_ROOT=str(tmp_path))
    assert "is not a checkout of the edition" in wrong.stderr


@pytest.fixture(scope="module")
def kernel(binder, tmp_path_factory) -> str:
    """A kernel spec for Binder's Python, found through JUPYTER_PATH."""
    _repository, prefix, _recipe = binder
    share = tmp_path_factory.mktemp("kernels")
    subprocess.run([str(prefix / "bin" / "python"), "-m", "ipykernel", "install", "--prefix", str(share),
                    "--name", "aes-binder"], check=True, capture_output=True, env=binder_environment())
    return str(share / "share" / "jupyter")


NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_notebook_runs_in_binder_from_its_folder(binder, kernel, monkeypatch, name):
    repository, prefix, _recipe = binder
    for variable in BUILD_ONLY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("JUPYTER_PATH", kernel)
    folder = repository / "notebooks"
    nb = nbformat.read(folder / name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import aes_edition, os\nprint(aes_edition.__file__)\nprint(os.getcwd())"))
    NotebookClient(nb, kernel_name="aes-binder", timeout=300, resources={"metadata": {"path": str(folder)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs), "the notebook drew no figure"
    package, cwd = outputs[-1]["text"].split()
    assert Path(package).is_relative_to(prefix) and Path(cwd) == folder


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)$", line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def test_binder_pins_are_the_builds_pins():
    """Binder runs the notebooks with the libraries the book's build ran them with."""
    binder_pins, build_pins = pins(ROOT / "binder" / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert binder_pins and {name: build_pins.get(name) for name in binder_pins} == binder_pins
    lines = [line.strip() for line in (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert "." in lines and "-e ." not in lines, "Binder installs the package as a regular install"

"""The publishing workflow: valid for GitHub Actions, and publishing only what passed.

actionlint (a pinned wheel in requirements.txt) checks the workflow's syntax, expressions,
action inputs and, through shellcheck, its shell steps. The other tests read the workflow as
data and hold it to what the README promises: the build and tests run as an unprivileged
user through the Makefile's own targets, and the site is deployed from main only after they
passed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aes_edition.paths import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


@pytest.fixture(scope="module")
def workflow() -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as the trigger list.
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def test_actionlint_with_shellcheck_finds_nothing():
    assert shutil.which("shellcheck"), "shellcheck is missing: run `make system-deps` (make test installs it as root)"
    done = subprocess.run([str(ACTIONLINT), "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    """The check above can fail: a step with an unknown action input is reported."""
    broken = WORKFLOW.read_text(encoding="utf-8").replace("path: _build/html", "paht: _build/html")
    target = tmp_path / ".github" / "workflows" / "publish.yml"
    target.parent.mkdir(parents=True)
    target.write_text(broken, encoding="utf-8")
    done = subprocess.run([str(ACTIONLINT), "-no-color", str(target)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode != 0 and "paht" in done.stdout


def _runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_the_build_runs_the_readme_commands_as_an_unprivileged_user(workflow):
    build = workflow["jobs"]["build"]
    runs = _runs(build)
    assert runs[0].strip() == "make system-deps", "root installs the Debian packages first, through the Makefile"
    for target in ("html", "pdf", "test"):
        assert f"runuser -u editor -- make {target}" in runs
    assert any("useradd" in run for run in runs)


def test_the_site_is_deployed_from_main_only_after_every_test_passed(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = [step.get("uses", step.get("run", "")) for step in build["steps"]]
    upload = next(i for i, s in enumerate(steps) if s.startswith("actions/upload-pages-artifact@"))
    assert upload > steps.index("runuser -u editor -- make test"), "the site is uploaded after the tests"
    assert build["steps"][upload]["with"]["path"] == "_build/html"
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}


def test_the_site_uploaded_holds_the_pdf_and_the_epub(workflow):
    """The front page links both; `make pdf` and `make test` (which runs `make epub`) put them there."""
    steps = _runs(workflow["jobs"]["build"])
    check = next(run for run in steps if "test -s" in run)
    assert steps.index(check) > steps.index("runuser -u editor -- make test")
    assert "test -s _build/html/aes-edition.pdf" in check and "test -s _build/html/aes-edition.epub" in check

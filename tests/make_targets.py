"""Run one of the Makefile's targets in the checkout, as a reader would, for tests that
check what it makes (the PDF, the EPUB)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from aes_edition.paths import ROOT


def made(target: str, product: Path) -> Path:
    """``make <target>`` in the checkout; ``product`` if it succeeded, else the test fails
    with the end of what make printed."""
    result = subprocess.run(["make", target], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"make {target} failed:\n" + (result.stdout + result.stderr)[-4000:])
    return product

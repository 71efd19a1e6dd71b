"""Each test builds one small project from ``roots/test-<name>`` with Sphinx's own test
fixtures (``sphinx.testing``), in about a second."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.fixtures import *  # noqa: F403  (Sphinx's fixtures and its "sphinx" marker)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent.resolve() / "roots"


"""sphinxcontrib-bibtex's per-citation plugin look-ups do not scan the installed packages.

pybtex finds a plugin by scanning every installed package's entry points unless it was
registered at run time; sphinxcontrib-bibtex looks one up for every citation it resolves.
``aes_edition.sphinxext.bibstyle.find_plugins_once`` registers those plugins through
pybtex's public ``register_plugin``. The first test holds it to the very classes the entry
points name; the second builds a small project twice, with one citation and with twelve,
and counts the entry-point scans: after the registration their number does not grow with
the citations (without it, each citation costs a scan), so a new per-citation look-up in a
later sphinxcontrib-bibtex shows here.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pybtex.plugin
import pytest
from rebuild import build_index

from aes_edition.sphinxext.bibstyle import LOOKED_UP_PER_CITATION, find_plugins_once

BIB = "".join(f"@book{{work{n},\n  author = {{Author{n}, Ann}},\n  title = {{Title {n}}},\n  publisher = {{Press}},\n"
              f"  year = {{20{n:02d}}}\n}}\n" for n in range(12))


def test_the_registered_plugins_are_the_installed_ones():
    installed = {(group, name): next(iter(entry_points(group=group, name=name))).load()
                 for group, name in LOOKED_UP_PER_CITATION}
    find_plugins_once()

    def no_scan(**_):
        raise AssertionError("entry points scanned")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pybtex.plugin, "entry_points", no_scan)
        for (group, name), klass in installed.items():
            assert pybtex.plugin.find_plugin(group, name) is klass


def _scans_for(root: Path, citations: int) -> int:
    root.mkdir()
    (root / "conf.py").write_text("extensions = ['sphinxcontrib.bibtex']\nbibtex_bibfiles = ['refs.bib']\n", encoding="utf-8")
    cited = " ".join(f":cite:p:`work{n}`" for n in range(citations))
    (root / "index.rst").write_text(f"Title\n=====\n\nAs {cited} say.\n\n.. bibliography::\n", encoding="utf-8")
    (root / "refs.bib").write_text(BIB, encoding="utf-8")
    scans = []
    scan = pybtex.plugin.entry_points

    def counted(**query):
        scans.append(query)
        return scan(**query)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pybtex.plugin, "entry_points", counted)
        assert "Title 0" in build_index(root)
    return len(scans)


def test_resolving_more_citations_scans_no_more_entry_points(tmp_path):
    find_plugins_once()
    assert _scans_for(tmp_path / "one", 1) == _scans_for(tmp_path / "twelve", 12)

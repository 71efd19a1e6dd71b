"""Every external link of the edition, in the built pages and in the sources, is a
well-formed URL and uses https unless the editors recorded why a site cannot
(aes_edition/links.py). ``make linkcheck`` checks that they answer; it needs a network
and is not part of ``make test``, but its wiring is tested here."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bookcopy import BookCopy
from bs4 import BeautifulSoup

from aes_edition.links import link_problem, links_in_text
from aes_edition.paths import ROOT
from aes_edition.publishing import from_config

EXTERNAL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src", "source": "src",
              "form": "action", "area": "href", "embed": "src", "object": "data"}
# The edition's content: where an editor writes links.
SOURCES = ("chapters/**/*.md", "notebooks/**/*.ipynb", "data/*", "*.bib", "_config.yml", "_toc.yml", "README.md")


def html_links(html: Path) -> list[tuple[str, str]]:
    found = []
    for page in sorted(html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in ATTRIBUTES.items():
            for element in soup.find_all(tag):
                url = (element.get(attribute) or "").strip()
                if EXTERNAL.match(url) and not (tag == "img" and url.startswith("data:image/")):
                    found.append((str(page.relative_to(html)), url))
    return found


def _yaml_links(value: object) -> list[str]:
    """Values of a YAML file that are links (the link-check patterns are regular expressions
    of links, not links, and start with ^)."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in _yaml_links(item)]
    if isinstance(value, list):
        return [url for item in value for url in _yaml_links(item)]
    return [value] if isinstance(value, str) and EXTERNAL.match(value) and "://" in value else []


def source_links() -> list[tuple[str, str]]:
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split())
    found = []
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            relative = path.relative_to(ROOT).as_posix()
            if not path.is_file() or (tracked and relative not in tracked):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            urls = _yaml_links(yaml.safe_load(text)) if path.suffix in (".yml", ".yaml") else links_in_text(text)
            found += [(relative, url) for url in urls]
    return found


def test_every_link_in_the_built_pages_is_well_formed_and_secure(html_dir):
    links = html_links(html_dir)
    assert any("github.com" in url for _, url in links), "the repository link of every page was not found"
    problems = [f"{page}: {url} {link_problem(url)}" for page, url in links if link_problem(url)]
    assert problems == [], "\n".join(problems)


def test_every_link_in_the_sources_is_well_formed_and_secure():
    problems = [f"{path}: {url} {link_problem(url)}" for path, url in source_links() if link_problem(url)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("url", [
    "https://doi.org/10.1093/acprof:oso/9780198297239.001.0001",
    "https://fr.wikipedia.org/wiki/Alliance_des_%C3%89tats_du_Sahel",
    "https://en.wikipedia.org/wiki/Liptako%E2%80%93Gourma_Authority",
    "mailto:enejobenjaminjulius@gmail.com",
    from_config().repository_url,
])
def test_good_links_pass(url):
    assert link_problem(url) is None


@pytest.mark.parametrize(("url", "problem"), [
    ("http://www.un.org/en/", "serves https"),
    ("http://example.org/page", "uses http"),
    ("https://example org/page", "spaces"),
    ("https:/example.org", "'//'"),
    ("https://localhost/page", "host"),
    ("https://doi.org/not-a-doi", "without a DOI"),
    ("https://example.org/100%", "%XX"),
    ("javascript:alert(1)", "scheme"),
    ("mailto:nobody", "e-mail"),
    ("https://user:secret@example.org/", "password"),
])
def test_bad_links_are_named(url, problem):
    assert problem in (link_problem(url) or "")


def test_linkcheck_reports_unreachable_links_outside_the_html(tmp_path):
    """Without a network every link is unreachable: make linkcheck must say so, and keep
    its report out of _build/html, which is what gets published."""
    book = BookCopy(tmp_path / "book")
    book.append("chapters/editorial-principles.md", "See <https://www.un.org/en/>.")
    guard = tmp_path / "offline"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(
        "import socket\n"
        "def _refuse(*args, **kwargs):\n"
        "    raise OSError(101, 'network refused by the test')\n"
        "socket.getaddrinfo = _refuse\n", encoding="utf-8")
    build = book.make("linkcheck", env={"PYTHONPATH": str(guard)})
    assert build.failed, build.tail()
    report = book.path("_build/linkcheck/output.txt")
    assert report.exists() and "https://www.un.org/en/" in report.read_text(encoding="utf-8")
    assert not list(book.path("_build").glob("html/output.*"))
    assert book.path("_build/.latex-environment-untrusted").exists(), "the next PDF build must read every page again"

"""Where the edition is published, derived from one setting.

Every address a reader or a tool meets (the site's canonical links, the per-paragraph
addresses, the Binder and repository buttons, the citation data, the notebooks' links to the
published paragraphs) comes from ``repository.url`` in ``_config.yml``, Jupyter Book's own
setting for the repository. The site address is the GitHub Pages address of that repository
(``https://<owner>.github.io/<name>/``) unless ``html.baseurl`` names another one (a custom
domain). So someone publishing their own copy changes one line, and nothing can point at the
original edition by mistake.

The Sphinx side (``aes_edition.sphinxext``) and the notebooks (which run without Sphinx, in
Binder too) both call :func:`derive`, so they cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "_config.yml"
# A GitHub repository address: https://github.com/<owner>/<name>, nothing after it.
_GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<name>[A-Za-z0-9._-]{1,100})")
_SITE = re.compile(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?/(?:[A-Za-z0-9._~%-]+/)*")


class PublishingError(ValueError):
    """A publishing setting that is missing or malformed; the message names the setting."""

    def __init__(self, setting: str, problem: str) -> None:
        self.setting = setting
        super().__init__(f"{CONFIG_FILE}, setting '{setting}': {problem}")


@dataclass(frozen=True)
class Publishing:
    """The edition's addresses. ``site_url`` always ends with ``/``."""

    repository_url: str
    branch: str
    site_url: str

    @property
    def owner(self) -> str:
        return self.repository_url.rstrip("/").split("/")[-2]

    @property
    def name(self) -> str:
        return self.repository_url.rstrip("/").split("/")[-1]

    def page_url(self, docname: str, anchor: str = "") -> str:
        """The absolute address of a page of the site (``chapters/impact``), with an anchor."""
        return f"{self.site_url}{docname}.html" + (f"#{anchor}" if anchor else "")

    def source_url(self, path: str) -> str:
        """The address of a file of the repository on GitHub, at the published branch."""
        return f"{self.repository_url}/blob/{self.branch}/{path}"


def derive(repository_url: object, branch: object = "main", baseurl: object = "") -> Publishing:
    """Check the settings as a reader's tools will need them and derive the site address.

    Raises :class:`PublishingError` naming the setting, so that ``make html`` stops with one
    line instead of publishing pages that link nowhere.
    """
    if not isinstance(repository_url, str) or not repository_url.strip():
        raise PublishingError("repository.url", "missing; set it to the edition's GitHub repository, "
                              "e.g. https://github.com/<owner>/<name>")
    url = repository_url.strip().removesuffix("/").removesuffix(".git")
    match = _GITHUB.fullmatch(url)
    if not match:
        raise PublishingError("repository.url", f"{repository_url!r} is not a GitHub repository address "
                              "of the form https://github.com/<owner>/<name>")
    if not isinstance(branch, str) or not re.fullmatch(r"[A-Za-z0-9._/-]+", branch or ""):
        raise PublishingError("repository.branch", f"{branch!r} is not a branch name")
    if baseurl in (None, ""):
        owner, name = match["owner"].lower(), match["name"]
        site = f"https://{owner}.github.io/" if name.lower() == f"{owner}.github.io" else f"https://{owner}.github.io/{name}/"
    elif isinstance(baseurl, str):
        site = baseurl.strip()
        if not site.endswith("/"):
            site += "/"
        if not _SITE.fullmatch(site):
            raise PublishingError("html.baseurl", f"{baseurl!r} is not an https address of a site "
                                  "(https://host/path/), nor empty (the GitHub Pages address)")
    else:
        raise PublishingError("html.baseurl", f"{baseurl!r} is not an address")
    return Publishing(repository_url=url, branch=branch, site_url=site)


def from_config(path: Path | None = None) -> Publishing:
    """The publishing settings as ``_config.yml`` states them (for code that runs without
    Sphinx: the notebooks, the data check, the tests)."""
    from .paths import ROOT

    path = path or ROOT / CONFIG_FILE
    from scholarly_edition.strict_data import load_yaml

    if not path.is_file():
        raise PublishingError("repository.url", f"{path} not found")
    config = load_yaml(path) or {}
    repository = config.get("repository") or {}
    html = config.get("html") or {}
    if not isinstance(repository, dict) or not isinstance(html, dict):
        raise PublishingError("repository.url", "the 'repository' and 'html' sections must be mappings")
    return derive(repository.get("url"), repository.get("branch", "main"), html.get("baseurl", ""))

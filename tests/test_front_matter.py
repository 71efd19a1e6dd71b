"""The front matter tells a reader how the edition was made and how to cite it, and the
citation metadata agrees with the edition's own settings."""

from __future__ import annotations

import shutil
import tomllib

import pytest
import yaml
from scholarly_edition.strict_data import DataError

from aes_edition.citation import CITATION_FILE, PYPROJECT, check_citation, load_citation
from aes_edition.paragraphs import toc_files
from aes_edition.paths import ROOT


def test_the_front_matter_comes_before_the_paper():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    assert captions[:2] == ["About this edition", "The paper"]
    about = [entry["file"] for entry in toc["parts"][0]["chapters"]]
    assert about == ["chapters/about", "chapters/editorial-principles", "chapters/how-to-cite", "chapters/changelog"]
    order = toc_files()
    assert order.index("chapters/how-to-cite") < order.index("chapters/abstract")


def test_the_editorial_principles_cover_what_the_issue_asks(pages):
    text = pages["chapters/editorial-principles"].get_text(" ")
    for topic in ("copy-text", "telephone number", "square brackets", "[sic]", "Paragraph numbers",
                  "Editors' notes", "Global Terrorism Index", "edition of the index"):
        assert topic.replace("'", "’") in text or topic in text, topic


def test_citation_cff_agrees_with_the_edition():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors", "version", "repository-code", "license"):
        assert cff.get(key), key
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert cff["version"] == version
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["repository-code"] == config["repository"]["url"]
    names = [a.get("family-names") for a in cff["authors"]]
    assert names[:2] == ["Enejo", "Coulibaly"]
    assert any(a.get("name") for a in cff["authors"]), "the editors are named as an entity"
    paper = cff["references"][0]
    assert paper["title"] == "Alliance for Sahel States and the Security of the Sub-Region"


def test_the_data_check_holds_the_version_to_pyproject(tmp_path):
    """One version: the data check, which runs before every build, stops when CITATION.cff and
    pyproject.toml differ, naming the file, the key and both versions."""
    assert check_citation().version == tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    cff = tmp_path / "CITATION.cff"
    shutil.copy(CITATION_FILE, cff)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT.read_text(encoding="utf-8").replace('version = "', 'version = "9', 1), encoding="utf-8")
    version = load_citation(cff).version
    with pytest.raises(DataError, match=rf"CITATION\.cff, key 'version': '{version}' differs from the version in "
                       rf"pyproject\.toml, '9{version}'"):
        load_citation(cff, pyproject=pyproject)
    pyproject.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"pyproject\.toml, key 'project\.version': is missing"):
        load_citation(cff, pyproject=pyproject)


def test_how_to_cite_gives_a_working_example_link_to_a_paragraph(pages):
    page = pages["chapters/how-to-cite"]
    assert "chapters/impact.html#impact-p3" in page.get_text()
    link = page.find("a", href="impact.html#impact-p3")
    assert link is not None
    assert pages["chapters/impact"].find(id="impact-p3") is not None
    note_link = next(a for a in page.select("a") if "#note-impact-" in a.get("href", ""))
    anchor = note_link["href"].split("#", 1)[1]
    assert pages["chapters/impact"].find(id=anchor) is not None


def test_the_about_page_shows_the_three_voices(pages):
    page = pages["chapters/about"]
    assert page.select_one("div.ednote.editorial span.ednote-label")
    assert page.select_one("figure.quoted-source blockquote.quoted-text")
    assert page.select_one("figure.quoted-source figcaption.quoted-attribution")

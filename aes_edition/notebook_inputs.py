"""What each notebook reads, and one digest of its content, so that a data change re-executes it.

The build runs the notebooks through myst-nb and jupyter-cache, which recognises a notebook
by its code cells alone. A notebook that reads ``data/concepts.csv`` would therefore keep
showing the old figure after the table changed. To prevent that, each notebook declares the
files it reads, in its metadata::

    "aes_edition": {"reads": ["data/concepts.csv", "data/propositions.csv", "chapters/*.md#paragraphs"]}

(paths and glob patterns relative to the book's root). A pattern ending in ``#paragraphs``
stands for the paper's numbered paragraphs in those files (their ids, chapter titles and
text), not for the whole file: a notebook that draws on the paper's words does not run again
when an editor adds a note beside them. Likewise ``_config.yml#publishing`` stands for the
publishing settings only (the site address the notebooks link to, see
:mod:`aes_edition.publishing`), not for every setting of the book. A notebook that declares
nothing is taken to read everything in ``data/`` and the package, so it runs again whenever
either changes. :func:`fingerprint` is one digest of the content (never the times) of those
files; the Sphinx side (:mod:`aes_edition.sphinxext.notebooks`) reads a notebook again and
executes it again when its fingerprint changes. The tests check that the declaration matches
what each notebook really opens, and the build's kernels check it too
(:mod:`aes_edition.notebook_audit`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import nbformat

METADATA_KEY = "aes_edition"
# What a notebook that declares nothing may read: all the data and all the package.
UNDECLARED = ["data/**/*", "aes_edition/**/*.py"]
# The suffix of a pattern that names only the paper's paragraphs in the files it matches.
PARAGRAPHS = "#paragraphs"
# The suffix of a pattern that names only the publishing settings of the book's configuration.
PUBLISHING = "#publishing"
PARTS = (PARAGRAPHS, PUBLISHING)


def declared_inputs(notebook: Path) -> list[str]:
    """The patterns a notebook declares under ``metadata.aes_edition.reads`` ([] if none)."""
    metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    reads = metadata.get(METADATA_KEY, {}).get("reads", [])
    if not isinstance(reads, list) or not all(isinstance(r, str) for r in reads):
        raise ValueError(f"{notebook}: metadata.{METADATA_KEY}.reads must be a list of paths")
    return reads


def check_notebooks(folder: Path | None = None) -> None:
    """Every notebook of the book is a notebook: JSON that nbformat accepts, with a well-formed
    declaration of its inputs. A notebook that is not would otherwise stop the build later
    with a traceback from deep inside the notebook machinery; this names the file, the line
    and the problem, before Sphinx runs."""
    from scholarly_edition.strict_data import DataError

    from .paths import NOTEBOOKS

    for path in sorted((folder or NOTEBOOKS).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
        except UnicodeDecodeError as error:
            raise DataError(path, None, None, f"not a valid notebook: not UTF-8 text (byte {error.start})") from None
        except json.JSONDecodeError as error:
            raise DataError(path, error.lineno, None, f"not a valid notebook: {error.msg} (column {error.colno})",
                            row_name="line") from None
        try:
            nbformat.validate(nbformat.reads(text, as_version=4))
        except (nbformat.ValidationError, ValueError, KeyError, AttributeError) as error:
            message = getattr(error, "message", None) or str(error)
            raise DataError(path, None, None, f"not a valid notebook: {message.splitlines()[0]}") from None
        try:
            declared_inputs(path)
        except ValueError as error:
            raise DataError(path, None, None, str(error).removeprefix(f"{path}: ")) from None


def inputs_of(notebook: Path) -> list[str]:
    """What a notebook's outputs depend on: its declaration, or everything it could read."""
    return declared_inputs(notebook) or UNDECLARED


def input_files(patterns: Iterable[str], root: Path) -> list[Path]:
    """The files the patterns name, sorted; a plain path that does not exist is kept, so
    that a file appearing (or disappearing) changes the fingerprint."""
    found: set[Path] = set()
    for pattern in patterns:
        for part in PARTS:
            pattern = pattern.removesuffix(part)
        if any(ch in pattern for ch in "*?["):
            found.update(p for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
        else:
            found.add(root / pattern)
    return sorted(found)


def _paragraphs_digest(path: Path) -> str:
    """A hash of the paper's paragraphs in one chapter file: ids, chapter title and text, but
    not where they stand in the file nor the editors' notes around them. A chapter whose
    paragraphs cannot be read is hashed whole (the build reports the fault). The parse is
    :func:`aes_edition.paragraphs.parse_chapter`'s, made once per content of the file."""
    from scholarly_edition.strict_data import DataError

    from .paragraphs import parse_chapter

    try:
        paragraphs = [(p.id, p.chapter_title, p.source) for p in parse_chapter(path)]
    except DataError:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return hashlib.sha256(json.dumps(paragraphs, ensure_ascii=False).encode()).hexdigest()


def _publishing_digest(path: Path) -> str:
    """A hash of the publishing settings a configuration file states (the whole file, if
    they cannot be read: the build reports the fault)."""
    import yaml

    from .publishing import PublishingError, from_config

    try:
        return hashlib.sha256(repr(from_config(path)).encode()).hexdigest()
    except (PublishingError, yaml.YAMLError):
        return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(patterns: Iterable[str], root: Path) -> str:
    """One hash of the names and contents of a notebook's input files (of the paragraphs
    only, for the files a ``#paragraphs`` pattern names, and of the publishing settings only
    for a ``#publishing`` one)."""
    patterns = list(patterns)
    parts = {part: set(input_files([p for p in patterns if p.endswith(part)], root)) for part in PARTS}
    whole = set(input_files([p for p in patterns if not p.endswith(PARTS)], root))
    digest = hashlib.sha256()
    for path in sorted(whole.union(*parts.values())):
        if not path.is_file():
            content = "absent"
        elif path in whole:
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path in parts[PARAGRAPHS]:
            content = "paragraphs " + _paragraphs_digest(path)
        else:
            content = "publishing " + _publishing_digest(path)
        digest.update(f"{path.relative_to(root).as_posix()}\0{content}\n".encode())
    return digest.hexdigest()

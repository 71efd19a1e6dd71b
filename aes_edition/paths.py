"""Where the edition keeps its parts, resolved from the package location so that
notebooks (run from ``notebooks/``), tests and Sphinx all find the same files."""

from pathlib import Path

ROOT: Path = Path(__file__).resolve().parent.parent
DATA: Path = ROOT / "data"
CHAPTERS: Path = ROOT / "chapters"
NOTEBOOKS: Path = ROOT / "notebooks"
COPY_TEXT: Path = DATA / "copy-text.txt"

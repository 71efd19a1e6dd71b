"""What the notebooks display, in a form each reader's tool can use.

A notebook output is shown in three places: the HTML edition, the PDF, and JupyterLab
(on Binder or locally). Tables are therefore emitted twice: as MyST Markdown, whose
``{ref}`` links to paragraphs Sphinx resolves in HTML and PDF (and fails the strict build
on when broken), and as plain HTML for JupyterLab, where the same links open the chapter's
source file. The notebooks ask myst-nb, in their metadata, to prefer the Markdown.

Figures are emitted as SVG (crisp in the browser and in JupyterLab) and PDF (vector in
the LaTeX build), with their metadata fixed so that two builds write the same files.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from .paragraphs import Paragraph, paragraph_index

MYST_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|$])")


def short_chapter(title: str) -> str:
    """A chapter's title cut to its leading capitalised words: "Impact of the AES on …"
    becomes "Impact", "Theoretical Framework: …" becomes "Theoretical Framework"."""
    words = []
    for word in title.split(":")[0].split():
        if not word[:1].isupper():
            break
        words.append(word)
    return " ".join(words) or title


def para_text(paragraph: Paragraph) -> str:
    """How a table names a paragraph: "Impact ¶1" (with a no-break space, so that a narrow
    column does not part the number from its chapter)."""
    return f"{short_chapter(paragraph.chapter_title)}\u00a0¶{paragraph.number}"


def typographic(text: str) -> str:
    """Straight quotes and apostrophes set as typographic ones, as the chapters show them."""
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)
    return re.sub(r"(?<=\w)'", "\u2019", text)


def quotation(text: str) -> str:
    """The paper's words in double quotation marks, with quotations inside them in single ones."""
    inner = re.sub(r'"([^"]*)"', "\u2018\\1\u2019", text)
    return f"\u201c{typographic(inner)}\u201d"


def escape_myst(text: str) -> str:
    """Text shown literally in MyST (never parsed as markup)."""
    return MYST_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class Cell:
    """One table cell: the same content as MyST and as HTML."""

    myst: str
    html: str

    @classmethod
    def text(cls, value: str) -> Cell:
        value = typographic(value)
        return cls(escape_myst(value), html.escape(value))

    @classmethod
    def quote(cls, value: str) -> Cell:
        """The paper's own words, quoted."""
        value = quotation(value)
        return cls(escape_myst(value), html.escape(value))


def para_links(ids: Sequence[str]) -> Cell:
    """Links to paragraphs: ``{ref}`` roles for the book, links to the chapter files for
    JupyterLab (whose notebooks run in ``notebooks/``, beside ``chapters/``)."""
    index = paragraph_index()
    myst, markup = [], []
    for pid in ids:
        paragraph = index[pid]
        name = para_text(paragraph)
        myst.append(f"{{ref}}`{name} <{pid}>`")
        markup.append(f'<a href="../chapters/{paragraph.chapter}.md" title="{pid}">{html.escape(name)}</a>')
    return Cell(", ".join(myst), ", ".join(markup))


class Table:
    """A table with paragraph links that works in the book and in JupyterLab."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[int]) -> None:
        self.header = list(header)
        self.rows = [list(row) for row in rows]
        self.widths = list(widths)  # relative column widths: without them LaTeX sets long tables unwrapped
        for row in [*self.rows, self.widths]:
            if len(row) != len(self.header):
                raise ValueError(f"row has {len(row)} cells, header {len(self.header)}")

    def _repr_markdown_(self) -> str:
        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

        lines = [line([escape_myst(h) for h in self.header]), "|" + "---|" * len(self.header)]
        lines += [line([c.myst for c in row]) for row in self.rows]
        options = [":::{table}", f":widths: {' '.join(str(w) for w in self.widths)}", ":width: 100%", ":align: left", ""]
        return "\n".join([*options, *lines, ":::"])

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{c.html}</td>" for c in row) + "</tr>" for row in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        return f"<Table: {len(self.rows)} rows × {len(self.header)} columns>"


class Prose:
    """A short passage of generated text (MyST for the book, HTML for JupyterLab)."""

    def __init__(self, myst: str, markup: str) -> None:
        self.myst = myst
        self.markup = markup

    def _repr_markdown_(self) -> str:
        return self.myst

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return re.sub(r"<[^>]+>", "", self.markup)


def bullet_list(items: Sequence[Cell], empty: str) -> Prose:
    """A bulleted list of cells, or one sentence saying there is nothing to list."""
    if not items:
        return Prose(escape_myst(empty), f"<p>{html.escape(empty)}</p>")
    return Prose("\n".join(f"- {item.myst}" for item in items),
                 "<ul>" + "".join(f"<li>{item.html}</li>" for item in items) + "</ul>")


class FigureOutput:
    """A matplotlib figure as SVG and PDF, for the browser and for LaTeX, and as PNG for
    the EPUB (e-readers, and EPUBCheck, reject the DTD that matplotlib's SVG declares)."""

    def __init__(self, figure: Figure, description: str) -> None:
        self.figure = figure
        self.description = description

    def _render(self, fmt: str) -> bytes:
        buffer = io.BytesIO()
        metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}.get(fmt, {})
        self.figure.savefig(buffer, format=fmt, metadata=metadata, **({"dpi": 200} if fmt == "png" else {}))
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {
            "image/svg+xml": self._render("svg").decode("utf-8"),
            "application/pdf": base64.b64encode(self._render("pdf")).decode("ascii"),
            "image/png": base64.b64encode(self._render("png")).decode("ascii"),
            "text/plain": self.description,
        }

    def __repr__(self) -> str:
        return self.description

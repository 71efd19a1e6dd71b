"""What the notebooks display, in a form each reader's tool can use.

A notebook output is shown in three places: the HTML edition, the PDF, and JupyterLab
(on Binder or locally). Tables are therefore emitted twice: as MyST Markdown, whose
``{ref}`` links to paragraphs Sphinx resolves in HTML and PDF (and fails the strict build
on when broken), and as plain HTML for JupyterLab, where the same links lead to the
paragraph on the published edition (its address derived by :mod:`aes_edition.publishing`
from ``_config.yml``, as the book's own addresses are). The book asks myst-nb
(``nb_mime_priority_overrides`` in ``_config.yml``) to prefer the Markdown; JupyterLab
prefers the HTML. Text from the data is escaped in both.

Figures are emitted as SVG (crisp in the browser and in JupyterLab) and PDF (vector in
the LaTeX build), with their metadata fixed so that two builds write the same files.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import matplotlib
from matplotlib.figure import Figure

from .myst_text import literal
from .paragraphs import Paragraph, paragraph_index
from .publishing import from_config

P = ParamSpec("P")
R = TypeVar("R")


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
    """Text shown literally in MyST (never parsed as markup): see :mod:`aes_edition.myst_text`."""
    return literal(text)


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

    @classmethod
    def strong(cls, value: str) -> Cell:
        """Text set in bold."""
        cell = cls.text(value)
        return cls(f"**{cell.myst}**", f"<b>{cell.html}</b>")

    @classmethod
    def join(cls, *parts: Cell | str) -> Cell:
        """Pieces run together, each a cell or text (escaped), so that the MyST and the HTML
        of a composed cell are made from the same pieces and cannot drift apart."""
        cells = [cls.text(part) if isinstance(part, str) else part for part in parts]
        return cls("".join(c.myst for c in cells), "".join(c.html for c in cells))


def para_links(ids: Sequence[str]) -> Cell:
    """Links to paragraphs: ``{ref}`` roles for the book (checked by its strict build), and
    for JupyterLab links to the paragraph on the published edition, where a reader on
    Binder can follow them (the chapters' source files would show MyST, not the text)."""
    index = paragraph_index()
    site = from_config()
    myst, markup = [], []
    for pid in ids:
        paragraph = index[pid]
        name = para_text(paragraph)
        myst.append(f"{{ref}}`{name} <{pid}>`")
        href = site.page_url(f"chapters/{paragraph.chapter}", pid)
        markup.append(f'<a href="{html.escape(href)}">{html.escape(name)}</a>')
    return Cell(", ".join(myst), ", ".join(markup))


class Table:
    """A table with paragraph links that works in the book and in JupyterLab.

    Its caption is the notebook's words (:meth:`captioned`), not the package's: the notebook
    says what each table shows. The caption makes the table a numbered, captioned table in
    the book ("Table 3: …" in the PDF, so that "Table 3 – continued" on the following pages
    names a table the reader has met) and a ``<caption>`` in JupyterLab."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[int],
                 caption: str = "") -> None:
        self.header = list(header)
        self.rows = [list(row) for row in rows]
        self.widths = list(widths)  # relative column widths: without them LaTeX sets long tables unwrapped
        self.caption = caption
        for row in [*self.rows, self.widths]:
            if len(row) != len(self.header):
                raise ValueError(f"row has {len(row)} cells, header {len(self.header)}")

    def captioned(self, caption: str) -> Table:
        """The same table with ``caption`` (text, shown as written)."""
        return Table(self.header, self.rows, self.widths, caption=caption)

    def _repr_markdown_(self) -> str:
        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

        lines = [line([escape_myst(h) for h in self.header]), "|" + "---|" * len(self.header)]
        lines += [line([c.myst for c in row]) for row in self.rows]
        title = f" {escape_myst(typographic(self.caption))}" if self.caption.strip() else ""
        options = [f":::{{table}}{title}", f":widths: {' '.join(str(w) for w in self.widths)}",
                   ":width: 100%", ":align: left", ""]
        return "\n".join([*options, *lines, ":::"])

    def _repr_html_(self) -> str:
        # JupyterLab sets table cells flush right (for numbers); these cells hold prose.
        style = ' style="text-align: left; vertical-align: top"'
        head = "".join(f"<th{style}>{html.escape(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td{style}>{c.html}</td>" for c in row) + "</tr>" for row in self.rows)
        caption = f"<caption>{html.escape(typographic(self.caption))}</caption>" if self.caption.strip() else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        return f"<Table: {len(self.rows)} rows × {len(self.header)} columns>"


class Prose:
    """A short passage of generated text (MyST for the book, HTML for JupyterLab)."""

    def __init__(self, myst: str, markup: str) -> None:
        self.myst = myst
        self.markup = markup

    @classmethod
    def paragraph(cls, text: str) -> Prose:
        """One paragraph of plain text."""
        return cls(escape_myst(text), f"<p>{html.escape(text)}</p>")

    def _repr_markdown_(self) -> str:
        return self.myst

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return re.sub(r"<[^>]+>", "", self.markup)


def bullet_list(items: Sequence[Cell], empty: str) -> Prose:
    """A bulleted list of cells, or one sentence saying there is nothing to list."""
    if not items:
        return Prose.paragraph(empty)
    return Prose("\n".join(f"- {item.myst}" for item in items),
                 "<ul>" + "".join(f"<li>{item.html}</li>" for item in items) + "</ul>")


def text_as_written(function: Callable[P, R]) -> Callable[P, R]:
    """Draw with matplotlib's mathtext off: a label from data that holds two ``$`` signs
    is shown as written, not set as mathematics (text from data is text in figures too)."""

    @functools.wraps(function)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context({"text.parse_math": False}):
            return function(*args, **kwargs)

    return drawn


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

"""The directives of a MyST page, found the way MyST finds them.

The paragraph registry, the record of the review and other checks read the chapters before
Sphinx does. Matching lines with a pattern recognised one spelling of a directive
(``:::{para} id``) and let every other spelling MyST accepts (a backtick or tilde fence,
``::: {para}`` with a space, a fence indented by up to three spaces, a longer closing
fence, a directive nested in another) pass unseen. This module tokenises the page with
MyST's Markdown tokeniser (markdown-it-py with the plugins and the book's extensions that
``myst_parser.parsers.mdit.create_md_parser`` uses) and reads each fence as MyST's renderer does: the info string, stripped and
split once, names the directive in braces and gives its argument. Directives nested in the
body of another are found too. The build compares what it reads with what this module finds
(:mod:`aes_edition.sphinxext.markup_forms`), so a spelling this module missed would fail the
build rather than slip past the checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

# The book's MyST extensions (_config.yml, parse.myst_enable_extensions).
EXTENSIONS = frozenset({"colon_fence", "deflist", "attrs_inline", "smartquotes"})
# Directives whose body is not Markdown: nothing inside them is a directive.
LITERAL = frozenset({"code", "code-block", "code-cell", "sourcecode", "eval-rst", "math", "raw", "literalinclude",
                     "mermaid", "csv-table"})
OPTION = re.compile(r"^:(?P<key>[A-Za-z0-9_-]+):(?:\s+(?P<value>.*?))?\s*$")


@dataclass(frozen=True)
class Directive:
    """One directive of a page: ``name``, ``argument`` (the rest of the opening line),
    ``options`` (``:key: value`` lines or a ``---`` YAML block), ``body`` (the text after
    the options), ``line`` (of the opening fence, from 1), and whether the fence is closed."""

    name: str
    argument: str
    options: dict[str, str] = field(hash=False)
    body: str
    line: int
    body_line: int
    closed: bool


@cache
def _parser():
    """MyST's Markdown tokeniser with the book's extensions, built as
    ``myst_parser.parsers.mdit.create_md_parser`` builds it, from markdown-it-py and
    mdit-py-plugins alone: the notebooks use this module on Binder, where Sphinx and
    myst-parser are not installed. ``tests/test_markup_forms.py`` holds it to myst-parser's
    own parser on every page of the book."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    md = (MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(myst_block_plugin)
          .use(myst_role_plugin).use(footnote_plugin).disable("footnote_inline").disable("footnote_tail"))
    if "smartquotes" in EXTENSIONS:
        md.enable("smartquotes")
    if "colon_fence" in EXTENSIONS:
        md.use(colon_fence_plugin)
    if "deflist" in EXTENSIONS:
        md.use(deflist_plugin)
    if "attrs_inline" in EXTENSIONS:
        md.use(attrs_plugin, after=("image", "code_inline", "link_close", "span_close"), spans=True,
               span_after="footnote_ref")
    md.options["typographer"] = "smartquotes" in EXTENSIONS
    return md


def _split_options(content: str) -> tuple[dict[str, str], str, int]:
    """(options, body, lines the options take) of a directive's content, as MyST reads them."""
    lines = content.split("\n")
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            import yaml

            try:
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                data = {}
            if isinstance(data, dict):
                options = {str(k): "" if v is None else str(v) for k, v in data.items()}
            return options, "\n".join(lines[end + 1:]), end + 1
    used = 0
    for line in lines:
        match = OPTION.match(line)
        if not match:
            break
        options[match["key"]] = match["value"] or ""
        used += 1
    return options, "\n".join(lines[used:]), used


def _closed(token, lines: list[str]) -> bool:
    """Whether the fence's closing line is there (markdown-it closes a fence at the end of
    the page without one)."""
    last = token.map[1] - 1
    if last <= token.map[0] or last >= len(lines):
        return False
    closing = lines[last].strip()
    marker = token.markup[0]
    return len(closing) >= len(token.markup) and set(closing) == {marker}


def directives(text: str, offset: int = 0) -> Iterator[Directive]:
    """Every directive of the MyST ``text``, nested ones included, in reading order.
    ``offset`` is the line of the text's first line in its file, less one."""
    lines = text.split("\n")
    for token in _parser().parse(text):
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue
        parts = token.info.strip().split(maxsplit=1)
        name = parts[0] if parts else ""
        if not (name.startswith("{") and name.endswith("}")):
            continue
        name = name[1:-1]
        options, body, used = _split_options(token.content.rstrip("\n"))
        body_line = offset + token.map[0] + 2 + used
        leading = len(body) - len(body.lstrip("\n"))
        yield Directive(name, parts[1].strip() if len(parts) > 1 else "", options, body.strip("\n"),
                        offset + token.map[0] + 1, body_line + leading, _closed(token, lines))
        if name not in LITERAL:
            yield from directives(body, body_line - 1)


def find(text: str, name: str) -> list[Directive]:
    """The directives called ``name`` in ``text``."""
    return [d for d in _all_directives(text) if d.name == name]


@lru_cache(maxsize=256)
def _all_directives(text: str) -> tuple[Directive, ...]:
    """:func:`directives` of one text, parsed once per process: a chapter is searched for its
    paragraphs, its notes and its quotations by the data check and again by the build."""
    return tuple(directives(text))


def _inline_tokens(text: str):
    for token in _parser().parse(text):
        if token.type == "inline":
            yield from token.children or []
            yield None  # the end of a block


def roles(text: str) -> list[tuple[str, str]]:
    """``(name, content)`` of every role in the MyST ``text``, in order, as MyST reads
    roles (any name, single or double backticks; none inside code)."""
    return [(t.meta["name"], t.content) for t in _inline_tokens(text) if t is not None and t.type == "myst_role"]


def inline_words(text: str, role: Callable[[str, str], str]) -> str:
    """The words of the MyST ``text`` as a reader reads them: markup (emphasis, links)
    reduced to its text, each role to what ``role(name, content)`` says it shows, blocks
    and line breaks to spaces."""
    out: list[str] = []
    for token in _inline_tokens(text):
        if token is None or token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "myst_role":
            out.append(role(token.meta["name"], token.content))
        elif token.type in ("text", "text_special", "code_inline"):
            out.append(token.content)
    return "".join(out)

"""A notebook's prose is the editors': set it in their voice without MyST in the notebook.

The chapters mark the editors' prose with a container of class ``editorial`` (sans-serif on
the page, ``\\edvoice`` in the PDF). A notebook's Markdown cells must read as plain CommonMark
in JupyterLab, where a ``:::{container}`` fence shows as text; and everything a notebook says
in its own words is the editors' reading anyway. So, while a notebook is read, each run of
its prose (paragraphs, lists, quotations: not headings, code cells or their outputs) is
wrapped in such a container, which is what the fence did.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

PROSE = (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.definition_list, nodes.block_quote)


def _wrap_prose(parent: nodes.Element) -> None:
    run: list[nodes.Node] = []
    for child in [*parent.children, None]:
        if isinstance(child, PROSE):
            run.append(child)
            continue
        if run:
            container = nodes.container(classes=["editorial"])
            run[0].replace_self(container)
            for node in run[1:]:
                parent.remove(node)
            container.extend(run)
            run = []
        if isinstance(child, nodes.section):
            _wrap_prose(child)


def editors_voice(app: Sphinx, doctree: nodes.document) -> None:
    if Path(app.env.doc2path(app.env.docname)).suffix == ".ipynb":
        _wrap_prose(doctree)


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", editors_voice)

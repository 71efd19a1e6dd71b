"""The ``{reference-register}`` directive: the register of references, generated from
``data/reference-register.csv`` at build time so that the page, the tests and the data
can never disagree."""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from scholarly_edition.strict_data import DataError
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ..myst_text import link, literal
from ..reference_register import FILE as REGISTER_FILE
from ..reference_register import load_register

STATUS_LABEL = {"verified": "Verified as printed", "corrected": "Corrected", "unverified": "Unverified"}


def _evidence(item: str) -> str:
    if item.startswith("copy-text:"):
        return f"copy-text, line {item.split(':', 1)[1]}"
    return link(item, item)


class ReferenceRegisterDirective(SphinxDirective):
    """Render the register as a table, one row per printed reference."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(REGISTER_FILE))
        try:
            rows = load_register()
        except DataError as error:
            raise ExtensionError(f"data error: {error}") from error
        lines: list[str] = []
        for row in rows:
            badge = {"verified": "success", "corrected": "info", "unverified": "warning"}[row.status]
            corrected = literal(row.corrected)
            if row.key:
                corrected += f" — in the References: {{cite:p}}`{row.key}`"
            lines += [
                "::::{container} register-entry",
                f"**{row.id}** {{bdg-{badge}}}`{STATUS_LABEL[row.status]}`",
                "",
                "As printed",
                f": {literal(row.printed)}",
                "",
                "As corrected",
                f": {corrected}",
                "",
                "What changed",
                f": {literal(row.changes) or 'Nothing.'}",
                "",
            ]
            if row.evidence:
                lines += ["Evidence", ": " + "; ".join(_evidence(item) for item in row.evidence), ""]
            if row.searched:
                lines += ["Searched", f": {literal(row.searched)}", ""]
            if row.suggestion:
                lines += ["Editors' suggestion", f": {literal(row.suggestion)}", ""]
            lines += ["::::", ""]
        container = nodes.container(classes=["register"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        entries = [c for c in container.children if isinstance(c, nodes.container)]
        for entry, row in zip(entries, rows, strict=True):
            anchor = f"register-{row.id.lower()}"
            entry["ids"].append(anchor)
            entry["classes"].append(f"status-{row.status}")
            self.state.document.ids[anchor] = entry
        return [container]


def setup(app: Sphinx) -> None:
    app.add_directive("reference-register", ReferenceRegisterDirective)

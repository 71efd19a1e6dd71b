"""What the edition's extensions keep page by page, and the order a reader meets the pages.

Several extensions hold one entry per page (the back-links' mentions, the digests of each
page's inputs). Sphinx asks a domain to forget a page before reading it again and to merge
the pages read by parallel workers; :class:`PerPageDomain` does both once, so each domain
only says what it keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment


class PerPageDomain(Domain):
    """A domain whose data is ``{store: {docname: entry}}``; subclasses name ``store``."""

    store: ClassVar[str]

    @property
    def pages(self) -> dict[str, Any]:
        return self.data[self.store]

    def clear_doc(self, docname: str) -> None:
        self.pages.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata[self.store]:
                self.pages[docname] = otherdata[self.store][docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:
        return []  # such a domain has no roles of its own: nothing to resolve


def reading_order(env: BuildEnvironment) -> list[str]:
    """The pages of the table of contents in the order a reader meets them, depth first."""
    order: list[str] = []

    def walk(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order

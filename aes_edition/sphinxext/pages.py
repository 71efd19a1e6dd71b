"""What the edition's extensions keep page by page, and the order a reader meets the pages.

Several extensions hold one entry per page (the digests of each page's inputs, the
references and anchors of each page). Sphinx asks a domain to forget a page before reading it again and to merge
the pages read by parallel workers; :class:`PerPageDomain` does both once, so each domain
only says what it keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment


class PerPageDomain(Domain):
    """A domain whose data is ``{store: {docname: entry}}`` for each of its ``stores``
    (subclasses name them; ``store`` alone for one)."""

    store: ClassVar[str] = ""
    stores: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each store starts empty: the initial data follows from the names."""
        super().__init_subclass__(**kwargs)
        cls.initial_data = {name: {} for name in cls.store_names()}

    @classmethod
    def store_names(cls) -> tuple[str, ...]:
        return cls.stores or (cls.store,)

    @property
    def pages(self) -> dict[str, Any]:
        return self.data[self.store]

    def clear_doc(self, docname: str) -> None:
        for name in self.store_names():
            self.data[name].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for name in self.store_names():
            for docname in docnames:
                if docname in otherdata[name]:
                    self.data[name][docname] = otherdata[name][docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:
        return []  # such a domain has no roles of its own: nothing to resolve


def reading_order(env: BuildEnvironment) -> list[str]:
    """The pages of the table of contents in the order a reader meets them, depth first (as
    the extension's ``edition`` domain gives it, which orders the timeline's lists of notes)."""
    return env.get_domain("edition").reading_order()  # type: ignore[attr-defined]

"""The edition's bibliography style: author–date entries in the form the paper's own
reference list uses (APA-like: "Walt, Stephen M. (1987). *The Origins of Alliances*.
Ithaca, NY: Cornell University Press."), without pybtex's default lower-casing of
titles (it would print "West africa's …") and with the ``note`` field shown, so that an
unverified work says so on the page. A web address is followed by the date the editors read
the page (``urldate``: "accessed 25 November 2026"), since a page may change after it was cited."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from pybtex.plugin import find_plugin, register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import dashify
from pybtex.style.sorting.author_year_title import SortingStyle
from pybtex.style.template import field, first_of, href, join, optional, sentence, tag, words
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from ..timeline import display_date


class EditionSorting(SortingStyle):
    """Author, year, title; a corporate author ``{{United Nations …}}`` sorts under U,
    not after Z (pybtex keeps the protecting braces in the sort key)."""

    def sorting_key(self, entry):
        author, year, title = super().sorting_key(entry)
        return (author.replace("{", "").replace("}", ""), year, title)


class EditionStyle(UnsrtStyle):
    """Author (year). Title. Container, volume(number), pages. Links. Note."""

    default_name_style = "lastfirst"
    default_sorting_style = "author_year_title"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sort = EditionSorting().sort

    def format_entry(self, label, entry, bib_data=None):
        """pybtex's formatting, remembered across builds (see :class:`FormattedEntries`)."""
        key = _entry_key(self, label, entry)
        formatted = FORMATTED.get(key)
        if formatted is None:
            formatted = super().format_entry(label, entry, bib_data=bib_data)
            FORMATTED.put(key, formatted)
        return formatted

    def format_names(self, role, as_sentence=False):  # noqa: D102 - pybtex API
        return self.format_names_plain(role)

    def format_names_plain(self, role):
        from pybtex.style.template import names

        return names(role, sep=", ", sep2=" & ", last_sep=", & ")

    def _head(self, role: str = "author"):
        """Names, then the year in parentheses: the part the reader scans."""
        return join(sep=" ")[
            first_of[optional[self.format_names_plain(role)], optional[self.format_names_plain("editor")], field("organization")],
            join["(", first_of[optional[field("year")], "n.d."], ")."],
        ]

    def format_title(self, e, which_field, as_sentence=True):  # noqa: D102 - pybtex API
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def _tail(self):
        return [
            optional[sentence(sep=" ")[self.format_url_plain(), optional[join["(accessed ", self.format_urldate(), ")"]]]],
            optional[sentence[self.format_doi_plain()]],
            optional[sentence[join["ISBN ", field("isbn")]]],
            optional[sentence[field("note")]],
        ]

    def format_url_plain(self):
        url = field("url", raw=True)
        return href(url)[url]

    def format_urldate(self):
        """'2026-11-25' → '25 November 2026' (a date that is not ISO 8601 is shown as written)."""
        return field("urldate", raw=True, apply_func=display_date)

    def format_doi_plain(self):
        url = join["https://doi.org/", field("doi", raw=True)]
        return href(url)[url]

    def _place_publisher(self):
        return first_of[
            optional[join(sep=": ")[field("address"), field("publisher")]],
            optional[field("publisher")],
            optional[field("institution")],
        ]

    def get_article_template(self, e):
        volume = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ", ", field("pages", apply_func=dashify)]],
            optional[join[field("volume"), optional["(", field("number"), ")"]]],
            optional[field("pages", apply_func=dashify)],
        ]
        return toplevel[
            self._head(),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume]],
            *self._tail(),
        ]

    def get_book_template(self, e):
        return toplevel[
            self._head(),
            sentence[tag("em")[field("title")], optional[join["(", field("series"), optional[" ", field("number")], ")"]]],
            optional[sentence[self._place_publisher()]],
            *self._tail(),
        ]

    def get_incollection_template(self, e):
        return toplevel[
            self._head(),
            self.format_title(e, "title"),
            sentence[words["In", tag("em")[field("booktitle")]], optional[join["pp. ", field("pages", apply_func=dashify)]]],
            optional[sentence[self._place_publisher()]],
            *self._tail(),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            self._head(),
            sentence[tag("em")[field("title")]],
            optional[sentence[self._place_publisher()]],
            *self._tail(),
        ]

    def get_misc_template(self, e):
        return toplevel[
            self._head(),
            sentence[tag("em")[field("title")]],
            optional[sentence[first_of[
                optional[field("publisher")], optional[field("howpublished")], optional[field("organization")],
            ]]],
            *self._tail(),
        ]

    get_online_template = get_misc_template
    get_report_template = get_techreport_template


def _entry_key(style: EditionStyle, label: str, entry) -> str:
    """Everything a formatted entry depends on: the style's options, the label, the entry."""
    persons = sorted((role, [str(person) for person in people]) for role, people in entry.persons.items())
    options = (type(style.label_style).__name__, type(style.name_style).__name__,
               style.abbreviate_names)
    text = repr((options, label, entry.key, entry.type, sorted(entry.fields.items()), persons))
    return hashlib.sha256(text.encode()).hexdigest()


class FormattedEntries:
    """Formatted bibliography entries, kept in Sphinx's saved environment.

    sphinxcontrib-bibtex formats every cited work of both reference lists on every build,
    twice (the entry and its tooltip): a quarter of a second of an editor's one-chapter
    rebuild, for text that changes only when an entry or this style does. It formats them all
    on ``env-updated``, before Sphinx saves its environment, so the formatted entries are kept
    in a domain's data (:class:`FormattedBibliographyDomain`), saved and restored with the
    environment; entries no work of this build asked for are dropped there. pybtex makes the
    style without the application, so the style finds the entries here, bound to the
    environment of the build under way (``builder-inited``). A change to this module or the
    rest of the edition's code makes Sphinx read every page again with a fresh environment
    (:mod:`.content`), so nothing is served that an older style formatted.
    """

    def __init__(self) -> None:
        self.entries: dict[str, object] = {}
        self.used: set[str] = set()

    def get(self, key: str):
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, formatted) -> None:
        self.entries[key] = formatted
        self.used.add(key)

    def bind(self, app: Sphinx) -> None:
        """Read and write the entries of this build's environment."""
        self.entries = app.env.get_domain(FormattedBibliographyDomain.name).data["formatted"]
        self.used = set()

    def drop_unused(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """After sphinxcontrib-bibtex has formatted every cited work: keep only those entries."""
        for key in set(self.entries) - self.used:
            del self.entries[key]
        return []


class FormattedBibliographyDomain(Domain):
    """Holds the formatted entries of :class:`FormattedEntries` in the saved environment.
    They belong to works, not pages: a page read again leaves them, and entries formatted
    by parallel readers are all kept."""

    name = "aes-bibliography-style"
    label = "Formatted bibliography entries"
    initial_data: dict[str, Any] = {"formatted": {}}  # digest of what formatting depends on -> entry
    data_version = 1

    def clear_doc(self, docname: str) -> None:
        """Nothing of a page's: the entries are the works'."""

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        self.data["formatted"].update(otherdata["formatted"])

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:
        return []


FORMATTED = FormattedEntries()


# The pybtex plugins sphinxcontrib-bibtex looks up by name for every citation it resolves.
LOOKED_UP_PER_CITATION = (("pybtex.backends", "plaintext"), ("pybtex.backends", "docutils"))


def find_plugins_once() -> None:
    """Register the plugins sphinxcontrib-bibtex asks for per citation as pybtex runtime plugins.

    pybtex's ``find_plugin`` checks its runtime plugins first and otherwise scans the installed
    packages' entry points, about 9 ms a call in this virtualenv; sphinxcontrib-bibtex 2.6/2.7
    calls it once for every citation it resolves, which was a third of an editor's one-chapter
    rebuild (350 citations, 3.3 s of 11 s). Registering the very class the entry point names,
    through pybtex's public ``register_plugin``, makes each later look-up a dictionary read and
    changes nothing else.
    """
    for group, name in LOOKED_UP_PER_CITATION:
        register_plugin(group, name, find_plugin(group, name), force=True)


def setup(app: Sphinx) -> None:
    register_plugin("pybtex.style.formatting", "edition", EditionStyle)
    find_plugins_once()
    app.add_domain(FormattedBibliographyDomain)
    app.connect("builder-inited", FORMATTED.bind)
    # After sphinxcontrib-bibtex's own env-updated handler, which formats the entries (priority 500).
    app.connect("env-updated", FORMATTED.drop_unused, priority=900)

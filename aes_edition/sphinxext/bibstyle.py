"""The edition's bibliography style: author–date entries in the form the paper's own
reference list uses (APA-like: "Walt, Stephen M. (1987). *The Origins of Alliances*.
Ithaca, NY: Cornell University Press."), without pybtex's default lower-casing of
titles (it would print "West africa's …") and with the ``note`` field shown, so that an
unverified work says so on the page."""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import dashify
from pybtex.style.sorting.author_year_title import SortingStyle
from pybtex.style.template import field, first_of, href, join, optional, sentence, tag, words
from sphinx.application import Sphinx


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
            optional[sentence[self.format_url_plain()]],
            optional[sentence[self.format_doi_plain()]],
            optional[sentence[join["ISBN ", field("isbn")]]],
            optional[sentence[field("note")]],
        ]

    def format_url_plain(self):
        url = field("url", raw=True)
        return href(url)[url]

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


def setup(app: Sphinx) -> None:
    register_plugin("pybtex.style.formatting", "edition", EditionStyle)

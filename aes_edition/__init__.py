"""The annotated edition's own code: it loads and validates the edition's data and
teaches Sphinx the edition's markup (numbered paragraphs, emendations, data-driven
pages), so that the chapters, notebooks, tests and the PDF all read one source."""

__version__ = "1.0.0"

"""External links in the pages are held to the edition's link policy while the pages are
read, so that a malformed or needlessly insecure link fails ``make html`` with its page
and line, not only ``make test``. The policy itself is ``aes_edition.links``."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..links import link_problem

logger = logging.getLogger(__name__)
EXTERNAL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_links(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall(nodes.reference):
        uri = node.get("refuri", "")
        if EXTERNAL.match(uri):
            problem = link_problem(uri)
            if problem:
                logger.warning(f"external link {uri} {problem}", location=node, type="edition", subtype="link")


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", check_links)

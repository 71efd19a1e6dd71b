"""What an external link in the edition must look like, as code.

Every link must be a well-formed URL; a web link must use https unless the site is known
not to offer it, and then the reason is recorded in ``HTTP_ONLY``. Whether a site offers
https cannot be tested without a network, so the edition judges by what it knows: sites
in ``SERVES_HTTPS`` (sites the edition or its sources already reach over https) are
never linked over http, and an http link to any other site needs an entry in
``HTTP_ONLY``. ``make linkcheck`` checks that the links answer, when a network is there.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Sites known to serve https: the edition's own infrastructure, scholarly services, and
# every site the editors' research notes already cite with an https address.
SERVES_HTTPS = frozenset({
    "doi.org", "dx.doi.org", "github.com", "mybinder.org", "jupyterbook.org", "jupyter.org", "readthedocs.io",
    "wikipedia.org", "wikidata.org", "archive.org", "web.archive.org", "scholar.google.com", "jstor.org",
    "tandfonline.com", "academic.oup.com", "cambridge.org", "link.springer.com", "sciencedirect.com",
    "wiley.com", "onlinelibrary.wiley.com", "sagepub.com", "journals.sagepub.com", "muse.jhu.edu",
    "semanticscholar.org", "crossref.org", "orcid.org", "creativecommons.org", "opensource.org",
    "hdr.undp.org", "undp.org", "un.org", "media.un.org",
    "ecowas.int", "au.int", "visionofhumanity.org", "acleddata.com", "crisisgroup.org", "bbc.com",
    "bbc.co.uk", "aljazeera.com", "theguardian.com", "thetimes.co.uk", "themoscowtimes.com", "reuters.com",
    "france24.com", "rfi.fr", "lemonde.fr", "allafrica.com", "trt.global", "zawya.com", "devdiscourse.com",
    "dailymaverick.co.za", "channelstv.com", "cajnewsafrica.com", "thedefensepost.com", "english.news.cn",
    "news.yahoo.com", "sidwaya.info", "boursier.com", "spacewar.com", "nation.com.pk", "newsghana.com.gh",
    "therepublicaninterest.com", "startribune.com", "ktvz.com", "kstp.com", "kesq.com",
    "consilium.europa.eu", "europa.eu", "jihadology.net", "apanews.net",
})
# Sites that may be linked over plain http, each with the reason the editors recorded.
HTTP_ONLY: dict[str, str] = {}

SCHEMES = ("https", "http", "mailto")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
TOP_LEVEL = re.compile(r"^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
# RFC 3986 characters; anything beyond ASCII is allowed as an IRI character.
URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%\u00a0-\U0010ffff]*$")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
MAILBOX = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
DOI_PATH = re.compile(r"^/10\.[0-9]{4,9}/\S+$")


def _site_matches(host: str, sites) -> str | None:
    """The entry of ``sites`` that ``host`` is, or is a subdomain of."""
    parts = host.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in sites:
            return candidate
    return None


def valid_host(host: str) -> bool:
    labels = host.split(".")
    return len(labels) >= 2 and all(HOST_LABEL.match(label) for label in labels) and bool(TOP_LEVEL.match(labels[-1]))


def link_problem(url: str) -> str | None:
    """Why ``url`` may not stand in the edition as an external link, or None if it may."""
    if not url or url != url.strip() or any(c.isspace() or ord(c) < 32 for c in url):
        return "contains spaces or control characters"
    if not URL_CHARS.match(url):
        return "contains characters a URL may not (escape them with %XX)"
    if BAD_ESCAPE.search(url):
        return "has a % that does not start a %XX escape"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return f"cannot be parsed ({error})"
    if parts.scheme not in SCHEMES:
        return f"uses the scheme '{parts.scheme}:' (links must be https, http or mailto)"
    if parts.scheme == "mailto":
        return None if MAILBOX.match(parts.path) else "is not a well-formed e-mail address"
    if not url.lower().startswith(f"{parts.scheme}://"):
        return "lacks '//' after the scheme"
    host = (parts.hostname or "").lower()
    if parts.username or parts.password:
        return "carries a user name or password"
    if not valid_host(host):
        return f"has no valid host name ('{host}')"
    if (parts.scheme, port) in (("https", 443), ("http", 80)):
        return "names the default port; leave it out"
    if host.endswith("doi.org") and not DOI_PATH.match(parts.path):
        return "is a doi.org link without a DOI (10.<registrant>/<suffix>)"
    if parts.scheme == "http":
        if _site_matches(host, SERVES_HTTPS):
            return f"uses http, but {host} serves https: write https://{url[len('http://'):]}"
        if not _site_matches(host, HTTP_ONLY):
            return f"uses http: use https if {host} offers it, else record why not in aes_edition/links.py (HTTP_ONLY)"
    return None


LINK_IN_TEXT = re.compile(r"""(?:https?|ftp)://[^\s<>"'`\])}|\\]+|mailto:[^\s<>"'`\])}|\\]+""")


def links_in_text(text: str) -> list[str]:
    """External links written in a source file (Markdown, BibTeX, CSV, YAML, notebooks)."""
    return [match.rstrip(".,;:!?*_") for match in LINK_IN_TEXT.findall(text)]

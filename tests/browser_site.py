"""The built site served on this machine and opened in headless Chromium, for tests/test_browser.py.

The site is served by Python's http.server on 127.0.0.1 (a free port), as a reader's
browser would fetch it, and every page is opened in Debian's Chromium driven by playwright.
A request for anything that is not on that server is recorded (and fails, as this machine
has no network): the edition must read with no network at all.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aes_edition.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Installed by `make test` (the Makefile pins the version).
AXE_JS = ROOT / "_build" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
# The narrowest phone in common use: 360 CSS pixels wide. PHONE_TOUCH is that phone as Chromium
# emulates one (touch events, the page laid out through its viewport tag, as a phone's browser does).
PHONE = {"width": 360, "height": 740}
PHONE_TOUCH = {"viewport": PHONE, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
SCREENSHOTS = ROOT / "_build" / "screenshots"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open, as a real web server does

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Visit:
    """What happened while one page was opened: every sign of a fault a reader could meet."""

    path: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    serious_violations: list[str] = field(default_factory=list)
    phone_overflow: list[str] = field(default_factory=list)
    buttons: list[dict] = field(default_factory=list)

    def faults(self) -> str:
        lines = [f"{name}: {item}" for name in ("console_errors", "page_errors", "failed_requests", "external_requests",
                                                "bad_responses") for item in getattr(self, name)]
        return "\n".join(lines)


def is_local(url: str, base: str) -> bool:
    """True for the test server's own URLs and for data:/blob: URLs, which never leave the page."""
    scheme = urlsplit(url).scheme
    return url.startswith(base) or scheme in ("data", "blob", "about")


def watch(page, visit: Visit, base: str) -> None:
    """Record console errors, uncaught exceptions, failed or refused requests and HTTP errors."""

    def on_console(message) -> None:
        if message.type == "error":
            location = message.location or {}
            visit.console_errors.append(f"{message.text} ({location.get('url', '')}:{location.get('lineNumber', '')})")

    def on_request_failed(request) -> None:
        if is_local(request.url, base):
            visit.failed_requests.append(f"{request.url}: {request.failure}")

    def on_response(response) -> None:
        if response.status >= 400:
            visit.bad_responses.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)


def record_other_hosts(context, base: str, found: list[str]) -> None:
    """Note every request that would leave the test server. (Watched, not intercepted:
    intercepting would switch off the browser's cache and make every page load slower.)"""

    def on_request(request) -> None:
        if not is_local(request.url, base):
            found.append(request.url)

    context.on("request", on_request)


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact}: ${v.id} (${v.help}) at ` + v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(" | ")
              + (v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ""));
}"""


def axe_violations(page) -> list[str]:
    """Run axe-core in the page (WCAG 2 A/AA) and return its serious and critical violations."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN, AXE_TAGS)


# Nothing may make the page scroll sideways: the document is no wider than the screen. Elements
# of the article must fit the phone's width; content inside a container that scrolls sideways on
# its own (a wide table, a code block) is readable by scrolling that container, so it is left
# out, but the container itself must fit, and a table wider than the screen must be inside one.
PHONE_OVERFLOW = """(width) => {
  const found = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) {
    const wide = Array.from(document.querySelectorAll("body *")).filter(el => el.getBoundingClientRect().right > width + 1)
      .slice(-3).map(el => el.outerHTML.slice(0, 120));
    found.push(`the page is ${page}px wide on a ${width}px screen: ${wide.join(" | ")}`);
  }
  const scrolls = el => { const s = getComputedStyle(el); return ["auto", "scroll"].includes(s.overflowX); };
  const scroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { if (scrolls(p)) return p; }
    return null;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "");
  const items = document.querySelectorAll(
    "article p, article li, article dd, article table, article figure, article img, article aside, article .margin, "
    + "article .pst-scrollable-table-container, article div.cell_output, article h1, article h2, article h3, "
    + "footer p, .bd-header-article *");
  for (const el of items) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || scroller(el)) continue;
    if (box.right > width + 1 || box.left < -1) {
      found.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
  }
  for (const table of document.querySelectorAll("article table")) {
    const box = table.getBoundingClientRect(), holder = scroller(table);
    if (box.width === 0 || box.right <= width + 1) continue;
    if (!holder) { found.push(`${name(table)} is ${Math.round(box.width)}px wide and in no box that scrolls`); continue; }
    const frame = holder.getBoundingClientRect();
    if (frame.right > width + 1 || frame.left < -1) {
      found.push(`the box of ${name(table)}, ${name(holder)}, spans ${Math.round(frame.left)}..${Math.round(frame.right)}px`);
    }
  }
  return found.slice(0, 10);
}"""

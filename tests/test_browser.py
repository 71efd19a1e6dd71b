"""The edition read in a real browser: headless Chromium opens every page of the built site.

Every page must open with no console error, no uncaught exception, no failed request and no
request to another host (the site reads offline), pass axe-core's WCAG 2 A/AA audit with no
serious or critical violation, and fit a 360-pixel touch phone without sideways scrolling (wide
tables scroll inside their own box).
Then a reader's paths are followed: citations lead to their entries, glossary terms to the
glossary, a paragraph's address scrolls it into view, hovering shows previews and offers a
paragraph's link to copy, the search finds "ECOWAS", and the page buttons work.
Screenshots of the front page, a chapter and a notebook page, at desktop and phone widths,
are saved in _build/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
from browser_site import (
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    PHONE_OVERFLOW,
    PHONE_TOUCH,
    SCREENSHOTS,
    Visit,
    axe_violations,
    record_other_hosts,
    serve,
    watch,
)
from bs4 import BeautifulSoup

from aes_edition.emendations import load_emendations
from aes_edition.paragraphs import all_paragraphs, paragraph_index, toc_files
from aes_edition.paths import ROOT
from aes_edition.publishing import from_config

DOCS = toc_files()
# Every page a reader can reach: the table of contents, the search page and the index.
PAGES = [f"{doc}.html" for doc in DOCS] + ["search.html", "genindex.html"]
NOTEBOOKS = [doc for doc in DOCS if (ROOT / f"{doc}.ipynb").exists()]
# The notebook checks run on every notebook page of _toc.yml; with none, they say so.
NOTEBOOK_PARAMS = NOTEBOOKS or [pytest.param(None, marks=pytest.mark.skip(reason="no notebook page in _toc.yml"))]
FRONT = f"{DOCS[0]}.html"
# Where the edition is published: a paragraph's link box gives this address, wherever the page is read.
PUBLISHED = from_config()


@pytest.fixture(scope="session")
def site(html_dir: Path):
    with serve(html_dir) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: `make test` installs axe-core from the npm registry")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(context, site: str, path: str, visit: Visit):
    """A new tab of ``context`` on ``path``, watched."""
    page = context.new_page()
    watch(page, visit, site)
    page.goto(site + path, wait_until="load")
    return page


def _context(browser, site: str, external: list[str], viewport: dict = DESKTOP, **options):
    """A browser profile whose requests to any other host are put in ``external``."""
    context = browser.new_context(viewport=viewport, **options)
    record_other_hosts(context, site, external)
    return context


@pytest.fixture(scope="session")
def visits(browser, site: str) -> dict[str, Visit]:
    """Each page opened at desktop width and audited, then on a touch phone and audited again."""
    found: dict[str, Visit] = {}
    external: list[str] = []
    context = _context(browser, site, external)
    touch = _context(browser, site, external, color_scheme="dark", **PHONE_TOUCH)
    for path in PAGES:
        visit = found[path] = Visit(path)
        page = _open(context, site, path, visit)
        visit.buttons = page.evaluate(BUTTONS)
        visit.serious_violations = axe_violations(page)
        page.close()
        # A touch phone whose reader chose the dark colour scheme (the theme follows the system's).
        phone = _open(touch, site, path, visit)
        visit.phone_overflow = phone.evaluate(PHONE_OVERFLOW, PHONE["width"])
        assert phone.evaluate("document.documentElement.dataset.theme") == "dark", f"{path} stays light in dark mode"
        visit.serious_violations += [f"(phone, dark) {v}" for v in axe_violations(phone)]
        phone.close()
        visit.external_requests, external[:] = list(external), []
    context.close()
    touch.close()
    return found


@pytest.fixture
def reader(browser, site: str):
    """Opens pages as a reader would (desktop width unless told); nothing on the way may fail."""
    contexts: dict[str, object] = {}
    visits: list[Visit] = []
    external: list[str] = []

    def open_page(path: str, viewport: dict = DESKTOP, **options):
        key = repr((viewport, options))
        if key not in contexts:
            contexts[key] = _context(browser, site, external, viewport, **options)
        visits.append(Visit(path))
        return _open(contexts[key], site, path, visits[-1])

    yield open_page
    for context in contexts.values():
        context.close()
    faults = "\n".join(f"while reading {v.path}:\n{v.faults()}" for v in visits if v.faults())
    assert external == [] and faults == "", f"requests to other hosts {external}\n{faults}"


BUTTONS = """() => Array.from(document.querySelectorAll(".article-header-buttons a, .article-header-buttons button"))
  .map(b => ({label: b.getAttribute("aria-label") || b.getAttribute("title") || b.innerText.trim(),
              href: b.getAttribute("href") || "", text: b.innerText.trim(), onclick: b.getAttribute("onclick") || "",
              icon: b.querySelector("i, svg, img, span.fa-solid, span.fa-brands") !== null}))"""


# Every page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_page_opens_without_errors(visits, path):
    visit = visits[path]
    assert visit.console_errors == [], "console errors:\n" + "\n".join(visit.console_errors)
    assert visit.page_errors == [], "uncaught exceptions:\n" + "\n".join(visit.page_errors)


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_everything_from_the_site_itself(visits, path):
    visit = visits[path]
    assert visit.external_requests == [], "requests to other hosts (the site must read offline):\n" + "\n".join(
        visit.external_requests)
    assert visit.failed_requests == [], "failed requests:\n" + "\n".join(visit.failed_requests)
    assert visit.bad_responses == [], "HTTP errors:\n" + "\n".join(visit.bad_responses)


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violation(visits, path):
    assert visits[path].serious_violations == [], "axe-core, WCAG 2 A/AA:\n" + "\n".join(visits[path].serious_violations)


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone_screen(visits, path):
    assert visits[path].phone_overflow == [], f"at {PHONE['width']}px:\n" + "\n".join(visits[path].phone_overflow)


WIDE_TABLES_SCROLL = """(width) => Array.from(document.querySelectorAll("article table"))
  .filter(table => table.getBoundingClientRect().width > width)
  .map(table => {
    let box = table.parentElement;
    while (box && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (!box) return {table: table.id || table.className, box: null};
    box.scrollLeft = 60;
    return {table: table.id || table.className, box: box.className, scrolled: box.scrollLeft,
            page: window.scrollX, right: Math.round(box.getBoundingClientRect().right)};
  })"""


def test_wide_tables_scroll_inside_their_box_on_a_phone(reader, pages):
    """On a 360-pixel touch phone a table wider than the screen is read by scrolling its own box
    sideways; the page itself stays put."""
    docs = [doc for doc, soup in pages.items() if soup.select("article table")]
    found = []
    for doc in docs:
        page = reader(f"{doc}.html", **PHONE_TOUCH)
        for table in page.evaluate(WIDE_TABLES_SCROLL, PHONE["width"]):
            found.append((doc, table))
            assert table["box"] is not None, f"{doc}: the table {table['table']} is wider than the screen, in no box"
            assert table["scrolled"] > 0 and table["page"] == 0 and table["right"] <= PHONE["width"], f"{doc}: {table}"
        page.close()
    assert found, f"no table wider than {PHONE['width']}px on any page: the check tried nothing"


def test_the_site_root_leads_to_the_front_page(reader, site):
    page = reader("index.html")
    page.wait_for_url(site + FRONT)
    assert page.locator("article h1").count() == 1


# Following links ----------------------------------------------------------------------------

TARGET_SHOWN = """() => {
  const target = document.querySelector(":target");
  if (!target) return {found: false};
  const box = target.getBoundingClientRect();
  const x = Math.min(box.left + 40, window.innerWidth - 1), y = box.top + 8;
  const hit = document.elementFromPoint(x, y);
  return {found: true, tag: target.tagName.toLowerCase(), classes: target.className, role: target.getAttribute("role"),
          text: target.innerText, top: box.top, height: window.innerHeight,
          uncovered: hit !== null && (target.contains(hit) || hit.contains(target))};
}"""


def _assert_shown(page, what: str) -> dict:
    """The element named by the URL's fragment is on screen and not hidden under the sticky header."""
    page.wait_for_timeout(100)  # let the browser finish scrolling to the fragment
    target = page.evaluate(TARGET_SHOWN)
    assert target["found"], f"{what}: {page.url} has no element for its fragment"
    assert 0 <= target["top"] < target["height"] and target["uncovered"], (
        f"{what}: {page.url} does not show its target (top {target['top']:.0f}px of {target['height']}px, "
        f"{'visible' if target['uncovered'] else 'covered by another element'})")
    return target


def _citations(pages: dict[str, BeautifulSoup]) -> list[tuple[str, str, str, str]]:
    """(page, link, author, year) for each citation link of each page."""
    found = []
    for doc, soup in pages.items():
        for citation in soup.select("span.bibtex-citation"):
            # "(Walt, 1987)" names the author in the link, "Walt (1987)" in the citation, and
            # "Barry Buzan and Ole Wæver (2003)" just before it.
            before = citation.previous_sibling.get_text() if citation.previous_sibling else ""
            for link in citation.select("a[href]"):
                words = (re.findall(r"[^\W\d_]+", link.get_text()) or re.findall(r"[^\W\d_]+", citation.get_text())
                         or re.findall(r"[^\W\d_]+", before)[-1:])
                year = re.search(r"\d{4}[a-z]?|n\.d\.", link.get_text())
                assert words and year, f"{doc}: citation '{citation.get_text()}' names no author and year"
                found.append((doc, link["href"], words[0], year.group()))
    return found


def test_citations_lead_to_their_bibliography_entries(reader, pages):
    citations = _citations(pages)
    assert len(citations) >= 5, f"only {len(citations)} citation links in the whole edition"
    for doc, href, author, year in citations:
        entry_page, entry_id = urldefrag(urljoin(f"{doc}.html", href))
        entry = pages[entry_page.removesuffix(".html")].find(id=entry_id)
        assert entry is not None and "citation" in entry.get("class", []), f"{doc}: {href} is not a bibliography entry"
        assert author in entry.get_text() and year in entry.get_text(), (
            f"{doc}: the citation {author} {year} leads to the entry '{entry.get_text(' ', strip=True)[:120]}'")
    # A reader follows citations into each bibliography (the paper's, the editors'): three from
    # different pages each, so that the click, the page load and the scroll are tried for real.
    chosen: dict[str, list[tuple[str, str, str, str]]] = {}
    for doc, href, author, year in citations:
        bibliography = urldefrag(urljoin(f"{doc}.html", href))[0]
        picked = chosen.setdefault(bibliography, [])
        if len(picked) < 3 and doc not in [d for d, *_ in picked]:
            picked.append((doc, href, author, year))
    for doc, href, author, year in [c for picked in chosen.values() for c in picked]:
        page = reader(f"{doc}.html")
        page.locator(f'span.bibtex-citation a[href="{href}"]').first.click()
        page.wait_for_load_state("load")
        target = _assert_shown(page, f"citation {author} {year} on {doc}")
        assert "citation" in target["classes"].split() and target["role"] == "listitem", (
            f"{doc}: {href} leads to a {target['tag']}.{target['classes']}, not a bibliography entry")
        page.close()


def _glossary_links(pages: dict[str, BeautifulSoup]) -> list[tuple[str, str, str]]:
    """(page, link, term as written) for each link to a glossary term (Sphinx's {term} role)."""
    return [(doc, link["href"], link.get_text(" ", strip=True)) for doc, soup in pages.items()
            for link in soup.select("article a[href]") if link.select_one("span.std-term")]


def test_glossary_terms_lead_to_the_glossary(reader, pages):
    glossary = [doc for doc in DOCS if doc.endswith("/glossary")]
    assert glossary, "the edition has no Glossary page in _toc.yml"
    links = [link for link in _glossary_links(pages) if link[0] not in glossary]
    assert links, "no page links a term to the glossary"
    for doc, href, term in links:
        target_page, term_id = urldefrag(urljoin(f"{doc}.html", href))
        entry = pages.get(target_page.removesuffix(".html"))
        entry = entry.find(id=term_id) if entry else None
        assert target_page == f"{glossary[0]}.html" and entry is not None and entry.name == "dt", (
            f"{doc}: the term '{term}' leads to {href}, not to a glossary entry")
    # A reader follows terms from four different pages.
    first_on_each = list({doc: (doc, href, term) for doc, href, term in reversed(links)}.values())[-4:]
    for doc, href, term in first_on_each:
        page = reader(f"{doc}.html")
        page.locator(f'article a[href="{href}"]').first.click()
        page.wait_for_load_state("load")
        target = _assert_shown(page, f"term '{term}' on {doc}")
        assert page.url.split("#")[0].endswith(f"{glossary[0]}.html") and target["tag"] == "dt", (
            f"{doc}: the term '{term}' leads to {page.url} ({target['tag']}), not to a glossary entry")
        page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_paragraph_address_shows_that_paragraph(reader, viewport):
    last_of_each_chapter = {p.chapter: p for p in all_paragraphs()}
    assert last_of_each_chapter, "the paragraph registry is empty"
    page = None
    for paragraph in last_of_each_chapter.values():
        if page is None:
            page = reader(paragraph.url, viewport)
        else:
            page.goto(page.url.split("/chapters/")[0] + "/" + paragraph.url, wait_until="load")
        target = _assert_shown(page, paragraph.label)
        assert target["tag"] == "div" and "para" in target["classes"].split(), f"{paragraph.url} shows a {target['tag']}"


# Hover previews -----------------------------------------------------------------------------

def _tooltip_after_hovering(page, selector: str) -> str:
    page.locator(selector).first.hover()
    tip = page.locator(".tippy-box").first
    tip.wait_for(state="visible", timeout=5000)
    return tip.inner_text()


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_hovering_a_citation_shows_the_reference(reader, pages):
    doc, href, author, year = _citations(pages)[0]
    entry_page, entry_id = urldefrag(urljoin(f"{doc}.html", href))
    entry = pages[entry_page.removesuffix(".html")].find(id=entry_id)
    entry.select_one("span.label").decompose()
    for places in entry.select("p.backlinks"):  # the preview shows the work, not where it is cited
        places.decompose()
    page = reader(f"{doc}.html")
    shown = _tooltip_after_hovering(page, f'span.bibtex-citation a[href="{href}"]')
    assert _plain(entry.get_text()) in _plain(shown), f"hovering {author} {year} showed: {shown!r}"


def test_hovering_a_glossary_term_shows_its_definition(reader, pages):
    links = _glossary_links(pages)
    assert links, "no page links a term to the glossary"
    doc, href, term = links[0]
    glossary_page, term_id = urldefrag(urljoin(f"{doc}.html", href))
    definition = pages[glossary_page.removesuffix(".html")].find(id=term_id).find_next_sibling("dd").find("p")
    page = reader(f"{doc}.html")
    shown = _tooltip_after_hovering(page, f'article a[href="{href}"]')
    # (compared regardless of case: the definition's first word is set in capitals)
    assert _plain(definition.get_text())[:80].lower() in _plain(shown).lower(), f"hovering '{term}' showed: {shown!r}"


def test_a_paragraph_number_offers_its_link_to_copy(reader, site):
    """The box gives the published address (site address, page, #id), not the local server's."""
    paragraph = all_paragraphs()[1]
    published = PUBLISHED.site_url + paragraph.url
    assert not published.startswith(site)
    page = reader(paragraph.url.split("#")[0], permissions=["clipboard-read", "clipboard-write"])
    number = page.locator(f"#{paragraph.id} > a.para-num")
    number.hover()
    field = page.get_by_label(f"Link to paragraph {paragraph.number}", exact=True)
    field.wait_for(state="visible", timeout=5000)
    assert field.input_value() == published
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("status").filter(has_text="Copied").wait_for(timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == published


def test_the_paragraph_link_box_is_reachable_from_the_keyboard(reader, site):
    paragraph = all_paragraphs()[0]
    page = reader(paragraph.url.split("#")[0])
    page.locator(f"#{paragraph.id} > a.para-num").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.value]")
    assert focused == ["INPUT", PUBLISHED.site_url + paragraph.url], f"Tab from ¶{paragraph.number} went to {focused}"


# Previews for everyone: keyboard, touch, Escape ---------------------------------------------

def _shown_tips(page) -> list[str]:
    page.wait_for_timeout(400)  # tippy.js fades in and out
    return page.locator(".tippy-box:visible").all_inner_texts()


def test_a_citation_previews_on_keyboard_focus_and_closes_on_escape(reader, pages):
    doc, href, _author, _year = _citations(pages)[0]
    page = reader(f"{doc}.html")
    link = page.locator(f'span.bibtex-citation a[href="{href}"]').first
    link.focus()
    assert len(_shown_tips(page)) == 1, "focusing a citation opens no preview"
    assert link.get_attribute("aria-describedby"), "the preview is not tied to the link for screen readers"
    page.keyboard.press("Escape")
    assert _shown_tips(page) == [], "Escape leaves the preview open"


def test_an_emendation_mark_is_a_control_that_previews_the_change(reader):
    rows = load_emendations()
    row = next(r for r in rows.values() if r.para and r.printed)
    doc = f"chapters/{paragraph_index()[row.para].chapter}"
    page = reader(f"{doc}.html")
    assert page.locator("span.emendation[title]").count() == 0, "a native tooltip opens on hover only"
    mark = page.locator(f'a.emend-mark[href$="#{row.anchor}"]').first
    box = mark.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, f"the mark's target is {box['width']}×{box['height']} px"
    assert mark.evaluate("a => a.textContent").startswith("e"), "the mark's name starts with what it shows"
    mark.focus()
    assert mark.evaluate("a => getComputedStyle(a).outlineStyle") != "none", "no focus ring on the mark"
    tips = _shown_tips(page)
    assert len(tips) == 1 and f"printed “{row.printed}”" in _plain(tips[0]), tips
    page.keyboard.press("Escape")
    assert _shown_tips(page) == []


def test_on_a_touch_screen_the_first_tap_previews_and_the_second_follows(reader, pages):
    doc, href, _author, _year = _citations(pages)[0]
    page = reader(f"{doc}.html", **PHONE_TOUCH)
    link = page.locator(f'span.bibtex-citation a[href="{href}"]').first
    link.scroll_into_view_if_needed()
    link.tap()
    assert len(_shown_tips(page)) == 1 and page.url.endswith(f"{doc}.html"), "the first tap does not preview"
    link.tap()
    page.wait_for_url(re.compile(re.escape(href.rpartition("/")[2]) + "$"))


def test_the_paragraph_link_box_closes_on_escape_and_when_focus_leaves_it(reader):
    paragraph = all_paragraphs()[0]
    page = reader(paragraph.url.split("#")[0])
    number = page.locator(f"#{paragraph.id} > a.para-num")
    number.focus()
    page.locator(".para-link-box").wait_for(state="visible", timeout=5000)
    page.keyboard.press("Escape")
    page.locator(".para-link-box").wait_for(state="hidden", timeout=5000)
    number.blur()
    number.focus()
    page.locator(".para-link-box").wait_for(state="visible", timeout=5000)
    for _ in range(3):  # the address, "Copy link", then out of the box
        page.keyboard.press("Tab")
    page.locator(".para-link-box").wait_for(state="hidden", timeout=5000)


# Reading mode -----------------------------------------------------------------------------------

def test_the_reading_mode_hides_the_notes_from_the_keyboard_and_is_remembered(reader):
    docs = [doc for doc in DOCS if (ROOT / f"{doc}.md").exists()
            and {"{ednote}", "{para}"} <= set(re.findall(r"\{\w+\}", (ROOT / f"{doc}.md").read_text()))]
    assert len(docs) >= 2
    page = reader(f"{docs[0]}.html")
    button = page.get_by_role("button", name="Notes")
    assert button.get_attribute("aria-pressed") == "true" and page.locator("div.ednote:visible").count() > 0
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "false"
    assert page.locator("div.ednote:visible").count() == 0 and page.locator("div.para:visible").count() > 0
    other = page.context.new_page()
    other.goto(page.url.rsplit("/", 2)[0] + f"/{docs[1]}.html", wait_until="load")
    assert other.locator("div.ednote:visible").count() == 0, "the choice is not remembered on the next page"
    other.get_by_role("button", name="Notes").press("Space")
    assert other.locator("div.ednote:visible").count() > 0
    other.close()


# Links both ways ------------------------------------------------------------------------------

def test_a_paragraph_leads_to_a_note_on_another_page_that_discusses_it(reader, pages):
    found = [(doc, a["href"]) for doc, soup in pages.items() for a in soup.select("div.para > p.backlinks-para a")
             if not a["href"].startswith("#") and "#note-" in a["href"]]
    assert found, "no paragraph lists a note of another page"
    doc, href = found[0]
    page = reader(f"{doc}.html")
    page.locator(f'p.backlinks-para a[href="{href}"]').first.click()
    target = _assert_shown(page, href)
    assert "ednote" in target["classes"].split()


# Search -------------------------------------------------------------------------------------

def _article_text(soup: BeautifulSoup) -> str:
    article = soup.select_one("article.bd-article") or soup
    return article.get_text(" ")


def test_search_finds_the_chapters_that_mention_ecowas(reader, pages, site):
    mention = {doc for doc, soup in pages.items() if "ecowas" in _article_text(soup).lower()}
    paper = {doc for doc in mention if any(p.chapter == doc.split("/")[-1] for p in all_paragraphs())}
    assert len(paper) >= 3, f"the paper's chapters that mention ECOWAS: {sorted(paper)}"
    page = reader(FRONT)
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[name=q]")
    box.wait_for(state="visible", timeout=5000)
    box.fill("ECOWAS")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=ECOWAS"))
    page.locator("#search-results .search-summary").filter(has_text=re.compile("found", re.I)).wait_for(timeout=15000)
    hrefs = page.locator("#search-results ul.search li a").evaluate_all("links => links.map(a => a.href)")
    found = {href.removeprefix(site).split("#")[0].split("?")[0].removesuffix(".html") for href in hrefs}
    assert paper <= found, f"the search for ECOWAS misses {sorted(paper - found)}"
    assert found <= mention, f"the search for ECOWAS lists pages that do not mention it: {sorted(found - mention)}"


def test_search_results_show_the_text_around_the_match(reader):
    page = reader("search.html?q=sanctions")
    page.locator("#search-results .search-summary").filter(has_text=re.compile("found", re.I)).wait_for(timeout=15000)
    page.locator("#search-results p.context").first.wait_for(timeout=15000)
    excerpts = page.locator("#search-results p.context").all_inner_texts()
    assert excerpts, "no excerpt under the results"
    for excerpt in excerpts:
        assert "sanction" in excerpt.lower(), f"an excerpt without the word searched for: {excerpt!r}"
        assert not re.search(r"Discussed in|Cited in|Used in|\.md\b", excerpt), f"an excerpt of furniture: {excerpt!r}"


def test_the_search_icon_does_not_cover_the_query(reader):
    page = reader(FRONT)
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible", timeout=5000)
    field.fill("Liptako")
    icon = field.locator("xpath=..").locator("i.fa-magnifying-glass").bounding_box()
    text_starts = field.evaluate("i => i.getBoundingClientRect().left + parseFloat(getComputedStyle(i).paddingLeft)")
    ends = icon["x"] + icon["width"]
    assert ends <= text_starts, f"the icon ends at {ends}px, the query starts at {text_starts}px"


# Buttons ------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", DOCS)
def test_page_buttons_are_named_and_lead_somewhere(visits, site, doc):
    buttons = visits[f"{doc}.html"].buttons
    assert buttons, f"{doc}: no buttons in the page header"
    for button in buttons:
        assert button["label"] and (button["icon"] or button["text"]), f"{doc}: an empty button {button}"
        href = button["href"]
        if href and not href.startswith(("#", "javascript:")) and "://" not in href:
            target = urljoin(f"{site}{doc}.html", href)
            try:
                urllib.request.urlopen(target, timeout=30).close()
            except urllib.error.HTTPError as error:
                pytest.fail(f"{doc}: the button '{button['label']}' leads to {href}, which gives {error.code}")
    hrefs = [b["href"] for b in buttons]
    source = "ipynb" if doc in NOTEBOOKS else "md"
    assert any(h.endswith(f"/{doc}.{source}") for h in hrefs), f"{doc}: no button downloads the .{source} source: {hrefs}"
    # ".pdf" gives the edition's PDF (make pdf puts it at the site's root), not the print dialog.
    pdf = [b for b in buttons if b["text"] == ".pdf"]
    assert len(pdf) == 1 and urljoin(f"{site}{doc}.html", pdf[0]["href"]) == f"{site}aes-edition.pdf", (
        f"{doc}: the .pdf button is {pdf}")
    assert not any("print" in b["onclick"] for b in buttons), f"{doc}: a button still opens the print dialog"


def test_the_download_button_gives_the_pdf(reader):
    page = reader(f"{DOCS[1]}.html")
    page.locator(".dropdown-download-buttons > button").click()
    item = page.locator(".dropdown-download-buttons a", has_text=".pdf")
    item.wait_for(state="visible", timeout=5000)
    response = page.request.get(urljoin(page.url, item.get_attribute("href")))
    assert response.ok and response.headers.get("content-type") == "application/pdf", (
        f"the .pdf button gives {response.status} {response.headers.get('content-type')}")


@pytest.mark.parametrize("doc", NOTEBOOK_PARAMS)
def test_notebook_pages_offer_binder_and_the_notebook(visits, doc):
    hrefs = [b["href"] for b in visits[f"{doc}.html"].buttons]
    binder = [h for h in hrefs if h.startswith("https://mybinder.org/v2/gh/")]
    assert binder, f"{doc}: no Binder launch button: {hrefs}"
    assert binder[0].endswith(f"{doc}.ipynb"), f"{doc}: the Binder button opens {binder[0]}"
    assert any(h.endswith(f"{doc}.ipynb") and "mybinder" not in h for h in hrefs), f"{doc}: no .ipynb download button"


def test_the_front_page_links_the_pdf(reader):
    page = reader(FRONT)
    links = page.locator("article a[href$='.pdf']")
    assert links.count() >= 1, "the front page has no link to the PDF edition"
    response = page.request.get(urljoin(page.url, links.first.get_attribute("href")))
    assert response.ok and response.headers.get("content-type") == "application/pdf", (
        f"the PDF link gives {response.status} {response.headers.get('content-type')}")


# Figures ------------------------------------------------------------------------------------

def test_figures_say_what_they_show(pages):
    images = [(doc, img) for doc, soup in pages.items() for img in soup.select("article img")]
    if NOTEBOOKS:
        assert images, "the notebooks draw no figure"
    for doc, img in images:
        alt = (img.get("alt") or "").strip()
        name = Path(img.get("src", "")).name
        assert alt, f"{doc}: the image {name} has no alt text"
        is_file_name = alt == name or re.search(r"\.(png|svg|jpe?g|gif)$", alt, re.I)
        assert not is_file_name, f"{doc}: the alt text of {name} is a file name"
        assert len(alt.split()) >= 5, f"{doc}: the alt text '{alt}' of {name} does not say what the figure shows"


# Screenshots --------------------------------------------------------------------------------

@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_of_front_page_and_chapter(reader, viewport):
    _screenshots(reader, viewport, [("front", FRONT), ("chapter", "chapters/introduction.html")])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("doc", NOTEBOOK_PARAMS[:1])
def test_screenshot_of_a_notebook_page(reader, viewport, doc):
    _screenshots(reader, viewport, [("notebook", f"{doc}.html")])


def _screenshots(reader, viewport: dict, shots: list[tuple[str, str]]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = "desktop" if viewport is DESKTOP else "phone"
    for name, path in shots:
        page = reader(path, viewport)
        shot = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=shot, full_page=True)
        assert shot.stat().st_size > 10_000, f"{shot} is nearly empty"
        page.close()

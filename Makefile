# The edition's only entry points. Each target works from a fresh clone with Python 3.11+,
# make and git; system packages are installed with apt-get where possible.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
BUILD := _build
UNTRUSTED := $(BUILD)/.environment-untrusted
FRESH := $(BUILD)/.unwatched-inputs
# Everything the HTML edition is made from, hidden files (an editor's lock and backup files)
# and caches aside. Files, not folders: Python writing its bytecode cache changes a folder's
# time. A file added or removed changes the list, which SOURCE_LIST keeps.
SOURCES := $(sort $(shell find chapters notebooks data aes_edition -type f ! -path '*/.*' ! -path '*/__pycache__/*' 2>/dev/null)) \
  _config.yml _toc.yml references.bib editors.bib matplotlibrc CITATION.cff
SOURCE_LIST := $(BUILD)/.source-list
# The edition's own code (see FRESH below), among the sources.
UNWATCHED := $(filter aes_edition/%,$(SOURCES))
# HTML_DONE dates the sources of the last build that succeeded; while no source is newer,
# none was added or removed, and the commit date (EPOCH) is the same, `make html` has
# nothing to do and says so.
HTML_DONE := $(BUILD)/.html-built
EPOCH := $(BUILD)/.source-date-epoch
JB := $(VENV)/bin/jupyter-book
# Dates in the output come from the last commit, so two builds of one commit are identical.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# The build, its notebooks and its checks use this tree's package, whichever virtualenv runs them.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))
# Figures drawn by the notebooks are byte-identical from build to build (see matplotlibrc).
export MATPLOTLIBRC := $(CURDIR)/matplotlibrc

.PHONY: FORCE html test pdf epub system-epub-deps bench clean linkcheck lint system-deps system-tools system-test-deps system-pdf-deps browser-test-deps browser-system-deps

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

## html: build the HTML edition into _build/html (strict: any warning fails the build)
html: $(HTML_DONE)
	@echo "make html: the HTML edition is in $(BUILD)/html (open $(BUILD)/html/index.html)."

# A build that failed, or another builder that used the shared environment, leaves
# UNTRUSTED behind, newer than HTML_DONE: the next `make html` builds again.
$(HTML_DONE): $(STAMP) $(FRESH) $(EPOCH) $(SOURCE_LIST) $(SOURCES) $(wildcard $(UNTRUSTED)) $(if $(wildcard $(BUILD)/html/index.html),,FORCE)
	@# Sphinx keeps each page it has read and, with it, forgets the page's warnings, so a
	@# failed strict build would pass the second time with the fault still there. The
	@# marker is set before building and cleared only by a build that succeeds; while it
	@# is there (a build failed or was interrupted, or another builder used the shared
	@# environment), the next build reads every page again. Notebooks that ran cleanly
	@# come from the jupyter-cache; a notebook that failed is never cached and runs again.
	@if [ -f $(UNTRUSTED) ]; then rm -rf $(BUILD)/.doctrees; fi
	@# Tracebacks of notebooks that failed in an earlier build are not part of this one.
	@rm -rf $(BUILD)/html/reports
	@# Dated before the build starts, so that a source saved during the build is newer.
	@mkdir -p $(BUILD) && touch $(UNTRUSTED) $@.starting
	@$(PY) -m aes_edition.check_data || { echo "make html: the data above must be fixed; nothing was built." >&2; exit 1; }
	@$(JB) build . --builder html -W -n --keep-going || { echo "make html: the strict build failed; see the messages above." >&2; exit 1; }
	@rm -f $(UNTRUSTED)
	@mv $@.starting $@

# The pages state the date of the last commit; a new date is a new edition (Sphinx then
# writes every page: see aes_edition/sphinxext/strict.py).
$(EPOCH): FORCE
	@mkdir -p $(BUILD)
	@[ "$$(cat $@ 2>/dev/null)" = "$(SOURCE_DATE_EPOCH)" ] || echo "$(SOURCE_DATE_EPOCH)" > $@

# Which source files there are; rewritten (and so newer) only when a file comes or goes.
$(SOURCE_LIST): FORCE
	@mkdir -p $(BUILD)
	@echo "$(SOURCES)" | cmp -s - $@ || echo "$(SOURCES)" > $@

FORCE:

# Sphinx watches the pages and the data tables they read (each role and directive that
# reads a table declares it), and aes_edition.notebook_cache the notebooks' inputs; nothing
# watches the edition's own code, which shapes every page. When the code is newer than this
# stamp, the saved environment is stale: drop it, so that every page is read again.
$(FRESH): $(UNWATCHED)
	@# The jupyter-cache is kept: aes_edition.notebook_cache re-executes exactly the notebooks
	@# whose inputs changed (a notebook that declares none, on any change to data/ or the code).
	@rm -rf $(BUILD)/.doctrees
	@mkdir -p $(BUILD) && touch $@

## pdf: the whole edition as one PDF, _build/latex/aes-edition.pdf, also put beside the
## HTML edition (_build/html/aes-edition.pdf), whose front page links to it
pdf: $(STAMP) $(FRESH) system-pdf-deps
	@# The same memory of failed builds as html: the two share Sphinx's saved environment.
	@if [ -f $(UNTRUSTED) ]; then rm -rf $(BUILD)/.doctrees; fi
	@mkdir -p $(BUILD) && touch $(UNTRUSTED)
	@$(PY) -m aes_edition.check_data || { echo "make pdf: the data above must be fixed; nothing was built." >&2; exit 1; }
	@LATEXOPTS="-interaction=nonstopmode -halt-on-error -file-line-error" \
	  $(JB) build . --builder pdflatex -W -n --keep-going || { \
	  echo "make pdf: the build failed; see the messages above and $(BUILD)/latex/aes-edition.log." >&2; exit 1; }
	@rm -f $(UNTRUSTED)
	@mkdir -p $(BUILD)/html && cp $(BUILD)/latex/aes-edition.pdf $(BUILD)/html/aes-edition.pdf
	@echo "make pdf: $(BUILD)/latex/aes-edition.pdf (copied to $(BUILD)/html/aes-edition.pdf)"

## epub: the edition as an EPUB 3 for e-readers, _build/epub/aes-edition.epub, checked with
## EPUBCheck and put beside the HTML edition (_build/html/aes-edition.epub), whose front page
## links to it beside the PDF
epub: $(STAMP) $(FRESH) system-epub-deps
	@# The same memory of failed builds as html: the builders share Sphinx's saved environment.
	@if [ -f $(UNTRUSTED) ]; then rm -rf $(BUILD)/.doctrees; fi
	@mkdir -p $(BUILD) && touch $(UNTRUSTED)
	@$(PY) -m aes_edition.check_data || { echo "make epub: the data above must be fixed; nothing was built." >&2; exit 1; }
	@rm -rf $(BUILD)/epub
	@$(JB) build . --builder custom --custom-builder epub -W -n --keep-going || { \
	  echo "make epub: the build failed; see the messages above." >&2; exit 1; }
	@rm -f $(UNTRUSTED)
	@java -jar $(EPUBCHECK_JAR) --quiet $(BUILD)/epub/aes-edition.epub || { \
	  echo "make epub: EPUBCheck found errors in $(BUILD)/epub/aes-edition.epub (listed above)." >&2; exit 1; }
	@mkdir -p $(BUILD)/html && cp $(BUILD)/epub/aes-edition.epub $(BUILD)/html/aes-edition.epub
	@echo "make epub: $(BUILD)/epub/aes-edition.epub passes EPUBCheck (copied to $(BUILD)/html/aes-edition.epub)"

# EPUBCheck from Debian (it brings a Java runtime); run from its jar, which needs no
# binfmt registration.
EPUBCHECK_JAR := /usr/share/java/epubcheck.jar
system-epub-deps:
	@if [ ! -f $(EPUBCHECK_JAR) ] || ! command -v java >/dev/null; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "make epub: installing epubcheck"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends epubcheck >/dev/null; \
	  else echo "make epub needs EPUBCheck; please install: sudo apt-get install --no-install-recommends epubcheck" >&2; exit 1; fi; fi

# What make pdf needs from Debian: pdflatex with the TeX Gyre fonts, the LaTeX packages
# Sphinx and the edition's style load, latexmk, and poppler (the tests read the PDF).
# One file or command stands for each package; --no-install-recommends keeps out
# texlive-latex-extra's recommended Java runtime and PDF viewers.
PDF_DEBS := texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended tex-gyre latexmk poppler-utils
PDF_FILES := microtype.sty titlesec.sty t1txtt.fd tgpagella.sty
system-pdf-deps:
	@missing=""; \
	for tool in pdflatex latexmk kpsewhich pdftotext pdfimages; do command -v $$tool >/dev/null || missing=yes; done; \
	if [ -z "$$missing" ]; then for file in $(PDF_FILES); do kpsewhich $$file >/dev/null || missing=yes; done; fi; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "make pdf: installing $(PDF_DEBS) (a few minutes)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PDF_DEBS) >/dev/null; \
	  else echo "make pdf needs TeX Live; please install: sudo apt-get install --no-install-recommends $(PDF_DEBS)" >&2; exit 1; fi; fi

## test: everything the edition promises, checked as a reader would meet it
test: html pdf epub system-test-deps
	$(PY) -m ruff check .
	$(PY) -m pytest -q

## system-deps: every Debian package make pdf and make test need, installed with apt-get (as
## root; CI runs it first, then builds and tests as an unprivileged user)
system-deps: system-pdf-deps browser-system-deps system-tools

# The workflow check (tests/test_workflow.py) runs actionlint, which checks the workflow's
# shell steps with shellcheck.
system-test-deps: browser-test-deps system-tools
system-tools:
	@missing=""; command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v shellcheck >/dev/null || missing="$$missing shellcheck"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (e.g. sudo apt-get install$$missing)" >&2; exit 1; fi; fi

# The browser tests (tests/test_browser.py) open the site in Debian's Chromium, driven by the
# playwright package (requirements.txt; playwright's own browser download is not used), and
# audit it with axe-core from the npm registry, pinned here and kept in _build/node.
AXE_CORE := axe-core@4.14.1
AXE_STAMP := $(BUILD)/node/.installed-$(AXE_CORE)
browser-test-deps: browser-system-deps $(AXE_STAMP)

browser-system-deps:
	@missing=""; [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then echo "make test: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	  else echo "The browser tests need:$$missing. Please run: sudo apt-get install$$missing" >&2; exit 1; fi; fi

$(AXE_STAMP): | browser-system-deps
	@rm -rf $(BUILD)/node && mkdir -p $(BUILD)/node
	npm install --prefix $(BUILD)/node --no-save --no-audit --no-fund --no-package-lock --silent $(AXE_CORE)
	@touch $@

## bench: time the build (cold, floor, no-op, one chapter, one data table, PDF, each notebook)
## in a copy of the book, weigh the pages in Chromium, print the table and write it to
## benchmarks/RESULTS.md (about ten minutes; BENCH_OPTS="--repeat 5" for more runs)
BENCH_OPTS ?=
bench: $(STAMP) system-pdf-deps browser-system-deps
	$(PY) benchmarks/bench.py $(BENCH_OPTS)

## clean: remove every build product (not the virtualenv)
clean:
	rm -rf $(BUILD) .pytest_cache .ruff_cache

## linkcheck: check external links (needs a network; not part of make test)
linkcheck: $(STAMP)
	@# Shares Sphinx's saved environment with html without failing on warnings, so the
	@# next html build must not trust it.
	@mkdir -p $(BUILD) && touch $(UNTRUSTED)
	$(JB) build . --builder custom --custom-builder linkcheck

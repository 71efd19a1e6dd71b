# The edition's only entry points. Each target works from a fresh clone with Python 3.11+,
# make and git; system packages are installed with apt-get where possible.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
BUILD := _build
# Dates in the output come from the last commit, so two builds of one commit are identical.
# Without git history (a source archive) this is empty and aes_edition.build dates the
# edition from its newest source file instead (never 1970).
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# The build, its notebooks and its checks use this tree's package, whichever virtualenv runs them.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))
# Figures drawn by the notebooks are byte-identical from build to build (see matplotlibrc).
export MATPLOTLIBRC := $(CURDIR)/matplotlibrc

.PHONY: FORCE html test pdf epub system-epub-deps bench clean linkcheck lint system-deps system-tools system-test-deps system-pdf-deps browser-test-deps browser-system-deps

# The virtualenv is rebuilt when it is missing, broken or stale, and make says which:
# broken when its Python no longer runs (that Python was removed or upgraded) or it was made
# in another folder (its scripts and notebook kernel name that folder's Python); stale when
# requirements.txt or either pyproject.toml differ, by content, from what was installed (the stamp
# records their digest, so a checkout that keeps old file times still counts).
REQUIREMENTS_DIGEST = $(shell cat requirements.txt pyproject.toml extension/pyproject.toml 2>/dev/null | sha256sum | cut -c1-64)
KERNEL_SPEC := $(VENV)/share/jupyter/kernels/python3/kernel.json
VENV_PYTHON := $(if $(filter /%,$(VENV)),$(PY),$(CURDIR)/$(PY))
VENV_BROKEN = $(shell \
  if [ ! -e "$(VENV)" ]; then echo "there is none yet"; \
  elif ! "$(PY)" -c '' >/dev/null 2>&1; then echo "its Python, $(PY), does not run (was the Python it was made from removed or upgraded?)"; \
  elif [ -f "$(KERNEL_SPEC)" ] && ! grep -qF "\"$(VENV_PYTHON)\"" "$(KERNEL_SPEC)"; then echo "it was made in another folder (moved or copied checkout)"; \
  fi)
VENV_STALE = $(shell [ "$$(cat "$(STAMP)" 2>/dev/null)" = "$(REQUIREMENTS_DIGEST)" ] || echo "requirements.txt or pyproject.toml changed since it was installed, or the install did not finish")
VENV_PROBLEM = $(or $(VENV_BROKEN),$(VENV_STALE))

$(STAMP): $(if $(VENV_PROBLEM),FORCE)
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is not installed; the edition needs Python 3.11 or newer: sudo apt-get install python3 python3-venv (or make PYTHON=python3.12 ...)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "make: the edition needs Python 3.11 or newer, and $(PYTHON) is $$($(PYTHON) -V 2>&1); name a newer one: make PYTHON=python3.11 $(MAKECMDGOALS)" >&2; exit 1; }
	@echo "make: setting up the virtualenv $(VENV): $(VENV_PROBLEM)"
	@$(if $(VENV_BROKEN),rm -rf "$(VENV)")
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@echo "$(REQUIREMENTS_DIGEST)" > $@

## html: build the HTML edition into _build/html (strict: any warning fails the build)
# aes_edition.build decides by content whether there is anything to do, builds into
# _build/.staging under a lock, and replaces _build/html only when the build succeeds.
html: $(STAMP)
	@$(PY) -m aes_edition.build html

FORCE:

## pdf: the whole edition as one PDF, _build/latex/aes-edition.pdf, also put beside the
## HTML edition (_build/html/aes-edition.pdf), whose front page links to it
pdf: $(STAMP) system-pdf-deps
	@$(PY) -m aes_edition.build pdf

## epub: the edition as an EPUB 3 for e-readers, _build/epub/aes-edition.epub, checked with
## EPUBCheck and put beside the HTML edition (_build/html/aes-edition.epub), whose front page
## links to it beside the PDF
epub: $(STAMP) system-epub-deps
	@$(PY) -m aes_edition.build epub

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
system-deps: system-pdf-deps system-epub-deps browser-system-deps system-tools

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
	@$(PY) -m aes_edition.build linkcheck

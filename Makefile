# The edition's only entry points. Each target works from a fresh clone with Python 3.11+,
# make and git; system packages are installed with apt-get where possible.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
BUILD := _build
FAILED := $(BUILD)/.last-build-failed
JB := $(VENV)/bin/jupyter-book
# Dates in the output come from the last commit, so two builds of one commit are identical.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: html test pdf clean linkcheck lint system-test-deps system-pdf-deps

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

## html: build the HTML edition into _build/html (strict: any warning fails the build)
html: $(STAMP)
	@# A failed strict build leaves Sphinx's environment believing the failing pages are
	@# done; forget it, so the next build reads every page again and fails again.
	@if [ -f $(FAILED) ]; then rm -rf $(BUILD)/.doctrees; fi
	@mkdir -p $(BUILD)
	@$(PY) -m aes_edition.check_data || { touch $(FAILED); exit 1; }
	@$(JB) build . --builder html -W -n --keep-going || { touch $(FAILED); echo "make html: the strict build failed; see the messages above." >&2; exit 1; }
	@rm -f $(FAILED)

## test: everything the edition promises, checked as a reader would meet it
test: html system-test-deps
	$(PY) -m ruff check .
	$(PY) -m pytest -q

system-test-deps:
	@missing=""; for tool in pdftotext; do command -v $$tool >/dev/null || missing="$$missing poppler-utils"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (e.g. sudo apt-get install$$missing)" >&2; exit 1; fi; fi

## clean: remove every build product (not the virtualenv)
clean:
	rm -rf $(BUILD) .pytest_cache .ruff_cache

## linkcheck: check external links (needs a network; not part of make test)
linkcheck: $(STAMP)
	$(JB) build . --builder linkcheck

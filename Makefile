# Plain entry points: `make dashboard` and `make test` install into .venv first.
VENV   ?= .venv
PY     := $(VENV)/bin/python
RUNS   ?= runs
PORT   ?= 8501
STAMP  := $(VENV)/.installed

.PHONY: install dashboard test test-fast lint fmt system-deps bench clean

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e ".[test,ray]"
	touch $(STAMP)

install: $(STAMP)

# Chromium (static chart export, browser test) and a CJK font (Japanese slides), from Debian.
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "note: install chromium and fonts-noto-cjk for image export and the browser test"; fi

dashboard: install
	$(VENV)/bin/labelscope dashboard --runs-dir $(RUNS) --port $(PORT)

# Everything (what CI runs): lint first, then every test.
test: install system-deps lint
	$(PY) -m pytest -q

# The quick loop while editing: every test not marked slow (under 3 minutes on a 2-core CPU).
test-fast: install
	$(PY) -m pytest -q -m "not slow"

# ruff, configured in pyproject.toml ([tool.ruff]); `make fmt` rewrites files, `make lint` only checks.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(VENV)/bin/labelscope bench --quick

clean:
	rm -rf $(VENV) .pytest_cache

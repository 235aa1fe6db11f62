# Plain entry points: `make dashboard` and `make test` install into .venv first.
VENV   ?= .venv
PY     := $(VENV)/bin/python
RUNS   ?= runs
PORT   ?= 8501
STAMP  := $(VENV)/.installed

.PHONY: install dashboard test system-deps bench clean

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

test: install system-deps
	$(PY) -m pytest -q

bench: install
	$(VENV)/bin/labelscope bench --quick

clean:
	rm -rf $(VENV) .pytest_cache

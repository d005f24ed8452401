# Vectorsmith: one command sets up a fresh machine and serves the studio (`make run`) or runs the suite (`make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps browser-deps run test lint bench clean

# Debian's libcairo is the one native library cairosvg needs; install it only when it is missing.
system-deps:
	@ldconfig -p | grep -q 'libcairo.so.2' || { \
		echo "installing libcairo2 (needed by cairosvg)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcairo2; }

# Debian's chromium runs the studio's browser test (Playwright drives it); install it only when it is missing.
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@test -x $(CHROMIUM) || { \
		echo "installing chromium (for the browser test)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

$(STAMP): requirements.txt pyproject.toml
	$(MAKE) system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# The studio on http://localhost:8501: builds the default search library first when it is missing (with progress).
run: setup
	$(BIN)/python -m app.library
	$(BIN)/python -m streamlit run app/Home.py --server.port=8501 --server.address=localhost --server.headless=true --browser.gatherUsageStats=false

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint browser-deps
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m svgtok.bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

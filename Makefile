# svd-geo: `make run` starts the dashboard, `make test` runs the whole suite.
# Both create .venv and install the locked dependencies when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) pyproject.toml | sha256sum | cut -c1-16)
MIRROR_DEFAULT := $(abspath ../shared/mirror)
SVD_GEO_MIRROR ?= $(if $(wildcard $(MIRROR_DEFAULT)/SHA256SUMS),$(MIRROR_DEFAULT),)
export SVD_GEO_MIRROR
STORE ?= data/store.gpkg
PORT ?= 8501
CHROMIUM := /usr/bin/chromium
ASSETS := static/vendor/.fetched-$(shell cat static.lock | sha256sum | cut -c1-16)

.PHONY: install run test test-unit test-browser lint bench bench-ui bench-load bench-harm bench-scale demo chromium assets clean postgres serve-db stop-db

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "svd-geo needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m compileall -q svd_geo
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Leaflet and its plugins, served by the app itself so maps draw with no internet.
$(ASSETS): static.lock scripts/fetch_static.sh
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	bash scripts/fetch_static.sh
	rm -f static/vendor/.fetched-*
	touch $@

assets: $(ASSETS)

# A database store (STORE=postgresql://...) is served as it is: the demo is written only into a new file.
STORE_FILE := $(if $(findstring ://,$(STORE)),,$(STORE))
ifneq ($(STORE_FILE),)
$(STORE_FILE): | $(STAMP)
	$(BIN)/svd-geo demo --store $(STORE_FILE)
endif

demo: $(STAMP)
	$(BIN)/svd-geo demo --store $(STORE)

run: $(STAMP) $(ASSETS) $(STORE_FILE)
	SVD_GEO_STORE='$(STORE)' $(BIN)/python scripts/serve.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

chromium:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# PostgreSQL and PostGIS (Debian's packages): the tests start throw-away clusters of their own.
postgres:
	@bash scripts/install_postgres.sh

# A local PostGIS server for development; prints the SVD_GEO_STORE that selects it.
serve-db: postgres
	@bash scripts/serve_db.sh

stop-db:
	@bin=$$(dirname $$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)); \
		if [ "$$(id -u)" = 0 ]; then run="runuser -u postgres --"; fi; \
		$$run $$bin/pg_ctl -D data/postgres/data -w stop

# A crashed worker fails its test and is replaced at most twice; a test stuck for
# 600 s is ended (pyproject.toml); the whole run is ended after 30 minutes at most.
PYTEST_XDIST := -n 2 --dist loadgroup --max-worker-restart=2
SUITE_TIMEOUT_S := 1800

test: $(STAMP) $(ASSETS) chromium postgres
	timeout --kill-after=30 $(SUITE_TIMEOUT_S) $(BIN)/python -m pytest $(PYTEST_XDIST) \
		|| { status=$$?; [ $$status -eq 124 ] && echo "make test: the suite ran past $(SUITE_TIMEOUT_S) s and was ended"; exit $$status; }

test-unit: $(STAMP) postgres
	$(BIN)/python -m pytest $(PYTEST_XDIST) -m "not browser"

test-browser: $(STAMP) $(ASSETS) chromium
	$(BIN)/python -m pytest -m browser

# Byte-compiled first, as a packaged install would be (PYTHONDONTWRITEBYTECODE may be set,
# and compiling svd_geo costs each command-line run 0.1 s).
bench: $(STAMP)
	$(BIN)/python -m compileall -q svd_geo
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_harm.py

bench-harm: $(STAMP)
	$(BIN)/python bench/bench_harm.py

# The stores at county scale: 5,000,000 incidents in a throw-away PostGIS, 1,000,000 in a GeoPackage.
bench-scale: $(STAMP) postgres
	$(BIN)/python bench/bench_scale.py

bench-ui: $(STAMP) $(ASSETS) chromium
	$(BIN)/python bench/bench_ui.py --incidents 100000

bench-load: $(STAMP) $(ASSETS) chromium
	$(BIN)/python bench/bench_load.py --incidents 100000 --sessions 20

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache static/vendor

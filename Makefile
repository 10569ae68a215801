# Lòng Dân — two commands: `make demo` and `make test`. Everything else is set up by them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ASSETS := static/vendor/.stamp
PG_URL ?= postgres://root@127.0.0.1:5432/test
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup demo serve test test-sqlite test-postgres test-browser lint bench clean

# LibreOffice is not installed from here (it needs the system's packages): without it the PDF
# links answer with a page that says so, and everything else works.
setup: $(STAMP) $(ASSETS)
	@command -v soffice >/dev/null 2>&1 || echo "Lưu ý: chưa có LibreOffice (lệnh soffice) nên chưa tải được bản PDF; cài: sudo apt-get install libreoffice-writer-nogui fonts-liberation2"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Front-end libraries come from npm at set-up and are served by the app itself.
# The survey web form is ODK Web Forms, bundled by esbuild (webform/build.mjs) into
# static/vendor/odk-webform/; npm ci is the only step that uses the network.
$(ASSETS): package.json package-lock.json $(wildcard webform/*)
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/
	mkdir -p static/vendor/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/vendor/leaflet/
	cp node_modules/leaflet/dist/images/*.png static/vendor/leaflet/images/
	mkdir -p static/vendor/tom-select
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js node_modules/tom-select/dist/css/tom-select.default.min.css static/vendor/tom-select/
	node webform/build.mjs
	touch $@

# The demo's address (printed, and in e-mail links) follows HOST and PORT; its e-mails are
# written to var/mail/ instead of the screen, where they would bury the account list.
DEMO_ENV := LONGDAN_SITE_URL=http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT) \
	EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend

demo: setup
	$(DEMO_ENV) $(BIN)/longdan demo
	$(DEMO_ENV) $(BIN)/longdan serve --host $(HOST) --port $(PORT)

serve: setup
	$(BIN)/longdan serve --host $(HOST) --port $(PORT)

test: setup lint test-sqlite test-postgres

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null
	DJANGO_SETTINGS_MODULE=longdan.settings SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-value-for-django \
	  LONGDAN_HTTPS=1 $(BIN)/python manage.py check --deploy --fail-level ERROR

test-sqlite: setup
	$(BIN)/pytest

# PostgreSQL is required in CI; on a workstation without it the run says so and skips.
test-postgres: setup
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL không truy cập được tại $(PG_URL) — CI cần PostgreSQL."; exit 1; \
	else \
	  echo "Bỏ qua lượt kiểm thử trên PostgreSQL: không kết nối được $(PG_URL)."; \
	fi

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules static/vendor var/static

# Marsad — the two commands: `make run` (set up and serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MARSAD_DATA_DIR ?= $(CURDIR)/var
export MARSAD_DATA_DIR
DEV := DEBUG=1

.PHONY: run admin setup test lint serve-prod bench clean opensearch opensearch-build opensearch-stop

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

## setup: venv, pinned requirements, migrations, gazetteer, seed corpus and its index
setup: $(BIN)/.installed
	$(DEV) $(BIN)/python manage.py migrate --noinput
	@# First run only: later runs keep what admins curated or deleted.
	@if [ ! -f "$(MARSAD_DATA_DIR)/.seeded" ]; then \
		$(DEV) $(BIN)/python manage.py load_gazetteer && \
		$(DEV) $(BIN)/python manage.py import_articles articles/seed_corpus && \
		touch "$(MARSAD_DATA_DIR)/.seeded"; \
	fi
	$(DEV) $(BIN)/python manage.py ensure_index

## run: the portal at http://127.0.0.1:$(PORT) as in production, and a job worker beside it (both
## stop together): DEBUG off (the portal's own 404/500 pages; `make run DEBUG=1` for Django's debug
## pages), static files by whitenoise, plain HTTP
run: setup
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@MARSAD_HTTPS=0 $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	MARSAD_HTTPS=0 $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

## admin: create an administrator for /admin/ (asks for a user name, e-mail and password)
admin: $(BIN)/.installed
	$(BIN)/python manage.py createsuperuser

## serve-prod: gunicorn + whitenoise (set SECRET_KEY, ALLOWED_HOSTS)
serve-prod: setup
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --workers 2

## test: the whole suite (unit, integration, browser)
test: $(BIN)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(BIN)/.installed
	$(DEV) $(BIN)/python manage.py bench_search --corpus ../shared/external/news-ant-multisource/ant_multisource_v2.1.jsonl.gz

## opensearch: a local OpenSearch 2.19 node at http://127.0.0.1:$(OPENSEARCH_PORT) (ops/opensearch)
OPENSEARCH_PORT ?= 9200
OPENSEARCH_TRANSPORT_PORT ?= $(shell echo $$(($(OPENSEARCH_PORT) + 100)))
OPENSEARCH_DIR := $(MARSAD_DATA_DIR)/opensearch
OPENSEARCH_JAR := ops/opensearch/target/marsad-opensearch-node-1.0.jar

$(OPENSEARCH_JAR): ops/opensearch/pom.xml $(shell find ops/opensearch/src -type f)
	@# Offline from the local Maven repository when it has everything, else from Maven Central once.
	cd ops/opensearch && (mvn -q -B -o package 2>/dev/null || mvn -q -B package)

opensearch-build: $(OPENSEARCH_JAR)

opensearch: $(OPENSEARCH_JAR)
	ops/opensearch/start "$(OPENSEARCH_DIR)" $(OPENSEARCH_PORT) $(OPENSEARCH_TRANSPORT_PORT)

opensearch-stop:
	ops/opensearch/stop "$(OPENSEARCH_DIR)"

clean:
	rm -rf $(VENV) var

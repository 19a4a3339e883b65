# Marsad — the two commands: `make run` (set up and serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MARSAD_DATA_DIR ?= $(CURDIR)/var
export MARSAD_DATA_DIR
DEV := DEBUG=1

.PHONY: run setup test lint serve-prod bench clean

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

## run: the portal at http://127.0.0.1:$(PORT) and a job worker beside it (both stop together)
run: setup
	@$(DEV) $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(DEV) $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

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

clean:
	rm -rf $(VENV) var

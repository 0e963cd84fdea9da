# Caselog: two commands.
#   make run   set up, load the demo data and serve the app on http://127.0.0.1:5000
#   make test  set up, lint, check formatting and types, and run the whole suite on SQLite
#              and on PostgreSQL
# Everything else here is a helper of those two.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app caselog
PG_BIN ?= /usr/lib/postgresql/15/bin
SYSTEM_PACKAGES := chromium poppler-utils fonts-noto-cjk fonts-dejavu-core postgresql python3-venv
# Each pytest run on two worker processes (pytest-xdist), a file at a time per worker: on a
# 2-core machine both cores work while a browser, a server or the database waits. Each
# worker has its own databases (and its own PostgreSQL server). PYTEST_WORKERS= runs serially.
PYTEST_WORKERS ?= -n 2 --dist loadfile

.PHONY: run test setup system-packages translations messages instance-keys

run: setup instance-keys
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	FLASK_DEBUG=0 $(FLASK) run --host 127.0.0.1 --port 5000

test: system-packages setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@status=0; \
	echo "== pytest on SQLite =="; \
	$(BIN)/pytest --db=sqlite $(PYTEST_WORKERS) || status=$$?; \
	echo "== pytest on PostgreSQL =="; \
	$(BIN)/pytest --db=postgresql $(PYTEST_WORKERS) --no-screenshots || status=$$?; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)"; fi; \
	exit $$status

setup: $(VENV)/.installed translations

# Reinstall when the dependencies change; the package itself is installed editable.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV): install Python 3.11+ with venv (apt-get install python3-venv)"; \
	  exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

translations: $(VENV)/.installed
	@if [ -d caselog/translations ] && find caselog/translations -name '*.po' | grep -q .; then \
	  $(BIN)/pybabel compile -d caselog/translations; \
	fi

# After changing interface texts: re-extract them and merge them into every catalogue; then
# translate what is new or fuzzy (tests/unit/test_translations.py fails until then).
# Babel skips folders starting with "_" by default; templates/_macros must be read.
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F caselog/translations/babel.cfg -k _l --ignore-dirs='.*' \
	  -o caselog/translations/messages.pot .
	$(BIN)/pybabel -q update -i caselog/translations/messages.pot -d caselog/translations

# A local install's secrets never enter git: instance/ is ignored. Each missing key is added.
instance-keys:
	@mkdir -p instance && touch instance/config.py && chmod 600 instance/config.py
	@for key in SECRET_KEY SIGNATURE_KEY; do \
	  grep -q "^$$key *=" instance/config.py || { \
	    $(PYTHON) -c "import secrets; print('$$key = ' + repr(secrets.token_hex(32)))" \
	      >> instance/config.py; \
	    echo "Added a new random $$key to instance/config.py."; }; \
	done

# The browser tests need Chromium, the PDF tests poppler and fonts (Korean, Cyrillic), the second run PostgreSQL.
system-packages:
	@missing=no; \
	[ -x /usr/bin/chromium ] || missing=yes; \
	command -v pdftoppm >/dev/null 2>&1 || missing=yes; \
	dpkg -s fonts-noto-cjk fonts-dejavu-core >/dev/null 2>&1 || missing=yes; \
	[ -x $(PG_BIN)/initdb ] || missing=yes; \
	$(PYTHON) -c 'import ensurepip' >/dev/null 2>&1 || missing=yes; \
	if [ $$missing = yes ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  echo "Installing system packages: $(SYSTEM_PACKAGES)"; \
	  $$sudo apt-get update -q && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(SYSTEM_PACKAGES); \
	fi

# dealgraph: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
STORE  ?= .dealgraph
OUT    ?= out

.PHONY: help install demo lint test virtuoso test-fast browser bench bench-html eval heldout train train-deps neural-probe docs fuzz clean

help:
	@echo "make demo    set up, build the graph from data/articles, write $(OUT)/graph.html, answer example questions"
	@echo "make test    set up, lint, and run the whole test suite (installs Debian's chromium when missing)"
	@echo "make lint    ruff (lint and format check) and the import contracts of pyproject.toml"
	@echo "make bench   run the benchmarks (not part of make test)"
	@echo "make bench-html  score the HTML reader on ../shared/data/html/aeb, beside the old reader"
	@echo "make eval    score extraction on ../shared/data (KnowledgeNet, FIRE)"
	@echo "make heldout held-out development score of the relation classifier (3 rotations)"
	@echo "make train   retrain graph/resources/ner/ (DWIE, CoNLL04) and graph/resources/relations_model.json (KnowledgeNet folds 1-3, FIRE dev, DWIE train, CoNLL04 train)"
	@echo "make docs    regenerate docs/ontology.md, and docs/notebooks/*.html from the notebooks, run"
	@echo "make fuzz    the long fuzz run of the readers and extraction"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/dealgraph build data/articles --store $(STORE)
	$(BIN)/dealgraph view --store $(STORE) -o $(OUT)/graph.html
	@echo
	$(BIN)/dealgraph info --store $(STORE)
	@echo
	@echo "Who is the CEO of Alibaba, according to which article and sentence?"
	$(BIN)/dealgraph query --store $(STORE) --name ceo-of --param company=Alibaba --format tsv
	@echo
	@echo "Which deals involve Alibaba, with whom, when, in what status?"
	$(BIN)/dealgraph query --store $(STORE) --name deals-of --param company=Alibaba --format tsv
	@echo
	@echo "Open $(OUT)/graph.html in a browser (it works offline)."

# Debian's chromium for the browser tests; skipped (tests then skip) when we cannot install.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped" >&2; \
	  else echo "warning: chromium missing and not root; browser tests will be skipped" >&2; fi; }

# Debian's Virtuoso 7 for tests/test_virtuoso.py (a real remote store); skipped when we cannot install.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      virtuoso-opensource-7-bin >/dev/null) \
	      || echo "warning: could not install Virtuoso; its tests will be skipped" >&2; \
	  else echo "warning: Virtuoso missing and not root; its tests will be skipped" >&2; fi; }

# ruff (rules and format) and import-linter (the layers of docs/ARCHITECTURE.md, no import cycles)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install browser virtuoso lint
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not browser and not server"

bench: install
	$(BIN)/python -m benchmarks

bench-html: install
	$(BIN)/python -m benchmarks.html_bench --facts

eval: install
	$(BIN)/python -m benchmarks.external
	$(BIN)/python -m benchmarks.dwie
	$(BIN)/python -m benchmarks.conll04

train-deps: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,train]'

heldout: train-deps
	$(BIN)/python -m benchmarks.heldout

train: train-deps
	nice -n 10 $(BIN)/python -m benchmarks.train_ner
	$(BIN)/python -m benchmarks.train_relations

neural-probe: train-deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,train,neural]'
	$(BIN)/python -m benchmarks.neural_probe

docs: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,docs]'
	$(BIN)/python -m tools.ontology_docs
	$(BIN)/python -m tools.notebook_html

fuzz: install
	$(BIN)/python -m benchmarks.fuzz --examples 5000

clean:
	rm -rf $(VENV) $(STORE) $(OUT) .pytest_cache tests/artifacts

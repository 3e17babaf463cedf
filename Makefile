# The two commands a new user runs: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-memory bench-scale install clean

install: $(STAMP)

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## crawl a local sample: mirror on 127.0.0.1, one seed, depth 2 -> demo.jsonl
demo: install
	$(BIN)/python -m tests.mirror.demo --out demo.jsonl

## the whole test suite (offline)
test: install
	$(BIN)/ruff check aggregator tests benchmarks
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check aggregator tests benchmarks

## benchmarks (see README "Performance"); bench-memory runs the 10k vs 100k memory figures alone
## (the crawl's RSS, and the Parquet build's peak RSS)
bench: install
	$(BIN)/python -m benchmarks.run

bench-memory: install
	$(BIN)/python -m benchmarks.memory --small 10000 --large 100000
	$(BIN)/python -m benchmarks.parquet --memory 10000,100000

## figure 11 alone (not part of bench: about an hour on 2 shared cores): a query crawl of
## 500,000 records on the mirror; `make bench-scale RECORDS=100000` for a trial
RECORDS ?= 500000
bench-scale: install
	$(BIN)/python -m benchmarks.scale --records $(RECORDS)

clean:
	rm -rf $(VENV) output demo.jsonl .scrapy

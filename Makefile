# Fresh machine: `make demo` (set up + index the bundled corpus + sample answers), `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo build test eval bench clean

setup: $(STAMP)

# torch first, pinned to the CPU build: left to sentence-transformers, pip would pull several GB
# of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: setup
	$(BIN)/policyqa build

demo: build
	$(BIN)/policyqa ask "Hồ sơ đề nghị UBND tỉnh khen thưởng phải gửi chậm nhất khi nào?"
	@echo
	$(BIN)/policyqa ask "ho so de nghi khen thuong gui cham nhat khi nao"
	@echo
	$(BIN)/policyqa ask "2022年绥宁县残疾人两项补贴标准提高到多少？"
	@echo
	$(BIN)/policyqa ask "Sở Y tế có trách nhiệm gì trong kế hoạch xã phường phù hợp với trẻ em ở Kon Tum?"
	@echo
	$(BIN)/policyqa ask "郴州市到2020年养老床位总数要达到多少？"

test: setup
	$(BIN)/python -m pytest

# build and query speed at three corpus sizes, with peers; writes bench/RESULTS.md (see bench/run.py)
bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf .policyqa .pytest_cache

# The two commands of the README:
#   make demo   create .venv, install, run the workflow on the default config, print the results
#   make test   create .venv, install, start the local SLURM cluster (as root), run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CORES  ?= 2
TORCH  ?= torch==2.13.0

.PHONY: install demo test test-fast slurm bench lint clean

$(STAMP): pyproject.toml setup.py envs/requirements.txt $(wildcard src/trackgnn/*/*/*.cpp src/trackgnn/*/*.cpp)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first, explicitly: a bare 'torch' requirement would pull a multi-GB CUDA build
	$(BIN)/python -m pip install -q "$(TORCH)"
	$(BIN)/python -m pip install -q -r envs/requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --cores $(CORES) --profile workflow/profiles/default
	$(BIN)/trackgnn summary --results results/default

slurm:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		timeout 600 bash scripts/slurm/start_local_cluster.sh || { \
			echo "local SLURM cluster did not start"; [ -z "$$CI" ] || exit 1; }; \
	else echo "not root: skipping the local SLURM cluster (SLURM tests will skip)"; fi

test: install slurm
	PATH="$(CURDIR)/$(BIN):$$PATH" TRACKGNN_REQUIRE_NATIVE=1 $(BIN)/python -m pytest

test-fast: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -m "not slurm and not slow"

# the benchmarks that need only ../shared/data (plus, after `make demo`, those on the default
# run's events and models), their JSON in results/bench/, then the generated docs page
DEMO := results/default
bench: install
	$(BIN)/python bench/metrics.py --out results/bench/metrics.json
	$(BIN)/python bench/realism.py --events 3 --out results/bench/realism.json
	$(BIN)/python bench/graph_construction.py --events 1 --backends kdtree faiss-ivf --count-dropped sample \
		--out results/bench/graph_construction.json
	if [ -d $(DEMO)/models/gnn ]; then \
		$(BIN)/python bench/cells_realism.py --events $(DEMO)/events/test-000 --out results/bench/cells_realism.json && \
		$(BIN)/python bench/acts_ckf.py --events-dir $(DEMO)/events/test-001 --out results/bench/acts_ckf.json && \
		$(BIN)/python bench/fit_tracks.py --events-dir $(DEMO)/events/test-001 --out results/bench/fit_tracks.json && \
		$(BIN)/python bench/track_building.py --input $(DEMO)/filtered/test-000.h5 \
			--out results/bench/track_building.json && \
		$(BIN)/python bench/edge_classification.py --filter $(DEMO)/models/filter --gnn $(DEMO)/models/gnn \
			--input $(DEMO)/graphs/test-000.h5 --out results/bench/edge_classification.json; \
	else echo "no $(DEMO) run: skipping the benchmarks on its events and models (make demo first)"; fi
	$(BIN)/python scripts/docs/benchmarks_page.py

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/snakefmt --check Snakefile workflow/
	$(BIN)/snakemake --lint

clean:
	rm -rf results logs benchmarks .snakemake

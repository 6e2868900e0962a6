#!/usr/bin/env bash
# Regenerate the pipeline diagram of the docs from the workflow:
#   snakemake --rulegraph (default config) -> docs/img/rulegraph.dot -> docs/img/rulegraph.svg
# Usage (from anywhere):  bash scripts/docs/rulegraph.sh [extra snakemake args, e.g. --configfile X]
# Needs Graphviz `dot` (Debian: apt-get install -y graphviz).
# tests/docs/test_rulegraph.py fails when the checked-in graph no longer matches the workflow.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
snakemake="${SNAKEMAKE:-$root/.venv/bin/snakemake}"
command -v dot >/dev/null || { echo "Graphviz 'dot' not found (apt-get install -y graphviz)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# --quiet all: only the DOT on stdout
"$snakemake" --rulegraph --quiet all "$@" > "$tmp/rulegraph.dot"
grep -q '^digraph' "$tmp/rulegraph.dot" || { echo "snakemake did not print a DOT graph" >&2; cat "$tmp/rulegraph.dot" >&2; exit 1; }
dot -Tsvg "$tmp/rulegraph.dot" -o "$tmp/rulegraph.svg"
mkdir -p docs/img
mv "$tmp/rulegraph.dot" docs/img/rulegraph.dot
mv "$tmp/rulegraph.svg" docs/img/rulegraph.svg
echo "wrote docs/img/rulegraph.dot and docs/img/rulegraph.svg"

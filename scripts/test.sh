#!/usr/bin/env bash
# Set up with the test extras, lint, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check src tests benchmarks eval
exec .venv/bin/python -m pytest "$@"

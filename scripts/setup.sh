#!/usr/bin/env bash
# Create .venv (if missing) and install jixiao into it with the given extras, e.g. `test`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=${1:-}
spec="."
[ -n "$extras" ] && spec=".[$extras]"
# pipefail keeps pip's exit status; the filter only hides this machine's mirror-path warnings.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec" 2>&1 \
  | { grep -v "^WARNING: Location" || true; }
.venv/bin/python -c "import jixiao" # fail here, not later, when the install did not work

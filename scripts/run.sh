#!/usr/bin/env bash
# Set up and serve the web UI on the library (seeded on first start) at http://127.0.0.1:7860/.
# Options go to app.py: --host, --port, --auth 用户名:密码 (see `python app.py --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python app.py "$@"

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
# The embedding engine compiled for this CPU (twice the bundled one's speed); without a C
# compiler it says so and the bundled engine is used.
.venv/bin/python -m jixiao.native_e5
# The browser tests drive Debian's Chromium (playwright's own browser download is not reachable),
# with a CJK font so pages and screenshots show Chinese; installed once, checked each run.
if [[ ",$extras," == *",test,"* ]] && command -v apt-get >/dev/null; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
  if [ ${#need[@]} -gt 0 ]; then
    echo "安装浏览器测试所需的系统软件包：${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
      >/dev/null
  fi
fi

"""How far a model's review judgement can be trusted, code by code, as measured on labeled tables.

`jixiao eval review --model` records, for the configured model, each code's true and false
positives among the model's findings on that dataset (in `JIXIAO_HOME/model-trust.json`, one entry
per model and dataset). A review with that model then leaves out the model's findings of every code
whose precision, summed over the datasets measured, is below `THRESHOLD`: a weak model adds no
noise. The summary says which codes were left out and how precise they measured; `jixiao review
--show-untrusted` shows them. Codes never measured are shown (nothing is known against them).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

THRESHOLD = 0.7
FILE = "model-trust.json"


def load(home: Path) -> dict:
    try:
        data = json.loads((home / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(home: Path, model: str, dataset: str, per_code: dict[str, tuple[int, int]]) -> None:
    """Keep `per_code` (code → true and false positives of the model's findings) measured on
    `dataset` for `model`, replacing that dataset's earlier measure."""
    data = load(home)
    data.setdefault(model, {})[dataset] = {
        c: {"tp": tp, "fp": fp} for c, (tp, fp) in per_code.items()
    }
    home.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=home, prefix=".", suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    os.replace(tmp, home / FILE)


def precision(home: Path, model: str) -> dict[str, float]:
    """Each measured code's precision for `model`, over every dataset measured."""
    sums: dict[str, list[int]] = {}
    for per_code in load(home).get(model, {}).values():
        for code, m in per_code.items():
            tp_fp = sums.setdefault(code, [0, 0])
            tp_fp[0] += int(m.get("tp", 0))
            tp_fp[1] += int(m.get("fp", 0))
    return {c: tp / (tp + fp) for c, (tp, fp) in sums.items() if tp + fp}


def untrusted(home: Path, model: str) -> dict[str, float]:
    """The codes whose measured precision for `model` is below `THRESHOLD`, with it."""
    return {c: p for c, p in precision(home, model).items() if p < THRESHOLD}

"""Tables as JSON: a list of `Table` objects, money as decimal strings in 元."""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.model import Table


def dumps(tables: list[Table]) -> str:
    return json.dumps([t.model_dump(mode="json") for t in tables], ensure_ascii=False, indent=2)


def write(tables: list[Table], path: Path) -> Path:
    path.write_text(dumps(tables) + "\n", encoding="utf-8")
    return path

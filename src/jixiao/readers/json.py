"""Our own JSON: a list of tables (as `jixiao parse --format json` writes), one table, or
`{"tables": [...]}` — for round trips and machine input."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from jixiao.errors import Problem, ReadError
from jixiao.model import Source, Table


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read and validate tables from a JSON file."""
    file = str(path)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(file, "the file is empty")
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        place = (
            f"line {exc.lineno}, column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise ReadError(file, "not valid JSON", place=place) from None
    items = doc.get("tables", doc) if isinstance(doc, dict) else doc
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list):
        raise ReadError(file, 'expected a table, a list of tables or {"tables": [...]}')
    tables: list[Table] = []
    for i, item in enumerate(items):
        try:
            table = Table.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise ReadError(file, f"{loc}: {err['msg']}", place=f"table {i + 1}") from None
        if table.source is None:
            table.source = Source(file=file, table_index=i)
        tables.append(table)
    if not tables:
        raise ReadError(file, "the JSON holds no tables")
    return tables

"""Our own JSON: a list of tables (as `jixiao parse --format json` writes), one table, or
`{"tables": [...]}` — for round trips and machine input."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from jixiao.errors import Problem, ReadError
from jixiao.model import Source, Table
from jixiao.safe_text import xml_safe


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read and validate tables from a JSON file."""
    problems = problems if problems is not None else []
    file = str(path)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(file, "the file is empty")
    try:
        doc = json.loads(data)
    except RecursionError:
        raise ReadError(file, "the JSON is nested too deeply to be a table") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        place = (
            f"line {exc.lineno}, column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise ReadError(file, "not valid JSON", place=place) from None
    except ValueError:
        # Python refuses integers of thousands of digits: no table holds one.
        raise ReadError(file, "a number in the JSON has too many digits to be a table's") from None
    items = doc.get("tables", doc) if isinstance(doc, dict) else doc
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list):
        raise ReadError(file, 'expected a table, a list of tables or {"tables": [...]}')
    tables: list[Table] = []
    first_problem = len(problems)
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not item:
            problems.append(
                Problem(
                    file=file,
                    place=f"table {i + 1}",
                    message="not a table (an empty or non-object item)",
                )
            )
            continue
        try:
            cleaned = _clean(item)
        except RecursionError:
            problems.append(Problem(file=file, place=f"table {i + 1}", message="nested too deeply"))
            continue
        if cleaned != item:
            problems.append(
                Problem(
                    file=file,
                    place=f"table {i + 1}",
                    message="control characters or broken characters (lone surrogates) removed",
                )
            )
        try:
            table = Table.model_validate(cleaned)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(
                Problem(
                    file=file,
                    place=f"table {i + 1}",
                    message=f"{loc}: {err['msg']}",
                    severity="error",
                )
            )
            continue
        if table.source is None:
            table.source = Source(file=file, table_index=i)
        if not table.indicators:
            problems.append(
                Problem(file=file, place=f"table {i + 1}", message="the indicator grid has no rows")
            )
        tables.append(table)
    if not tables:
        mine = problems[first_problem:]
        del problems[first_problem:]  # said once, in the error below
        reasons = "; ".join(f"{p.place}: {p.message}" for p in mine[:3])
        raise ReadError(file, "the JSON holds no tables" + (f" ({reasons})" if reasons else ""))
    return tables


def _clean(value, depth: int = 0):
    """Strings made XML-safe throughout (a JSON escape can carry a lone surrogate)."""
    if depth > 50:
        raise RecursionError
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {xml_safe(str(k)): _clean(v, depth + 1) for k, v in value.items()}
    return value

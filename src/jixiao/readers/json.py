"""Our own JSON: a list of tables (as `jixiao parse --format json` writes), one table, or
`{"tables": [...]}` — for round trips and machine input."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from jixiao.errors import Problem, ReadError
from jixiao.model import Source, Table
from jixiao.readers._rows import NO_ROWS
from jixiao.readers.container import EMPTY
from jixiao.safe_text import xml_safe


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read and validate tables from a JSON file."""
    problems = problems if problems is not None else []
    file = str(path)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(file, EMPTY)
    try:
        doc = json.loads(data)
    except RecursionError:
        raise ReadError(
            file, "JSON 嵌套层数过多，不可能是一张表；请确认提交的文件是否正确。"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        place = (
            f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError) else ""
        )
        raise ReadError(
            file, "不是有效的 JSON；请检查文件的格式和编码（应为 UTF-8）。", place=place
        ) from None
    except ValueError:
        # Python refuses integers of thousands of digits: no table holds one.
        raise ReadError(
            file, "JSON 中有位数过多的数字，不可能是表中的数值；请检查文件内容。"
        ) from None
    items = doc.get("tables", doc) if isinstance(doc, dict) else doc
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list):
        raise ReadError(
            file,
            '内容不是一张表、表的列表或 {"tables": [...]}；'
            "请按 `jixiao parse --format json` 输出的格式提供。",
        )
    tables: list[Table] = []
    first_problem = len(problems)
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not item:
            problems.append(
                Problem(
                    file=file,
                    place=f"第 {i + 1} 张表",
                    message="这一项不是表（为空或不是 JSON 对象），已跳过；请删去这一项或填入表的内容。",
                )
            )
            continue
        try:
            cleaned = _clean(item)
        except RecursionError:
            problems.append(
                Problem(
                    file=file,
                    place=f"第 {i + 1} 张表",
                    message="这一项嵌套层数过多，已跳过；请检查这一项的内容。",
                )
            )
            continue
        if cleaned != item:
            problems.append(
                Problem(
                    file=file,
                    place=f"第 {i + 1} 张表",
                    message="已删除其中的控制字符或损坏的字符（孤立代理项）；请核对相关文字。",
                )
            )
        try:
            table = Table.model_validate(cleaned)
        except ValidationError as exc:
            err = exc.errors()[0]
            problems.append(
                Problem(
                    file=file,
                    place=f"第 {i + 1} 张表",
                    message=f"{_why_invalid(err)}，这张表未读取；请改正后重新提交。",
                    severity="error",
                )
            )
            continue
        if table.source is None:
            table.source = Source(file=file, table_index=i)
        if not table.indicators:
            problems.append(Problem(file=file, place=f"第 {i + 1} 张表", message=NO_ROWS))
        tables.append(table)
    if not tables:
        mine = problems[first_problem:]
        del problems[first_problem:]  # said once, in the error below
        reasons = "；".join(f"{p.place}：{_gist(p.message)}" for p in mine[:3])
        raise ReadError(
            file,
            "JSON 中没有可读取的表"
            + (f"（{reasons}）" if reasons else "")
            + "；请按 `jixiao parse --format json` 输出的格式提供。",
        )
    return tables


def _gist(message: str) -> str:
    """What happened, without what to do: the part of a message before its `；`."""
    what = message.split("；", 1)[0].rstrip("。")
    return what.removesuffix("，已跳过").removesuffix("，这张表未读取")


def _why_invalid(err) -> str:
    """What is wrong with a field, in Chinese, from a pydantic error: `字段“year”的值“abc”类型不对`."""
    loc = ".".join(str(p) for p in err["loc"])
    kind, ctx, given = err.get("type", ""), err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return f"缺少字段“{loc}”"
    if kind == "extra_forbidden":
        return f"“{loc}”不是表的字段"
    value = "的值"
    if isinstance(given, str | int | float) and len(str(given)) <= 40:
        value = f"的值“{given}”"
    if kind == "value_error" and ctx.get("error"):
        return f"字段“{loc}”{value}不合要求：{ctx['error']}"
    if kind == "literal_error" and ctx.get("expected"):
        expected = str(ctx["expected"]).replace("' or '", "'、'").replace("', '", "'、'")
        return f"字段“{loc}”{value}不合要求，应为 {expected} 之一"
    if kind.endswith(("_type", "_parsing")):
        return f"字段“{loc}”{value}类型不对"
    return f"字段“{loc}”{value}不合要求"


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

"""A project brief: what an officer knows before drafting a new table.

`project, unit, year, budget, purpose, goals, framework` (and optionally `like`, a library table to
follow), given on the command line, in the web form, or in a JSON / YAML file. `budget` is a
number in 元 or a text with its unit (`120万元`); `framework` is `classic` (财预〔2015〕88号) or
`2021` (财预〔2021〕101号, 成本 as level 1).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from jixiao.errors import ReadError, UsageError
from jixiao.model import Table
from jixiao.values import parse_amount

Framework = Literal["classic", "2021"]
FRAMEWORK_NAMES = {"classic": "财预〔2015〕88号指标体系", "2021": "财预〔2021〕101号指标体系"}
_GOAL_NUMBER = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.、．)）]\s*")


class Brief(BaseModel):
    """What a new table is drafted from; every figure in it is the officer's."""

    model_config = ConfigDict(extra="forbid")

    project: str = Field(min_length=1)
    unit: str = ""
    year: int = Field(default_factory=lambda: date.today().year + 1, ge=1990, le=2100)
    budget: Decimal = Field(gt=0)  # 元
    purpose: str = Field(min_length=1)
    goals: list[str] = Field(default_factory=list)
    framework: Framework | None = None  # None: the practice of the nearest library tables
    like: str | None = None  # a library table id (or prefix) to follow
    costs: dict[str, Decimal] = Field(default_factory=dict)  # the budget calculation, 元 by item

    @field_validator("costs", mode="before")
    @classmethod
    def _cost_amounts(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k).strip(): cls._amount(a) for k, a in v.items()}
        return v

    @model_validator(mode="after")
    def _costs_add_up(self) -> Brief:
        if self.costs and sum(self.costs.values()) != self.budget:
            total = sum(self.costs.values())
            raise ValueError(f"成本明细合计{total:f}元与预算数{self.budget:f}元不一致")
        return self

    @field_validator("budget", mode="before")
    @classmethod
    def _amount(cls, v: Any) -> Any:
        if isinstance(v, str):
            amount = parse_amount(v)
            if amount is None:
                raise ValueError(f"“{v}”不是金额；请写成 1200000 或 120万元")
            return amount
        return v

    @field_validator("goals", mode="before")
    @classmethod
    def _goal_list(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = [g for g in re.split(r"[\n；;]+", v)]
        if isinstance(v, list):
            v = [_GOAL_NUMBER.sub("", str(g)).strip() for g in v]
            return [g for g in v if g]
        return v

    @field_validator("project", "unit", "purpose", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return v.strip() if isinstance(v, str) else v

    def text(self) -> str:
        """Everything the officer wrote, for finding similar tables and checking figures."""
        return "\n".join([self.project, self.purpose, *self.goals])


def make_brief(**fields: Any) -> Brief:
    """A `Brief` from keyword fields (None means not given), or a one-sentence UsageError."""
    data = {k: v for k, v in fields.items() if v is not None and v != [] and v != ""}
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise UsageError(_first_problem(exc)) from None


def load_brief(path: Path, **overrides: Any) -> Brief:
    """A brief from a JSON or YAML file; fields given on the command line take precedence."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReadError(str(path), f"读不了项目简介文件（{exc.strerror or exc}）") from None
    except UnicodeDecodeError:
        raise ReadError(str(path), "项目简介文件不是 UTF-8 文本") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # yaml and json raise their own kinds; both mean the same here
        raise ReadError(str(path), f"项目简介文件格式有误（{type(exc).__name__}）") from None
    if not isinstance(data, dict):
        raise ReadError(str(path), "项目简介文件应是键值对象（project、budget、purpose 等）")
    unknown = sorted(set(data) - set(Brief.model_fields))
    if unknown:
        keys = "、".join(Brief.model_fields)
        raise ReadError(str(path), f"项目简介中有不认识的键 {'、'.join(unknown)}（可用：{keys}）")
    data.update({k: v for k, v in overrides.items() if v is not None and v != [] and v != ""})
    return make_brief(**data)


def brief_from_table(table: Table) -> Brief:
    """The brief an officer would have written for `table` (for leave-one-out evaluation)."""
    from jixiao.rules import framework_of

    return Brief(
        project=table.project or table.title or "未命名项目",
        unit=table.unit_name,
        year=table.year or date.today().year,
        budget=table.budget_total or Decimal(1),
        purpose=table.purpose or table.project or "未填",
        goals=table.goals,
        framework=framework_of(table),
    )


_FIELD_NAMES = {
    "project": "项目名称",
    "unit": "单位",
    "year": "年度",
    "budget": "预算数",
    "purpose": "资金用途",
    "goals": "绩效目标",
    "framework": "指标体系",
    "like": "参照表",
    "costs": "成本明细",
}


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err["loc"] else ""
    name = _FIELD_NAMES.get(field, field)
    kind = err["type"]
    if kind == "missing":
        return f"缺少{name}（{field}）；起草新表需要项目名称、预算数和资金用途"
    if kind in ("string_too_short",):
        return f"{name}不能为空"
    if kind == "literal_error":
        return f"{name}只能是 classic 或 2021"
    if field == "budget":
        msg = str(err.get("ctx", {}).get("error", "")) or "预算数应为大于 0 的金额"
        return msg if "金额" in msg else "预算数应为大于 0 的金额，如 1200000 或 120万元"
    if not field:
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if field == "year":
        return "年度应为四位年份，如 2026"
    return f"{name}有误：{err['msg']}"

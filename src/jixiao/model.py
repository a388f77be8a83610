"""The typed model of a 绩效目标表 that every part of jixiao reads and writes."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    computed_field,
    field_validator,
    model_validator,
)

Comparator = Literal["≥", "≤", "=", ">", "<"]
ValueKind = Literal["quantitative", "qualitative", "date", "unparsed", "empty"]
MoneyUnit = Literal["元", "万元"]

_FEN = Decimal("0.01")
# No budget or target of a real table comes near this; a larger number is a typo or an attack,
# and computing with it (×10000, quantize) would fail. Readers report it instead.
MAX_NUMBER = Decimal("1e15")


def in_range(number: Decimal | None) -> bool:
    """Whether a number is one jixiao computes with (finite, |n| < 10^15)."""
    return number is None or (number.is_finite() and abs(number) < MAX_NUMBER)


def _checked(number: Decimal | None) -> Decimal | None:
    if not in_range(number):
        raise ValueError("数值超出合理范围（绝对值应小于 10^15）")
    return number


MONEY_FACTORS = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}


def money_in_yuan(number: Decimal | None, unit: str | None) -> Decimal | None:
    """Amount in 元 for a money unit (`7.2`, `万元/年` → 72000); None when not money."""
    if number is None or not unit:
        return None
    base = unit.split("/", 1)[0]
    factor = MONEY_FACTORS.get(base)
    return None if factor is None else number * factor


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        # Our own JSON carries computed fields (id, yuan, per); accept them back on input.
        if isinstance(data, dict) and cls.__pydantic_computed_fields__:
            data = {k: v for k, v in data.items() if k not in cls.__pydantic_computed_fields__}
        return data


class Source(_Strict):
    """Where a table or row was read from."""

    file: str = ""
    sheet: str | None = None
    table_index: int = 0
    row: int | None = None

    def place(self, project: str = "") -> str:
        """Where in the file, in Chinese: `工作表 预算，第 2 张表（普法宣传项目），第 14 行`."""
        parts = []
        if self.sheet:
            parts.append(_sheet_place(self.sheet))
        parts.append(f"第 {self.table_index + 1} 张表" + (f"（{project}）" if project else ""))
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        return "，".join(parts)


_WORD_TABLE = re.compile(r"^Word table (\d+)$")
_PDF_PAGE = re.compile(r"^page (\d+)$")


def _sheet_place(sheet: str) -> str:
    """A `Source.sheet` as users read it: Word tables and PDF pages (`Word table 2`, `page 3`,
    as the readers record them) by number, anything else as a worksheet."""
    if m := _WORD_TABLE.match(sheet):
        return f"第 {m[1]} 个 Word 表格"
    if m := _PDF_PAGE.match(sheet):
        return f"PDF 第 {m[1]} 页"
    return f"工作表 {sheet}"


class Value(_Strict):
    """A target value: the raw text always, and what the grammar could read from it."""

    raw: str
    comparator: Comparator | None = None
    number: Decimal | None = None
    unit: str | None = None
    kind: ValueKind = "unparsed"

    @field_validator("number")
    @classmethod
    def _in_range(cls, v: Decimal | None) -> Decimal | None:
        return _checked(v)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def yuan(self) -> Decimal | None:
        """The amount in 元 when the unit is money (万元 ×10000), else None."""
        return money_in_yuan(self.number, self.unit)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def per(self) -> str | None:
        """The denominator of a rate unit (`万元/年` → `年`), else None."""
        if self.unit and "/" in self.unit:
            return self.unit.split("/", 1)[1] or None
        return None


ProvenanceKind = Literal["kept", "adapted", "from_brief", "from_library", "needs_input"]


class Change(_Strict):
    """One cell a draft changed: before → after, and why (`code`: the finding fixed, or
    `year_shifted`, `budget_replaced`, `cost_recomputed`, `row_added`)."""

    field: str  # `value`, `name`, `description`, `level1`, `level2`, or a table field
    before: str
    after: str
    reason: str  # in Chinese, for the officer
    code: str = ""


class Provenance(_Strict):
    """Where a drafted row comes from: last year's row kept or adapted, a brief, a cited row of
    the library, or nothing known (`needs_input`: the value holds a 【请填写】 placeholder)."""

    kind: ProvenanceKind
    table_id: str = ""  # last year's table, or the cited one
    row: int | None = None  # 1-based row in that table
    changes: list[Change] = Field(default_factory=list)
    note: str = ""  # what the officer must give, for `needs_input`


class Indicator(_Strict):
    """One row of the indicator grid (三级指标 with its level 1 and level 2)."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    description: str = ""
    value: Value
    # The mid-term target printed beside the annual one (中期 | 年度 halves of one grid).
    midterm: Value | None = None
    # The result actually reached, where the table prints it beside the target (上年实际完成值,
    # a 自评表's 实际完成值); absent, it is left out of the JSON and of the id.
    actual: Value | None = Field(default=None, exclude_if=lambda v: v is None)
    # One value per region or year when the grid gives each its own column; `value.raw` joins them.
    breakdown: dict[str, str] = Field(default_factory=dict)
    weight: Decimal | None = None

    @field_validator("weight")
    @classmethod
    def _weight_in_range(cls, v: Decimal | None) -> Decimal | None:
        return _checked(v)

    standard: str | None = None
    direction: str | None = None
    artifacts: list[str] = Field(default_factory=list)
    source: Source | None = None
    # Set on drafted rows only; tables read from files carry none (and their JSON no key).
    provenance: Provenance | None = Field(default=None, exclude_if=lambda v: v is None)


class Table(_Strict):
    """One 项目支出绩效目标表. Money is in 元 whatever unit the file used."""

    title: str = ""
    unit_code: str = ""
    unit_name: str = ""
    project: str = ""
    year: int | None = None
    money_unit: MoneyUnit = "元"
    budget_total: Decimal | None = None
    budget_fiscal: Decimal | None = None
    budget_other: Decimal | None = None
    purpose: str = ""
    goals: list[str] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    artifacts: list[str] = Field(default_factory=list)
    source: Source | None = None
    # How a reader found the grid (header rows, column meanings): not content, never serialized.
    _layout: Any = PrivateAttr(default=None)

    @property
    def layout(self) -> Any:
        """The reader's `Layout` of this table's grid, when it was read from a grid."""
        return self._layout

    def set_layout(self, layout: Any) -> None:
        self._layout = layout

    @field_validator("budget_total", "budget_fiscal", "budget_other")
    @classmethod
    def _to_fen(cls, v: Decimal | None) -> Decimal | None:
        return None if v is None else _checked(v).quantize(_FEN)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """Stable id: the same content (wherever it was read from) gives the same id."""
        canon = self.model_dump_json(exclude=_PROVENANCE)
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]

    def content(self) -> dict[str, Any]:
        """The table without its provenance: what two equal tables share."""
        return self.model_dump(exclude=_PROVENANCE, mode="python")

    def locator(self) -> dict[str, Any]:
        """What a finding about this table carries to say which table it is and where it came
        from (the same content sent twice is two places)."""
        return {
            "table_id": self.id,
            "project": self.project,
            "file": self.source.file if self.source else "",
            "table_index": self.source.table_index if self.source else 0,
        }

    def same_content(self, other: Table) -> bool:
        return self.content() == other.content()


# Artifacts (residue cleaned out of the file) are provenance, like the source.
# Computed value fields (yuan, per) follow from the rest and add nothing to identity.
_PROVENANCE: Any = {
    "id": True,
    "source": True,
    "artifacts": True,
    "indicators": {
        "__all__": {
            "source": True,
            "artifacts": True,
            "provenance": True,
            "value": {"yuan", "per"},
            "actual": {"yuan", "per"},
        }
    },
}


class Citation(_Strict):
    """Where a piece of evidence comes from: a table (and row), or a policy passage."""

    kind: Literal["table", "policy"]
    table_id: str = ""
    row: int | None = None  # 1-based indicator row; None for the table as a whole
    document: str = ""  # policy document id
    passage: str = ""  # policy passage (chunk) id
    title: str = ""  # the project, or the policy document's title
    heading: str = ""  # the policy passage's heading (第十条 …)

    def label(self) -> str:
        """`普法宣传项目 第3行` / `财预〔2015〕88号 第十条`, as a person cites it."""
        if self.kind == "table":
            return f"{self.title or self.table_id}" + (f" 第{self.row}行" if self.row else "")
        return " ".join(p for p in (self.title, self.heading) if p)


Severity = Literal["error", "warning", "info"]
# The one order of severities, worst first: filters, sorting and reports all follow it.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
Origin = Literal["rule", "model"]


class Finding(_Strict):
    """One defect found in a table: coded (DOMAIN.md §4), located, explained, with a fix."""

    table_id: str
    project: str = ""
    file: str = ""
    table_index: int = 0
    row: int | None = None  # 1-based indicator row; None for the table as a whole
    level2: str | None = None
    indicator: str | None = None
    code: str
    severity: Severity
    message: str
    suggestion: str = ""
    basis: str = ""
    evidence: str = ""
    origin: Origin = "rule"

    def where(self) -> str:
        """`第3行 质量指标/调解成功率`, or `整表`."""
        if self.row is None:
            return "整表"
        return f"第{self.row}行 {self.level2 or ''}/{self.indicator or ''}"

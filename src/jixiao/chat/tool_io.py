"""What the assistant's tools take and return: pydantic models, so a model can be given their JSON
schemas and the offline answerer the same calls. Every result carries what it cites (`cited`,
with the source text each citation is for) and the figures it computed itself (`computed`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.chat.answer import Cited

FieldName = Literal[
    "project", "unit", "year", "budget_total", "budget_fiscal", "budget_other", "purpose", "goals"
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindTables(_Input):
    """找表：按项目名称（可简写）、单位、年度、自由文本、审阅问题代码、缺少或具有的指标类别、预算范围。"""

    name: str | None = Field(None, description="项目名称或其中几个字，如“普法宣传”")
    unit: str | None = Field(None, description="单位名称的一部分，如“司法局”")
    units: list[str] | None = Field(None, description="只要这些单位（完整名称）的表")
    year: int | None = None
    text: str | None = Field(None, description="自由文本，经检索找相关的表")
    finding: str | None = Field(None, description="审阅问题代码，如 cost_exceeds_budget")
    lacks: str | None = Field(None, description="没有这一类指标，如“满意度”")
    has: str | None = Field(None, description="有这一类指标，如“成本”")
    row_has: str | None = Field(
        None,
        description="有一行（属于 has 给的类别时只看该类）的名称、描述或指标值含这段文字或这个数，如“按规定时间执行”“80%”",
    )
    budget_above: Decimal | None = Field(None, description="预算数高于（元）")
    budget_below: Decimal | None = Field(None, description="预算数低于（元）")
    table_ids: list[str] | None = Field(None, description="只在这些表中找")
    k: int = Field(50, ge=1, le=500)


class ReadTable(_Input):
    """读一张表：表头字段（预算数、资金用途、绩效目标…）和指标行，可只取一类指标。"""

    table_id: str
    fields: list[FieldName] = Field(default_factory=list, description="要的字段；空为全部")
    category: str | None = Field(None, description="只要这一类指标行，如“时效”“满意度”")
    rows: bool = True


class ReadRow(_Input):
    """读指标行：按行号，或按与问题最接近的指标名称。"""

    table_id: str
    row: int | None = Field(None, ge=1)
    query: str | None = Field(None, description="指标名称或描述中的词，如“宣讲活动场次”")
    k: int = Field(3, ge=1, le=50)


class Aggregate(_Input):
    """在若干张表上求和、计数、求最大最小或比较（预算数、财政资金、其他资金，或指标行数）。"""

    op: Literal["sum", "count", "max", "min", "compare"]
    of: Literal["budget_total", "budget_fiscal", "budget_other", "rows", "tables"]
    table_ids: list[str]
    category: str | None = Field(None, description="of=rows 时只数这一类指标")


class Search(_Input):
    """检索资料库：表、指标行、政策段落，按相关程度排序。"""

    query: str
    kind: Literal["table", "indicator", "policy"] | None = None
    k: int = Field(5, ge=1, le=50)


class ReviewTable(_Input):
    """审阅一张表：规则找出的问题（代码、位置、说明、修改建议）。"""

    table_id: str
    min_severity: Literal["error", "warning", "info"] = "warning"


class TableBrief(BaseModel):
    table_id: str
    name: str  # the project, or the unit for a table without one
    project: str
    unit: str
    year: int | None = None
    budget_total: Decimal | None = None
    money_unit: str = "元"
    indicators: int = 0


class RowView(BaseModel):
    row: int
    level1: str
    level2: str
    name: str
    description: str
    value: str
    midterm: str | None = None
    weight: str | None = None


class AggItem(BaseModel):
    table_id: str
    name: str
    value: Decimal | None
    text: str


class FindingView(BaseModel):
    row: int | None
    where: str
    code: str
    title: str
    severity: str
    message: str
    suggestion: str = ""


class Passage(BaseModel):
    kind: str
    label: str
    text: str
    score: float


class ToolResult(BaseModel):
    summary: str = ""  # one line in Chinese: what the tool found
    cited: list[Cited] = Field(default_factory=list)
    computed: list[str] = Field(default_factory=list)


class TableList(ToolResult):
    tables: list[TableBrief] = Field(default_factory=list)
    near: list[str] = Field(default_factory=list)  # close names when `name` matched none
    unexplained: list[str] = Field(default_factory=list)  # the part of `name` nothing explains
    by_unit: bool = False  # `name` matched a unit's name only, not a project's


class TableView(ToolResult):
    table: TableBrief
    fields: dict[str, str] = Field(default_factory=dict)
    rows: list[RowView] = Field(default_factory=list)


class RowList(ToolResult):
    table: TableBrief
    rows: list[RowView] = Field(default_factory=list)


class AggregateResult(ToolResult):
    op: str
    of: str
    value: Decimal | None = None
    text: str = ""  # the value as stated: `1234567.00元（123.4567万元）`, `3个`
    items: list[AggItem] = Field(default_factory=list)


class SearchResult(ToolResult):
    passages: list[Passage] = Field(default_factory=list)


class ReviewOutcome(ToolResult):
    table: TableBrief
    findings: list[FindingView] = Field(default_factory=list)

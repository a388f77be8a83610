"""What the seed's layout puts where: shared by the docx and xlsx writers."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Indicator, Table, Value

BASE_COLUMNS = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]
OPTIONAL_COLUMNS = [
    ("midterm", "中期指标值"),
    ("actual", "实际完成值"),
    ("weight", "权重"),
    ("standard", "绩效标准"),
    ("direction", "指标方向"),
]


def indicator_columns(table: Table) -> list[tuple[str, str]]:
    """(attribute, header) pairs of the grid; optional columns only when some row uses them."""
    cols = list(
        zip(["level1", "level2", "name", "description", "value"], BASE_COLUMNS, strict=True)
    )
    for attr, header in OPTIONAL_COLUMNS:
        if any(getattr(ind, attr) is not None for ind in table.indicators):
            cols.append((attr, header))
    return cols


def cell_text(ind: Indicator, attr: str) -> str:
    if attr == "value":
        return ind.value.raw
    value = getattr(ind, attr)
    if value is None:
        return ""
    if isinstance(value, Value):
        return value.raw
    return format_decimal(value) if isinstance(value, Decimal) else str(value)


def budget_cells(table: Table) -> list[str]:
    """The budget row: 预算数, 其中：财政资金, 其他资金 with amounts in the table's money unit."""
    return [
        "预算规模及资金用途",
        "预算数",
        amount_text(table.budget_total, table.money_unit),
        "其中：财政资金",
        amount_text(table.budget_fiscal, table.money_unit),
        "其他资金",
        amount_text(table.budget_other, table.money_unit),
    ]


def amount_text(amount: Decimal | None, money_unit: str) -> str:
    if amount is None:
        return ""
    if money_unit == "万元":
        return format_decimal(amount / Decimal(10000))
    return f"{amount:.2f}"


def format_decimal(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


def goals_text(table: Table) -> list[str]:
    return [f"{i}.{goal}" for i, goal in enumerate(table.goals, start=1)]


def unit_text(table: Table) -> str:
    return (
        f"{table.unit_code}{table.unit_name}"
        if table.unit_code
        else (f"单位名称：{table.unit_name}" if table.unit_name else "")
    )


def year_text(table: Table) -> str:
    """`预算年度：2025` when the table has a year its title and project name do not carry (so
    the year, and with it the table's id, survives being written and read back)."""
    if table.year is None or str(table.year) in f"{table.title}{table.project}":
        return ""
    return f"预算年度：{table.year}"


def groups(values: list[str]) -> list[tuple[int, int]]:
    """Runs of equal consecutive values as (first, last) index pairs, for merged cells."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i - 1))
            start = i
    return runs

"""What every rule needs to know about a table, worked out once: framework, canonical categories,
which rows are costs, quantities, rates and satisfaction, money in 元."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from functools import cached_property, lru_cache

from jixiao.model import Finding, Indicator, Table, money_in_yuan

CLASSIC = "classic"
CURRENT = "2021"

# Framework vocabularies (DOMAIN.md §2), level 1 → its level 2s, in canonical short form.
FRAMEWORKS: dict[str, dict[str, set[str]]] = {
    CLASSIC: {
        "产出": {"数量", "质量", "时效", "成本"},
        "效益": {"经济效益", "社会效益", "生态效益", "可持续影响"},
        "满意度": {"服务对象满意度"},
    },
    CURRENT: {
        "成本": {"经济成本", "社会成本", "生态环境成本"},
        "产出": {"数量", "质量", "时效"},
        "效益": {"经济效益", "社会效益", "生态效益", "可持续影响"},
        "满意度": {"服务对象满意度"},
    },
}
# Local systems keep the classic 产出/成本 and 2021's 经济成本 under either level 1.
TOLERATED = {("产出", "成本"), ("产出", "经济成本"), ("成本", "成本")}
LEVEL1_SYNONYMS = {
    "项目完成": "产出",
    "完成": "产出",
    "产出": "产出",
    "效果": "效益",
    "效益": "效益",
    "预期产出": "产出",
    "社会公众或服务对象满意度": "满意度",
    "服务对象满意度": "满意度",
    "满意度": "满意度",
    "成本": "成本",
}
LEVEL2_SYNONYMS = {
    "社会公众或服务对象满意度": "服务对象满意度",
    "满意度": "服务对象满意度",
    "可持续影响": "可持续影响",
    "可持续发展": "可持续影响",
    "生态环境效益": "生态效益",
    "时效性": "时效",
    "及时性": "时效",
    "环境成本": "生态环境成本",
    "预算控制": "成本",  # 东莞: 预算(或投资规模)控制指标
    "社会、经济、生态效益": "社会效益",
}
MONEY_COST_LEVEL2 = {"成本", "经济成本"}
COST_NAME = re.compile(r"(?:金额|经费|资金|成本|费用|支出)$")
# 社会效益目标, 产出值 / 数量值 (山东): local words for the same category.
_SUFFIX = re.compile(r"(指标|类指标|类|目标|值)$")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\s，,。.、；;：:！!？?（）()“”\"'《》<>【】\[\]—\-_/·]")


# What a form adds to a category label: `数量指标 (必填硬性指标)`, `时效指标(工期指标、形象进度指标)`.
_ANNOTATION = re.compile(r"[（(][^）)]*[）)]")


def _label_key(label: str) -> str:
    return _SUFFIX.sub("", _SPACE.sub("", _ANNOTATION.sub("", label)))


@lru_cache(maxsize=1024)
def canonical_level1(label: str) -> str:
    key = _label_key(label)
    if key.startswith("项目") and key[2:] in LEVEL1_SYNONYMS:
        key = key[2:]  # 项目效益指标
    return LEVEL1_SYNONYMS.get(key, key)


@lru_cache(maxsize=1024)
def canonical_level2(label: str) -> str:
    key = _label_key(label)
    key = LEVEL2_SYNONYMS.get(key, key)
    # Local wordings of the two level 2s whose meaning is unmistakable: 服务对象或受益者满意度,
    # 社会公众满意度, 可持续性发展影响 — each framework has one 满意度 and one 可持续 category.
    if key.endswith("满意度"):
        return "服务对象满意度"
    if key.startswith("可持续"):
        return "可持续影响"
    return key


def squash(text: str) -> str:
    """Text without spaces and punctuation, for comparing names and descriptions."""
    return _PUNCT.sub("", text)


def squashed_pairs(text: str) -> set[str]:
    """The character pairs of `text` squashed: how alike two texts read, by shared pairs."""
    s = squash(text)
    return {s[i : i + 2] for i in range(len(s) - 1)}


class Row:
    """One indicator with its canonical categories, 1-based position and what rules ask of it,
    worked out once (rules run on thousands of tables a second)."""

    __slots__ = (
        "n",
        "ind",
        "level1",
        "level2",
        "name",
        "yuan",
        "per",
        "is_rate",
        "is_satisfaction",
        "is_money_cost",
        "squashed_name",
        "squashed_description",
    )

    def __init__(self, n: int, ind: Indicator) -> None:
        self.n = n
        self.ind = ind
        self.level1 = canonical_level1(ind.level1)
        self.level2 = canonical_level2(ind.level2)
        self.name = ind.name
        unit = ind.value.unit
        self.yuan = money_in_yuan(ind.value.number, unit)
        self.per = unit.split("/", 1)[1] or None if unit and "/" in unit else None
        self.is_rate = unit == "%"
        self.is_satisfaction = "满意" in ind.name
        self.is_money_cost = self.level2 in MONEY_COST_LEVEL2 or (
            # A form without category columns (重庆 一般性项目): an amount of money spent is a cost.
            not ind.level1
            and not ind.level2
            and self.yuan is not None
            and COST_NAME.search(ind.name)
        )
        self.squashed_name = squash(ind.name)
        self.squashed_description = squash(ind.description)


@dataclass
class Context:
    """A table as the rules see it."""

    table: Table
    rows: list[Row] = field(init=False)
    framework: str = field(init=False)

    def __post_init__(self) -> None:
        t = self.table
        self.rows = [Row(i, ind) for i, ind in enumerate(t.indicators, start=1)]
        self.framework = CURRENT if any(r.level1 == "成本" for r in self.rows) else CLASSIC

    @cached_property
    def uncategorised(self) -> bool:
        """A form with no level-1 or level-2 column at all (a department-wide table lists its
        indicators flat by design): the category rules have nothing to judge."""
        return bool(self.rows) and not any(r.ind.level1 or r.ind.level2 for r in self.rows)

    @cached_property
    def cost_rows(self) -> list[Row]:
        return [r for r in self.rows if r.is_money_cost]

    @cached_property
    def quantity_rows(self) -> list[Row]:
        return [r for r in self.rows if r.level2 == "数量"]

    @property
    def budget(self) -> Decimal | None:
        return self.table.budget_total

    def finding(
        self,
        rule,
        row: Row | None,
        message: str,
        suggestion: str,
        evidence: str = "",
        severity: str | None = None,
    ) -> Finding:
        """A finding of `rule` on `row`, or on the whole table when `row` is None."""
        return Finding(
            **self._where,
            row=row.n if row else None,
            level2=row.ind.level2 if row else None,
            indicator=row.ind.name if row else None,
            code=rule.code,
            severity=severity or rule.severity,
            message=message,
            suggestion=suggestion,
            basis=rule.basis,
            evidence=evidence or (row.ind.value.raw if row else ""),
            origin="rule",
        )

    @cached_property
    def _where(self) -> dict:
        return self.table.locator()


def fmt_money(yuan: Decimal, unit: str = "万元", down: bool = False) -> str:
    """`302800` → `30.28万元` (or `302800元`); `down` rounds down, for a cap that must not
    exceed the amount."""
    rounding = ROUND_FLOOR if down else ROUND_HALF_EVEN
    if unit == "万元":
        value = (yuan / Decimal(10000)).quantize(Decimal("0.01"), rounding=rounding)
        return f"{value.normalize():f}万元"
    return f"{yuan.quantize(Decimal('0.01'), rounding=rounding).normalize():f}元"

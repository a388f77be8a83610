"""Rules on cost indicators: present, monetary, within the budget, consistent with quantities."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.rules._context import COUNT_UNITS, Context, Row, fmt_money
from jixiao.rules._registry import P2015, P2021, rule

PER_UNIT_NAME = re.compile(r"人均|单价|单位成本|每人|每件|每个|标准|案均|户均|次均|平均")
MONTHS_PER = {"年": 1, "月": 12, "季": 4, "季度": 4}
TOLERANCE = Decimal("0.005")  # half a percent counts as "the same amount"
INCONSISTENT = (Decimal("0.7"), Decimal("1.3"))  # unit cost × quantity outside ±30% of budget


def annual_total(r: Row) -> Decimal | None:
    """The yearly total a cost row caps, in 元, or None when it is a per-unit cost."""
    if r.yuan is None:
        return None
    per = r.per
    if per is None:
        return None if PER_UNIT_NAME.search(r.name) else r.yuan
    if per in MONTHS_PER and not PER_UNIT_NAME.search(r.name):
        return r.yuan * MONTHS_PER[per]
    return None


def unit_cost(r: Row) -> tuple[Decimal, str] | None:
    """(元 per unit, the unit) for a per-unit cost such as `≤500元/人` or `人均…≤7.2万元/年`."""
    if r.yuan is None:
        return None
    if r.per in COUNT_UNITS:
        return r.yuan, r.per
    if PER_UNIT_NAME.search(r.name) and "人均" in r.name:
        return r.yuan, "人"
    return None


@rule("cost_indicator_missing", "error", "D", P2021)
def cost_indicator_missing(ctx: Context):
    if ctx.rows and not ctx.cost_rows:
        where = "成本指标-经济成本指标" if ctx.framework == "2021" else "产出指标-成本指标"
        yield ctx.finding(
            cost_indicator_missing,
            None,
            "表中没有成本指标，无法判断资金投入与产出是否匹配。",
            f"在“{where}”下增加成本指标，如“XX单位成本≤XX元/人”或“项目总成本≤XX万元”。",
        )


@rule("cost_indicator_empty", "error", "D", P2021)
def cost_indicator_empty(ctx: Context):
    for r in ctx.cost_rows:
        v = r.ind.value
        if v.kind == "empty" or (v.number is not None and v.number == 0):
            yield ctx.finding(
                cost_indicator_empty,
                r,
                f"成本指标“{r.name}”的指标值为空或为零。",
                "填写成本上限，如“≤XX万元”，不超过预算数。",
            )


@rule("cost_not_monetary", "error", "D", P2021)
def cost_not_monetary(ctx: Context):
    for r in ctx.cost_rows:
        v = r.ind.value
        if v.kind in ("qualitative", "unparsed", "date") or v.unit == "%" or "控制率" in r.name:
            budget = f"“≤{fmt_money(ctx.budget)}”" if ctx.budget else "“≤XX万元”"
            yield ctx.finding(
                cost_not_monetary,
                r,
                f"成本指标“{r.name}”的指标值“{v.raw}”不是金额（是文字或比率）。",
                f"写成金额上限，如{budget}，或单位成本“≤XX元/人”。",
            )


@rule("cost_exceeds_budget", "error", "D", P2015)
def cost_exceeds_budget(ctx: Context):
    budget = ctx.budget
    if not budget:
        return
    for r in ctx.cost_rows:
        v = r.ind.value
        total = annual_total(r)
        if total is None or v.comparator in ("≥", ">"):
            continue
        if total > budget * (1 + TOLERANCE):
            times = MONTHS_PER.get(r.per or "", 1)
            how = f"（{v.raw}×{times}）" if times > 1 else ""
            unit = "万元" if (v.unit or "").startswith("万元") else "元"
            limit = fmt_money(budget / times, unit) + (f"/{r.per}" if r.per else "")
            yield ctx.finding(
                cost_exceeds_budget,
                r,
                f"成本上限{fmt_money(total, unit)}{how}高于预算数{fmt_money(budget, '元')}。",
                f"将“{v.raw}”改为不超过预算数，如“≤{limit}”。",
            )


@rule("cost_restates_budget", "warning", "D", P2015)
def cost_restates_budget(ctx: Context):
    budget = ctx.budget
    if not budget:
        return
    for r in ctx.cost_rows:
        total = annual_total(r)
        if total is not None and abs(total - budget) <= budget * TOLERANCE:
            yield ctx.finding(
                cost_restates_budget,
                r,
                f"成本指标“{r.ind.value.raw}”只是复述预算数{fmt_money(budget, '元')}，没有说明钱怎么花。",
                "改为能反映支出结构或单位成本的指标，如“人均补贴标准≤XX元/人”“单场活动成本≤XX元”。",
            )


@rule("cost_budget_inconsistent", "warning", "D", P2015)
def cost_budget_inconsistent(ctx: Context):
    budget = ctx.budget
    if not budget or len(ctx.cost_rows) != 1:
        return  # with several cost rows the budget is shared; no single product to check
    r = ctx.cost_rows[0]
    per = unit_cost(r)
    if per is None:
        return
    price, unit = per
    planned = [q for q in ctx.quantity_rows if q.ind.value.unit == unit and q.ind.value.number]
    if len(planned) != 1:
        return
    q = planned[0].ind.value.number
    product = price * q
    ratio = product / budget
    if INCONSISTENT[0] <= ratio <= INCONSISTENT[1]:
        return
    yield ctx.finding(
        cost_budget_inconsistent,
        r,
        f"单位成本×计划数量＝{fmt_money(price)}/{unit}×{q.normalize():f}{unit}＝{fmt_money(product)}，"
        f"与预算数{fmt_money(budget)}相差{abs(ratio - 1):.0%}。",
        f"核对单位成本和“{planned[0].name}”：按预算反推，单位成本约为"
        f"{fmt_money(budget / q, '元')}/{unit}。",
    )

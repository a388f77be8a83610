"""Rules on cost indicators: present, monetary, within the budget, consistent with quantities."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import NamedTuple

from jixiao.model import MONEY_FACTORS
from jixiao.rules._context import Context, Row, fmt_money
from jixiao.rules._registry import P2015, P2021, rule

PER_UNIT_NAME = re.compile(r"人均|单价|单位成本|每人|每件|每个|标准|案均|户均|次均|平均")
MONTHS_PER = {"年": 1, "月": 12, "季": 4, "季度": 4}
# Units of time: `元/月` is a monthly total (annual_total multiplies it), `元/天` a daily rate of
# some unstated number of days; neither is a price per counted item.
PERIODS = frozenset(MONTHS_PER) | {"年度", "半年", "旬", "周", "天", "日", "学期"}
# Spellings of one counted unit (after NFKC, which folds full-width forms).
UNIT_VARIANTS = {
    "人/次": "人次",
    "人·次": "人次",
    "千米": "公里",
    "km": "公里",
    "m2": "平方米",
    "m²": "平方米",
}
_COMPOUND = re.compile(r"[·•・/*×]")
TOLERANCE = Decimal("0.005")  # half a percent counts as "the same amount"
INCONSISTENT = (Decimal("0.7"), Decimal("1.3"))  # unit cost × quantity outside ±30% of budget


class UnitCost(NamedTuple):
    """A per-unit cost: `price` 元 per `unit`, `times` a year (12 for `元/人·月`), as written."""

    price: Decimal
    unit: str  # the counted unit, canonical (`人次` for `人/次`)
    times: int
    period: str  # the period of `times` (`月`), or ""
    written: str  # the value's money and unit as written: `80元/剂次`, `7.2万元/人`


def count_unit(unit: str | None) -> tuple[str, int] | None:
    """The counted unit of a quantity and how many of it one unit is: `剂次` → (剂次, 1),
    `人/次` → (人次, 1), `万亩` → (亩, 10000); None for money, rates, periods and `X/Y` rates."""
    if not unit:
        return None
    u = unicodedata.normalize("NFKC", unit).strip().removeprefix("每")
    u = UNIT_VARIANTS.get(u, u)
    scale = 1
    if len(u) > 1 and u.startswith("万"):
        scale, u = 10000, UNIT_VARIANTS.get(u[1:], u[1:])
    if not u or u == "%" or u in PERIODS or u in MONEY_FACTORS:
        return None
    if _COMPOUND.search(u) or re.search(r"\d", u):
        return None
    return u, scale


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


def unit_cost(r: Row) -> UnitCost | None:
    """The per-unit cost of `≤80元/剂次`, `≤8万元/公里`, `≤100元/人·月` (twelve a year) or
    `人均…≤7.2万元/年` (per person); None for a total or a cost per period (`≤2万元/月`)."""
    if r.yuan is None:
        return None
    v = r.ind.value
    money = (v.unit or "").split("/", 1)[0]
    amount = f"{v.number.normalize():f}{money}" if v.number is not None else ""
    if r.per is not None:
        per = unicodedata.normalize("NFKC", r.per).strip()
        per = UNIT_VARIANTS.get(per, per)
        head, period = per, ""
        if split := _COMPOUND.search(per):  # `人·月`, `人/月`: a count per period
            head, period = per[: split.start()], per[split.end() :]
        counted = count_unit(head)
        if counted and counted[1] == 1 and (not period or period in MONTHS_PER):
            times = MONTHS_PER.get(period, 1)
            return UnitCost(r.yuan, counted[0], times, period, f"{amount}/{r.per}")
    if "人均" in r.name and (r.per is None or r.per in MONTHS_PER):
        times = MONTHS_PER.get(r.per or "", 1)
        per = "人" if times == 1 else f"人·{r.per}"
        return UnitCost(r.yuan, "人", times, r.per if times > 1 else "", f"{amount}/{per}")
    return None


def money_unit(r: Row) -> str:
    """万元 when the row's amount was written in 万元, else 元: the unit its message speaks in."""
    return "万元" if (r.ind.value.unit or "").startswith("万元") else "元"


def amounts(unit: str, *yuan: Decimal) -> list[str]:
    """Amounts written in one unit; in 元 when 万元 would print two different amounts alike."""
    texts = [fmt_money(y, unit) for y in yuan]
    if unit != "元" and len(set(texts)) < len(set(yuan)):
        texts = [fmt_money(y, "元") for y in yuan]
    return texts


@rule("cost_indicator_missing", "error", "D", P2021)
def cost_indicator_missing(ctx: Context):
    if ctx.rows and not ctx.cost_rows and not ctx.uncategorised:
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
    found = False
    for r in ctx.cost_rows:
        v = r.ind.value
        total = annual_total(r)
        if total is None or v.comparator in ("≥", ">"):
            continue
        if total > budget * (1 + TOLERANCE):
            times = MONTHS_PER.get(r.per or "", 1)
            how = f"（{v.raw}×{times}）" if times > 1 else ""
            unit = money_unit(r)
            limit = fmt_money(budget / times, unit, down=True) + (f"/{r.per}" if r.per else "")
            cap, available = amounts(unit, total, budget)
            yield ctx.finding(
                cost_exceeds_budget,
                r,
                f"成本上限{cap}{how}高于预算数{available}。",
                f"将“{v.raw}”改为不超过预算数，如“≤{limit}”。",
            )
            found = True
    if found:
        return
    # A unit cost whose planned quantity costs somewhat more than the budget (far more is
    # cost_budget_inconsistent: the figures do not fit at all).
    pair = reconciliation(ctx)
    if pair is None or pair.row.ind.value.comparator in ("≥", ">"):
        return
    cost = pair.cost
    least = (cost.price - _rounding(cost)) * pair.count * cost.times  # 1.8万元 may be 1.78万元
    if budget * (1 + TOLERANCE) < least and pair.product <= budget * INCONSISTENT[1]:
        product, available = pair.shown(budget)
        yield ctx.finding(
            cost_exceeds_budget,
            pair.row,
            f"{product}高于预算数{available}：按这个标准，预算不够支付计划的数量。",
            f"核对单位成本和“{pair.quantity.name}”：预算内单位成本最多约"
            f"{pair.unit_cost_within(budget, down=True)}。",
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
                f"成本指标“{r.ind.value.raw}”只是复述预算数{fmt_money(budget, money_unit(r))}，"
                "没有说明钱怎么花。",
                "改为能反映支出结构或单位成本的指标，如“人均补贴标准≤XX元/人”“单场活动成本≤XX元”。",
            )


class Reconciliation(NamedTuple):
    """The one unit cost and the one quantity of the same unit that `cost_budget_inconsistent`
    and `cost_exceeds_budget` multiply."""

    row: Row
    cost: UnitCost
    quantity: Row
    count: Decimal  # how many units the quantity plans (`0.2万亩` → 2000)

    @property
    def product(self) -> Decimal:
        return self.cost.price * self.count * self.cost.times

    def shown(self, budget: Decimal) -> tuple[str, str]:
        """The multiplication as a reader checks it and the budget, in one unit:
        (`单位成本×计划数量＝23万元/个×10个＝230万元，`, `214.06万元`); ×12个月 for a monthly cost."""
        cost, qv = self.cost, self.quantity.ind.value
        period = "季度" if cost.period == "季" else cost.period
        months = f"×{cost.times}个{period}" if cost.times > 1 else ""
        total, available = amounts("万元", self.product, budget)
        product = f"{cost.written}×{qv.number.normalize():f}{qv.unit}{months}"
        return f"单位成本×计划数量＝{product}＝{total}，", available

    def unit_cost_within(self, budget: Decimal, down: bool = False) -> str:
        """The unit cost the budget pays for the planned quantity: `21.4万元/个`."""
        price = fmt_money(budget / (self.count * self.cost.times), money_unit(self.row), down)
        return f"{price}/{self.cost.written.partition('/')[2]}"


def reconciliation(ctx: Context) -> Reconciliation | None:
    """The unit cost and quantity to hold against the budget, or None when there is no single
    pair: with several cost rows the budget is shared, with several quantities of the unit the
    product is ambiguous."""
    if len(ctx.cost_rows) != 1:
        return None
    r = ctx.cost_rows[0]
    cost = unit_cost(r)
    if cost is None:
        return None
    planned = []  # (row, how many units it plans)
    for q in ctx.quantity_rows:
        counted = count_unit(q.ind.value.unit)
        if counted and counted[0] == cost.unit and q.ind.value.number:
            planned.append((q, q.ind.value.number * counted[1]))
    if len(planned) != 1:
        return None
    return Reconciliation(r, cost, *planned[0])


def _rounding(cost: UnitCost) -> Decimal:
    """How much less than written a unit cost may be, in 元: half its last printed digit."""
    m = re.match(r"\d+(?:\.\d+)?", cost.written)
    if not m:
        return Decimal(0)
    written = Decimal(m[0])
    return (
        cost.price * Decimal(5).scaleb(written.as_tuple().exponent - 1) / written
        if written
        else Decimal(0)
    )


@rule("cost_budget_inconsistent", "warning", "D", P2015)
def cost_budget_inconsistent(ctx: Context):
    budget = ctx.budget
    pair = reconciliation(ctx) if budget else None
    if pair is None:
        return
    ratio = pair.product / budget
    if INCONSISTENT[0] <= ratio <= INCONSISTENT[1]:
        return
    product, available = pair.shown(budget)
    yield ctx.finding(
        cost_budget_inconsistent,
        pair.row,
        f"{product}与预算数{available}相差{abs(ratio - 1):.0%}。",
        f"核对单位成本和“{pair.quantity.name}”：按预算反推，单位成本约为"
        f"{pair.unit_cost_within(budget)}。",
    )

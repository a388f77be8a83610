"""The reviewer's notes: what it could not check in a table, and why.

Not defects of DOMAIN.md §4 (no label names them, the eval does not score them): a rule that
needs a field the table lacks stays silent, and this note says so instead of letting silence read
as "checked, fine".
"""

from __future__ import annotations

from jixiao.rules._context import Context
from jixiao.rules._registry import P2015, rule
from jixiao.rules.cost import annual_total, reconciliation
from jixiao.rules.structure import YEAR


@rule("check_not_run", "info", "D", P2015)
def check_not_run(ctx: Context):
    """One note per table naming the checks its missing fields kept from running.

    - No budget (预算数 blank, unreadable or 0): the checks that hold a cost amount against it.
      Only when a cost row carries an amount: a total cap (cost_exceeds_budget,
      cost_restates_budget) or a unit cost with its one quantity (cost_budget_inconsistent).
      A table without cost rows, or whose cost rows hold no amount, has nothing to hold against
      the budget; cost_indicator_missing and cost_not_monetary already speak for those.
    - No year: period_inconsistent, only when a deadline names a year to compare with it.
    """
    skipped, reasons, fixes, evidence = [], [], [], []
    if not ctx.budget:
        budget_checks = []
        if any(annual_total(r) is not None for r in ctx.cost_rows):
            budget_checks += ["成本上限是否超过预算", "成本指标是否只复述预算"]
        if reconciliation(ctx) is not None:
            budget_checks.append("单位成本×计划数量是否与预算相符")
        if budget_checks:
            skipped += budget_checks
            zero = ctx.budget is not None
            reasons.append("预算数为0" if zero else "表中没有可读的预算数（空白或不是金额）")
            fixes.append("补充预算数（元或万元）后重新审阅")
            evidence.append("预算数：0" if zero else "预算数：空")
    if ctx.table.year is None:
        dated = [
            r.ind.value.raw
            for r in ctx.rows
            if r.ind.value.kind == "date" and YEAR.search(r.ind.value.raw)
        ]
        if dated:
            skipped.append(f"时限“{dated[0]}”是否在项目年度内")
            reasons.append("表中没有项目年度")
            fixes.append("在项目名称或“年度”一栏写明年度（如“20XX年”）后重新审阅")
            evidence.append(f"时限：{dated[0]}")
    if skipped:
        yield ctx.finding(
            check_not_run,
            None,
            f"以下核对未能完成：{'、'.join(skipped)}（{'；'.join(reasons)}）。"
            "这些方面即使有问题，本次审阅也发现不了。",
            "；".join(fixes) + "。",
            evidence="；".join(evidence),
        )

"""Rules on figures that contradict what is known about the place: a county-level unit counting
more towns and streets than any county has."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.rules._context import Context
from jixiao.rules._registry import P2015, rule

# Towns and street offices (乡、镇、街道): a county-level division has a few dozen at most.
TOWNS = re.compile(r"街乡镇|乡镇街道|街道乡镇|街镇|镇街|乡镇|街道")
# Counted in a unit that is not one of them: 村、社区 and 人 are counted in hundreds.
OTHER_COUNTED = re.compile(r"村|社区|居委|人|户|次|件|场")
# A county-level unit: its name ends its place with 区, 县 or 旗 (天津市滨海新区司法局), not 社区 or 自治区.
COUNTY_LEVEL = re.compile(r"(?<![社小园景治])(?:区|县|旗)")
TOWNS_PER_COUNTY = Decimal(100)  # well above the most any county-level division has


@rule("implausible_value", "warning", "H", P2015)
def implausible_value(ctx: Context):
    unit_name = ctx.table.unit_name or ""
    if not COUNTY_LEVEL.search(unit_name):
        return
    for r in ctx.rows:
        v = r.ind.value
        counted = TOWNS.search(r.name)
        if (
            counted
            and v.kind == "quantitative"
            and v.number is not None
            and v.number > TOWNS_PER_COUNTY
            and (v.unit or "个") == "个"
            and not OTHER_COUNTED.search(TOWNS.sub("", r.name))
        ):
            yield ctx.finding(
                implausible_value,
                r,
                f"请核实：{unit_name}是县（区）级单位，一个县（区）所辖{counted[0]}一般只有十几到"
                f"几十个，“{r.name}”却是“{v.raw}”，与实际不符（可能把村居、社区的数目填成了"
                f"{counted[0]}数）。",
                f"按辖区实际{counted[0]}数填写，或把名称改为所计的对象（如“涉及村居数量”）。",
            )

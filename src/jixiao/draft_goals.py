"""What a brief's own words give a draft: a metric named from a goal, and cost items with amounts.

An officer measures a goal by naming what it counts, rates or dates: `为群众提供免费法律服务`
becomes `免费法律服务提供次数`, `不断提高法律援助社会知晓率` becomes `法律援助社会知晓率`,
`确保社区矫正对象无脱管漏管情况发生` becomes `社区矫正对象脱管漏管发生次数 ≤0次`. The name comes
from the goal; the number, unless the goal states it, is the officer's (`【请填写】`). A clause
that only states an aim (`提升公共法律服务质量`, `促进…发展`) gives no metric: what measures an
aim is a judgement the drafter leaves to the library or the officer.

Cost items come from amounts the brief states for a part of the work (`勘察设计费、审查咨询费结算
532万元`); an amount per unit (`每村4400元`, `704元/村`) or the whole budget restated is no item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.draft_edit import PLACEHOLDER

_CLAUSE = re.compile(r"[，,。；;！!？?:：\n]|以及")
# Words before the verb that say how, not what.
_ADVERBS = re.compile(
    r"^(?:(?:\d+[.、．:：]\s*)|目标\d+[:：]|不断|进一步|积极|切实|有效|全面|深入|大力|努力|认真|"
    r"按照规定|按规定|按时|及时|全年|年内|每年|通过|力争|计划|确保|保证|做好|继续|持续)+"
)
_TRAILING = re.compile(r"(?:的)?(?:相关|各项)?(?:工作|等|任务)+$")
# Where an object ends: the place, the beneficiary or the purpose that follows it.
_STOP = re.compile(
    r"到(?![位期岗达])|对(?![象接比照话外口])|(?<![行作认成])为(?!期)|向(?![导])|(?<![存所现实内外])在"
    r"|(?<![关对属由])于|从而|(?<![可所予加])以(?![上下内来案])|用于|并|和提高|辅助|协助|做好|，"
)
_ASPIRATIONS = ("制度", "年度", "力度", "程度", "进度", "幅度", "额度", "深度", "满意度", "效率")
_RATE = re.compile(r"(?:提高|提升|增强|达到|保持)([\u4e00-\u9fff]{2,14}?[率度])(?:达到|不低于|$)")
_NONE = re.compile(
    r"^(?:实现|做到)?([\u4e00-\u9fff]{2,12}?)无([\u4e00-\u9fff]{2,10}?)(?:等)?(?:情况|现象|事件|问题)?(?:发生|出现)$"
)
_COORDINATING = ("组织协调", "协调", "推进", "推动", "统筹")
_PEOPLE = ("员", "师", "顾问", "社工", "人员", "工作者", "志愿者", "专家")
_THINGS = ("设备", "器材", "设施", "标识", "标牌", "装备", "电脑", "终端")
_PLACES = ("室", "站", "中心", "组织", "点", "基地", "阵地", "窗口")
# An action and what counting it measures: verb → (measure, unit); people and things by the object.
_COUNTS = {
    "举办": ("场次", "场"),
    "开展": ("次数", "次"),
    "组织": ("次数", "次"),
    "承办": ("次数", "次"),
    "提供": ("次数", "次"),
    "进行": ("次数", "次"),
    "排查化解": ("件数", "件"),
    "化解": ("件数", "件"),
    "调解": ("件数", "件"),
    "办理": ("件数", "件"),
    "受理": ("件数", "件"),
    "聘请": ("人数", "人"),
    "聘用": ("人数", "人"),
    "配备": ("数量", "台（套）"),
    "购置": ("数量", "台（套）"),
    "更新购置": ("数量", "台（套）"),
    "更换": ("数量", "台（套）"),
    "更新": ("次数", "次"),
    "发放": ("人数", "人"),
    "培训": ("人次", "人次"),
}
_VERBS = "|".join(sorted(_COUNTS, key=len, reverse=True))
_ACTION = re.compile(rf"^(?:[为对][\u4e00-\u9fff、]{{1,16}}?)?(?:组织)?({_VERBS})(.+)$")
_OPERATE = re.compile(r"^(?:运行维护|运维|维护)([\u4e00-\u9fff]{2,16}?)(?:功能|运行|正常运行)?$")
# 应保尽保, 应援尽援, 应检尽检: all who qualify are served, a rate over those who qualify.
_ALL_SERVED = re.compile(r"(?:实现|做到)?([\u4e00-\u9fff]{0,10}?)(应(.)尽\3)")
_DUTY = re.compile(r"^([\u4e00-\u9fff（）()]{2,14}?)值班$")
# 对…发放补贴: the people paid; 及时、足额发放: paid on time.
_PAID_TO = re.compile(
    r"对(?:符合(?:规定|条件)的)?([\u4e00-\u9fff]{2,14}?)发放([\u4e00-\u9fff]{2,6})$"
)
_ON_TIME = re.compile(
    r"^([\u4e00-\u9fff]{2,10}?)(?:按时|及时)[、，]?(?:足额)?[、，]?(?:合规)?发放$"
)
_ARRIVE = re.compile(r"^([\u4e00-\u9fff]{2,12}?)(?:发放|拨付)到位$")
_DONE = re.compile(r"^完成(?:对)?(.{4,22})$")
_TRAIN = re.compile(r"^组织([\u4e00-\u9fff]{2,12}?)(?:开展|参加)(?:相关|各类)?(?:业务)?培训")
_PUBLICITY = re.compile(r"^(?:加强|开展|进行|组织)?([\u4e00-\u9fff]{2,12}?)宣传(?:活动)?$")


@dataclass(frozen=True)
class GoalMetric:
    """A row a goal's clause gives: its categories, a name that is a metric, and a value."""

    level1: str
    level2: str
    name: str
    value: str
    clause: str  # the goal's clause it measures; a value without 【请填写】 is the clause's own


def goal_metric(goal: str, year: int) -> GoalMetric | None:
    """The first clause of `goal` that names something to count, rate or date, as a metric."""
    for clause in [c.strip() for c in _CLAUSE.split(goal)]:
        if len(clause) >= 4 and (m := clause_metric(clause, year)) is not None:
            return m
    return None


def clause_metric(clause: str, year: int) -> GoalMetric | None:
    text = _ADVERBS.sub("", clause).strip()
    if re.search(r"\d", text) or text.startswith(_COORDINATING):
        return None  # a figure is `goal_figures`' to read; coordinating is no count
    if m := _RATE.search(text):
        rate = m[1]
        if not rate.endswith(_ASPIRATIONS) and not re.search("[和及、与]", rate):
            return GoalMetric("效益指标", "社会效益指标", rate, f"≥{PLACEHOLDER}%", clause)
    if m := _ALL_SERVED.search(text):
        name = f"{m[1]}{m[2]}率"
        return _fit(GoalMetric("效益指标", "社会效益指标", name, f"≥{PLACEHOLDER}%", clause))
    if m := _DUTY.match(_TRAILING.sub("", text)):
        name = f"{m[1]}值班天数"
        return _fit(GoalMetric("产出指标", "数量指标", name, f"≥{PLACEHOLDER}天", clause))
    if m := _NONE.match(text):
        name = f"{m[1]}{m[2]}发生次数"
        return _fit(GoalMetric("效益指标", "社会效益指标", name, "≤0次", clause))
    if m := _TRAIN.match(text):
        return _fit(
            GoalMetric("产出指标", "数量指标", f"{m[1]}培训人次", f"≥{PLACEHOLDER}人次", clause)
        )
    if m := _OPERATE.match(text):
        name = f"{_TRAILING.sub('', m[1])}正常运行率"
        return _fit(GoalMetric("产出指标", "质量指标", name, f"≥{PLACEHOLDER}%", clause))
    if m := _PAID_TO.search(text):
        name = f"{m[1]}{m[2]}发放人数"
        return _fit(GoalMetric("产出指标", "数量指标", name, f"≥{PLACEHOLDER}人", clause))
    if m := _ON_TIME.match(text):
        name = f"{m[1]}发放及时率"
        return _fit(GoalMetric("产出指标", "时效指标", name, f"≥{PLACEHOLDER}%", clause))
    if m := _ARRIVE.match(text):
        name = f"{m[1]}发放到位率"
        return _fit(GoalMetric("产出指标", "质量指标", name, f"≥{PLACEHOLDER}%", clause))
    if m := _PUBLICITY.match(text):
        name = f"{re.sub('进行|开展', '', m[1])}宣传次数"
        return _fit(GoalMetric("产出指标", "数量指标", name, f"≥{PLACEHOLDER}次", clause))
    if m := _ACTION.match(text):
        return _counted(m[1], m[2], clause)
    if m := _DONE.match(text):
        what = _TRAILING.sub("", _STOP.split(m[1])[0])
        if len(what) >= 4 and "发放" not in what:
            value = f"{year}年12月31日前"
            return _fit(GoalMetric("产出指标", "时效指标", f"{what}完成时间", value, clause))
    return None


def _counted(verb: str, rest: str, clause: str) -> GoalMetric | None:
    obj = _TRAILING.sub("", _STOP.split(rest)[0]).strip("、 ")
    if len(obj) < 2:
        return None
    measure, unit = _COUNTS[verb]
    if verb in ("配备", "聘请", "聘用") and obj.endswith(_PEOPLE) or "社工" in obj:
        measure, unit = "人数", "人"
    elif obj.endswith(_THINGS) or verb in ("配备", "购置", "更新购置", "更换"):
        measure, unit = "数量", "台（套）"
    if verb == "更新" and obj.endswith(_THINGS):
        measure, unit = "数量", "台（套）"
    if obj.endswith(_PLACES):
        measure, unit = "数量", "个"
    # `提供…服务次数` reads as the duty 提供…服务; the count of a service is `…服务提供次数`.
    after = verb in ("发放", "提供")
    name = f"{obj}{verb}{measure}" if after else f"{verb}{obj}{measure}"
    return _fit(GoalMetric("产出指标", "数量指标", name, f"≥{PLACEHOLDER}{unit}", clause))


def _fit(m: GoalMetric) -> GoalMetric | None:
    """A name a form cell holds and a reviewer reads as one metric, or none."""
    fits = 5 <= len(m.name) <= 24 and not re.search("[，,]", m.name) and m.name.count("、") <= 1
    return m if fits else None


# Cost items the brief states: a name, then an amount in 元 or 万元, not per unit.
_AMOUNT = re.compile(
    r"(?P<name>[\u4e00-\u9fff\d、“”（）()]{2,30}?)\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>万元|元)(?![/／每])"
)
_PER = re.compile(r"(?:每|人均|单价|标准|/|／)")
_COST_LEAD = re.compile(
    r"^.*?(?:完成|支付|用于|安排|拨付|其中[:：]?|包括|含)(?=[\u4e00-\u9fff\d“])"
)
_TOTAL = ("预算", "总金额", "总额", "总计", "合计", "共计", "投资", "总投入", "总成本")


@dataclass(frozen=True)
class StatedCost:
    name: str
    yuan: Decimal
    clause: str


def stated_costs(text: str, budget: Decimal) -> list[StatedCost]:
    """The cost items a brief's text states with their amounts (not the whole budget, not a
    price per unit), in the order written."""
    out: list[StatedCost] = []
    for clause in _CLAUSE.split(text):
        for m in _AMOUNT.finditer(clause):
            tail = clause[m.end() : m.end() + 2]
            if _PER.search(m["name"][-3:]) or tail.startswith(("/", "／")):
                continue
            yuan = Decimal(m["n"]) * (10000 if m["unit"] == "万元" else 1)
            name = _COST_LEAD.sub("", m["name"]).strip("、 ")
            if yuan <= 0 or yuan == budget or any(w in name for w in _TOTAL) or len(name) < 2:
                continue
            if not name.endswith(("费", "金", "款", "资金", "成本", "结算", "补贴", "补助")):
                name += "费用"
            out.append(StatedCost(name, yuan, clause.strip()))
    return out

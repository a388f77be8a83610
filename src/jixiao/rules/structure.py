"""Rules on the table's structure: framework groups, categories, budget arithmetic, period, weights."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.model import Finding
from jixiao.rules._context import FRAMEWORKS, TOLERATED, Context, squashed_pairs
from jixiao.rules._registry import P2015, P2020, P2021, TJ2020, rule
from jixiao.rules.values import COUNT_UNITS, FISCAL_PROCESS, NOT_APPLICABLE

PROCESS = re.compile(
    r"预算执行率|资金到位率|拨付及时率|资金拨付率|资金使用率|支出进度|资金执行率|预算完成率|"
    r"资金支付率|预算支出率"
)
# What an effects group may hold that is no effect: satisfaction, an output's rate, a period.
NOT_AN_EFFECT = re.compile(r"满意|覆盖率|完成率|及时率|合格率|验收|期限|时限|周期|年限")
# A benefit, not a cost: what 2021's 社会成本 / 生态环境成本 must not hold.
BENEFIT_HEAD = re.compile(r"^(?:提升|提高|促进|改善|增加|增强|保护)|^对.{0,12}(?:保护|传承|发展)")
# Rates that say a standard was reached (成活率, 合格率): quality, whatever group holds them.
QUALITY_RATE = re.compile(r"(?:成活|合格|达标|优良|完好|准确|正确|保存)率$")
# Template residue that is no part of a name: `(≥**%)` placeholders in it (`指标1:` before it
# is TEMPLATE_PREFIX); PLACEHOLDER_NOTE is one after the name: `种植作物成活率(≥**%)`.
PLACEHOLDER = re.compile(r"[（(][^（）()]*[*＊][^（）()]*[）)]")
PLACEHOLDER_NOTE = re.compile(PLACEHOLDER.pattern + "$")
# What a timeliness row speaks of: a time, a deadline, a frequency, a pace.
TIME_NOTION = re.compile(
    r"时间|时限|及时|期限|进度|完成|周期|日期|按时|按期|时效|年限|工期|频次|频率|次数|年|月|天|日"
)
TIMELINESS_NAME = re.compile(r"及时率|按时|按期|时限|时效|期限内|完成时间")
OUTCOME_NAME = re.compile(r"再犯罪|重新犯罪|重新违法|犯罪率")
OUTPUT_ACTION = re.compile(r"^为.+(提供|服务)|^提供.+服务|^完成.*(工作|任务)$")
# A name headed by the doing of the project's work (清算…, 发放…, 举办…) names an output: an effect
# is what that work changes for its beneficiaries.
OUTPUT_VERB = re.compile(
    r"^(?:清算|发放|开展|举办|购置|采购|新建|培训|召开|印制|聘请|聘用|配备|安装|更换|维修|制作|"
    r"组织开展|完成)"
)
# An ecological effect names nature, resources, pollution or greenery; 生活环境, 居住环境 and the
# like are people's surroundings, a social effect.
ECOLOGY = re.compile(
    r"生态|自然|绿化|绿地|植被|森林|林地|造林|水土|水质|水源|河|湖|湿地|空气|大气|土壤|污染|排放|"
    r"减排|节能|能耗|低碳|碳排|垃圾|废弃|噪声|资源|耕地|物种|环保|环境"
)
# Work that touches nature can have an ecological effect: land, water, plants, animals, waste.
NATURE_WORK = re.compile(
    ECOLOGY.pattern
    + r"|种植|栽|苗|林|草|农田|耕地|灌溉|水利|农业|养殖|畜|渔|绿|环卫|清扫|保洁|扬尘|降尘"
)
SOCIAL_SURROUNDINGS = re.compile(r"(?:生活|居住|人居|营商|法治|发展|社会|学习|工作)环境")
# Template residue before a name: `指标1:`.
TEMPLATE_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.、]?\s*")
YEAR = re.compile(r"(20\d{2})\s*年")


@rule("level1_missing", "error", "D", P2021)
def level1_missing(ctx: Context):
    if ctx.uncategorised:
        return
    present = {r.level1 for r in ctx.rows}
    if any(r.is_satisfaction for r in ctx.rows):
        present.add("满意度")  # there, but filed elsewhere: satisfaction_misplaced says so
    missing = [g for g in FRAMEWORKS[ctx.framework] if g not in present]
    if missing:
        names = "、".join(f"{g}指标" for g in missing)
        yield ctx.finding(
            level1_missing,
            None,
            f"缺少一级指标：{names}（按{'2021年' if ctx.framework == '2021' else '现行'}指标体系应齐全）。",
            f"补充{names}，每个至少设置一项可衡量的三级指标。",
            evidence=names,
        )


@rule("invalid_category", "error", "D", P2021)
def invalid_category(ctx: Context):
    if ctx.uncategorised:
        return
    vocab = FRAMEWORKS[ctx.framework]
    owners = {l2: l1 for fw in FRAMEWORKS.values() for l1, l2s in fw.items() for l2 in l2s}
    for r in ctx.rows:
        if r.level1 not in vocab and r.level1 not in ("成本",):
            yield ctx.finding(
                invalid_category,
                r,
                f"一级指标“{r.ind.level1}”不在指标体系中。",
                f"改为{'、'.join(f'{g}指标' for g in vocab)}之一。",
                evidence=r.ind.level1,
            )
        elif r.level2 not in vocab.get(r.level1, set()) and (r.level1, r.level2) not in TOLERATED:
            owner = owners.get(r.level2)
            if owner == "满意度" and r.is_satisfaction:
                continue  # a satisfaction row filed elsewhere: satisfaction_misplaced says so
            if owner and owner != r.level1:
                message = f"二级指标“{r.ind.level2}”属于{owner}指标，却放在{r.ind.level1}下。"
                fix = f"移到“{owner}指标”下，或改用{r.ind.level1}下的二级指标。"
            else:
                allowed = "、".join(f"{x}指标" for x in sorted(vocab.get(r.level1, ())))
                message = f"二级指标“{r.ind.level2}”不在指标体系中。"
                fix = f"改为{allowed}之一。" if allowed else "改用指标体系中的二级指标。"
            yield ctx.finding(invalid_category, r, message, fix, evidence=r.ind.level2)


@rule("satisfaction_misplaced", "error", "D", P2021)
def satisfaction_misplaced(ctx: Context):
    if ctx.uncategorised:
        return
    for r in ctx.rows:
        if r.is_satisfaction and r.level1 != "满意度":
            yield ctx.finding(
                satisfaction_misplaced,
                r,
                f"满意度指标“{r.name}”放在了{r.ind.level1}下。",
                "移到“满意度指标-服务对象满意度指标”下。",
                evidence=r.name,
            )


@rule("process_indicator_as_output", "error", "D", P2020)
def process_indicator_as_output(ctx: Context):
    for r in ctx.rows:
        if not r.level1:
            continue  # a form without groups (department-wide): nothing is filed as an output
        m = PROCESS.search(r.name) or FISCAL_PROCESS.search(r.name)
        if m:
            yield ctx.finding(
                process_indicator_as_output,
                r,
                f"“{r.name}”衡量的是资金到位、拨付、执行或合规使用（{m[0]}），是单位自身的预算管理"
                "过程，属于绩效评价的过程维度，不是项目的产出或效益。",
                "删去，改为项目本身的产出或效益，如服务人数、完成率、受益群体的变化；"
                "资金管理的要求放到预算执行和财务管理中考核。",
                evidence=r.name,
            )


@rule("quantity_as_rate_only", "warning", "D", P2021)
def quantity_as_rate_only(ctx: Context):
    qs = ctx.quantity_rows
    if qs and all(q.is_rate or q.name.endswith("率") for q in qs):
        yield ctx.finding(
            quantity_as_rate_only,
            None,
            "数量指标只有比率，没有计划完成的绝对数量。",
            f"增加绝对数量，如“{qs[0].name.removesuffix('率')}人数≥XX人”，比率移到质量指标。",
            evidence="、".join(q.name for q in qs),
        )


@rule("indicator_misclassified", "warning", "H", P2021)
def indicator_misclassified(ctx: Context):
    """Placement judged by what the row measures: a deadline or on-time rate is timeliness, a
    count is a quantity, the work done is an output, a change for beneficiaries an effect, and
    an ecological effect is about nature, not people's surroundings. A row saying the slot does
    not apply (本项目不适用此指标) measures nothing, so it has no place to be wrong in."""
    for r in ctx.rows:
        finding = _misplaced(ctx, r)
        if finding and not (
            NOT_APPLICABLE.search(r.name) or NOT_APPLICABLE.search(r.ind.value.raw)
        ):
            yield finding


def _misplaced(ctx: Context, r) -> Finding | None:
    """The finding on a row in the wrong group, if it is; the caller leaves out not-applicable
    rows (checked only there, where a finding is at stake)."""
    name = TEMPLATE_PREFIX.sub("", r.name.strip())
    unit = r.ind.value.unit
    if r.level2 == "质量" and TIMELINESS_NAME.search(r.name):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”衡量的是时效，却放在质量指标下。",
            "移到“时效指标”下。",
            evidence=r.name,
        )
    elif (
        r.level2 == "质量"
        and unit in COUNT_UNITS
        and r.ind.value.kind == "quantitative"
        and not r.name.endswith("率")
    ):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”的指标值“{r.ind.value.raw}”是个数，衡量的是做了多少，"
            "却放在质量指标下；质量指标衡量产出达到的标准。",
            "移到“数量指标”下；质量指标改写这项工作达到的标准，如“XX合格率≥95%”。",
        )
    elif r.level2 == "数量" and QUALITY_RATE.search(PLACEHOLDER_NOTE.sub("", name)):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”衡量的是产出达到的标准（质量），却放在数量指标下。",
            "移到“质量指标”下；数量指标写计划完成的绝对数量。",
            evidence=r.name,
        )
    elif (
        r.level2 == "时效"
        and name
        and not TIME_NOTION.search(r.name + r.ind.value.raw)
        and not r.is_rate
        and r.ind.value.kind in ("qualitative", "empty", "unparsed")
    ):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”没有说到完成的时间、期限或频次，指标值“{r.ind.value.raw}”"
            "也不是时间，却放在时效指标下。",
            "时效指标写完成时间或及时率，如“项目完成时间：2025年12月底前”；"
            "这一行移到它所衡量的类别下。",
            evidence=r.name,
        )
    elif r.level2 in ("社会成本", "生态环境成本") and BENEFIT_HEAD.search(name):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”说的是项目带来的好处，却放在{r.ind.level2}下；"
            "社会成本、生态环境成本写项目对社会或环境造成的负面影响。",
            "移到效益指标下；成本指标写可能的负面影响，如“施工扰民投诉次数≤XX次”，没有的注明无。",
            evidence=r.name,
        )
    elif r.level1 == "产出" and OUTCOME_NAME.search(r.name):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”是项目带来的效果，却放在产出指标下。",
            "移到“效益指标-社会效益指标”下。",
            evidence=r.name,
        )
    elif r.level1 == "效益" and (OUTPUT_ACTION.search(r.name) or OUTPUT_VERB.match(name)):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”是一项工作（产出），却放在效益指标下。",
            "移到产出指标下并写明数量；效益指标写这项工作带来的变化。",
            evidence=r.name,
        )
    elif r.level2 == "生态效益" and name and not _ecological(r):
        return ctx.finding(
            indicator_misclassified,
            r,
            f"请核实：“{r.name}”没有涉及生态环境（自然资源、污染排放、绿化植被等），"
            "说的是群众生活或社会状况，却放在生态效益指标下。",
            "移到“社会效益指标”下；生态效益指标写项目对生态环境的影响，"
            "如“绿化覆盖率”“污染物排放量”，不涉及生态的项目可注明不适用。",
            evidence=r.name,
        )
    return None


@rule("missing_core_effect", "warning", "H", P2021)
def missing_core_effect(ctx: Context):
    """The effects group is there but holds no effect: only a satisfaction measure, an output's
    rate (覆盖率, 完成率) or a period — nothing says what the money changes for anyone."""
    if ctx.uncategorised:
        return
    effects = [r for r in ctx.rows if r.level1 == "效益" and r.name]
    if not effects or any(
        not r.is_satisfaction and not NOT_AN_EFFECT.search(r.name) for r in effects
    ):
        return
    names = "、".join(f"“{r.name}”" for r in effects[:3])
    yield ctx.finding(
        missing_core_effect,
        None,
        f"请核实：效益指标只有{names}，是满意度、产出的比率或期限，没有一项衡量项目带来的"
        "主要效果（受益群体或环境的变化）。",
        "按资金用途写出主要效果，如“空气质量优良天数比例≥XX%”“病媒密度控制水平达到C级”，"
        "满意度移到满意度指标下。",
        evidence=names,
    )


@rule("indicator_unrelated_to_purpose", "warning", "H", P2021)
def indicator_unrelated_to_purpose(ctx: Context):
    """An ecological effect claimed for work that touches no land, water, plants or pollution
    (村组干部报酬, 机房租赁): the 生态效益 slot filled because the form has one."""
    ecology = [r for r in ctx.rows if r.level2 == "生态效益"]
    left = [r for r in ctx.rows if r.name.startswith("指标") and r.ind.value.number is None]
    if not (left or ecology):
        return
    t = ctx.table
    text = f"{t.project}{t.purpose}{''.join(t.goals)}"
    if left:
        yield from _template_leftovers(ctx, left, text)
    if not ecology:
        return
    about = SOCIAL_SURROUNDINGS.sub("", text)
    if not about.strip() or NATURE_WORK.search(about):
        return
    for r in ecology:
        if NOT_APPLICABLE.search(r.name + r.ind.value.raw):
            continue
        if r.ind.value.raw.strip() in ("否", "无"):
            continue  # 是否对生态环境造成影响 | 否: a statement that there is none
        if _ecological(r):
            yield ctx.finding(
                indicator_unrelated_to_purpose,
                r,
                f"请核实：项目（{t.project or '本项目'}）的内容不涉及土地、水、植被或污染，"
                f"“{r.name}”却写了生态效益，与资金用途没有关系。",
                "删去这一行，或注明本项目不适用生态效益指标；效益指标写这笔钱直接带来的变化。",
                evidence=r.name,
            )


def _template_leftovers(ctx: Context, rows: list, text: str):
    """A numbered item of a provincial template (`指标2:灌区节水改造面积 | 万亩`) left unfilled
    that shares no word with the project: the template's, not this project's."""
    left = [
        r
        for r in rows
        if r.ind.value.kind in ("empty", "unparsed") and TEMPLATE_PREFIX.match(r.name)
    ]
    about = squashed_pairs(text) if left else set()
    if not about:
        return
    for r in left:
        if squashed_pairs(TEMPLATE_PREFIX.sub("", r.name)) & about:
            continue
        yield ctx.finding(
            indicator_unrelated_to_purpose,
            r,
            f"请核实：“{r.name}”是模板里的指标，没有填写目标值，内容与项目（{ctx.table.project}）"
            "的资金用途没有共同之处，像是模板项未删。",
            "删去与本项目无关的模板指标，保留并填写与资金用途对应的指标。",
            evidence=r.name,
        )


def _ecological(r) -> bool:
    return bool(ECOLOGY.search(SOCIAL_SURROUNDINGS.sub("", r.name + r.ind.description)))


@rule("weights_not_summing", "error", "D", P2020)
def weights_not_summing(ctx: Context):
    """Weights add up to 100, or to 90 where the form leaves 预算执行率 its 10 points (the
    自评 split of 财预〔2020〕10号 that 一体化 systems such as 四川's and 重庆's carry into the
    target table)."""
    weights = [r.ind.weight for r in ctx.rows if r.ind.weight is not None]
    if not weights:
        return
    total = sum(weights, Decimal(0))
    if total not in (100, 90):
        yield ctx.finding(
            weights_not_summing,
            None,
            f"各指标权重合计{total.normalize():f}分，不等于100分。",
            "调整权重使合计为100分（预算执行率另计10分的，指标合计90分）。",
            evidence=f"{total.normalize():f}",
        )


@rule("budget_breakdown_inconsistent", "error", "D", P2015)
def budget_breakdown_inconsistent(ctx: Context):
    t = ctx.table
    if t.budget_total is None or (t.budget_fiscal is None and t.budget_other is None):
        return
    parts = (t.budget_fiscal or 0) + (t.budget_other or 0)
    if abs(t.budget_total - parts) > Decimal("0.005"):
        yield ctx.finding(
            budget_breakdown_inconsistent,
            None,
            f"预算数{t.budget_total:f}元≠财政资金{t.budget_fiscal or 0:f}元+其他资金"
            f"{t.budget_other or 0:f}元（合计{parts:f}元）。",
            "核对资金来源，使预算数等于财政资金与其他资金之和。",
            evidence=f"{t.budget_total:f}",
        )


@rule("period_inconsistent", "warning", "D", TJ2020)
def period_inconsistent(ctx: Context):
    year = ctx.table.year
    if year is None:
        return
    for r in ctx.rows:
        if r.ind.value.kind != "date":
            continue
        m = YEAR.search(r.ind.value.raw)
        if m and int(m[1]) != year:
            yield ctx.finding(
                period_inconsistent,
                r,
                f"{year}年度的项目，时限却写成“{r.ind.value.raw}”。",
                f"把时限改到{year}年度内，如“{year}年12月31日前”。",
            )

"""Rules on target values: comparator, unit, direction, range and measurability."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.rules._context import Context, Row
from jixiao.rules._registry import P2015, P2020, P2021, rule
from jixiao.values import COMPARATOR_WORD

HUNDRED = Decimal(100)
# Lower-is-better measures: a ceiling (≤) is right for them.
_BAD_OUTCOMES = (
    r"脱管|漏管|犯罪|违法|投诉|事故|差错|错误|故障率|失败|败诉|流失|返工|不合格|超标|发生率|损失|"
    r"延误|逾期|误差|退回|死亡|伤亡|空置|闲置|耗时|时长|时限|周期|天数|"
    r"再犯|重新|脱落|缺陷|偏差|违规|违纪|复发|下降率|缩短"
)
LOWER_BETTER = re.compile(_BAD_OUTCOMES + r"|成本|费用|费|支出|单价")
# A rate of money (物业费清算率, 经费支出率) is not lower-better for the money words in its name:
# only the words that name a bad outcome decide a rate's direction.
LOWER_RATE = re.compile(_BAD_OUTCOMES)
HIGHER_BETTER = re.compile(
    r"合格|覆盖|满意|及时|完成|采纳|知晓|达标|成功|到岗|上岗|解决|接通|在线|可用|化解|履行|参与|"
    r"普及|建档|衔接|执行率|到位|出勤|办结|受理|通过|准确|完好|正确|完整|利用|使用率|入住|就业"
)
VAGUE = re.compile(
    r"显著|明显|有效|持续|提高|提升|保障|较好|良好|按规定|按要求|按时|及时|完善|加强|稳步|逐步|"
    r"不断|进一步|长期|大幅|增强|改善|促进|推进|得到|作用|积极|稳定"
)
BARE = {"是", "否", "有", "无", "完成", "达到", "达标", "合格", "好", "高", "优"}
NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|％|人次|人|个|件|次|场|万元|元|天|台|份|户|项)"
)
TIMELINESS = re.compile(r"及时|按时|按期|办结率|完成率|到位率")
UNREALISTIC_AT_100 = re.compile(r"满意|采纳|胜诉|成功|知晓|普及|化解|解决")
RATE_WORDS = re.compile(r"率|度|比例|占比|比重|指数|系数")
RATE_NAME = re.compile(r"(?:率|满意度)$")
PEOPLE_NAME = re.compile(r"人数|人次|人口数")
# A count the name itself states: 村组干部230人.
NAME_FIGURE = re.compile(r"(?<![\d.])(\d+)(人次|人|户|个|件|场|次|台|套|所|家|项|条|座|处|辆|名)")
TIMES_NAME = re.compile(r"次数|场次")
FIGURE_IN_WORDS = re.compile(  # with what it is per: 1000元/人
    NUMBER_WITH_UNIT.pattern
    + r"(?:/(?:人次|人|户|个|件|次|场|所|家|台|套|亩|公里|吨|株|年|月|天))?"
)
RANGE = re.compile(r"\d\s*[%％]?\s*(?:-|－|~|～|—|至|到)\s*\d")  # 3-5个, 20%～30%
# A sum of money by its name (物业费, 补助资金), and a standard per something (补助标准, 单价).
MONEY_NAME = re.compile(r"(?:成本|费|费用|资金|经费|金额|支出)$")
# (人均…, 每…: the name says per what already)
PER_UNIT_NAME = re.compile(r"^(?!.*(?:人均|户均|生均|每)).*(?:标准|单价)$")
# What a count is counted in: a value in these units says how many, which is a quantity.
COUNT_UNITS = {
    "次", "个", "人", "人次", "名", "件", "场", "台", "套", "只", "份", "批", "户", "家", "所", "项",
    "篇", "期", "条", "株", "组", "册", "辆", "座", "处",
}  # fmt: skip


def _quantitative(r: Row) -> bool:
    return r.ind.value.kind == "quantitative" and not is_year_text(r)


def is_year_text(r: Row) -> bool:
    """`2021年全年`, `2025年年底前`: a year read as a number with the rest as its unit. It is a
    period or a deadline, not a quantity of years, so the number rules leave it alone."""
    v = r.ind.value
    return (
        v.number is not None
        and 1990 <= v.number <= 2100
        and v.number == v.number.to_integral_value()
        and (v.unit or "").startswith("年")
    )


def _is_frequency(r: Row) -> bool:
    return r.ind.value.raw.strip().startswith("每")


@rule("missing_comparator", "error", "D", P2021)
def missing_comparator(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        if figures := _figures_in_words(r):
            # Several figures: which is the target is the officer's call, so the fix quotes no
            # value a drafter could put in the cell.
            fix = (
                f"改为“{_bound(r, figures[0])}”。"
                if len(figures) == 1
                else f"拆开写：一行只写一个带比较符的目标值（如{_bound(r, figures[0])}），"
                "其余要求写进指标解释或另设指标。"
            )
            yield ctx.finding(
                missing_comparator,
                r,
                f"指标值“{v.raw}”里的{'、'.join(figures)}{'都' if len(figures) > 1 else ''}"
                "没有比较符（≥、≤、=），看不出是下限还是上限"
                + ("；一行写了几个数，也无法按一个数考核。" if len(figures) > 1 else "。"),
                fix,
            )
            continue
        if not _quantitative(r) or v.comparator is not None or _is_frequency(r):
            continue
        if r.is_money_cost and v.unit == "%":
            continue  # a rate in the cost slot: cost_not_monetary says what to write instead
        if v.unit == "%" and v.number == HUNDRED and not _lower_better(r):
            fix = "=100%（确需全部达到时）或 ≥95%"
        else:
            fix = _bound(r, v.raw.strip())
        yield ctx.finding(
            missing_comparator,
            r,
            f"指标值“{v.raw}”只有数字，没有比较符（≥、≤、=），无法判断是下限还是上限。",
            f"改为“{fix}”。",
        )


def _lower_better(r: Row) -> bool:
    return r.is_money_cost or bool(LOWER_BETTER.search(r.name))


def _bound(r: Row, figure: str) -> str:
    """The figure as a ceiling for money and lower-better measures, else as a floor."""
    return f"{'≤' if _lower_better(r) else '≥'}{figure}"


def _figures_in_words(r: Row) -> list[str]:
    """The figures of a value the grammar could not read as one target (`第一年按总投资额返本20%,
    分红按8%分红`, `全年12次`), when no comparator stands anywhere in it. A range (`3-5个`)
    states both bounds."""
    v = r.ind.value
    if v.kind != "unparsed" or v.comparator is not None or COMPARATOR_WORD.search(v.raw):
        return []
    if RANGE.search(v.raw):
        return []
    return [m.replace(" ", "") for m in FIGURE_IN_WORDS.findall(v.raw)]


@rule("missing_unit", "error", "D", P2021)
def missing_unit(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        # `≤28.40/株`: a price per item without the money it is counted in.
        if not _quantitative(r):
            continue
        per_only = bool(v.unit and v.unit[0] == "/")
        if (per_only or v.unit is None) and not UNIT_IN_NAME.search(r.name):
            unit = _expected_unit(r)
            yield ctx.finding(
                missing_unit,
                r,
                f"指标值“{v.raw}”没有计量单位"
                + ("（只写了“每多少”，没写金额单位）。" if per_only else "。"),
                f"补上单位，如“{v.raw.strip()}{unit}”。"
                if unit
                else "补上计量单位（%、人、个、件、元等）。",
            )


# The name states the unit the bare number is in: `实施营造林总面积(亩) | 80000`.
UNIT_IN_NAME = re.compile(
    r"[（(](?:%|％|[个人次场件户所家项条篇份册台套辆处座亩米吨天年月元]|万元|万亩|公里|公顷|平方米|"
    r"立方米|万立方米|人次|千米|小时|工作日)[)）]$"
)


def _expected_unit(r: Row) -> str:
    name = r.name
    if r.is_money_cost:
        return "万元"
    if re.search(r"率|度$", name):
        return "%"
    for word, unit in (
        ("人次", "人次"),
        ("人数", "人"),
        ("次数", "次"),
        ("场次", "场"),
        ("件数", "件"),
        ("个数", "个"),
        ("天数", "天"),
        ("户数", "户"),
    ):
        if word in name:
            return unit
    return ""


@rule("rate_over_100", "error", "D", P2021)
def rate_over_100(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        if v.unit != "%" or v.number is None:
            continue
        if v.number > HUNDRED or (v.number == HUNDRED and v.comparator in ("≥", ">")):
            yield ctx.finding(
                rate_over_100,
                r,
                f"比率目标“{v.raw}”超过100%或为“≥100%”，不可能达到或没有意义。",
                "比率不超过100%：确需全部达到写“=100%”，否则设为实际可达的下限，如“≥95%”。",
            )


@rule("wrong_direction", "error", "D", P2021)
def wrong_direction(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        if not _quantitative(r) or v.comparator is None:
            continue
        up = v.comparator in ("≥", ">")
        down = v.comparator in ("≤", "<")
        raw = v.raw.strip()
        if r.is_money_cost and up and r.yuan is not None:
            yield ctx.finding(
                wrong_direction,
                r,
                f"成本指标“{raw}”用了下限符号，成本应设上限。",
                f"改为“≤{_strip_comparator(raw)}”。",
            )
        elif r.level2 == "数量" and down and not LOWER_BETTER.search(r.name):
            yield ctx.finding(
                wrong_direction,
                r,
                f"数量指标“{raw}”用了上限符号，计划产出数量应为下限。",
                f"改为“≥{_strip_comparator(raw)}”。",
            )
        elif r.is_money_cost:
            continue  # a cost row given as a rate is cost_not_monetary's to report
        elif (
            r.is_rate and down and HIGHER_BETTER.search(r.name) and not LOWER_BETTER.search(r.name)
        ):
            yield ctx.finding(
                wrong_direction,
                r,
                f"“{r.name}”越高越好，却用了“{v.comparator}”。",
                f"改为“≥{_strip_comparator(raw)}”。",
            )
        elif r.is_rate and up and LOWER_RATE.search(r.name) and not HIGHER_BETTER.search(r.name):
            yield ctx.finding(
                wrong_direction,
                r,
                f"“{r.name}”越低越好，却用了“{v.comparator}”。",
                f"改为“≤{_strip_comparator(raw)}”。",
            )


def _strip_comparator(raw: str) -> str:
    return re.sub(r"^[≥≤><=＞＜≧≦]+|^(?:>=|<=)", "", raw)


@rule("unit_mismatch", "error", "D", P2021)
def unit_mismatch(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        if not _quantitative(r) or not v.unit:
            continue
        name, unit = r.name, v.unit
        if unit.startswith("/"):
            continue  # no unit before the slash: missing_unit's
        stated = NAME_FIGURE.search(name)
        if stated and stated[2] != unit and Decimal(stated[1]) == v.number:
            yield ctx.finding(
                unit_mismatch,
                r,
                f"名称里写的是“{stated[0]}”，指标值的单位却是“{unit}”。",
                f"单位与名称一致，如“{v.comparator or ''}{v.number}{stated[2]}”。",
            )
        elif r.is_money_cost and r.yuan is None and unit != "%":
            yield ctx.finding(
                unit_mismatch,
                r,
                f"成本指标的单位是“{unit}”，不是金额。",
                "成本指标用金额单位（元或万元），如“≤XX万元”或“≤XX元/人”。",
            )
        elif RATE_NAME.search(name) and unit not in ("%", "分", "比例"):
            yield ctx.finding(
                unit_mismatch,
                r,
                f"“{name}”是比率，单位却是“{unit}”。",
                f"改用百分比，如“≥{v.number}%”，或把名称改成数量。",
            )
        elif PEOPLE_NAME.search(name) and unit.split("/")[0] in (
            "个", "件", "场", "项", "台", "户", "家"
        ):  # fmt: skip
            yield ctx.finding(
                unit_mismatch,
                r,
                f"“{name}”统计的是人，单位却是“{unit}”。",
                f"改为“{v.comparator or ''}{v.number}人”。",
            )
        elif TIMES_NAME.search(name) and unit.split("/")[0] in ("人", "元", "万元"):
            yield ctx.finding(
                unit_mismatch,
                r,
                f"“{name}”统计的是次数，单位却是“{unit}”。",
                f"改为“{v.comparator or ''}{v.number}次”或“场”。",
            )
        elif MONEY_NAME.search(name) and r.yuan is None and unit.split("/")[0] in COUNT_UNITS:
            yield ctx.finding(
                unit_mismatch,
                r,
                f"“{name}”是一笔钱，单位却是“{unit}”（数的是个数，不是金额）。",
                "改用金额单位，如“≤XX万元”；要考核的个数另设数量指标。",
            )
        elif PER_UNIT_NAME.search(name) and r.yuan is not None and not r.per:
            yield ctx.finding(
                unit_mismatch,
                r,
                f"“{name}”是单位标准，单位“{unit}”却没有写明是每什么的标准（每人、每户、每公里……）。",
                f"写明计量对象：在“{v.comparator or ''}{v.number}{unit}/”后写上每什么（公里、人、户……）。",
            )


# What makes a qualitative value checkable: a named standard or a grade on a defined scale.
CRITERION = re.compile(
    r"《[^》]+》|GB|(?:国家|行业|地方|省级?|市级?|部颁|技术|设计|国际)(?:规定的)?标准|"
    r"[一二三四五六七八九十甲乙丙ABCD1-9]\s*(?:级|等|星)(?!别)|通过.{0,12}(?:验收|评审|审核|评估|认定|考核)|"
    r"(?:取得|获得|颁发).{0,8}(?:证|认证|批复|资质)"
)
# A scale listed instead of a target: 高中低, 优/良/中/差, 好 较好 一般.
GRADES = re.compile(
    r"^(?:(?:优秀|优|良好|良|中等|中|一般|较好|好|较差|差|高|低|合格|不合格)[、/，,\s]*){2,}$"
)
GRADE = re.compile(r"优秀|优|良好|良|中等|中|一般|较好|好|较差|差|高|低|不合格|合格")
SEPARATED = re.compile(r"[、/，,\s]")
# The unit's own fiscal process, whatever the wording: budget or fund money (not a subsidy paid
# out to beneficiaries, 发放) being received, paid out, executed or spent compliantly.
FISCAL_MONEY = r"(?:预算|财政资金|项目资金|专项资金|资金|经费)"
FISCAL_STEP = (
    r"(?:到位|拨付|下达|执行|支出进度|(?:使用|支出|管理)?合规|支付(?:及时)?率|使用率|及时支付|"
    r"有效使用)"
)
FISCAL_PROCESS = re.compile(FISCAL_MONEY + r".{0,4}" + FISCAL_STEP)
NOT_APPLICABLE = re.compile(r"不适用|不涉及|无此项|本项目无")
PERIOD = re.compile(r"^(?:\d{4}\s*年)?(?:全年|年度|常年|长期|每年|年内|当年|本年度?)$")


@rule("vague_value", "warning", "H", P2015)
def vague_value(ctx: Context):
    """A value is vague when it states no standard a self-assessment could check: any text that
    is not a number, a date, a named standard or grade, or the answer to a yes/no question."""
    for r in ctx.rows:
        why = _vague(r)
        if why:
            text = r.ind.value.raw.strip()
            yield ctx.finding(
                vague_value,
                r,
                f"请核实：指标值“{text}”{why}，自评时无法判断是否完成。" if text else why + "。",
                _measurable_fix(r),
            )


def _vague(r: Row) -> str | None:
    """Why the row's value is not measurable, or None when it is (or is another rule's)."""
    v = r.ind.value
    if r.is_money_cost:
        return None  # cost_not_monetary / cost_indicator_empty speak for cost rows
    text = v.raw.strip()
    if v.kind == "empty":
        if not r.name or NOT_APPLICABLE.search(r.name):
            return None
        return f"指标“{r.name}”没有填写指标值，无法考核"
    if is_year_text(r):
        text = re.sub(r"\s", "", text)
        if PERIOD.search(text):
            return "只是一个时期，不是可检查的完成时限"
        return None
    if v.kind != "qualitative":
        return None
    if NOT_APPLICABLE.search(r.name) or NOT_APPLICABLE.search(text):
        return None  # a row the template asks for and the project does not have
    if "是否" in r.name and text in ("是", "否"):
        return None  # a yes/no question answered: checkable as written
    if PERIOD.search(re.sub(r"\s", "", text)):
        return "只是一个时期，不是可检查的完成时限"
    if GRADES.search(text) and (len(GRADE.findall(text)) >= 3 or SEPARATED.search(text)):
        return "列出的是评价等级的选项，没有说明要达到哪一级"
    if CRITERION.search(text):
        return None
    if text in BARE:
        return "只是一个笼统的回答，没有说明衡量的标准"
    return "是定性描述，没有给出数值、时限或明确的评定标准"


def _measurable_fix(r: Row) -> str:
    level2 = r.level2
    if level2 == "时效":
        return "写明可检验的时限，如“2025年12月31日前完成”或“≥95%（按时完成率）”。"
    if level2 == "数量":
        return "写明计划数量，如“≥100人”。"
    if level2 == "质量":
        return "写明达到的标准，如“验收合格率≥95%”或“通过市级验收”。"
    return (
        "改为可衡量的目标：在名称中写明衡量什么（如“群众法律知识知晓率”），指标值给出"
        "比较符、数值和单位（如“≥80%”）；确需定性的，写明分级标准（如“达到/基本达到/未达到”）。"
    )


@rule("numbers_in_description_only", "warning", "D", P2015)
def numbers_in_description_only(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        if v.kind == "quantitative" or v.kind == "date":
            continue
        found = NUMBER_WITH_UNIT.findall(r.ind.description)
        if found:
            yield ctx.finding(
                numbers_in_description_only,
                r,
                f"量化目标写在了描述里（{r.ind.description}），指标值却是“{v.raw}”。",
                f"把描述中的数值拆成各自的指标，指标值写“≥{found[0]}”这样的可衡量目标。",
                evidence=r.ind.description,
            )


@rule("unrealistic_target", "warning", "H", P2015)
def unrealistic_target(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        if not r.is_rate or v.number is None:
            continue
        if (
            v.number == HUNDRED
            and v.comparator in (None, "=", "≥")
            and UNREALISTIC_AT_100.search(r.name)
        ):
            yield ctx.finding(
                unrealistic_target,
                r,
                f"请核实：“{r.name}”要求达到100%，实际很难实现。",
                "按历史数据或行业标准设定，如“≥90%”。",
            )
        elif v.number == 0 and v.comparator in (None, "=", "≤") and LOWER_BETTER.search(r.name):
            yield ctx.finding(
                unrealistic_target,
                r,
                f"请核实：“{r.name}”要求为0，零差错目标通常不现实。",
                "按历史水平设定上限，如“≤1%”。",
            )


@rule("low_target", "warning", "H", P2015)
def low_target(ctx: Context):
    for r in ctx.rows:
        v = r.ind.value
        if not r.is_rate or v.number is None or v.comparator in ("≤", "<"):
            continue
        if TIMELINESS.search(r.name) and v.number < 90:
            yield ctx.finding(
                low_target,
                r,
                f"请核实：“{r.name}”只要求{v.number}%，目标偏低，几乎一定能完成。",
                "及时率、完成率一般不低于90%，如“≥95%”。",
            )
        elif r.is_satisfaction and v.number < 80:
            yield ctx.finding(
                low_target,
                r,
                f"请核实：满意度只要求{v.number}%，目标偏低。",
                "满意度一般不低于80%，如“≥85%”。",
            )


# A name that is itself a ratio: its denominator is implied (合格率 = 合格数/总数).
RATE_HEAD = re.compile(r"率|比例|占比|比重|指数|系数|满意度|知晓度|覆盖")
# A property checked item by item (合规性, 及时性): the share of items that have it is countable.
ITEM_PROPERTY = re.compile(r"(?:合规|及时|准确|完整|规范|达标|合格|到位|真实|有效)性$")
# Something delivered to or done for countable recipients or items: 发放 100% is a 发放率.
DELIVERED = re.compile(
    r"发放|覆盖|补助|补贴|支付|验收|检查|检测|接种|救助|培训|配备|安装|办理|受理"
)

# The name states how many items the share is taken over (清算8个小区的…).
COUNTED_IN_NAME = re.compile(r"\d+\s*(?:个|户|人|家|所|项|件|村|座|处|条|台|套)")


@rule("unmeasurable_percentage", "warning", "H", P2020)
def unmeasurable_percentage(ctx: Context):
    """A percentage needs a denominator a reviewer could count. The name must be a ratio, a
    property counted over items, or something delivered to countable recipients; a % attached to
    an aim or an abstract state (稳定, 热情, 程度, 齐抓共管) has none."""
    for r in ctx.rows:
        name = r.name.strip()
        if not r.is_rate or not name or r.is_money_cost or r.is_satisfaction:
            continue  # a cost given as a rate is cost_not_monetary's; satisfaction is surveyed
        if r.level1 == "满意度":
            continue  # what the satisfaction group asks (安全感) is a share of those surveyed
        if FISCAL_PROCESS.search(name):
            continue  # the unit's own fiscal process: process_indicator_as_output says so
        if RATE_HEAD.search(name) or RATE_HEAD.search(r.ind.description):
            continue
        if (
            COUNTED_IN_NAME.search(name)
            or ITEM_PROPERTY.search(name)
            or DELIVERED.search(name)
            or DELIVERED.search(r.ind.description)
        ):
            continue
        yield ctx.finding(
            unmeasurable_percentage,
            r,
            f"请核实：“{name}”是一个目标或抽象状态，说不出分母是什么（多少个中的百分之几），"
            f"配上“{r.ind.value.raw}”无法统计。",
            "改成分子分母都能数出来的比率，并在描述中写明口径，如“XX达标率＝达标个数/检查个数"
            "×100%”；衡量不了比率的，改成数量（如“开展XX活动≥4次”）。",
        )

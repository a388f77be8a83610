"""Rules on wording: names, descriptions, satisfaction subjects, residue left by copying."""

from __future__ import annotations

import re
from collections import Counter

from jixiao.rules._context import Context, Row, squash
from jixiao.rules._registry import P2015, P2021, rule
from jixiao.rules.structure import OUTPUT_ACTION, PLACEHOLDER, TEMPLATE_PREFIX
from jixiao.rules.values import MONEY_NAME, VAGUE
from jixiao.values import excel_serial

VALUE_IN_NAME = re.compile(
    r"(?<![\d年])\d+(?:\.\d+)?\s*(?:个|人次|人|件|场|次|台|所|家|户|名|项|期|篇|份|万元|元|%|％|条|座|处|"
    r"辆|套|株|吨|公里|千米|平方米|米|万亩|亩|村|批|册|盏)"
)
# An aim: a verb of change or of duty at the head of the name says what should happen, not what
# is measured (提高…水平, 激发…热情, 为民众办好事).
SLOGAN_START = re.compile(
    r"^(?:提高|提升|确保|保障|维护|推动|推进|促进|加强|完善|建立|健全|按照|依法|有效|实现|做好|切实|"
    r"积极|不断|进一步|增强|改善|全面|激发|优化|营造|助力|满足|巩固|树立|形成|发挥|落实|持续|保持|"
    r"打造|构建|消除|保护(?!区)|控制(?:在|于)|按时|按期|按月|按季|如期|及时|为(?!期))"
)
# An aim stated as a change at the end of the name: 教学条件改善, 生态修复功能提高.
CHANGE_ENDS = ("提高", "提升", "改善", "增强", "优化", "加强", "发展", "完善")
SLOGAN_ANYWHERE = re.compile(
    r"能够|较好的|顺利|长治久安|齐抓共管|联防联控|群防群治|共建共享|办实事|办好事|^对.+的.*影响$"
)
# A sentence: two clauses or more, or a full stop; a metric is a noun phrase.
SENTENCE = re.compile(r"[^，,；;。！!]{2,}[，,；;。！!][^，,；;。！!]{2,}|[。！!]$")
# A name put as a question (返本分红分几年, 如何落实): it asks, it does not name a measure.
QUESTION = re.compile(r"几[个年次人天期项批户]?$|多少|如何|怎样|怎么|能否|[？?]$")
ACTIVITY_NOUN = re.compile(r"(?:建设|工作)$")
# A name headed by a change to bring about (提升…满意度) states an aim even when a rate ends it;
# one headed by a duty (保障…期限, 维护…及时性) names the duty's measure.
CHANGE_START = re.compile(
    r"^(?:提高|提升|增强|改善|优化|促进|推动|推进|加强|完善|巩固|激发|助力|营造|不断|进一步|持续|全面)"
)
# Heads of a measurable name beyond the metric kinds below (counts, times, rates, money): 篇数,
# 面积, 满意程度, 及时性, 补助标准. A verb at the head does not make a slogan of a name that ends
# in one of these or a metric kind: 保障在职职工人数 counts the staff provided for.
MEASURE_HEAD = re.compile(
    r"(?:篇数|种类|面积|长度|里程|程度|及时性|准确性|合格性|标准|年限|周期|指数|得分|评分|等级)$"
)
CLAUSE_BREAK = re.compile(r"[，,；;]")
FULL_STOP = re.compile(r"[。！!]")
TARGET_WORDS = re.compile(r"(?:以上|以下|及以上)$")
# A unit written after the name in brackets: 保障在职职工人数(人).
UNIT_NOTE = re.compile(r"[（(][^（）()]{1,4}[）)]$")
STAFF = re.compile(
    r"工作人员|办理人员|经办人员|承办人员|本单位|本部门|机构|职工|干部|员工|内部|干警|民警|医护人员|"
    r"医务人员"
)
UNSPECIFIED = {
    "满意度",
    "满意率",
    "社会满意度",
    "综合满意度",
    "总体满意度",
    "整体满意度",
    "满意程度",
}
# Placeholders never filled in, and doubled punctuation left by copy and paste.
RESIDUE = re.compile(
    r"\*{2,}|＊{2,}|[xX×]{2,}|^指标\d+$|^指标\d+[:：]|待定|待填|([，。；、,;：:])\1", re.M
)
# A template's mark of a required item left before the name: `*贫困地区…`, `★★★受益…`.
STAR_MARK = re.compile(r"^[*＊★☆]+(?=\S)")
TIME_NAME = re.compile(r"时间|日期|时限|期限|截止")
FORMULA = re.compile(r"/|／|÷|占比|比例|=|＝|之差|之和|差值|差额|平均|合计|总和")
# A description printed on several rows of a table (该指标值数据合理) is the form's boilerplate: it
# describes no row, so it cannot describe the wrong thing.
BOILERPLATE_ROWS = 3
# The words a description wraps around a name without saying anything of its own.
WRAPPER_HEAD = re.compile(r"^(?:用于|主要)?(?:反映|体现|衡量|考核|说明)")
WRAPPER_TAIL = re.compile(r"的?(?:情况|状况|水平|程度)$")
WRAPPER_ENDS = ("情况", "状况", "水平", "程度")
WRAPPER_STARTS = ("用于", "主要", "反映", "体现", "衡量", "考核", "说明")
# A description that says how the figure is collected is scope, not a different measure.
METHOD = re.compile(r"问卷|调查|回访|评价|抽样|统计|测试|考核|核查|验收")

METRIC_KINDS = [
    ("time", re.compile(r"(?:时间|时限|时长|日期|天数|工作日|期限)$")),
    ("rate", re.compile(r"(?:率|比例|占比|比重|满意度)$")),
    ("count", re.compile(r"(?:次数|人数|人次|件数|场次|个数|户数|台数|数量|总数|(?<!质)量)$")),
    ("money", MONEY_NAME),
]


@rule("value_in_name", "warning", "D", P2021)
def value_in_name(ctx: Context):
    for r in ctx.rows:
        m = VALUE_IN_NAME.search(r.name)
        if m:
            bare = VALUE_IN_NAME.sub("", r.name).replace("为", "", 1)
            yield ctx.finding(
                value_in_name,
                r,
                f"三级指标名称“{r.name}”里写了目标值“{m[0]}”，名称应只说衡量什么。",
                f"名称改为“{bare}数量”之类，把“{m[0]}”放进指标值（如“≥{m[0]}”）。",
                evidence=r.name,
            )


def bare_name(name: str) -> str:
    """The name without template residue (`指标1:`, `(≥**%)`) and trailing punctuation."""
    name = PLACEHOLDER.sub("", TEMPLATE_PREFIX.sub("", name.strip()))
    return name.strip().rstrip("，,；;。.！!")


@rule("name_not_metric", "warning", "H", P2021)
def name_not_metric(ctx: Context):
    """A name is a metric when it names a quantity, rate, time or amount. One that states an aim
    (a verb of change or duty at its head), a slogan, a work item or a whole sentence cannot say
    what its number counts."""
    for r in ctx.rows:
        name = bare_name(r.name)
        if not name:
            continue
        sentence = SENTENCE.search(r.name.strip()) and not _scoped_metric(name)
        if VALUE_IN_NAME.search(name) and not sentence:
            continue  # value_in_name already asks for the name to be rewritten
        if sentence:
            why = "是一句或几句话（工作内容或口号），不是指标名称"
        elif name.startswith("是否") and r.ind.value.number is not None:
            why = "是一个是非问题，却配了数值"
        elif QUESTION.search(name):
            why = "是一个问句，不是指标名称"
        elif (
            name.endswith(CHANGE_ENDS)
            or SLOGAN_ANYWHERE.search(name)
            or (
                (
                    SLOGAN_START.search(name)
                    or OUTPUT_ACTION.search(name)
                    or ACTIVITY_NOUN.search(name)
                )
                and not (_measures(name) and not CHANGE_START.search(name))
            )
        ):
            why = "是工作要求、目标或口号，不是可计量的指标名称"
        else:
            continue
        yield ctx.finding(
            name_not_metric,
            r,
            f"请核实：三级指标“{r.name}”{why}，说不出指标值衡量的是什么。",
            "名称写成可计量的对象，如“XX完成率”“XX人数”“XX知晓率”“XX完成时间”，"
            "把要达到的要求写进指标值（如“≥95%”）。",
            evidence=r.name,
        )


def _measures(name: str) -> bool:
    """The name ends in what its number measures: a metric kind (count, time, rate, amount) or
    another measurable head."""
    name = UNIT_NOTE.sub("", PLACEHOLDER.sub("", name)).rstrip("，,；;。.")
    return bool(MEASURE_HEAD.search(name) or _kind(squash(name)))


def _scoped_metric(name: str) -> bool:
    """`服务周期内,市民对空气质量改善的满意程度`, `种植数量,黄金蜜种植数量`: clauses that scope a
    metric or name two, each ending in what is measured, not a sentence of aims."""
    body = name.rstrip("。.！!")
    clauses = [c for c in CLAUSE_BREAK.split(body) if c.strip()]
    return (
        len(clauses) >= 2
        and not FULL_STOP.search(body)
        and _measures(clauses[-1])
        and not SLOGAN_START.search(clauses[-1])
    )


@rule("name_description_mismatch", "warning", "H", P2015)
def name_description_mismatch(ctx: Context):
    repeats: Counter[str] | None = None
    for r in ctx.rows:
        desc = r.ind.description.strip()
        if not desc or not r.name or FORMULA.search(desc) or METHOD.search(desc):
            continue
        name_kind, desc_kind = _kind(r.squashed_name), _kind(r.squashed_description)
        different_kinds = name_kind and desc_kind and name_kind != desc_kind
        # A name that is not itself a metric, sharing no two characters with its description
        # (when the name is a metric, other words in the description are usually its scope).
        unrelated = (
            name_kind is None
            and not (_bigrams(r.squashed_name) & _bigrams(r.squashed_description))
            and not (len(desc) <= 6 and VAGUE.search(desc))
        )
        if different_kinds or (unrelated and len(desc) >= 4):
            if repeats is None:
                repeats = Counter(x.squashed_description for x in ctx.rows)
            if repeats[r.squashed_description] >= BOILERPLATE_ROWS:
                continue
            yield ctx.finding(
                name_description_mismatch,
                r,
                f"请核实：名称“{r.name}”与描述“{desc}”衡量的不是同一件事。",
                "让描述说明名称所指指标的口径或计算方法，二者指向同一对象。",
                evidence=desc,
            )


def _kind(t: str) -> str | None:
    for kind, pattern in METRIC_KINDS:
        if pattern.search(t):
            return kind
    return None


def _bigrams(t: str) -> set[str]:
    return {t[i : i + 2] for i in range(len(t) - 1)}


@rule("description_duplicates_name", "info", "D", P2015)
def description_duplicates_name(ctx: Context):
    for r in ctx.rows:
        desc = r.squashed_description
        if not desc or not r.name:
            continue
        if desc == r.squashed_name or (
            (desc.endswith(WRAPPER_ENDS) or desc.startswith(WRAPPER_STARTS))
            and _wraps_name(desc, r.squashed_name)
        ):
            yield ctx.finding(
                description_duplicates_name,
                r,
                "绩效指标描述只是重复了三级指标名称，没有说明口径。",
                "在描述中写明统计范围或计算方法，如“合格人数/参训人数×100%”。",
                evidence=r.ind.description,
            )


def _wraps_name(desc: str, name: str) -> bool:
    """The name in the form's wrapper (反映…情况), which adds no scope: `反映项目资金使用合规情况`
    for `项目资金使用合规性`. The caller has seen that `desc` starts or ends like a wrapper."""
    head = WRAPPER_HEAD.match(desc)
    core = desc[head.end() :] if head else desc
    if core.endswith(WRAPPER_ENDS):
        core = WRAPPER_TAIL.sub("", core)
    return core != desc and core in (name, name.removesuffix("性"))


@rule("text_artifact", "warning", "D", P2015)
def text_artifact(ctx: Context):
    t = ctx.table
    for r in ctx.rows:
        text = f"{r.name}\n{r.ind.description}\n{r.ind.value.raw}"
        found = list(r.ind.artifacts) + _residue(text) + _date_serial(r)
        if (misread := MISREAD_BEFORE_DIGITS.match(r.ind.value.raw.strip())) is not None:
            found.append(misread[0])
        if r.name[:1] in "*＊★☆" and (star := STAR_MARK.match(r.name)) and star[0] not in found:
            found.append(star[0])
        if found:
            yield ctx.finding(
                text_artifact,
                r,
                f"单元格里有复制残留或未填的占位符：{'、'.join(found)}。",
                "删去残留文字，把占位符换成实际内容。",
                evidence=found[0],
            )
    found = list(t.artifacts) + _residue("\n".join([t.project, t.purpose, *t.goals]))
    if found:
        yield ctx.finding(
            text_artifact,
            None,
            f"项目信息里有复制残留或重复标点：{'、'.join(dict.fromkeys(found))}。",
            "删去残留文字和重复标点。",
            evidence=found[0],
        )


def _residue(text: str) -> list[str]:
    return [m[0] for m in RESIDUE.finditer(text)]


# A character misread before a value's digits (`二100百分比` for `=100%`).
MISREAD_BEFORE_DIGITS = re.compile(r"^[一二三四五六七八九十]\d")


def _date_serial(r) -> list[str]:
    """`44,561` as the value of a deadline: a date Excel kept as its serial number."""
    found = (
        excel_serial(r.ind.value.raw) if r.level2 == "时效" or TIME_NAME.search(r.name) else None
    )
    if found is None:
        return []
    raw, day = found
    return [f"Excel日期序列号“{raw}”（即{day.year}年{day.month}月{day.day}日）"]


@rule("satisfaction_wrong_subject", "warning", "H", P2021)
def satisfaction_wrong_subject(ctx: Context):
    for r in ctx.rows:
        m = STAFF.search(r.name) if r.is_satisfaction else None
        if m:
            yield ctx.finding(
                satisfaction_wrong_subject,
                r,
                f"请核实：“{r.name}”调查的是实施方（{m[0]}），满意度应调查服务对象或受益群体。",
                f"改为服务对象的满意度，如“{_recipients(ctx)}满意度≥90%”。",
                evidence=r.name,
            )


def _recipients(ctx: Context) -> str:
    text = ctx.table.project + ctx.table.purpose
    for word, who in (
        ("法律援助", "受援人"),
        ("矫正", "社区矫正对象"),
        ("安置帮教", "安置帮教对象"),
        ("调解", "纠纷当事人"),
        ("复议", "复议申请人"),
        ("普法", "参与群众"),
    ):
        if word in text:
            return who
    return "服务对象"


@rule("satisfaction_subject_unspecified", "warning", "D", P2021)
def satisfaction_subject_unspecified(ctx: Context):
    for r in ctx.rows:
        if not r.is_satisfaction:
            continue
        # `满意度95%以上`: the target written into the name is value_in_name's business.
        name = TARGET_WORDS.sub("", VALUE_IN_NAME.sub("", r.squashed_name))
        if name in UNSPECIFIED and not _names_subject(r):
            yield ctx.finding(
                satisfaction_subject_unspecified,
                r,
                f"“{r.name}”没有说明调查谁的满意度。",
                f"写明调查对象，如“{_recipients(ctx)}满意度”。",
                evidence=r.name,
            )


def _names_subject(r: Row) -> bool:
    return bool(
        re.search(r"对象|群众|受援|当事人|居民|学生|患者|用户|申请人|参训|来访", r.ind.description)
    )

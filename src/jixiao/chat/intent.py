"""What a question asks, read from its wording: which fields or categories of a project, whether
it lists, counts, sums or compares projects, under which conditions, or refers back to the last
project discussed. Words only; which tables it names is `chat.names`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.catalogue import CATALOGUE, NOTES
from jixiao.chat import categories
from jixiao.chat.names import SEP, normalize
from jixiao.values import parse_amount

# Table fields, most specific wording first.
FIELD_WORDS: list[tuple[str, str]] = [
    ("budget_fiscal", r"财政资金|财政拨款|财政性资金"),
    ("budget_other", r"其他资金|自筹资金|其他来源资金"),
    ("purpose", r"资金用途|用途|用来(?:做|干)什么|用于(?:什么|哪些|哪里)|钱(?:花|用)在"),
    ("goals", r"绩效目标|年度目标|总体目标|总目标|目标是什么|什么目标|目标有哪些"),
    (
        "budget_total",
        r"预算数|预算金额|预算总额|总预算|预算|多少钱|资金总额|总金额|项目金额|金额|资金规模|经费总额|多少经费|多少资金",
    ),
    ("unit", r"哪个单位|什么单位|哪家单位|单位是|预算单位|主管部门|哪个部门"),
    ("year", r"哪一年|哪年|什么年度|年度是"),
]
SUBJECT = re.compile(r"满意度?.*(?:谁|对象|哪些人|什么人|哪类人)|谁的满意|(?:调查|问)的?是谁|问谁")
_KINDS = (
    r"(?:三级|绩效|数量|质量|时效|成本|效益|经济效益|社会效益|生态效益|可持续影响|满意度|产出)?"
)
ALL_INDICATORS = re.compile(
    rf"指标有哪些|(?:哪些|什么|所有|全部|哪几个|几个|多少个?|几项){_KINDS}指标|指标(?:清单|列表)|列出.*指标|指标数"
)
COUNT_INDICATORS = re.compile(rf"(?:几个|多少个?|几项){_KINDS}指标|指标数")
REVIEW = re.compile(
    r"什么问题|哪些问题|存在.{0,4}问题|有没有问题|问题清单|审阅|审核意见|毛病|不规范|缺陷"
)
PROJECTS = r"(?:项目|表|专项)"
LISTING = re.compile(
    r"哪些(?:项目|表|专项)|哪些.{1,12}?(?:项目|表)|(?:项目|表).{0,6}哪(?:些|几)(?!.{0,6}指标)|"
    r"有哪些(?:项目|表)|哪几(?:个|张|项)(?!.{0,6}指标)|什么(?:项目|表)|列出|列举|所有(?:项目|表)|"
    r"全部(?:项目|表)|各(?:项目|表)|哪个(?:项目|表)|哪一个(?:项目|表)"
)
COUNT = re.compile(
    r"(?:几个|多少个|几项|几张|多少)(?:项目|表)|(?:项目|表)(?:数|个数|数量)|(?:项目|表)有?(?:几个|多少个?|几张)"
)
UNITS = re.compile(r"(?:哪些|哪个|什么|几个|多少个?)单位")
ACTUAL = re.compile(r"实际|完成了|已完成|执行了|花了|支出了|决算|实现值|完成值|完成情况|办了")
TOTAL = re.compile(r"合计|总共|一共|共计|总计|加起来|总和|加总|汇总")
MAXIMUM = re.compile(r"最(?:高|多|大)")
MINIMUM = re.compile(r"最(?:低|少|小)")
COMPARE = re.compile(
    r"比较|对比|相比|哪个(?:多|高|大|少|低)|谁(?:多|高|大|少|低)|差(?:多少|额)|多多少|高多少|少多少"
)
PRONOUN = re.compile(
    r"^(?:那|那么)|它|这个项目|该项目|这个表|该表|其|上述|刚才|上面|这些|它们|前面|另一个|另外一个|这两个|两个项目"
)
OTHER = re.compile(r"另一个|另外一个|另一项")
POLICY = re.compile(
    r"规定|政策|依据|文件|办法|能不能|可不可以|可以吗|是否可以|应当|应该|怎么写|如何|怎样|为什么|什么是"
)
YEAR = re.compile(r"(20\d\d)\s*年")
QUOTED = re.compile(r"[“\"「]([^”\"」]{2,30})[”\"」]")
WHO = re.compile(r"(?:调查|问|针对)的?(?:是|对象是)([\u4e00-\u9fff]{2,12}?)(?:的|$|？|\?)")
RATE = re.compile(r"\d+(?:\.\d+)?\s*%")
AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|万|元|亿元)")
ABOVE = re.compile(r"超过|高于|大于|多于|不少于|不低于|以上|≥|>")
BELOW = re.compile(r"低于|少于|小于|不超过|不高于|不到|不足|未达到|未满|以下|以内|≤|<")
LACKS = re.compile(r"(?:没有|缺少|缺|无|未设置?|没设置?)(?:设置|设|填写?)?")
# Findings people name in their words rather than by the catalogue's title or code.
FINDING_WORDS = {
    "cost_exceeds_budget": r"成本.{0,12}(?:超过|超出|高于|大于|多于).{0,4}预算|超预算",
    "missing_comparator": r"(?:没有|缺少|缺)比较符",
    "missing_unit": r"(?:没有|缺少|缺)(?:计量)?单位",
    "vague_value": r"指标值.{0,2}(?:模糊|无法衡量|不可衡量|不明确)",
    "budget_breakdown_inconsistent": r"预算.{0,4}(?:不等于|对不上|不一致)",
}
STOP = re.compile(
    r"[\s，。？！、,.?!：:；;“”\"'（）()]|请问|请|一下|是多少|多少|什么|哪些|哪个|是不是|是否|有没有|"
    r"怎么样|如何|呢|吗|吧|啊|的|了|是|有|在|和|与|及|计划|去年|今年|明年|目标值|指标值|目标|指标|值|"
    r"那么|那|它们|它|这个项目|该项目|这个|这些|其|项目|一共|设置|设定|要求|达到|完成|情况"
)


@dataclass
class Conditions:
    """What projects a listing question filters on."""

    unit: str | None = None
    year: int | None = None
    findings: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)  # categories the table has no row in
    has: list[str] = field(default_factory=list)
    above: Decimal | None = None  # 预算数 in 元
    below: Decimal | None = None
    row: str | None = None  # a row (of the category in `has`) says this: “按规定时间执行”, 80%

    def any(self) -> bool:
        return bool(self.unit or self.year or self.findings or self.lacks or self.has) or (
            self.above is not None or self.below is not None
        )


@dataclass
class Intent:
    question: str
    fields: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    subject: bool = False  # whose satisfaction
    all_indicators: bool = False
    count_indicators: bool = False
    review: bool = False
    listing: bool = False
    count: bool = False
    total: bool = False
    extreme: str | None = None  # max, min
    compare: bool = False
    pronoun: bool = False
    policy: bool = False
    actual: bool = False  # asks what was done (实际…): a target table holds targets only
    units: bool = False  # asks which units
    conditions: Conditions = field(default_factory=Conditions)

    @property
    def about_projects(self) -> bool:
        """Whether it asks across projects (list, count, total, extreme) rather than about one."""
        return self.listing or self.count or self.total or self.extreme is not None

    @property
    def asks_field(self) -> bool:
        return bool(
            self.fields or self.categories or self.subject or self.all_indicators or self.review
        )


ASKED = ("fields", "categories", "subject", "all_indicators", "count_indicators", "review")


def asked(it: Intent) -> dict:
    """What a question asked of a project, for a follow-up that only names another (`…呢？`)."""
    return {name: getattr(it, name) for name in ASKED} if it.asks_field else {}


def inherit(it: Intent, before: dict) -> Intent:
    for name, value in before.items():
        setattr(it, name, value)
    return it


def read(question: str) -> Intent:
    """The intent of one question."""
    q = normalize(question)
    it = Intent(question=q)
    rest = q.replace("绩效目标表", "表")  # the kind of table, not its goals
    for name, pattern in FIELD_WORDS:
        if re.search(pattern, rest):
            it.fields.append(name)
            rest = re.sub(pattern, SEP, rest)
    it.categories = categories.asked(rest)
    it.subject = bool(SUBJECT.search(q))
    if it.subject and "满意度" not in it.categories:
        it.categories.append("满意度")
    it.all_indicators = bool(ALL_INDICATORS.search(q))
    it.count_indicators = bool(COUNT_INDICATORS.search(q))
    it.review = bool(REVIEW.search(q))
    it.count = bool(COUNT.search(q)) and not it.count_indicators
    it.listing = bool(LISTING.search(q)) and not it.all_indicators
    it.total = bool(TOTAL.search(q)) and not it.count_indicators
    it.extreme = "max" if MAXIMUM.search(q) else "min" if MINIMUM.search(q) else None
    it.compare = bool(COMPARE.search(q))
    it.pronoun = bool(PRONOUN.search(q))
    it.policy = bool(POLICY.search(q))
    it.actual = bool(ACTUAL.search(q))
    it.units = bool(UNITS.search(q))
    it.conditions = _conditions(q, it)
    return it


def _conditions(q: str, it: Intent) -> Conditions:
    c = Conditions()
    if m := YEAR.search(q):
        c.year = int(m[1])
    for code, entry in CATALOGUE.items():
        if code in NOTES:
            continue
        if code in q or entry.title in q or re.search(FINDING_WORDS.get(code, "^$"), q):
            c.findings.append(code)
    for key in it.categories:
        word = "|".join(categories.CATEGORIES[key][0])
        if re.search(rf"(?:{LACKS.pattern})(?:{word})", q):
            c.lacks.append(key)
        elif it.listing or it.count:
            c.has.append(key)
    if "cost_exceeds_budget" in c.findings and "成本" in c.has:
        c.has.remove("成本")
    if m := QUOTED.search(q) or WHO.search(q):
        c.row = m[1]
    elif (m := RATE.search(q)) and c.has:
        c.row = m[0]
    if m := AMOUNT.search(q):
        amount = parse_amount(m[1] + m[2])
        window = q[max(0, m.start() - 6) : m.end() + 4]
        if amount is not None and ABOVE.search(window):
            c.above = amount
        elif amount is not None and BELOW.search(window):
            c.below = amount
    return c


def residual(question: str, *names: str) -> str:
    """What is left of a question once the names it uses and the asking words are taken out:
    the words that say which indicator row it means (`办多少场活动` → `办场活动`)."""
    rest = normalize(question)
    for name in names:
        rest = rest.replace(name, SEP)
    for _, pattern in FIELD_WORDS:
        rest = re.sub(pattern, SEP, rest)
    return STOP.sub(SEP, rest)

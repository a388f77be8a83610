"""Rules on the goals: a goal that is only a slogan or a duty list, and a figure or rate the goal
promises that no indicator carries. Judged offline by reading the goal's clauses against the
indicator rows; each finding quotes the words it rests on."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cached_property

from jixiao.rules._context import Context, Row
from jixiao.rules._registry import P2015, P2021, rule

# A clause ends at a stop, a semicolon or a comma; `目标1:` starts one.
CLAUSE = re.compile(r"[，,。；;！!？?\n]|目标\s*\d+\s*[:：]")
ENUMERATOR = re.compile(r"目标\s*\d+\s*[:：]|^\s*\d{1,2}\s*[、．.](?!\d)")
# A heading left where the goal text should be: `中期目标(2024年—2026年)`.
LABEL_ONLY = re.compile(r"^[\u4e00-\u9fff]{0,6}目标\s*(?:[（(][^）)]*[）)])?$")
# Words that only introduce what follows (为推进…, 通过开展…, 不断提高…).
LEAD = re.compile(
    r"^(?:(?:为了|为|通过|不断|进一步|深入|切实|积极|有效|全面|努力|大力|持续|20\d\d年?)+|"
    r"按(?:照)?[\u4e00-\u9fff]{0,6}(?:计划|要求|规定|标准))+"
)
# The clause says what should get better or be safeguarded, not what will be done or reached.
SLOGAN_VERB = re.compile(
    r"^(?:提高|提升|推进|推动|促进|加强|完善|保障|保证|维护|确保|改善|优化|营造|增强|激发|助力|"
    r"巩固|打造|构建|建立|健全|实现|做好|落实|发挥|满足|形成|树立|规范|扩大)"
)
# Spending the budget is no result: 完成…经费预算安排, 完成资金拨付.
BUDGET_REPORT = re.compile(r"^完成.*(?:预算|资金|经费)(?:安排|支出|拨付|执行)$")
# The clause restates the unit's duties (组织协调…, 承担…日常工作).
DUTY_VERB = re.compile(r"^(?:组织|协调|承办|承担|负责|履行|考核|指导|监督|配合|统筹)")
# A work report: 完成…工作 says the work will be done, not what it delivers.
WORK_REPORT = re.compile(r"^完成.*(?:工作|任务)$")
# What a project delivers, checkable as done or not even without a number.
DELIVERABLE = re.compile(
    r"配备|发放|购置|采购|更新|更换|聘请|聘用|新建|修建|改造|安装|举办|印制|提供|给予|创建|硬化|"
    r"铺设|救助|补贴"
)
# A state that is itself checkable: none of an event, all of a group.
CHECKABLE_STATE = re.compile(r"无[\u4e00-\u9fff]{0,12}发生|全覆盖|全部|零[\u4e00-\u9fff]")
# A figure: a number with its unit (money, counts, percentages). Dates are not figures here.
FIGURE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|％|人次|万元|元|公里|千米|平方米|万亩|亩|个|人|名|次|场|件|份|台|"
    r"套|只|条|户|村|所|家|项|期|批|吨|株|km|篇|座|处|辆|册)(?!月)"
)
# A share of the cost (县级财政负担20%, 配套资金30%) is how the money is raised, not a target.
FINANCING = re.compile(r"负担|承担|分担|配套|自筹|补助比例|财政.{0,4}(?:出资|拨付)")
MONEY_UNITS = {"万元", "元"}
# What a project's name carries besides its work: a year, a bracketed note, 项目/经费/资金.
PROJECT_NOISE = re.compile(r"20\d\d年?(?:度)?|[（(][^）)]*[）)]|项目$|经费$|资金$")
# Where a list of places before a figure starts.
LIST_START = re.compile(r"[，,。；;：:\n和及与在对]")
AFTER_UNIT = re.compile(r"^(?:以上|以下|以内|左右)")
# A rate named in the goal (知晓率, 在岗率); 效率 is efficiency, not a countable rate, and
# satisfaction has its own required group.
RATE = re.compile(r"([\u4e00-\u9fff]{2})率")
NOT_A_RATE = re.compile(r"[效频概汇利税]率$|满意")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
CJK_TAIL = re.compile(r"[\u4e00-\u9fff]+$")
SPACES = re.compile(r"\s+")
LIST_NUMBER = re.compile(r"[1-9]\.\d+")  # `1.30个`: item 1, then 30
WINDOW = 4  # characters either side of a figure that name what it counts


@rule("goal_too_generic", "warning", "H", P2015)
def goal_too_generic(ctx: Context):
    """A goal is a target when it says what will be delivered or reached: a figure, a checkable
    state, a deliverable or a named rate. One whose every clause states an aim, a duty or a work
    report gives nothing to measure."""
    goals = [g for g in ctx.table.goals if not _label_only(g)]
    text = "；".join(goals)
    if not text.strip():
        return
    project = _squash_project(ctx.table.project)
    if _has_target(text) and not (project and project in text):
        return
    clauses = _clauses(text)
    # The project's own work said again (按时发放村组干部报酬 for 村组干部报酬, 通过采购雾炮车
    # 抑尘降尘服务 for 雾炮车抑尘降尘服务) delivers nothing beyond the project's name.
    restated = [c for c in clauses if project and not FIGURE.search(c) and project in c]
    rest = "；".join(c for c in clauses if c not in restated)
    if rest and _has_target(rest):
        return
    if not clauses or not all(c in restated or _empty_clause(c) for c in clauses):
        return
    sample = "”“".join(clauses[:3])
    yield ctx.finding(
        goal_too_generic,
        None,
        f"请核实：绩效目标只写了口号、职责或工作内容（“{sample}”），没有写明要完成的数量、"
        "时限、交付的成果或预期效果，无法据此设置和考核指标。",
        "把目标写成可衡量的结果：做什么、做多少、何时完成、带来什么变化，"
        "如“全年完成XX（数量），XX率达到XX%”，并与产出、效益指标一一对应。",
        evidence=text[:120],
    )


@rule("goal_not_covered", "warning", "H", P2021)
def goal_not_covered(ctx: Context):
    """Every figure and rate the goal or the purpose promises should be some indicator's target:
    a figure no row carries (by its number, or by the words naming what it counts) and a rate no
    row names are left unmeasured."""
    if not ctx.rows:
        return
    t = ctx.table
    texts = list(
        dict.fromkeys(g for g in [*t.goals, t.purpose] if g.strip() and not _label_only(g))
    )
    rows = _Targets(ctx.rows)
    missing: list[tuple[str, str]] = []  # (the clause, the figure or rate in it)
    for text in texts:
        missing += _uncovered_figures(rows, text) + _uncovered_rates(rows, text)
    missing = list(dict.fromkeys(missing))
    if missing:
        items = "；".join(f"“{clause}”中的“{what}”" for clause, what in missing)
        yield ctx.finding(
            goal_not_covered,
            None,
            f"请核实：绩效目标（或资金用途）写明的{items}，在绩效指标中找不到对应的指标或目标值，"
            "这部分目标无法考核。",
            "为每项写明的产出或效果设置对应指标，目标值与目标一致"
            f"（如“{_example(missing[0][1])}”）；不再追求的目标从目标中删去。",
            evidence="、".join(what for _, what in missing),
        )


def _label_only(goal: str) -> bool:
    return bool(LABEL_ONLY.match(SPACES.sub("", goal)))


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in CLAUSE.split(text) if len(c.strip()) >= 2]


def _has_target(text: str) -> bool:
    text = ENUMERATOR.sub("", text)
    return bool(
        FIGURE.search(text)
        or CHECKABLE_STATE.search(text)
        or DELIVERABLE.search(text)
        or any(not NOT_A_RATE.search(m[0]) for m in RATE.finditer(text))
    )


def _empty_clause(clause: str) -> bool:
    """A clause that states an aim, a duty, a work report or the spending of the budget."""
    head = LEAD.sub("", clause)
    return bool(
        SLOGAN_VERB.match(head)
        or DUTY_VERB.match(head)
        or WORK_REPORT.match(head)
        or BUDGET_REPORT.match(head)
    )


def _squash_project(project: str) -> str:
    """The project's name without a year or bracketed note, when it is long enough to be
    recognised in a goal (4 characters or more)."""
    name = PROJECT_NOISE.sub("", project.strip())
    return name if len(name) >= 4 else ""


class _Targets:
    """What the indicator rows carry, worked out once per table: their target numbers with
    units, and their names with descriptions."""

    def __init__(self, rows: list[Row]) -> None:
        self.units: dict[Decimal, list[str | None]] = {}
        for r in rows:
            if r.ind.value.number is not None:
                self.units.setdefault(r.ind.value.number, []).append(r.ind.value.unit)
        self.texts = [r.ind.name + r.ind.description for r in rows if r.name]
        self.joined = "\n".join(self.texts)  # (a pair of characters never spans two rows)
        self._rows = rows

    @cached_property
    def counted(self) -> dict[str, list[str]]:
        """Names of the rows without a number, by the unit they count in: by the value's unit
        (`万人` left unfilled counts 人), by a name ending in 户数 or 人口数."""
        found: dict[str, list[str]] = {}
        for r in self._rows:
            name = r.ind.name
            if not name or r.ind.value.number is not None:
                continue  # a row with its number is matched on the number (`carries`)
            found.setdefault(_base(_row_unit(r)), []).append(name)
            if name.endswith("数") and len(name) > 1:
                found.setdefault(name[-2], []).append(name)
            if "人口" in name:
                found.setdefault("人", []).append(name)
        return found

    def carries(self, numbers: list[Decimal], unit: str) -> bool:
        """Some row's target is the figure: the same number, a percentage only for a
        percentage, never money for a count."""
        want_pct = unit in ("%", "％")
        return any(
            not row_unit or ((row_unit in ("%", "％")) == want_pct and row_unit not in MONEY_UNITS)
            for number in numbers
            for row_unit in self.units.get(number, ())
        )

    def names(self, words: str) -> bool:
        """Some row names what the figure counts: two thirds of the words' character pairs."""
        pairs = _pairs(words)
        need = max(1, -(-2 * len(pairs) // 3))
        present = [p for p in pairs if p in self.joined]  # in no row: in none of them
        if len(present) < need:
            return False
        return any(sum(p in t for p in present) >= need for t in self.texts)

    def counts(self, unit: str, words: list[str]) -> bool:
        """Some row counts in the figure's unit and names a word pair of what it counts: the
        row is there, whatever its value (a missing value is a finding of its own)."""
        names = self.counted.get(_base(unit))
        if not names or not words:
            return False
        pairs = frozenset().union(*(_pairs(w) for w in words))
        return any(p in name for name in names for p in pairs)

    def mention(self, word: str) -> bool:
        return word in self.joined


def _uncovered_figures(rows: _Targets, text: str) -> list[tuple[str, str]]:
    out = []
    for m in FIGURE.finditer(text):
        unit = m[2]
        if unit in MONEY_UNITS or text[max(0, m.start() - 2) : m.start()].endswith(
            ("目标", "指标")
        ):
            continue  # money is the cost rules' business; 目标1 is a number of a list
        if text[max(0, m.start() - 1) : m.start()] == "第":
            continue
        numbers = _readings(text, m)
        if rows.carries(numbers, unit):
            continue
        before = _cjk_tail(text[max(0, m.start() - WINDOW) : m.start()])
        after = _cjk_head(AFTER_UNIT.sub("", text[m.end() : m.end() + WINDOW + 2]))
        words = [w for w in (before, after) if len(w) >= 2]
        if any(rows.names(w) for w in words) or rows.counts(unit, words):
            continue
        if _counts_a_list(text, m):
            continue
        clause = _clause_at(text, m.start())
        if FINANCING.search(clause):
            continue
        out.append((clause, m[0]))
    return out


def _row_unit(r: Row) -> str:
    """The unit a row without a number counts in: a bare unit left unfilled (`万人`)."""
    v = r.ind.value
    if v.unit:
        return v.unit
    raw = v.raw.strip()
    return raw if CJK_RUN.fullmatch(raw or "-") else ""


def _base(unit: str) -> str:
    """`万人` counts 人 and `万亩` 亩; money keeps its unit."""
    return unit[1:] if len(unit) > 1 and unit[0] in "万千百" and unit not in MONEY_UNITS else unit


def _counts_a_list(text: str, m: re.Match) -> bool:
    """`甲林场、乙林场、丙林场 3个林场`: the figure only counts the places listed before it, the
    scope of the work rather than a target of its own."""
    before = text[max(0, m.start() - 200) : m.start()]
    if "、" not in before:
        return False
    head = LIST_START.split(before)[-1]
    n = _decimal(m[1])
    return n is not None and n >= 2 and head.count("、") + 1 == n


def _readings(text: str, m: re.Match) -> list[Decimal]:
    """The figure's number, and for `1.30个` at the head of a list item also 30."""
    readings = [_decimal(m[1])]
    head = text[max(0, m.start() - 8) : m.start()].rstrip()
    if LIST_NUMBER.fullmatch(m[1]) and (not head or head[-1] in "；;。，,：:\n"):
        readings.append(_decimal(m[1].split(".", 1)[1]))
    return [n for n in readings if n is not None]


def _decimal(s: str) -> Decimal | None:
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _uncovered_rates(rows: _Targets, text: str) -> list[tuple[str, str]]:
    out = []
    for m in RATE.finditer(text):
        if NOT_A_RATE.search(m[0]):
            continue
        if not rows.mention(m[0]):
            out.append((_clause_at(text, m.start()), m[0]))
    return out


def _cjk_tail(s: str) -> str:
    m = CJK_TAIL.search(s)
    return m[0][-WINDOW:] if m else ""


def _cjk_head(s: str) -> str:
    m = CJK_RUN.match(s)
    return m[0][:WINDOW] if m else ""


def _pairs(t: str) -> frozenset[str]:
    return frozenset(run[i : i + 2] for run in CJK_RUN.findall(t) for i in range(len(run) - 1))


def _clause_at(text: str, pos: int) -> str:
    """The clause of `text` around position `pos`, without a list number."""
    start = max((m.end() for m in CLAUSE.finditer(text, 0, pos)), default=0)
    end = CLAUSE.search(text, pos)
    clause = ENUMERATOR.sub("", text[start : end.start() if end else len(text)]).strip()
    return clause if len(clause) <= 40 else clause[:39] + "…"


def _example(what: str) -> str:
    if what.endswith("率"):
        return f"{what}≥XX%"
    if what.endswith(("%", "％")):
        return f"XX率≥{what}"
    return f"XX数≥{what}"

"""A new table from a brief, offline: composed from the nearest rows of the library.

How a careful officer would do it with the library open, and what is never guessed:
- The tables nearest the brief's purpose and goals (or the one named `like`) give the rows: for
  each level-2 category the framework requires, the rows of those tables that read most like the
  brief, preferring rows the rules find nothing wrong with. Each row cites its table and row.
- Rates, deadlines and qualitative standards carry over (deadlines moved into the budget year).
  Counts and amounts are another project's facts: the comparator and unit stay, the number becomes
  a 【请填写】 placeholder (`needs_input`), with last year's figure of the cited row as a hint.
- Every goal of the brief gets a row that measures it: one of the chosen rows when its words are
  near the goal's, else the library's nearest output or effect row, else a placeholder row.
- A goal no library row measures soundly is measured by a row named from its own words
  (`为群众提供免费法律服务` → `免费法律服务提供次数 ≥【请填写】次`; `draft_goals`).
- The costs are a breakdown of the brief's budget: the brief's own (`costs`), or the items its
  purpose and goals state with amounts (the rest of the budget one item more), or the cost items of
  the nearest table that has two or more, in that table's proportions, summing exactly to the
  budget (`from_brief`); else the nearest tables' cost items with the amounts left to fill.
Then the rules run and the deterministic defects are fixed as in `draft next` (`finish`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.brief import Brief
from jixiao.catalogue import CATALOGUE
from jixiao.draft import FROM_GOAL, Draft, check_rows_with_caps, finish
from jixiao.draft_edit import PLACEHOLDER, Editor, needs_input
from jixiao.draft_goals import GoalMetric, clause_metric, goal_metric, stated_costs
from jixiao.draft_years import infer_year, shift_text
from jixiao.model import Change, Indicator, Provenance, Table
from jixiao.retrieval import Retriever
from jixiao.rules import (
    canonical_level1,
    canonical_level2,
    check,
    framework_of,
    squash,
    squashed_pairs,
)
from jixiao.values import parse_value

# The level-2 categories every draft has, in the order of the form, with their level 1 and how
# many rows to take; 成本 is the cost breakdown. Other 效益 categories come when the nearest
# table has them.
REQUIRED: dict[str, list[tuple[str, str, int]]] = {
    "classic": [
        ("产出指标", "数量指标", 2),
        ("产出指标", "质量指标", 2),
        ("产出指标", "时效指标", 1),
        ("产出指标", "成本指标", 0),
        ("效益指标", "社会效益指标", 2),
        ("满意度指标", "服务对象满意度指标", 1),
    ],
    "2021": [
        ("成本指标", "经济成本指标", 0),
        ("产出指标", "数量指标", 2),
        ("产出指标", "质量指标", 2),
        ("产出指标", "时效指标", 1),
        ("效益指标", "社会效益指标", 2),
        ("满意度指标", "服务对象满意度指标", 1),
    ],
}
OPTIONAL = [
    ("效益指标", "经济效益指标"),
    ("效益指标", "生态效益指标"),
    ("效益指标", "可持续影响指标"),
]
NEAREST = 6  # tables the rows are taken from
WIDER = 30  # indicators searched when the nearest tables lack a sound row of a category
ITEM_SIMILAR = 0.2  # a cost item of a farther table is taken when its name is this near
GOAL_HITS = 8  # indicators searched for a goal not measured yet, and for each of its clauses
GOAL_PARTS = 5
# A goal is measured by a row whose words come this near the goal or one of its clauses (character
# bigrams; on the seed, a goal against its own table's rows always reaches it, against another
# table's rows 6–12% of the time).
GOAL_SIMILAR = 0.3
# A library row belongs in a draft when this share of its name's character bigrams occurs in the
# brief: on the seed, 65% of a table's own output and effect rows reach it against its brief,
# 8% of the other tables' rows (调解成功率 has no place in a network maintenance table).
RELEVANT = 0.3
GENERIC = {"时效", "服务对象满意度", "满意度"}  # categories whose rows any project carries
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COST_WORDS = re.compile(r"成本|费用|经费|资金|支出|总|费")

TableGetter = Callable[[str], Table | None]


@dataclass
class Candidate:
    table: Table
    row: int  # 1-based
    ind: Indicator
    level2: str  # canonical: 数量, 社会效益…
    score: float
    clean: bool  # the rules find nothing on the row
    faults: set[str] = frozenset()  # the codes they find on it, when not clean
    followed: bool = False  # from the table the brief asks to follow (`like`)

    def fits(self, brief: Brief) -> bool:
        """Whether the row belongs in a table for `brief`: one any project carries (a deadline,
        satisfaction), one of the table the officer follows, or one whose name reads in the brief."""
        return self.level2 in GENERIC or self.followed or relevant(self.ind.name, brief.text())


def draft_new(
    brief: Brief,
    retriever: Retriever,
    get: TableGetter,
    exclude: Iterable[str] = (),
) -> Draft:
    """A new table for `brief` from the library behind `retriever` (`get` reads a table by id);
    tables in `exclude` are never used (leave-one-out evaluation)."""
    skip = set(exclude)
    nearest = nearest_tables(brief, retriever, get, skip)
    framework = brief.framework or (framework_of(nearest[0]) if nearest else "classic")
    flagged = Flagged()
    pool = candidates(brief, nearest, flagged)
    chosen: list[Indicator] = []
    taken: set[tuple[str, int]] = set()
    named = brief_metrics(brief)
    for level1, level2, n in REQUIRED[framework]:
        if not n:
            continue
        want = canonical_level2(level2)
        if sum(c.clean and c.fits(brief) for c in pool if c.level2 == want) < n:
            pool += wider(brief, want, retriever, get, skip, flagged)
        # The library's sound rows of the category, keeping one place for a work the brief's
        # goals name (what this project itself counts), which also fills what the library lacks.
        own = [goal_row(k, m) for k, m in named if canonical_level2(m.level2) == want]
        rows = _take(pool, want, n - min(1, len(own)), brief, level1, level2, taken, len(own))
        rows += own[: n - len(rows)]
        chosen += rows or [_category_placeholder(level1, level2)]
    top = nearest[:1]
    for level1, level2 in OPTIONAL:
        best = [
            c for c in pool if c.table in top and c.level2 == canonical_level2(level2) and c.clean
        ]  # an optional category is left out rather than asked for
        chosen += _take(best, canonical_level2(level2), 1, brief, level1, level2, taken)
    chosen = goal_figures(brief, chosen)
    chosen += _cover_goals(brief, retriever, get, skip, chosen, taken, flagged)
    more = [
        c for l2 in ("成本", "经济成本") for c in wider(brief, l2, retriever, get, skip, flagged)
    ]
    chosen += cost_breakdown(brief, nearest + [c.table for c in more], framework)
    ed = Editor(new_table(brief, in_form_order(chosen, framework)), fresh=True)
    ed.source_id = nearest[0].id if brief.like and nearest else ""
    return finish(
        ed,
        kind="new",
        source_project=nearest[0].project if ed.source_id else "",
        to_year=brief.year,
    )


def new_table(brief: Brief, rows: list[Indicator]) -> Table:
    """The table a brief describes, with `rows` as its indicators."""
    return Table(
        title=f"{brief.project}绩效目标表",
        unit_name=brief.unit,
        project=brief.project,
        year=brief.year,
        budget_total=brief.budget,
        budget_fiscal=brief.budget,
        purpose=brief.purpose,
        goals=brief.goals or [brief.purpose],
        indicators=rows,
    )


def nearest_tables(
    brief: Brief, retriever: Retriever, get: TableGetter, skip: set[str]
) -> list[Table]:
    """The library tables nearest the brief, the `like` table first."""
    ids: list[str] = [brief.like] if brief.like else []
    hits = retriever.search(brief.text(), kind="table", k=NEAREST + len(skip) + len(ids))
    ids += [str(h.meta.get("table_id", "")) for h in hits]
    tables: list[Table] = []
    for table_id in dict.fromkeys(ids):
        if table_id in skip or not table_id:
            continue
        t = get(table_id)
        if t is not None and t.indicators:
            tables.append(t)
    return tables[:NEAREST]


class Flagged:
    """The rows of a library table the rules find something on, worked out once per table."""

    def __init__(self) -> None:
        self._codes: dict[str, dict[int, set[str]]] = {}

    def __call__(self, table: Table) -> set[int]:
        return set(self._found(table))

    def codes(self, table: Table, row: int) -> set[str]:
        return self._found(table).get(row, set())

    def _found(self, table: Table) -> dict[int, set[str]]:
        if table.id not in self._codes:
            rows: dict[int, set[str]] = {}
            for f in check(table):
                if f.row and f.severity != "info":
                    rows.setdefault(f.row, set()).add(f.code)
            self._codes[table.id] = rows
        return self._codes[table.id]


def candidates(brief: Brief, tables: list[Table], flagged: Flagged) -> list[Candidate]:
    """Every row of the nearest tables, scored by the table's rank and how like the brief it reads."""
    text = brief.text()
    out = []
    for rank, t in enumerate(tables):
        bad = flagged(t)
        for n, ind in enumerate(t.indicators, start=1):
            score = 1 / (rank + 1) + similarity(f"{ind.name}{ind.description}", text)
            level2 = canonical_level2(ind.level2)
            out.append(
                Candidate(
                    t, n, ind, level2, score, n not in bad, flagged.codes(t, n), t.id == brief.like
                )
            )
    return out


def wider(
    brief: Brief, level2: str, retriever: Retriever, get: TableGetter, skip: set[str], flagged
) -> list[Candidate]:
    """Rows of one category from the whole library, nearest the brief's purpose first: for when
    the nearest tables have no sound row of it (their effects all `有效保障`, say)."""
    # Lexical: the words of the category and the purpose are what matter here, and it spares a
    # query embedding per category (a draft stays well under a second).
    hits = retriever.search(
        f"{level2}指标 {brief.purpose}", kind="indicator", k=WIDER + len(skip), mode="lexical"
    )
    out = []
    for rank, h in enumerate(hits):
        table_id, row = str(h.meta.get("table_id", "")), h.meta.get("row")
        t = get(table_id) if table_id not in skip and row else None
        if t is None or int(row) > len(t.indicators):
            continue
        ind = t.indicators[int(row) - 1]
        if canonical_level2(ind.level2) != level2:
            continue
        score = 0.5 / (rank + 1) + similarity(f"{ind.name}{ind.description}", brief.text())
        bad = flagged.codes(t, int(row))
        out.append(Candidate(t, int(row), ind, level2, score, not bad, bad))
    return out


def relevant(name: str, text: str) -> bool:
    """Whether `RELEVANT` of `name`'s character bigrams occur in `text`."""
    words = squashed_pairs(name)
    return bool(words) and len(words & squashed_pairs(text)) / len(words) >= RELEVANT


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two texts (punctuation ignored)."""
    x, y = squashed_pairs(a), squashed_pairs(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _take(
    pool: list[Candidate],
    level2: str,
    n: int,
    brief: Brief,
    label1: str,
    label2: str,
    taken: set[tuple[str, int]],
    have: int = 0,
) -> list[Indicator]:
    """Up to `n` rows of the category from `pool`, clean ones first; a flagged one (which becomes
    a row for the officer to write) only when the category has no row at all (`have` already)."""
    names = {squash(c.ind.name) for c in pool if (c.table.id, c.row) in taken}
    rows: list[Indicator] = []
    for c in sorted((c for c in pool if c.level2 == level2), key=lambda c: (not c.clean, -c.score)):
        if len(rows) >= n or (not c.clean and have + len(rows)):
            break
        if (c.table.id, c.row) in taken or squash(c.ind.name) in names or not c.fits(brief):
            continue
        taken.add((c.table.id, c.row))
        names.add(squash(c.ind.name))
        row = adapt(c.table, c.row, brief, label1, label2)
        rows.append(row if c.clean else not_copied(row, c, label2))
    return rows


# What a reviewer flags on a library row that a draft must not carry forward: the name (not a
# metric, not what the description measures, a process, the wrong category) or the value (no
# measurable standard, implausible).
NAME_FAULTS = {
    "name_not_metric",
    "process_indicator_as_output",
    "indicator_misclassified",
    "indicator_unrelated_to_purpose",
    "unmeasurable_percentage",
}
VALUE_FAULTS = {"vague_value", "low_target", "unrealistic_target", "implausible_value"}
DESCRIPTION_FAULTS = {"name_description_mismatch"}  # the name stays; its description goes


def not_copied(row: Indicator, c: Candidate, label2: str) -> Indicator:
    """`row`, adapted from the library row `c` the rules flag, made a row for the officer to
    write: the flagged name or value becomes a placeholder, and the row says which reference it
    follows and why it is not copied as is."""
    faults = c.faults & (NAME_FAULTS | VALUE_FAULTS | DESCRIPTION_FAULTS)
    if not faults or row.provenance is None:
        return row
    why = "、".join(CATALOGUE[c].title for c in sorted(faults))
    update: dict = {}
    if faults & (NAME_FAULTS | VALUE_FAULTS):
        unit = "%" if (row.value.unit or "") in ("%", "％") else ""
        update["value"] = parse_value(f"≥{PLACEHOLDER}{unit}")
    if faults & DESCRIPTION_FAULTS:
        update["description"] = ""
    if faults & NAME_FAULTS:
        what = label2.removesuffix("指标")
        update |= {"name": f"{PLACEHOLDER[:-1]}衡量{what}的指标】", "description": ""}
    if "value" not in update:  # only the description went: the row is still the library's
        return row.model_copy(update=update)
    note = (
        f"参照{c.table.project} 第{c.row}行“{c.ind.name}：{c.ind.value.raw}”，"
        f"该行审核有提示（{why}），未照抄：请写出可衡量的指标和目标值"
    )
    done = row.model_copy(update=update)
    changes = [
        ch.model_copy(
            update={
                "after": f"{row.level1}/{row.level2}/{done.name}：{done.value.raw}",
                "reason": f"{ch.reason}；该行审核有提示（{why}），未照抄",
            }
        )
        if ch.field == "row"
        else ch
        for ch in row.provenance.changes
    ]
    provenance = row.provenance.model_copy(
        update={"kind": "needs_input", "note": note, "changes": changes}
    )
    return done.model_copy(update={"provenance": provenance})


def adapt(
    source: Table, row: int, brief: Brief, label1: str, label2: str, why: str = ""
) -> Indicator:
    """A library row made this project's: years moved to the brief's, the number of a count or
    amount left for the officer, the categories in the framework's words; cited."""
    ind = source.indicators[row - 1]
    year = infer_year(source)
    delta = brief.year - year if year else 0
    value, note = _value(ind, label2, year, delta, brief.year)
    placeholder = PLACEHOLDER in value
    description = shift_text(ind.description, year, delta)
    if squash(description) == squash(ind.name):
        description = ""  # a copy of the name says nothing; the officer writes the scope
    if placeholder:
        description = _NUMBER.sub(lambda m: m[0] if _is_year(m[0]) else PLACEHOLDER, description)
    after = f"{label1}/{label2}/{ind.name}：{value}"
    reason = (
        why or "参照资料库中相近项目的指标"
    ) + f"：{source.project} 第{row}行“{ind.value.raw}”"
    return Indicator(
        level1=label1,
        level2=label2,
        name=shift_text(ind.name, year, delta),
        description=description,
        value=parse_value(value),
        provenance=Provenance(
            kind="needs_input" if placeholder else "from_library",
            table_id=source.id,
            row=row,
            changes=[
                Change(field="row", before="", after=after, reason=reason, code="from_library")
            ],
            note=note,
        ),
    )


def _value(ind: Indicator, label2: str, year: int | None, delta: int, to: int) -> tuple[str, str]:
    """The value a library row gets in the new table, and what the officer is told about it."""
    v = ind.value
    l2 = canonical_level2(label2)
    if l2 == "时效" or v.kind == "date":
        raw = shift_text(v.raw, year, delta, alone=False)
        years = {int(y) for y in re.findall(r"(?:19|20)\d{2}(?=\s*年)", raw)}
        return (raw, "") if years <= {to} else (f"{to}年12月31日前", "时限按预算年度设定")
    if v.kind == "quantitative" and v.unit != "%":
        comparator = v.comparator or ("≤" if l2 in ("成本", "经济成本") else "≥")
        hint = f"请按本项目的计划填写数字（参照表为“{v.raw}”）"
        return f"{comparator}{PLACEHOLDER}{v.unit or ''}", hint
    return v.raw, ""


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1990 <= int(text) <= 2100


_CLAUSE = re.compile(r"[，,。；;！!？?\n]")  # officers' tables use both commas
_FIGURE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万人次|人次|场次|场|次|人|名|件|个|期|篇|户|所|家|批次|批|项|"
    r"条|台|套|份|册|课时|门|村|处|座|辆|吨|株|公里|千米|平方米|米|万亩|亩|%)"
)
_LEADING = re.compile(
    r"^(?:\d+[.、．]\s*)?(?:全年|年内|年度内|每年|本年度|通过|力争|计划|预计|共|累计|对)+"
)
_MEASURE = {
    "场": "场次",
    "场次": "场次",
    "次": "次数",
    "人次": "人次",
    "万人次": "人次",
    "人": "人数",
    "名": "人数",
    "件": "件数",
    "门": "门数",
    "村": "村数",
    "公里": "长度",
    "千米": "长度",
    "米": "长度",
    "平方米": "面积",
    "万亩": "面积",
    "亩": "面积",
    "个": "个数",
    "%": "",
}


def _figure_clauses(goal: str) -> list[str]:
    """The goal's clauses, a clause listing several figures (`甲路建设2公里、乙路2公里`) split at
    its 、 when each part then has one."""
    out = []
    for clause in _CLAUSE.split(goal):
        parts = clause.split("、")
        several = len(_FIGURE.findall(clause)) > 1
        if several and all(len(_FIGURE.findall(p)) == 1 for p in parts):
            out += parts
        else:
            out.append(clause)
    return out


def goal_figures(brief: Brief, chosen: list[Indicator]) -> list[Indicator]:
    """The figures the brief's goals give (`全年举办1000场法治宣传宣讲活动`) as indicators with
    those figures (`举办法治宣传宣讲活动场次 ≥1000场`, `from_brief`): filled into a chosen row
    that measures the same and still awaits its number, else added."""
    rows = list(chosen)
    for n, goal in enumerate(brief.goals, start=1):
        for clause in _figure_clauses(goal):
            found = list(_FIGURE.finditer(clause))
            if len(found) != 1:
                continue  # no figure, or several whose names cannot be told apart
            m = found[0]
            after = re.split("到|对|为|向", clause[m.end() :])[0]  # 聘用2名法律顾问对政策…
            before = clause[: m.start()].rstrip().removesuffix("约")
            name = _LEADING.sub("", (before + after).strip())
            name += (
                _MEASURE.get(m[2], "数量") if not name.endswith(("率", "数", "量", "次")) else ""
            )
            if not 4 <= len(name) <= 24:
                continue
            value = f"≥{m[1]}{m[2]}"
            why = f"绩效目标{n}写明了“{clause.strip()}”"
            twin = next(
                (
                    i
                    for i in rows
                    if PLACEHOLDER in i.value.raw
                    and similarity(i.name, name) >= 0.5
                    and (i.value.unit or "") == m[2]
                ),
                None,
            )
            if twin is not None:
                twin.value = parse_value(value)
                twin.provenance.kind = "from_brief"
                twin.provenance.note = ""
                twin.provenance.changes.append(
                    Change(
                        field="value",
                        before=f"≥{PLACEHOLDER}{m[2]}",
                        after=value,
                        reason=why,
                        code="from_brief",
                    )
                )
                continue
            level2 = "质量指标" if m[2] == "%" else "数量指标"
            rows.append(
                Indicator(
                    level1="产出指标",
                    level2=level2,
                    name=name,
                    value=parse_value(value),
                    provenance=Provenance(
                        kind="from_brief",
                        changes=[
                            Change(
                                field="row",
                                before="",
                                after=f"产出指标/{level2}/{name}：{value}",
                                reason=why,
                                code="from_brief",
                            )
                        ],
                    ),
                )
            )
    return rows


def _cover_goals(
    brief: Brief,
    retriever: Retriever,
    get: TableGetter,
    skip: set[str],
    chosen: list[Indicator],
    taken: set[tuple[str, int]],
    flagged: Flagged,
) -> list[Indicator]:
    """A row for every goal no chosen row measures."""
    added: list[Indicator] = []
    for n, goal in enumerate(brief.goals, start=1):
        if any(
            goal_match(f"{i.name}{i.description}", goal) >= GOAL_SIMILAR for i in chosen + added
        ):
            continue
        hits = []
        for part in goal_parts(goal)[:GOAL_PARTS]:
            # Lexical: the row is chosen by the words it shares with the goal (and no query
            # embedding is spent).
            found = retriever.search(
                part, kind="indicator", k=GOAL_HITS + len(skip), mode="lexical"
            )
            hits += [h for h in found if h.meta.get("table_id") not in skip and h.meta.get("row")]
        added.append(_goal_row(brief, n, goal, hits, get, taken, flagged))
    return added


def brief_metrics(brief: Brief) -> list[tuple[int, GoalMetric]]:
    """The metric each clause of the brief's goals names (`draft_goals`), with its goal's number."""
    out: dict[str, tuple[int, GoalMetric]] = {}
    for n, goal in enumerate(brief.goals or [brief.purpose], start=1):
        for clause in goal_parts(goal)[1:] or [goal]:
            m = clause_metric(clause, brief.year)
            if m is not None and squash(m.name) not in out:
                out[squash(m.name)] = (n, m)
    return list(out.values())


def _category_placeholder(level1: str, level2: str) -> Indicator:
    """A required category no library row or goal fills: a row for the officer to write."""
    what = level2.removesuffix("指标")
    return _to_write(
        level1,
        level2,
        f"{PLACEHOLDER[:-1]}衡量{what}的指标】",
        f"资料库中没有与本项目用途相近的{what}指标，绩效目标中也没有可拟出的",
        "row_added",
        f"请写一个衡量本项目{what}的指标和目标值",
    )


def _to_write(
    level1: str, level2: str, name: str, reason: str, code: str, note: str, description: str = ""
) -> Indicator:
    """A row whose name and value the officer writes (`needs_input`), added for `reason`."""
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        description=description,
        value=parse_value(f"≥{PLACEHOLDER}"),
        provenance=Provenance(
            kind="needs_input",
            changes=[
                Change(
                    field="row",
                    before="",
                    after=f"{level1}/{level2}/{name}",
                    reason=reason,
                    code=code,
                )
            ],
            note=note,
        ),
    )


def goal_row(n: int, m: GoalMetric) -> Indicator:
    """The row a goal's clause names (`goal_metric`): its number the goal's or the officer's."""
    value = parse_value(m.value)
    waiting = PLACEHOLDER in m.value
    if waiting:
        note = f"指标名称由绩效目标{n}拟出，请按本项目的计划填写目标值，并核实名称"
    elif value.kind == "date":
        note = "时限按预算年度设定，请按计划核实"
    else:
        note = ""
    return Indicator(
        level1=m.level1,
        level2=m.level2,
        name=m.name,
        description=f"衡量绩效目标{n}“{m.clause}”",
        value=value,
        provenance=Provenance(
            kind="needs_input" if waiting else "from_brief",
            changes=[
                Change(
                    field="row",
                    before="",
                    after=f"{m.level1}/{m.level2}/{m.name}：{m.value}",
                    reason=f"绩效目标{n}写明了“{m.clause}”，按其内容拟出衡量它的指标",
                    code=FROM_GOAL,
                )
            ],
            note=note,
        ),
    )


def goal_parts(goal: str) -> list[str]:
    """A goal and its clauses (a goal is often a sentence naming several works)."""
    return [goal] + [c.strip() for c in _CLAUSE.split(goal) if len(c.strip()) >= 4 and c != goal]


def goal_match(text: str, goal: str) -> float:
    """How near a row's text is to a goal or one of its clauses (character bigrams)."""
    return max(similarity(text, part) for part in goal_parts(goal))


def _goal_row(
    brief: Brief, n: int, goal: str, hits, get: TableGetter, taken, flagged: Flagged
) -> Indicator:
    """The library row that measures `goal` best: of the rows found for the goal and its
    clauses, the output or effect row nearest in words (one the rules find nothing on first),
    if near enough; else a placeholder row."""
    rows = []
    for rank, h in enumerate(hits):
        source = get(str(h.meta["table_id"]))
        row = int(h.meta["row"])
        if source is None or row > len(source.indicators) or (source.id, row) in taken:
            continue
        ind = source.indicators[row - 1]
        l1, l2 = canonical_level1(ind.level1), canonical_level2(ind.level2)
        if l1 in ("产出", "效益") and l2 not in ("成本", "经济成本"):
            score = goal_match(f"{ind.name}{ind.description}", goal) - rank / 10000
            rows.append((score, source, row, l1, l2))
    near = [r for r in rows if r[0] >= GOAL_SIMILAR]
    best = max(near, key=lambda r: (not flagged.codes(r[1], r[2]), r[0])) if near else None
    named = goal_metric(goal, brief.year)
    if named is not None and (best is None or flagged.codes(best[1], best[2])):
        return goal_row(n, named)  # the goal's own words over a library row not to be copied
    if best is not None:
        score, source, row, l1, l2 = best
        taken.add((source.id, row))
        why = f"绩效目标{n}“{goal}”需要有指标衡量，参照资料库中最相近的指标"
        adapted = adapt(source, row, brief, f"{l1}指标", f"{l2}指标", why)
        faults = flagged.codes(source, row)
        if not faults:
            return adapted
        ind = source.indicators[row - 1]
        return not_copied(
            adapted, Candidate(source, row, ind, l2, score, False, faults), f"{l2}指标"
        )
    return _to_write(
        "产出指标",
        "数量指标",
        f"{PLACEHOLDER[:-1]}衡量绩效目标{n}的指标】",
        f"资料库中没有衡量绩效目标{n}的相近指标",
        "goal_not_covered",
        f"请为绩效目标{n}“{goal}”写一个可衡量的指标和目标值",
        description=f"衡量：{goal}",
    )


def cost_breakdown(brief: Brief, nearest: list[Table], framework: str) -> list[Indicator]:
    """The cost rows: the brief's own breakdown when it gives one; else the cost items of the
    nearest table that has two or more, in its proportions, summing exactly to the budget (the
    officer is told to check them against the project's budget calculation); else the cost items
    of the nearest tables with their amounts left to fill — a split no cited row supports would be
    an invented figure — and a note saying they must add up to the budget."""
    labels = ("成本指标", "经济成本指标") if framework == "2021" else ("产出指标", "成本指标")
    if brief.costs:
        return [_brief_cost(name, amount, labels) for name, amount in brief.costs.items()]
    if stated := _stated_breakdown(brief, labels):
        return stated
    for t in nearest[:NEAREST]:
        caps = [(t.indicators.index(i) + 1, i.value.yuan) for i in check_rows_with_caps(t)]
        caps = [c for c in caps if c[1] and c[1] > 0]
        if len(caps) >= 2 and (not t.budget_total or sum(c[1] for c in caps) <= t.budget_total):
            return _proportional(brief, t, caps, labels)
    rows = [_cost_to_fill(brief, t, row, labels) for t, row in _cost_items(brief, nearest)]
    if len(rows) < 2:  # a breakdown, not the budget restated: at least two items
        rows.append(_cost_placeholder(brief, *labels))
    return rows


def _stated_breakdown(brief: Brief, labels) -> list[Indicator]:
    """The cost items the brief's purpose and goals state with amounts, when they do not exceed
    the budget; what they leave of it is one more item, its name the officer's."""
    items = stated_costs(brief.text(), brief.budget)
    total = sum(c.yuan for c in items)
    if not items or total > brief.budget or (len(items) == 1 and total == brief.budget):
        return []
    rows = [
        _cost(
            labels,
            c.name,
            f"≤{money(c.yuan)}",
            Provenance(kind="from_brief"),
            f"项目简介写明了“{c.clause}”",
            "from_brief",
        )
        for c in items
    ]
    if total < brief.budget:
        rest = brief.budget - total
        prov = Provenance(
            kind="needs_input",
            note=f"预算数{money(brief.budget)}减去简介列明的各项后余{money(rest)}，请写明其成本项目",
        )
        reason = "预算数减去项目简介列明的成本项目"
        name = f"{PLACEHOLDER[:-1]}其余成本项目】"
        rows.append(_cost(labels, name, f"≤{money(rest)}", prov, reason, "cost_breakdown"))
    return rows


def _proportional(
    brief: Brief, t: Table, caps: list[tuple[int, Decimal]], labels
) -> list[Indicator]:
    total = sum(amount for _, amount in caps)
    amounts = [(brief.budget * a / total).quantize(Decimal(1), ROUND_HALF_UP) for _, a in caps]
    amounts[-1] = brief.budget - sum(amounts[:-1])
    how = "按参照表“{project}”第{row}行所在成本构成的比例（占{pct}）折算"
    return [
        _cost_row(
            brief,
            t,
            row,
            amount,
            how.format(project=t.project, row=row, pct=f"{a / total * 100:.1f}%"),
            labels,
        )
        for (row, a), amount in zip(caps, amounts, strict=True)
    ]


def _cost_to_fill(brief: Brief, source: Table, row: int, labels) -> Indicator:
    """A cost item of a near table, its amount for the officer (they must sum to the budget)."""
    ind = source.indicators[row - 1]
    return _cost(
        labels,
        ind.name,
        f"≤{PLACEHOLDER}万元",
        Provenance(
            kind="needs_input",
            table_id=source.id,
            row=row,
            note=f"请按本项目的预算测算填写金额，各项成本合计应等于预算数{money(brief.budget)}"
            f"（参照表为“{ind.value.raw}”）",
        ),
        f"参照资料库中相近项目的成本项目：{source.project} 第{row}行“{ind.value.raw}”",
        "from_library",
    )


def _cost(labels, name: str, value: str, prov: Provenance, reason: str, code: str) -> Indicator:
    """A cost row (`name ≤ value`) whose one change is the whole row, for `reason`."""
    after = f"{labels[0]}/{labels[1]}/{name}：{value}"
    prov.changes = [Change(field="row", before="", after=after, reason=reason, code=code)]
    return Indicator(
        level1=labels[0],
        level2=labels[1],
        name=name,
        description="" if needs_input(name) else f"{name}控制在预算安排以内",
        value=parse_value(value),
        provenance=prov,
    )


def _cost_items(brief: Brief, tables: list[Table]) -> list[tuple[Table, int]]:
    """Up to three distinct total-cost items of the nearest tables, nearest first, whose names
    read in the brief or share words with it (an unrelated table's item is no guide)."""
    out: dict[str, tuple[Table, int]] = {}
    text = brief.text()
    for t in tables:
        for i in check_rows_with_caps(t):
            what = _COST_WORDS.sub("", i.name)  # 教育培训费 → 教育培训: what is paid for
            near = relevant(what, text) or similarity(i.name, text) >= ITEM_SIMILAR
            if i.value.yuan and near and squash(i.name) not in out:
                out[squash(i.name)] = (t, t.indicators.index(i) + 1)
    return list(out.values())[:3]


def _brief_cost(name: str, amount: Decimal, labels: tuple[str, str]) -> Indicator:
    prov = Provenance(kind="from_brief")
    return _cost(labels, name, f"≤{money(amount)}", prov, "项目简介给出的成本明细", "from_brief")


def _cost_row(brief, source: Table, row: int, amount: Decimal, how: str, labels) -> Indicator:
    prov = Provenance(
        kind="from_brief",
        table_id=source.id,
        row=row,
        note="成本金额是按预算数折算的初值，请按本项目的预算测算核实",
    )
    reason = f"预算数{money(brief.budget)}：{how}"
    name = source.indicators[row - 1].name
    return _cost(labels, name, f"≤{money(amount)}", prov, reason, "cost_breakdown")


def _cost_placeholder(brief: Brief, label1: str, label2: str) -> Indicator:
    prov = Provenance(
        kind="needs_input",
        note=f"请按预算测算列出成本构成，各项合计等于预算数{money(brief.budget)}",
    )
    reason = "成本指标应是预算的分项明细，资料库中没有更多可参照的成本项目"
    name = f"{PLACEHOLDER[:-1]}成本项目】"
    return _cost((label1, label2), name, f"≤{PLACEHOLDER}万元", prov, reason, "cost_breakdown")


def money(yuan: Decimal) -> str:
    """`43.2万元` when 万元 says it exactly in two decimals, else `154537.08元`."""
    if yuan >= 10000 and yuan % 100 == 0:
        return f"{(yuan / 10000).normalize():f}万元"
    return f"{yuan.normalize():f}元"


def in_form_order(rows: list[Indicator], framework: str) -> list[Indicator]:
    """Rows grouped as the form lists the categories (required first, then the others)."""
    order = [canonical_level2(l2) for _, l2, _ in REQUIRED[framework]]
    order += [canonical_level2(l2) for _, l2 in OPTIONAL]

    def key(ind: Indicator) -> int:
        l2 = canonical_level2(ind.level2)
        return order.index(l2) if l2 in order else len(order)

    return sorted(rows, key=key)  # stable: within a category, in the order chosen

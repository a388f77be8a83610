"""Drafting next year's table from this year's: years moved, the budget replaced and the costs
that hang on it recomputed, last year's deterministic defects fixed, and every change listed.

`draft_next(table, year=None, budget=None)` → `Draft`: the new `Table` (each row with its
`Provenance`: kept, adapted or needs_input), the table-level changes, and the findings left for
the officer (heuristic ones, never fixed by machine). The same `Draft` serves a draft from a brief:
its rows are then `from_brief` / `from_library` / `needs_input`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.catalogue import CATALOGUE, NOTES, family
from jixiao.draft_edit import ROW_FIELDS, TABLE_FIELDS, Editor, needs_input
from jixiao.draft_fixes import FIXES, STRUCTURAL, scaled_cap
from jixiao.draft_years import infer_year, shift_text
from jixiao.model import Change, Finding, Indicator, Table
from jixiao.rules import check

MAX_ROUNDS = 8


class CellChange(BaseModel):
    """One line of the diff: a changed cell, before → after, and why."""

    model_config = ConfigDict(extra="forbid")

    row: int | None  # the draft's 1-based row; None for the table's own fields
    source_row: int | None  # last year's row it comes from; None for a new row or table field
    where: str  # `第3行 数量指标/法律援助案件数`, or `项目名称`
    field: str
    before: str
    after: str
    reason: str
    code: str = ""


class Draft(BaseModel):
    """A drafted table with where each row comes from and what is left for the officer."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["next", "new"] = "next"  # next year's from a table, or new from a brief
    table: Table
    source_id: str = ""  # last year's table
    source_project: str = ""
    from_year: int | None = None
    to_year: int | None = None
    table_changes: list[Change] = Field(default_factory=list)
    left: list[Finding] = Field(default_factory=list)  # heuristic findings, for the officer
    unfixed: list[Finding] = Field(default_factory=list)  # deterministic ones still there

    def diff(self) -> list[CellChange]:
        """Every changed cell once (first before → last after, the reasons joined): the table's
        fields first, then row by row."""
        lines = [
            CellChange(
                row=None,
                source_row=None,
                where=TABLE_FIELDS.get(c.field, c.field),
                **c.model_dump(),
            )
            for c in _merged(self.table_changes)
        ]
        for n, ind in enumerate(self.table.indicators, start=1):
            prov = ind.provenance
            for c in _merged(prov.changes if prov else []):
                where = f"第{n}行 {ind.level2}/{ind.name}"
                lines.append(CellChange(row=n, source_row=prov.row, where=where, **c.model_dump()))
        return lines

    def count(self, kind: str) -> int:
        return sum(1 for i in self.table.indicators if i.provenance and i.provenance.kind == kind)

    def placeholders(self) -> int:
        """Cells the officer must fill (【请填写…】), over the table."""
        return sum(
            needs_input(t)
            for i in self.table.indicators
            for t in (i.level1, i.level2, i.name, i.description, i.value.raw)
        )

    def unfixed_outside_placeholders(self) -> list[Finding]:
        """Deterministic findings not about a placeholder the officer has still to fill."""
        return [f for f in self.unfixed if not awaits_input(f)]

    def field_label(self, field: str, row: bool) -> str:
        return (ROW_FIELDS if row else TABLE_FIELDS).get(field, field)


def draft_next(table: Table, year: int | None = None, budget: Decimal | None = None) -> Draft:
    """Next year's table from `table`: see the module's docstring."""
    ed = Editor(table)
    old_year = infer_year(table)
    new_year = year if year is not None else (old_year + 1 if old_year is not None else None)
    delta = new_year - old_year if new_year is not None and old_year is not None else 0
    _shift_years(ed, old_year, delta)
    if new_year is not None:
        ed.table_field("year", new_year, f"年度改为{new_year}年", "year_shifted")
    if budget is not None:
        _replace_budget(ed, budget)
    _from_actuals(ed)
    return finish(ed, source_project=table.project, from_year=old_year, to_year=new_year)


def finish(ed: Editor, **fields) -> Draft:
    """The `Draft` of an edited table: its deterministic defects fixed where the rules' own
    suggestions settle them, the rest sorted into what is left for the officer."""
    fix_defects(ed)
    found = [f for f in check(ed.table) if f.code not in NOTES]
    return Draft(
        table=ed.table,
        source_id=ed.source_id,
        table_changes=ed.table_changes,
        left=[f for f in found if family(f.code) != "D"],
        unfixed=[f for f in found if family(f.code) == "D"],
        **fields,
    )


def _shift_years(ed: Editor, year: int | None, delta: int) -> None:
    if not delta:
        return
    reason = f"年份顺延{delta:+d}年" if delta != 1 else "年份顺延一年"
    t = ed.table
    for field in ("title", "project", "purpose"):
        ed.table_field(field, shift_text(getattr(t, field), year, delta), reason, "year_shifted")
    ed.table_field("goals", [shift_text(g, year, delta) for g in t.goals], reason, "year_shifted")
    for ind in t.indicators:
        for field in ("name", "description"):
            ed.cell(
                ind, field, shift_text(getattr(ind, field), year, delta), reason, "year_shifted"
            )
        ed.cell(
            ind,
            "value",
            shift_text(ind.value.raw, year, delta, alone=False),
            reason,
            "year_shifted",
        )
        ind.breakdown = {
            shift_text(k, year, delta): shift_text(v, year, delta, alone=False)
            for k, v in ind.breakdown.items()
        }
        if ind.midterm is not None:
            from jixiao.values import parse_value

            ind.midterm = parse_value(shift_text(ind.midterm.raw, year, delta, alone=False))


def _from_actuals(ed: Editor) -> None:
    """Where the table carries last year's actual results (a 自评表, a 上年实际完成值 column):
    a `≥` target never below what was reached; and the actual itself stays with last year."""
    for ind in ed.table.indicators:
        actual, v = ind.actual, ind.value
        if actual is None:
            continue
        reached = actual.number is not None and v.number is not None and actual.unit == v.unit
        if reached and v.comparator in ("≥", ">") and actual.number > v.number:
            after = f"{v.comparator}{actual.number.normalize():f}{v.unit or ''}"
            why = f"不低于上年实际完成值“{actual.raw}”（原目标“{v.raw}”已经达到）"
            ed.cell(ind, "value", after, why, "actual_floor")
        ind.actual = None
        ed.note_change(
            ind, "actual", actual.raw, "", "实际完成值属于上一年度，新表待年末填报", "actual"
        )


def _replace_budget(ed: Editor, budget: Decimal) -> None:
    t = ed.table
    old = t.budget_total
    reason = "换成新一年的预算数"
    ed.table_field("budget_total", budget.quantize(Decimal("0.01")), reason, "budget_replaced")
    other = t.budget_other or Decimal(0)
    fiscal = budget - other if other <= budget else budget
    ed.table_field(
        "budget_fiscal",
        fiscal.quantize(Decimal("0.01")),
        reason + "（其他资金不变）",
        "budget_replaced",
    )
    if not old:
        return
    factor = budget / old
    for r in check_rows_with_caps(t):
        after = scaled_cap(r.value, factor)
        ed.cell(
            r, "value", after, f"总成本上限按新预算等比例调整（×{factor:.4f}）", "cost_recomputed"
        )


def check_rows_with_caps(table: Table) -> list:
    """The cost rows that cap a total (not a per-unit cost): they move with the budget."""
    from jixiao.rules.cost import PER_UNIT_NAME

    rows = []
    for ind in table.indicators:
        v = ind.value
        cost = "成本" in ind.level2 and "社会" not in ind.level2 and "生态" not in ind.level2
        if not cost or v.yuan is None or v.comparator in ("≥", ">"):
            continue
        if v.per is None and not PER_UNIT_NAME.search(ind.name):
            rows.append(ind)
    return rows


def fix_defects(ed: Editor) -> None:
    """Rounds of review and repair until no deterministic finding can be fixed."""
    for _ in range(MAX_ROUNDS):
        rows = list(ed.table.indicators)
        fixable = [
            f
            for f in check(ed.table)
            if f.code in FIXES and family(f.code) == "D" and not awaits_input(f)
        ]
        if not fixable:
            return
        changed, touched = False, set()
        for f in [f for f in fixable if f.code not in STRUCTURAL]:
            if f.row is not None and f.row in touched:
                continue  # one change a cell a round: the next round sees the new value
            touched.add(f.row)
            changed |= FIXES[f.code](ed, f, rows[f.row - 1] if f.row else None)
        for f in [f for f in fixable if f.code in STRUCTURAL]:
            changed |= FIXES[f.code](ed, f, rows[f.row - 1] if f.row else None)
            if f.code != "invalid_category":
                break  # rows were added: the next round numbers them
        if not changed:
            return


FROM_GOAL = "from_goal"  # the change code of a row whose name the drafter took from a goal


def named_from_goal(ind: Indicator) -> bool:
    """Whether the drafter named the row from a goal's words (`draft_goals`)."""
    return ind.provenance is not None and any(c.code == FROM_GOAL for c in ind.provenance.changes)


def awaits_input(f: Finding) -> bool:
    """Whether a finding is about a 【请填写】 placeholder (it goes once the officer fills it)."""
    return needs_input(f.evidence) or needs_input(f.message)


def as_awaiting(findings: list[Finding]) -> tuple[list[Finding], int]:
    """The findings as a draft shows them: one about a 【请填写】 placeholder becomes a note that
    the cell awaits the officer (it goes once filled), not an error; and how many did."""
    out, waiting = [], 0
    for f in findings:
        if awaits_input(f) and f.severity != "info":
            waiting += 1
            f = f.model_copy(update={"severity": "info", "message": f"待填写：{f.message}"})
        out.append(f)
    return out, waiting


def _merged(changes: list[Change]) -> list[Change]:
    """One change per field, in the order fields were first changed."""
    out: dict[str, Change] = {}
    for c in changes:
        if c.field in out:
            first = out[c.field]
            out[c.field] = Change(
                field=c.field,
                before=first.before,
                after=c.after,
                reason=f"{first.reason}；{c.reason}",
                code=",".join(dict.fromkeys([*first.code.split(","), c.code])),
            )
        else:
            out[c.field] = c
    return [c for c in out.values() if c.before != c.after]


def code_title(code: str) -> str:
    """The Chinese name of a finding code, or the code (year_shifted and the like)."""
    return CATALOGUE[code].title if code in CATALOGUE else code

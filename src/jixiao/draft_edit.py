"""Editing a draft table so that every change is recorded: cell, before, after, reason.

A row's changes live in its `Provenance` (so they travel with the row into JSON); changes to the
table's own fields (project, goals, budget) in the editor's `table_changes`.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Change, Indicator, Provenance, Table
from jixiao.values import parse_value

PLACEHOLDER = "【请填写】"
TABLE_FIELDS = {
    "title": "标题",
    "project": "项目名称",
    "year": "年度",
    "purpose": "资金用途",
    "goals": "绩效目标",
    "budget_total": "预算数",
    "budget_fiscal": "其中：财政资金",
    "budget_other": "其他资金",
    "artifacts": "复制残留",
}
ROW_FIELDS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
    "weight": "权重",
    "actual": "实际完成值",
    "artifacts": "复制残留",
    "row": "整行",
}


def needs_input(text: str) -> bool:
    """Whether a cell still holds a placeholder for the officer to fill."""
    return "【请" in text


class Editor:
    """The draft being made: a copy of last year's table whose rows start as `kept`."""

    def __init__(self, table: Table, fresh: bool = False) -> None:
        """`fresh`: a new table whose rows already say where they come from (a draft from a
        brief); otherwise every row starts as `kept` from `table`."""
        self.source_id = "" if fresh else table.id
        self.table = table.model_copy(deep=True)
        self.table.source = None
        if not fresh:
            for n, ind in enumerate(self.table.indicators, start=1):
                ind.provenance = Provenance(kind="kept", table_id=self.source_id, row=n)
        self.table_changes: list[Change] = []

    # --- cells -------------------------------------------------------------------------------

    def cell(self, ind: Indicator, field: str, after: str, reason: str, code: str) -> bool:
        """Set one text cell of a row (`value` re-read by the value grammar); False if unchanged."""
        before = ind.value.raw if field == "value" else getattr(ind, field)
        if after == before:
            return False
        if field == "value":
            ind.value = parse_value(after)
        else:
            setattr(ind, field, after)
        self._record(ind, Change(field=field, before=before, after=after, reason=reason, code=code))
        return True

    def note_change(
        self, ind: Indicator, field: str, before: str, after: str, reason: str, code: str
    ) -> None:
        """Record a change already made to a non-text cell (a weight)."""
        self._record(ind, Change(field=field, before=before, after=after, reason=reason, code=code))

    def clear_artifacts(self, ind: Indicator, reason: str, code: str) -> None:
        if ind.artifacts:
            before = "、".join(ind.artifacts)
            ind.artifacts = []
            self._record(
                ind, Change(field="artifacts", before=before, after="", reason=reason, code=code)
            )

    def _record(self, ind: Indicator, change: Change) -> None:
        prov = ind.provenance or Provenance(kind="adapted")
        prov.changes.append(change)
        texts = (ind.name, ind.description, ind.value.raw, ind.level1, ind.level2)
        if any(needs_input(t) for t in texts):
            prov.kind = "needs_input"
        elif prov.kind == "kept":
            prov.kind = "adapted"
        ind.provenance = prov

    # --- rows --------------------------------------------------------------------------------

    def add_row(self, ind: Indicator, at: int, reason: str, code: str, note: str = "") -> None:
        """Insert a new row (0-based position `at`), marked `needs_input` when it holds a
        placeholder; its one change is the whole row."""
        texts = (ind.name, ind.description, ind.value.raw)
        kind = "needs_input" if any(needs_input(t) for t in texts) else "adapted"
        after = f"{ind.level1}/{ind.level2}/{ind.name}：{ind.value.raw}"
        change = Change(field="row", before="", after=after, reason=reason, code=code)
        ind.provenance = Provenance(kind=kind, changes=[change], note=note)
        self.table.indicators.insert(at, ind)

    def move_row(self, ind: Indicator, at: int) -> None:
        rows = self.table.indicators
        rows.remove(ind)
        rows.insert(min(at, len(rows)), ind)

    # --- the table's own fields ---------------------------------------------------------------

    def table_field(self, field: str, after, reason: str, code: str) -> bool:
        before = getattr(self.table, field)
        if after == before:
            return False
        setattr(self.table, field, after)
        self.table_changes.append(
            Change(field=field, before=_text(before), after=_text(after), reason=reason, code=code)
        )
        return True


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return str(value)

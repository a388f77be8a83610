"""A draft as an editable grid, and the officer's edits back into the draft: every changed cell
recorded in the row's provenance (so the diff lists it), rows added at the end kept."""

from __future__ import annotations

from jixiao.draft import Draft
from jixiao.draft_edit import Editor
from jixiao.model import Indicator
from jixiao.ui.render import provenance_text
from jixiao.values import parse_value

FIELDS = ["level1", "level2", "name", "description", "value"]
HEADERS = ["序号", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "来源（不可编辑）"]
EDITED = "填报人在网页上修改"


def grid_rows(draft: Draft) -> list[list[str]]:
    return [
        [
            str(n),
            ind.level1,
            ind.level2,
            ind.name,
            ind.description,
            ind.value.raw,
            provenance_text(ind),
        ]
        for n, ind in enumerate(draft.table.indicators, start=1)
    ]


def apply_grid(draft: Draft, rows: list[list]) -> Draft:
    """The draft with the grid's cells: changed cells recorded, new rows appended, rows left
    wholly empty dropped."""
    ed = Editor(draft.table, fresh=True)
    inds = ed.table.indicators
    keep: list[Indicator] = []
    for i, row in enumerate(rows):
        cells = [("" if c is None else str(c)).strip() for c in list(row)[1:6]]
        cells += [""] * (5 - len(cells))
        if not any(cells):
            continue
        if i < len(inds):
            ind = inds[i]
            for field, text in zip(FIELDS, cells, strict=True):
                ed.cell(ind, field, text, EDITED, "edited")
        else:
            ind = Indicator(level1=cells[0], level2=cells[1], name=cells[2], description=cells[3])
            ind.value = parse_value(cells[4])
            ed.add_row(ind, len(ed.table.indicators), EDITED, "edited")
        keep.append(ind)
    ed.table.indicators = keep
    return draft.model_copy(update={"table": ed.table})

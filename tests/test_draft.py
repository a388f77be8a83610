"""Drafting next year's table: years moved, budget and costs recomputed, defects fixed, every
change listed — on the 14 seed tables and the 19 real tables of other units."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.catalogue import NOTES, family
from jixiao.draft import draft_next
from jixiao.draft_years import WINDOW, shift_text
from jixiao.readers import load
from jixiao.rules import check
from jixiao.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "eval/datasets/real/files"
ALL = load_seed() + load([REAL]).tables
YEARISH = re.compile(r"((?:19|20)\d{2})(?=\s*年|[./-]\d)")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("2023年12月31日前", "2024年12月31日前"),
        ("2023.07-2024.01", "2024.07-2025.01"),
        ("2023-2025年", "2024-2026年"),
        ("2022年1月--2022年11月", "2023年1月--2023年11月"),
        ("2023年度项目", "2024年度项目"),
        ("2025金安国际网球公开赛", "2026金安国际网球公开赛"),
        ("≥2023人次", "≥2023人次"),  # a count, not a year
        ("共2023个", "共2023个"),
        ("2023元", "2023元"),
        ("津财行政指【2023】24号", "津财行政指【2023】24号"),  # a document number
        ("自2015年以来", "自2015年以来"),  # outside the table's years
        ("2035年远景目标", "2035年远景目标"),
    ],
)
def test_years_move_and_counts_stay(before, after):
    assert shift_text(before, 2023, 1) == after


def test_a_bare_number_in_a_value_is_not_a_year():
    assert shift_text("2023", 2023, 1, alone=False) == "2023"
    assert shift_text("2023年底前", 2023, 1, alone=False) == "2024年底前"


def _source_rows(draft):
    return [i.provenance.row for i in draft.table.indicators if i.provenance.row is not None]


def _shifted_text(draft_text: str, changes, field: str) -> str:
    """The field as the year shift left it (later defect fixes may rewrite it again)."""
    mine = [c for c in changes if c.field == field]
    shifted = [c for c in mine if c.code == "year_shifted"]
    if any(c.code != "year_shifted" for c in mine):
        return shifted[-1].after if shifted else mine[0].before
    return draft_text


def _years(text: str, year: int) -> list[int]:
    return [int(y) for y in YEARISH.findall(text) if WINDOW[0] <= int(y) - year <= WINDOW[1]]


@pytest.mark.parametrize("table", ALL, ids=[f"{i:02d}" for i in range(len(ALL))])
def test_draft_next_fixes_every_defect_moves_every_year_and_loses_no_row(table):
    draft = draft_next(table)
    # No row lost: each of last year's rows is in the draft once.
    assert sorted(_source_rows(draft)) == list(range(1, len(table.indicators) + 1))
    # No deterministic finding left, but on rows the officer must still fill (【请填写】).
    left = [
        f
        for f in check(draft.table)
        if family(f.code) == "D"
        and f.code not in NOTES
        and (f.row is None or draft.table.indicators[f.row - 1].provenance.kind != "needs_input")
    ]
    if table.budget_fiscal and table.budget_total and table.budget_fiscal > table.budget_total:
        # 财政资金 above 预算数: only the officer knows which is wrong; a new budget settles it.
        assert [f.code for f in left] == ["budget_breakdown_inconsistent"]
        left = [
            f
            for f in check(draft_next(table, budget=Decimal(500000)).table)
            if f.row is None and family(f.code) == "D" and f.code not in NOTES
        ]
    assert left == []
    # Every year moved.
    if draft.from_year is not None:
        delta = draft.to_year - draft.from_year
        for ind in draft.table.indicators:
            if ind.provenance.row is None:
                continue
            old = table.indicators[ind.provenance.row - 1]
            for field, before in (
                ("name", old.name),
                ("description", old.description),
                ("value", old.value.raw),
            ):
                now = ind.value.raw if field == "value" else getattr(ind, field)
                now = _shifted_text(now, ind.provenance.changes, field)
                assert _years(now, draft.to_year) == [
                    y + delta for y in _years(before, draft.from_year)
                ]
        assert _years(draft.table.project, draft.to_year) == [
            y + delta for y in _years(table.project, draft.from_year)
        ]
    # Every change has a reason; a defect fix names the finding's code.
    for line in draft.diff():
        assert line.reason and line.before != line.after
        for code in line.code.split(","):
            assert (
                code in ("year_shifted", "budget_replaced", "cost_recomputed")
                or code in line.reason
            )

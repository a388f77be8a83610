"""Drafting next year's table: years moved, budget and costs recomputed, defects fixed, every
change listed — on the 14 seed tables and the 19 real tables of other units."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.catalogue import NOTES, family
from jixiao.draft import awaits_input, draft_next
from jixiao.draft_years import WINDOW, shift_text
from jixiao.model import Indicator, Table
from jixiao.readers import load
from jixiao.rules import check
from jixiao.seed import load_seed
from jixiao.values import parse_value

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "eval/datasets/real/files"
FRESH = [ROOT / f"eval/datasets/{d}/files" for d in ("real-fresh", "real-fresh2", "real-fresh3")]
ALL = load_seed() + load([REAL]).tables + load(FRESH).tables
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


def _deterministic(f) -> bool:
    """A defect the draft should have fixed: not a note, not a 【请填写】 the officer must fill,
    and not the officer's call: a value of several figures to split (`返本20%,分红8%`), or a
    unit cost whose quantity costs more than the budget (the count, the standard or the budget
    may be what is wrong)."""
    several = f.code == "missing_comparator" and "无法按一个数考核" in f.message
    product = f.code == "cost_exceeds_budget" and f.message.startswith("单位成本×计划数量")
    return (
        family(f.code) == "D"
        and f.code not in NOTES
        and not awaits_input(f)
        and not several
        and not product
    )


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
    # No deterministic finding left, but about a 【请填写】 the officer must still fill.
    left = [f for f in check(draft.table) if _deterministic(f)]
    if table.budget_fiscal and table.budget_total and table.budget_fiscal > table.budget_total:
        # 财政资金 above 预算数: only the officer knows which is wrong; a new budget settles it.
        assert [f.code for f in left] == ["budget_breakdown_inconsistent"]
        left = [
            f for f in check(draft_next(table, budget=Decimal(500000)).table) if _deterministic(f)
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
                code in ("year_shifted", "budget_replaced", "cost_recomputed", "actual")
                or code in line.reason
            )


def _seed_table(project: str):
    return next(t for t in load_seed() if t.project == project)


def test_a_new_budget_scales_total_caps_and_keeps_unit_costs():
    t = _seed_table("普法宣传专项经费")
    caps = [i for i in t.indicators if "成本" in i.level2]
    draft = draft_next(t, budget=t.budget_total * Decimal("0.8"))
    assert draft.table.budget_total == (t.budget_total * Decimal("0.8")).quantize(Decimal("0.01"))
    assert draft.table.budget_fiscal + (draft.table.budget_other or 0) == draft.table.budget_total
    changed = {c.field: c for c in draft.table_changes}
    assert changed["budget_total"].code == "budget_replaced"
    scaled = [line for line in draft.diff() if "cost_recomputed" in line.code]
    assert [(line.before, line.after) for line in scaled] == [("15万元", "≤12万元")]
    assert "按新预算等比例调整" in scaled[0].reason and caps
    assert [f for f in check(draft.table) if _deterministic(f)] == []


def test_placeholders_are_never_figures():
    draft = draft_next(next(t for t in ALL if t.project.startswith("濮阳市档案馆")))
    added = [i for i in draft.table.indicators if i.provenance.row is None]
    assert added and all(i.provenance.kind == "needs_input" for i in added)
    assert all("【请填写】" in i.value.raw and not re.search(r"\d", i.value.raw) for i in added)


def test_cli_draft_next_writes_docx_xlsx_json_and_a_diff(tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from jixiao.cli import app
    from jixiao.writers import json as json_writer

    source = json_writer.write([_seed_table("普法宣传专项经费")], tmp_path / "2024.json")
    runner = CliRunner()
    for name in ("next.docx", "next.xlsx", "next.json"):
        args = ["draft", "next", str(source), "--year", "2025", "--budget", "20万元"]
        result = runner.invoke(
            app, [*args, "-o", str(tmp_path / name), "--diff", str(tmp_path / "diff.md")]
        )
        assert result.exit_code == 0, result.output
        assert "待填写" in result.output and "保留" in result.output
    read = load([tmp_path / n for n in ("next.docx", "next.xlsx", "next.json")])
    assert not read.problems and len(read.tables) == 3
    # The seed's layout has no year cell: only JSON keeps a year the texts do not name.
    assert read.tables[2].year == 2025 and all(t.budget_total == 200000 for t in read.tables)
    assert all(len(t.indicators) == 6 for t in read.tables)
    assert read.tables[2].indicators[0].provenance.kind in ("kept", "adapted", "needs_input")
    text = "\n".join(
        c.text for t in Document(tmp_path / "next.docx").tables for row in t.rows for c in row.cells
    )
    assert "≤12万元" not in text or "【请填写】" in text
    parsed = runner.invoke(app, ["parse", str(tmp_path / "next.json")])
    assert parsed.exit_code == 0 and "读取了 1 张表" in parsed.output
    diff = (tmp_path / "diff.md").read_text(encoding="utf-8")
    assert "| 指标值 | 15万元 | ≤12万元 |" in diff
    result = runner.invoke(
        app,
        [
            "draft",
            "next",
            str(source),
            "-o",
            str(tmp_path / "n.json"),
            "--diff",
            str(tmp_path / "d.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "d.xlsx")["变更清单"]
    assert [c.value for c in sheet[1]][:3] == ["序号", "项目名称", "位置"] and sheet.max_row > 1


def test_cli_draft_next_from_a_library_id_without_the_index(tmp_path):
    from typer.testing import CliRunner

    from jixiao.cli import app
    from jixiao.workspace import Workspace

    table = _seed_table("普法宣传专项经费")
    Workspace(model=None).library.add([table])
    result = CliRunner().invoke(
        app, ["draft", "next", table.id[:8], "--year", "2025", "-o", str(tmp_path / "n.md")]
    )
    assert result.exit_code == 0, result.output
    assert "普法宣传专项经费" in (tmp_path / "n.md").read_text(encoding="utf-8")
    bad = CliRunner().invoke(app, ["draft", "next", "nosuch.xlsx", "-o", str(tmp_path / "n.md")])
    assert bad.exit_code != 0


def test_next_year_starts_from_last_year_s_actual_results():
    rows = [
        ("数量指标", "法律援助案件数", "≥600件", "712件"),  # exceeded: the floor rises
        ("质量指标", "案件办结率", "≥95%", "93%"),  # missed: the target stays
        ("成本指标", "案均补贴", "≤1500元/件", "1320元/件"),  # an upper bound is not raised
        ("服务对象满意度指标", "受援人满意度", "≥90%", None),  # no actual: untouched
    ]
    t = Table(
        project="法律援助专项经费",
        year=2025,
        budget_total=Decimal(900000),
        budget_fiscal=Decimal(900000),
        indicators=[
            Indicator(
                level1="满意度指标" if "满意" in l2 else ("产出指标"),
                level2=l2,
                name=name,
                value=parse_value(target),
                actual=parse_value(actual) if actual else None,
            )
            for l2, name, target, actual in rows
        ],
    )
    draft = draft_next(t)
    values = [i.value.raw for i in draft.table.indicators]
    assert values[:4] == ["≥712件", "≥95%", "≤1500元/件", "≥90%"]
    assert all(i.actual is None for i in draft.table.indicators)  # last year's, not next year's
    lines = {(c.row, c.field): c for c in draft.diff()}
    assert lines[(1, "value")].code == "actual_floor" and "712件" in lines[(1, "value")].reason
    assert lines[(1, "actual")].before == "712件" and lines[(1, "actual")].after == ""
    assert (2, "value") not in lines and (3, "value") not in lines


def test_money_counted_in_items_and_a_standard_per_nothing_are_redrafted_in_their_units():
    # real-dev X14 (安置小区物业费 | 8个) and X17 (补助标准 | 万元): not turned into rates.
    rows = [
        ("数量指标", "安置小区物业费", "8个"),
        ("成本指标", "硬化水泥砼公路补助标准", "≤40万元"),
    ]
    t = Table(
        project="2021年物业管理",
        year=2021,
        indicators=[
            Indicator(level1="产出指标", level2=b, name=n, value=parse_value(v)) for b, n, v in rows
        ],
    )
    draft = draft_next(t)
    kept = [i.value.raw for i in draft.table.indicators if i.provenance.row]  # last year's rows
    assert kept == ["≤【请填写】万元", "≤40万元/【请填写】"]

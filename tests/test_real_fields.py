"""What the readers recover around the grid of real tables (year, unit, goals, annual money) and
the results actually reached beside the targets (eval/datasets/real, and files built here)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from jixiao.readers import explain, read_path
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer
from jixiao.writers import markdown as md_writer
from jixiao.writers import xlsx as xlsx_writer

DATASETS = Path(__file__).resolve().parents[1] / "eval" / "datasets"
REAL = DATASETS / "real" / "files"
MADE = DATASETS / "layouts-made" / "files"


def _one(name: str):
    [table] = read_path(REAL / name)
    return table


def _word(path: Path, rows: list[list[str]], above: list[str] = ()) -> Path:
    """A Word file with paragraphs `above` and one table of `rows`."""
    doc = Document()
    for line in above:
        doc.add_paragraph(line)
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for cells in rows:
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text
    doc.save(path)
    return path


GRID = [
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "开展普法宣传活动", "≥40场"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"],
]


# --- year -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("X02.docx", 2022),  # paragraph (2022年度) above the table
        ("X03.xlsx", 2021),  # merged cell (2021年)
        ("X04.docx", 2022),
        ("X07.xlsx", 2023),
        ("X09.xlsx", 2024),  # merged cell ( 2024 年度)
        ("X10.docx", 2025),
        ("X12.docx", 2025),
        ("X13.xlsx", 2019),
        ("X14.docx", 2021),
        ("X16.docx", 2021),  # under an approval letter
        ("X18.docx", 2022),
    ],
)
def test_year_from_the_line_under_the_title(name, year):
    assert _one(name).year == year


def test_year_line_and_titled_year_in_files_built_here(tmp_path):
    rows = [["项目名称", "普法宣传经费", "", ""], *GRID]
    [doc] = read_path(_word(tmp_path / "a.docx", rows, above=["项目支出绩效目标表", "（2021年）"]))
    assert doc.year == 2021

    # The title's year is the table's, though the project is named for the year before.
    rows = [["项目名称", "2021年结转普法宣传经费", "", ""], *GRID]
    [doc] = read_path(_word(tmp_path / "b.docx", rows, above=["2022年度项目支出绩效目标表"]))
    assert doc.year == 2022

    wb = Workbook()
    ws = wb.active
    ws.append(["项目支出绩效目标申报表"])
    ws.append(["( 2024 年度)", "", "", ""])
    ws.merge_cells("A2:D2")
    ws.append(["项目名称", "普法宣传经费", "项目期", "2019年"])  # a period, not the table's year
    for row in GRID:
        ws.append(row)
    wb.save(tmp_path / "c.xlsx")
    [sheet] = read_path(tmp_path / "c.xlsx")
    assert sheet.year == 2024


def test_a_lone_number_or_date_line_is_not_a_year(tmp_path):
    rows = [["项目名称", "普法宣传经费", "", ""], *GRID]
    path = _word(tmp_path / "a.docx", rows, above=["项目支出绩效目标表", "2020", "2020年3月20日"])
    [table] = read_path(path)
    assert table.year is None


# --- goals ------------------------------------------------------------------------------------


def test_goals_are_the_annual_half_of_a_midterm_and_annual_goal_block():
    x09 = _one("X09.xlsx")
    assert x09.goals == [
        "通过项目实施,开展农产品质量安全监测及三品一标工作,实现农产品质量安全得到提升,"
        "检测批次达到2批次/千人,“两强一增”认证总数得到上升。"
    ]
    x13 = _one("X13.xlsx")
    assert x13.goals == [
        "督促勘察设计单位、咨询单位完成勘察设计费、审查咨询费结算532万元,"
        "以及茶山、常平镇街完成3个项目补助尾款结算387万元。"
    ]


def test_goal_label_with_a_fill_in_note():
    assert _one("X02.docx").goals == [
        "主体班培训280人次;邀请校外名师、领导授课25人次;情景教学或外训批次6批次;"
        "开设课程数量220门;高质量完成干部教育培训工作。"
    ]


def test_goal_heads_in_a_word_table(tmp_path):
    rows = [
        ["项目名称", "普法宣传经费", "", ""],
        ["总体目标", "中期目标（2023年—2025年）", "年度目标", "年度目标"],
        ["总体目标", "三年开展普法活动120场。", "全年开展普法活动40场。", "全年开展普法活动40场。"],
        *GRID,
    ]
    [table] = read_path(_word(tmp_path / "a.docx", rows))
    assert table.goals == ["全年开展普法活动40场。"]
    assert [i.value.raw for i in table.indicators] == ["≥40场", "≥90%"]


@pytest.mark.parametrize(
    "goal_rows, purpose",
    [
        # real-fresh FA06: 长期目标 beside 年度目标, the side label on the heads' row.
        (
            [
                ["项目绩效目标", "长期目标", "年度目标", "年度目标"],
                ["项目绩效目标", "持续改善空气质量。", "全年服务180天。", "全年服务180天。"],
            ],
            "",
        ),
        # FB01: a label in 【】; FB06: 项目总体情况 is the project's description, not its goal.
        (
            [
                ["【总体目标】", "全年服务180天。", "", ""],
                ["项目总体情况", "每生每年780元。", "", ""],
            ],
            "每生每年780元。",
        ),
        # FB03: a merged side label and the row's label read together.
        ([["总体目标 年度目标", "全年服务180天。", "", ""]], ""),
    ],
)
def test_goal_labels_of_fresh_real_forms(tmp_path, goal_rows, purpose):
    rows = [["项目名称", "雾炮车服务", "", ""], *goal_rows, *GRID]
    [table] = read_path(_word(tmp_path / "a.docx", rows))
    assert table.goals == ["全年服务180天。"]
    assert table.purpose == purpose


# --- money ------------------------------------------------------------------------------------


def test_annual_fiscal_amount_beside_the_midterm_one():
    x09 = _one("X09.xlsx")
    # 中期资金总额: 68.50 | 年度资金总额: 51.35 on one row, 其中:财政拨款 68.50 | 51.35 below.
    assert (x09.budget_total, x09.budget_fiscal, x09.budget_other) == (
        Decimal("513500.00"),
        Decimal("513500.00"),
        Decimal("0.00"),
    )


# --- unit -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "unit"),
    [
        ("X01.xlsx", "324001", "甘孜藏族自治州市场监督管理局机关"),  # 324001-… without the hyphen
        ("X03.xlsx", "433001", "乌海市供销合作社联合社"),  # 实施单位, not 主管部门 (433)…(部门)
        ("X04.docx", "", "圣灯山镇人民政府"),  # 绩效编制单位 above; 实施单位 is 党群办
        ("X06.docx", "", "天津市宁河区教育局"),  # 主管预算部门
        ("X09.xlsx", "066", "六安市农业农村局"),  # code from 主管部门及代码 [066] of the same unit
        ("X14.docx", "", "安徽金寨经济开发区管理委员会"),  # 实施单位, not 主管部门 县财政局
        ("X19.xlsx", "", "陈仓区水利局"),  # 区级主管部门, not 市级
    ],
)
def test_the_unit_that_spends_the_money(name, code, unit):
    table = _one(name)
    assert (table.unit_code, table.unit_name) == (code, unit)


def test_implementing_unit_over_supervisor_unless_it_lists_several(tmp_path):
    rows = [
        ["项目名称", "普法宣传经费", "", ""],
        ["主管部门", "某区司法局", "实施单位", "某区普法办"],
    ]
    [table] = read_path(_word(tmp_path / "a.docx", rows + GRID))
    assert table.unit_name == "某区普法办"
    rows[1][3] = "某区司法局及各街道司法所"
    [table] = read_path(_word(tmp_path / "b.docx", rows + GRID))
    assert table.unit_name == "某区司法局"


# --- actual values ----------------------------------------------------------------------------


def test_last_years_actuals_beside_the_targets():
    _, table = read_path(MADE / "W02.docx")  # 2022年实际完成值 | 预期2023年实现值
    first = table.indicators[0]
    assert (first.value.raw, first.actual.raw) == ("≥3900人", "3860人")
    assert (first.actual.number, first.actual.unit) == (Decimal(3860), "人")
    assert "列 E「2022年实际完成值」→ 实际完成值" in "\n".join(explain(table))


def test_an_empty_actual_column_leaves_the_table_as_it_was():
    x02 = _one("X02.docx")  # 2021年实际实现值 printed, never filled
    assert all(i.actual is None for i in x02.indicators)
    assert "列 E「2021年实际实现值」→ 实际完成值" in "\n".join(explain(x02))
    data = json.loads(json_writer.dumps([x02]))[0]
    assert not any("actual" in row for row in data["indicators"])


def _self_evaluation(path: Path) -> Path:
    """A 自评表 with split comparator / number / unit and a 实际完成值 column."""
    wb = Workbook()
    ws = wb.active
    ws.append(["项目名称", "法律援助案件补贴"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值"])
    ws.append(["产出指标", "数量指标", "办理法律援助案件", "≥", "320", "件", "335"])
    ws.append(["产出指标", "成本指标", "案均补贴", "≤", "500", "元/件", ""])
    ws.append(["满意度指标", "服务对象满意度指标", "受援人满意度", "≥", "90", "%", "96.5%"])
    wb.save(path)
    return path


def test_actuals_take_the_unit_column_but_not_the_comparator(tmp_path):
    [table] = read_path(_self_evaluation(tmp_path / "自评.xlsx"))
    cases, cost, satisfaction = table.indicators
    assert (cases.value.raw, cases.actual.raw, cases.actual.comparator) == ("≥320件", "335件", None)
    assert cost.actual is None
    assert satisfaction.actual.raw == "96.5%"
    data = json.loads(json_writer.dumps([table]))[0]["indicators"]
    assert data[0]["actual"]["raw"] == "335件" and "actual" not in data[1]


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json"])
def test_writers_show_actuals_and_read_them_back(tmp_path, fmt):
    [table] = read_path(_self_evaluation(tmp_path / "自评.xlsx"))
    writer = {"docx": docx_writer.write, "xlsx": xlsx_writer.write, "json": json_writer.write}[fmt]
    [back] = read_path(writer([table], tmp_path / f"out.{fmt}"))
    assert [i.actual and i.actual.raw for i in back.indicators] == ["335件", None, "96.5%"]
    assert back.content() == table.content()


def test_markdown_has_an_actual_column_only_when_a_row_has_one(tmp_path):
    [table] = read_path(_self_evaluation(tmp_path / "自评.xlsx"))
    assert "| 指标值 | 实际完成值 |" in md_writer.dumps([table])
    assert "实际完成值" not in md_writer.dumps([_one("X02.docx")])

"""Real-world layouts other than the seed's, built here with python-docx and openpyxl."""

from decimal import Decimal

from docx import Document
from openpyxl import Workbook

from jixiao.readers import read_path

SPLIT_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "权重（分）",
    "绩效标准",
    "指标方向",
]
SPLIT_ROWS = [
    ["产出指标", "数量指标", "培训人民调解员", "≥", "300", "人次", 20, "计划标准", "正向"],
    ["", "质量指标", "培训合格率", "≥", "95", "%", 15, "行业标准", "正向"],
    ["", "时效指标", "培训完成时间", "定性", "2025年10月底前", "", 10, "计划标准", ""],
    ["", "成本指标", "人均培训成本", "≤", "500", "元/人", 15, "历史标准", "反向"],
    ["效益指标", "社会效益指标", "矛盾纠纷调解成功率", "≥", "96", "%", 20, "历史标准", "正向"],
    ["满意度指标", "服务对象满意度指标", "当事人满意度", "≥", "90", "%", 20, "行业标准", "正向"],
]


def _split_sheet(ws, top=1, project="人民调解员培训项目", budget=15, unit_line=True):
    r = top
    ws.cell(r, 1, f"{project}绩效目标申报表")
    r += 1
    if unit_line:
        ws.cell(r, 1, "单位名称：天津市某区司法局")
        ws.cell(r, 7, "金额单位：万元")
        r += 1
    ws.cell(r, 1, "项目名称")
    ws.cell(r, 2, project)
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=9)
    r += 1
    for c, v in enumerate(
        ["年度资金总额", budget, "其中：财政拨款", budget - 3, "其他资金", 3], start=1
    ):
        ws.cell(r, c, v)
    r += 1
    ws.cell(r, 1, "年度目标")
    ws.cell(r, 2, "1.全年培训人民调解员300人次；2.提升调解成功率。")
    r += 1
    for c, h in enumerate(SPLIT_HEADER, start=1):
        ws.cell(r, c, h)
    first = r + 1
    for row in SPLIT_ROWS:
        r += 1
        for c, v in enumerate(row, start=1):
            if v != "":
                ws.cell(r, c, v)
    ws.merge_cells(start_row=first, start_column=1, end_row=first + 3, end_column=1)
    return r


def test_split_comparator_and_unit_columns_with_weights(tmp_path):
    wb = Workbook()
    _split_sheet(wb.active)
    path = tmp_path / "split.xlsx"
    wb.save(path)
    problems = []
    [table] = read_path(path, problems)
    assert problems == []
    assert table.project == "人民调解员培训项目"
    assert table.unit_name == "天津市某区司法局"
    assert table.money_unit == "万元"
    assert table.budget_total == Decimal("150000.00")
    assert table.budget_fiscal == Decimal("120000.00")
    assert table.budget_other == Decimal("30000.00")
    assert table.goals == ["全年培训人民调解员300人次；", "提升调解成功率。"]
    rows = table.indicators
    assert len(rows) == 6
    assert [r.level1 for r in rows] == ["产出指标"] * 4 + ["效益指标", "满意度指标"]
    first = rows[0]
    assert (first.value.raw, first.value.comparator, first.value.number, first.value.unit) == (
        "≥300人次",
        "≥",
        Decimal(300),
        "人次",
    )
    assert (
        first.weight == Decimal(20) and first.standard == "计划标准" and first.direction == "正向"
    )
    assert rows[2].value.raw == "2025年10月底前" and rows[2].value.kind == "date"
    assert rows[3].value.unit == "元/人" and rows[3].value.yuan == Decimal(500)
    assert sum(r.weight for r in rows) == 100


def test_docx_in_wan_yuan_with_fields_inside_the_table(tmp_path):
    doc = Document()
    doc.add_paragraph("社区矫正信息化建设项目绩效目标表")
    doc.add_paragraph("金额单位：万元")
    t = doc.add_table(rows=9, cols=5)
    cells = [
        ["项目名称", "社区矫正信息化建设", "", "", ""],
        ["主管部门", "343101天津市滨海新区司法局", "", "", ""],
        ["资金总额", "30.5", "财政资金", "30.5", ""],
        ["绩效目标", "1.建成社区矫正智慧监管平台\n2.电子定位覆盖率达到100%", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标解释", "指标值"],
        ["产出指标", "数量指标", "接入定位设备数", "接入平台的定位终端", "≥500台"],
        ["", "成本指标", "平台建设成本", "合同价", "≤30.5万元"],
        ["效益指标", "社会效益指标", "脱管率", "脱管人数/在册人数", "≤0.5%"],
        ["满意度指标", "服务对象满意度指标", "社区矫正对象满意度", "问卷调查", "≥85%"],
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    t.cell(0, 1).merge(t.cell(0, 4))
    t.cell(5, 0).merge(t.cell(6, 0))
    path = tmp_path / "wan.docx"
    doc.save(path)
    [table] = read_path(path)
    assert table.title == "社区矫正信息化建设项目绩效目标表"
    assert table.money_unit == "万元"
    assert table.budget_total == Decimal("305000.00") == table.budget_fiscal
    assert (table.unit_code, table.unit_name) == ("343101", "天津市滨海新区司法局")
    assert table.goals == ["建成社区矫正智慧监管平台", "电子定位覆盖率达到100%"]
    assert [i.level1 for i in table.indicators] == [
        "产出指标",
        "产出指标",
        "效益指标",
        "满意度指标",
    ]
    cost = table.indicators[1]
    assert cost.value.yuan == Decimal("305000") and cost.description == "合同价"


def test_workbook_with_several_tables_on_one_sheet_and_more_on_other_sheets(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "一批"
    end = _split_sheet(ws, top=1, project="人民调解员培训项目", budget=15)
    _split_sheet(ws, top=end + 3, project="法律援助宣传项目", budget=8)
    _split_sheet(wb.create_sheet("二批"), top=2, project="普法宣传项目", budget=25)
    notes = wb.create_sheet("填表说明")
    notes.cell(1, 1, "本表金额单位为万元，请按要求填写。")
    path = tmp_path / "many.xlsx"
    wb.save(path)
    problems = []
    tables = read_path(path, problems)
    assert [t.project for t in tables] == ["人民调解员培训项目", "法律援助宣传项目", "普法宣传项目"]
    assert [t.budget_total for t in tables] == [
        Decimal("150000.00"),
        Decimal("80000.00"),
        Decimal("250000.00"),
    ]
    assert [t.source.sheet for t in tables] == ["一批", "一批", "二批"]
    assert [t.source.table_index for t in tables] == [0, 1, 2]
    assert all(len(t.indicators) == 6 for t in tables)
    assert (
        tables[1].indicators[0].source.row == end + 3 + 6
    )  # title, unit, name, money, goal, header
    [note] = problems
    assert note.place == "工作表 填表说明" and "三级指标" in note.message


def test_docx_with_header_table_and_grid_table_and_two_projects(tmp_path):
    doc = Document()
    for project, count in (("安置帮教首站救助", "≥160人"), ("社区矫正教育帮扶", "≥800人")):
        head = doc.add_table(rows=2, cols=2)
        head.cell(0, 0).text, head.cell(0, 1).text = "项目名称", project
        head.cell(1, 0).text, head.cell(1, 1).text = "预算数（元）", "1,170,000.00"
        doc.add_paragraph("")
        grid = doc.add_table(rows=2, cols=5)
        for c, h in enumerate(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]):
            grid.cell(0, c).text = h
        for c, v in enumerate(["产出指标", "数量指标", "帮扶人数", "帮扶人数", count]):
            grid.cell(1, c).text = v
    path = tmp_path / "two.docx"
    doc.save(path)
    tables = read_path(path)
    assert [t.project for t in tables] == ["安置帮教首站救助", "社区矫正教育帮扶"]
    assert all(t.budget_total == Decimal("1170000.00") for t in tables)
    assert [t.indicators[0].value.number for t in tables] == [Decimal(160), Decimal(800)]


def test_docx_fields_inside_content_controls(tmp_path):
    from docx.oxml import OxmlElement

    doc = Document()
    title = doc.add_paragraph("法律援助案件补贴项目绩效目标表")
    grid = doc.add_table(rows=3, cols=5)
    rows = [
        ["项目名称", "法律援助案件补贴", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
        ["产出指标", "数量指标", "法律援助案件数量", "全年办结案件", "≥900件"],
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    # Forms made from templates wrap paragraphs and whole tables in content controls (w:sdt).
    for element in (title._p, grid._tbl):
        sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        element.addprevious(sdt)
        content.append(element)
        sdt.append(content)
    path = tmp_path / "sdt.docx"
    doc.save(path)
    [table] = read_path(path)
    assert table.title == "法律援助案件补贴项目绩效目标表"
    assert table.project == "法律援助案件补贴"
    assert table.indicators[0].value.raw == "≥900件"

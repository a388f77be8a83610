"""Generator for the W01..W14 wild-layout test tables (项目支出绩效目标表).

Odd IDs -> .xlsx (openpyxl), even IDs -> .docx (python-docx).
Each table is described as a list of "blocks": paragraphs / rows above the grid,
one grid (a list of rows of cells with col/row spans, HTML-table style) and
paragraphs / rows below.  A Word file may hold several (paragraphs, table) pairs.

Run:  .venv/bin/python eval/datasets/layouts-made/build.py
"""

import os

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")


# ---------------------------------------------------------------- grid helpers
class C:
    """one cell: text (str / int / float / None), colspan, rowspan, number format"""

    def __init__(self, v, cs=1, rs=1, fmt=None, bold=False):
        self.v, self.cs, self.rs, self.fmt, self.bold = v, cs, rs, fmt, bold


def _c(x):
    return x if isinstance(x, C) else C(x)


def place(rows, width):
    """HTML-table style placement; returns [(r, c, cell)], nrows."""
    occ = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for x in row:
            x = _c(x)
            while (r, c) in occ:
                c += 1
            for dr in range(x.rs):
                for dc in range(x.cs):
                    assert (r + dr, c + dc) not in occ, (r, c, x.v)
                    occ.add((r + dr, c + dc))
            out.append((r, c, x))
            c += x.cs
        while (r, c) in occ:
            c += 1
        assert c == width, f"row {r} fills {c} of {width}: {[_c(x).v for x in row]!r}"
    nrows = len(rows)
    for r, c in occ:
        assert c < width and r < max(nrows, r + 1)
    return out, max(r for r, _ in occ) + 1


# ---------------------------------------------------------------- xlsx writer
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def write_xlsx(path, sheet, width, parts, colwidths=None):
    """parts: list of ("line", text, align) | ("grid", rows) | ("blank",)"""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    r0 = 1
    for p in parts:
        kind = p[0]
        if kind == "blank":
            r0 += 1
        elif kind == "line":
            text, align = p[1], (p[2] if len(p) > 2 else "left")
            cell = ws.cell(row=r0, column=1, value=text)
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
            if align == "center":
                cell.font = Font(bold=True, size=14)
            ws.merge_cells(start_row=r0, start_column=1, end_row=r0, end_column=width)
            r0 += 1
        elif kind == "row":  # free row of cells without borders (e.g. 编制单位 ... 单位：元)
            placed, n = place([p[1]], width)
            for r, c, x in placed:
                cell = ws.cell(row=r0 + r, column=c + 1, value=x.v)
                cell.alignment = Alignment(
                    horizontal="left" if c == 0 else "right", vertical="center"
                )
                if x.cs > 1 or x.rs > 1:
                    ws.merge_cells(
                        start_row=r0 + r,
                        start_column=c + 1,
                        end_row=r0 + r + x.rs - 1,
                        end_column=c + x.cs,
                    )
            r0 += n
        elif kind == "grid":
            placed, n = place(p[1], width)
            for r in range(n):
                for c in range(width):
                    ws.cell(row=r0 + r, column=c + 1).border = BORDER
            for r, c, x in placed:
                cell = ws.cell(row=r0 + r, column=c + 1)
                if x.v is not None and x.v != "":
                    cell.value = x.v
                if x.fmt:
                    cell.number_format = x.fmt
                cell.alignment = Alignment(
                    horizontal="center"
                    if (x.cs > 1 or x.rs > 1)
                    and not isinstance(x.v, str)
                    or (isinstance(x.v, str) and len(x.v) <= 8)
                    else "left",
                    vertical="center",
                    wrap_text=True,
                )
                if x.bold:
                    cell.font = Font(bold=True)
                if x.cs > 1 or x.rs > 1:
                    ws.merge_cells(
                        start_row=r0 + r,
                        start_column=c + 1,
                        end_row=r0 + r + x.rs - 1,
                        end_column=c + x.cs,
                    )
            r0 += n
    for i in range(width):
        w = colwidths[i] if colwidths else 14
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    wb.save(path)


# ---------------------------------------------------------------- docx writer
def _font(run, size=None, bold=False):
    run.font.name = "宋体"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def write_docx(path, sections, landscape=False):
    """sections: list of parts; part = ("para", text, align, size, bold) | ("grid", width, rows) | ("pagebreak",)"""
    doc = Document()
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.left_margin = sec.right_margin = Cm(2)
    for p in sections:
        kind = p[0]
        if kind == "para":
            text = p[1]
            align = p[2] if len(p) > 2 else "left"
            size = p[3] if len(p) > 3 else 11
            bold = p[4] if len(p) > 4 else False
            para = doc.add_paragraph()
            para.alignment = {
                "left": WD_ALIGN_PARAGRAPH.LEFT,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
                "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            }[align]
            _font(para.add_run(text), size, bold)
        elif kind == "pagebreak":
            doc.add_page_break()
        elif kind == "grid":
            width, rows = p[1], p[2]
            placed, n = place(rows, width)
            t = doc.add_table(rows=n, cols=width)
            t.style = "Table Grid"
            for r, c, x in placed:
                a = t.cell(r, c)
                if x.cs > 1 or x.rs > 1:
                    a = a.merge(t.cell(r + x.rs - 1, c + x.cs - 1))
                v = "" if x.v is None else str(x.v)
                if v:
                    para = a.paragraphs[0]
                    if len(v) <= 8:
                        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _font(para.add_run(v), 10.5, x.bold)
    doc.save(path)


# ---------------------------------------------------------------- value helpers
def sv(cmp, num, unit):
    """value as a person reads split columns: comparator (only symbols) + number + unit"""
    c = cmp if cmp in ("≥", "≤", "=", ">", "<", "＞", "＜", "≧", "≦", ">=", "<=") else ""
    n = "" if num is None else ((f"{num:g}") if isinstance(num, float) else str(num))
    return c + n + (unit or "")


EXPECTED = []  # (id, level1, level2, name, value) and (id, "#budget", amount) -- cross-check only


def exp_rows(tid, rows):
    for r in rows:
        EXPECTED.append((tid,) + tuple(r))


def exp_budget(tid, yuan):
    EXPECTED.append((tid, "#budget", str(yuan)))


def group_cells(rows, key_l1=0, key_l2=1):
    """indices of runs of equal level1 / level2 for merged category cells"""
    spans = {}
    for key in (key_l1, key_l2):
        i = 0
        while i < len(rows):
            j = i
            while (
                j + 1 < len(rows)
                and rows[j + 1][key] == rows[i][key]
                and (key == key_l1 or rows[j + 1][key_l1] == rows[i][key_l1])
            ):
                j += 1
            spans[(i, key)] = j - i + 1
            for k in range(i + 1, j + 1):
                spans[(k, key)] = 0
            i = j + 1
    return spans


def cat_cells(rows, i, spans, l1_cs=1, l2_cs=1, l1=True):
    """category cells for indicator row i (merged down); rows[i] = (l1, l2, ...)"""
    out = []
    if l1 and spans[(i, 0)]:
        out.append(C(rows[i][0], l1_cs, spans[(i, 0)]))
    if spans[(i, 1)]:
        out.append(C(rows[i][1], l2_cs, spans[(i, 1)]))
    return out


# ============================================================================ W01
def w01():
    """衡南县卫生健康局 2024 — 预算管理一体化系统 flat export, three projects, every row
    repeats unit / project / amount / goal; categories not sorted; 指标性质|目标值|计量单位 split;
    指标方向; 指标解释."""
    unit_code, unit = "417001", "衡南县卫生健康局"
    projects = [
        (
            "43042224T000000012031",
            "基本公共卫生服务县级配套资金",
            368.52,
            "按照《国家基本公共卫生服务规范（第三版）》要求，为辖区常住居民免费提供基本公共卫生服务，"
            "居民电子健康档案建档率达到90%以上，65岁及以上老年人、高血压和2型糖尿病患者规范管理水平进一步提高。",
            [
                (
                    "产出指标",
                    "数量指标",
                    "65岁及以上老年人健康管理人数",
                    "≥",
                    52000,
                    "人",
                    "正向",
                    "反映年度内为辖区65岁及以上老年人提供健康管理服务（含体检）的人数。",
                ),
                (
                    "效益指标",
                    "社会效益指标",
                    "居民健康素养水平",
                    "≥",
                    28,
                    "%",
                    "正向",
                    "反映辖区居民具备基本健康素养的人数占监测总人数的比例。",
                ),
                (
                    "产出指标",
                    "质量指标",
                    "居民电子健康档案建档率",
                    "≥",
                    90,
                    "%",
                    "正向",
                    "建档率=建立电子健康档案人数/辖区常住人口数×100%。",
                ),
                (
                    "满意度指标",
                    "服务对象满意度指标",
                    "城乡居民对基本公共卫生服务满意度",
                    "≥",
                    85,
                    "%",
                    "正向",
                    "通过第三方问卷调查反映服务对象对基本公共卫生服务的满意程度。",
                ),
                (
                    "产出指标",
                    "成本指标",
                    "基本公共卫生服务人均县级配套补助标准",
                    "=",
                    5.5,
                    "元/人",
                    "正向",
                    "按照省市县分担比例落实县级配套资金标准。",
                ),
                (
                    "产出指标",
                    "时效指标",
                    "县级配套资金拨付及时率",
                    "≥",
                    95,
                    "%",
                    "正向",
                    "反映县级配套资金按季度及时拨付至基层医疗卫生机构的情况。",
                ),
                (
                    "产出指标",
                    "数量指标",
                    "高血压患者规范管理人数",
                    "≥",
                    36000,
                    "人",
                    "正向",
                    "反映年度内纳入规范管理的原发性高血压患者人数。",
                ),
            ],
        ),
        (
            "43042224T000000012047",
            "计划生育家庭特别扶助金（县级配套）",
            126.40,
            "按时足额发放计划生育家庭特别扶助金，保障计划生育特殊家庭基本生活，促进家庭发展和社会和谐。",
            [
                (
                    "产出指标",
                    "数量指标",
                    "特别扶助对象人数",
                    "≥",
                    1050,
                    "人",
                    "正向",
                    "反映年度内符合条件并纳入特别扶助的独生子女伤残、死亡家庭父母人数。",
                ),
                (
                    "满意度指标",
                    "服务对象满意度指标",
                    "扶助对象满意度",
                    "≥",
                    95,
                    "%",
                    "正向",
                    "反映特别扶助对象对扶助金发放工作的满意程度。",
                ),
                (
                    "产出指标",
                    "时效指标",
                    "扶助金发放时间",
                    "定性",
                    "2024年12月底前",
                    None,
                    "正向",
                    "反映特别扶助金发放到位的时间。",
                ),
                (
                    "效益指标",
                    "社会效益指标",
                    "计划生育特殊家庭基本生活保障情况",
                    "定性",
                    "有效保障",
                    None,
                    "正向",
                    "反映特别扶助金对特殊家庭基本生活的保障作用。",
                ),
                (
                    "产出指标",
                    "质量指标",
                    "扶助金足额发放率",
                    "=",
                    100,
                    "%",
                    "正向",
                    "足额发放率=足额发放人数/应发放人数×100%。",
                ),
                (
                    "产出指标",
                    "成本指标",
                    "特别扶助金县级配套标准",
                    "=",
                    100,
                    "元/人·月",
                    "正向",
                    "按照上级规定的扶助标准及县级分担比例测算。",
                ),
            ],
        ),
        (
            "43042224T000000012056",
            "乡村医生补助经费",
            88.00,
            "落实乡村医生基本公共卫生服务补助和村卫生室运行补助，稳定乡村医生队伍，保障农村居民就近获得基本医疗卫生服务。",
            [
                (
                    "效益指标",
                    "可持续影响指标",
                    "乡村医生队伍稳定性",
                    "定性",
                    "优良中低差",
                    None,
                    "正向",
                    "反映补助政策对稳定乡村医生队伍的持续影响。",
                ),
                (
                    "产出指标",
                    "数量指标",
                    "补助在岗乡村医生人数",
                    "≥",
                    440,
                    "人",
                    "正向",
                    "反映年度内享受补助的在岗乡村医生人数。",
                ),
                (
                    "产出指标",
                    "成本指标",
                    "乡村医生人均补助标准",
                    "≤",
                    2000,
                    "元/人",
                    "反向",
                    "反映每名在岗乡村医生年度补助标准。",
                ),
                (
                    "满意度指标",
                    "服务对象满意度指标",
                    "乡村医生对补助政策满意度",
                    "≥",
                    90,
                    "%",
                    "正向",
                    "反映受补助乡村医生对补助政策落实情况的满意程度。",
                ),
                (
                    "产出指标",
                    "时效指标",
                    "补助资金发放及时率",
                    "≥",
                    95,
                    "%",
                    "正向",
                    "反映补助资金按季度发放到乡村医生个人的及时程度。",
                ),
            ],
        ),
    ]
    header = [
        "单位编码",
        "单位名称",
        "项目编码",
        "项目名称",
        "项目金额（万元）",
        "年度绩效目标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "目标值",
        "计量单位",
        "指标方向",
        "指标解释",
    ]
    grid = [[C(h, bold=True) for h in header]]
    for code, pname, amt, goal, inds in projects:
        for l1, l2, name, cmp_, val, u, d, desc in inds:
            grid.append(
                [
                    unit_code,
                    unit,
                    code,
                    pname,
                    C(amt, fmt="0.00"),
                    goal,
                    l1,
                    l2,
                    name,
                    cmp_,
                    val,
                    u,
                    d,
                    desc,
                ]
            )
            exp_rows("W01", [(l1, l2, name, sv(cmp_, val, u))])
        exp_budget("W01", round(amt * 10000))
    parts = [
        ("line", "2024年项目支出绩效目标表", "center"),
        ("line", "导出时间：2024-01-18 10:32:15        数据来源：湖南省预算管理一体化系统", "left"),
        ("grid", grid),
    ]
    write_xlsx(
        os.path.join(OUT, "W01.xlsx"),
        "项目绩效目标",
        14,
        parts,
        [9, 16, 22, 22, 10, 40, 11, 14, 26, 8, 10, 9, 8, 36],
    )


# ============================================================================ W02
def w02():
    """太康县民政局 2023 — a Word file holding two project tables one after the other."""
    # ---- table 1
    inds1 = [
        (
            "产出指标",
            "数量指标",
            "城市低保对象保障人数",
            "全年纳入城市最低生活保障的对象人数",
            "≥2100人",
        ),
        (
            "产出指标",
            "数量指标",
            "农村低保对象保障人数",
            "全年纳入农村最低生活保障的对象人数",
            "≥18500人",
        ),
        (
            "产出指标",
            "质量指标",
            "低保对象认定准确率",
            "经入户调查、民主评议和审核确认符合条件的对象占比",
            "≥98%",
        ),
        (
            "产出指标",
            "质量指标",
            "低保金社会化发放率",
            "通过惠民惠农财政补贴资金“一卡通”发放的低保金占比",
            "=100%",
        ),
        (
            "产出指标",
            "时效指标",
            "低保金按月发放率",
            "每月10日前发放到位的月份数占全年月份数的比例",
            "=100%",
        ),
        ("产出指标", "成本指标", "城市低保保障标准", "城市低保月人均保障标准", "≥620元/人·月"),
        ("产出指标", "成本指标", "农村低保保障标准", "农村低保年人均保障标准", "≥5280元/人·年"),
        (
            "效益指标",
            "社会效益指标",
            "困难群众基本生活保障水平",
            "低保对象基本生活得到有效保障，兜住民生底线",
            "有效保障",
        ),
        (
            "效益指标",
            "可持续影响指标",
            "低保动态管理长效机制",
            "持续完善低保对象动态管理、应保尽保、应退尽退机制",
            "长期",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "低保对象满意度",
            "抽样调查低保对象对政策落实情况的满意程度",
            "≥90%",
        ),
    ]
    hdr1 = [
        [C("项目名称"), C("城乡居民最低生活保障县级配套资金", 5)],
        [C("主管部门"), C("太康县民政局", 2), C("实施单位"), C("太康县民政局", 2)],
        [C("项目资金（万元）", 1, 4), C("资金总额：", 2), C("256.80", 3)],
        [C("其中：中央和省级资金", 2), C("", 3)],
        [C("县级资金", 2), C("256.80", 3)],
        [C("其他资金", 2), C("", 3)],
        [
            C("年度绩效目标"),
            C(
                "1.全年保障城市低保对象2100人以上、农村低保对象18500人以上，按月足额发放低保金；\n"
                "2.城市、农村低保标准分别不低于每人每月620元、每人每年5280元；\n"
                "3.切实保障困难群众基本生活，兜牢民生底线。",
                5,
            ),
        ],
    ]
    gh1 = [[C("一级指标"), C("二级指标"), C("三级指标"), C("指标内容"), C("指标值")]]
    spans1 = group_cells(inds1)
    rows1 = list(hdr1)
    rows1.append([C("绩效指标", 1, len(inds1) + 1)] + gh1[0])
    for i, ind in enumerate(inds1):
        rows1.append(cat_cells(inds1, i, spans1) + list(ind[2:5]))
    exp_rows("W02", [(a, b, c, e) for (a, b, c, d, e) in inds1])
    exp_budget("W02", 2568000)
    # ---- table 2 (two value columns: last year's actual and 2023 expected)
    inds2 = [
        ("产出指标", "数量指标", "困难残疾人生活补贴人数", "3860人", "≥3900人"),
        ("产出指标", "数量指标", "重度残疾人护理补贴人数", "5120人", "≥5200人"),
        ("产出指标", "质量指标", "补贴对象资格审核准确率", "99%", "≥98%"),
        ("产出指标", "时效指标", "补贴按月发放及时率", "100%", "=100%"),
        ("产出指标", "成本指标", "困难残疾人生活补贴标准", "70元/人·月", "=70元/人·月"),
        (
            "效益指标",
            "社会效益指标",
            "残疾人基本生活和长期照护需求保障程度",
            "明显改善",
            "明显改善",
        ),
        ("效益指标", "可持续影响指标", "残疾人两项补贴制度持续运行", "长期", "长期"),
        ("满意度指标", "服务对象满意度指标", "补贴对象满意度", "93%", "≥92%"),
    ]
    hdr2 = [
        [C("项目名称"), C("困难残疾人生活补贴和重度残疾人护理补贴（县级配套）", 5)],
        [C("主管部门"), C("太康县民政局", 2), C("实施单位"), C("太康县民政局", 2)],
        [C("项目金额"), C("48万元", 2), C("其中：县级财政资金"), C("48万元", 2)],
        [
            C("年度绩效目标"),
            C(
                "按月足额发放困难残疾人生活补贴和重度残疾人护理补贴，保障补贴对象3900人、5200人以上，"
                "解决残疾人特殊生活困难和长期照护需求。",
                5,
            ),
        ],
    ]
    gh2 = [
        [C("一级指标", 1, 2), C("二级指标", 1, 2), C("三级指标", 1, 2), C("指标值", 2)],
        [C("2022年实际完成值"), C("预期2023年实现值")],
    ]
    # side label spans header rows too? no: starts at first indicator row
    n2 = len(inds2)
    spans2 = group_cells(inds2)
    rows2 = list(hdr2)
    rows2.append([C("绩效指标", 1, n2 + 2)] + gh2[0])
    rows2.append(gh2[1])
    for i, ind in enumerate(inds2):
        rows2.append(cat_cells(inds2, i, spans2) + list(ind[2:5]))
    exp_rows("W02", [(a, b, c, e) for (a, b, c, d, e) in inds2])
    exp_budget("W02", 480000)

    foot = "填报单位（盖章）：太康县民政局　　　　填报人：　　　　　联系电话：　　　　　填报日期：2023年1月12日"
    parts = [
        ("para", "项目支出绩效目标表", "center", 16, True),
        ("para", "（2023年度）", "center", 12),
        ("grid", 6, rows1),
        ("para", foot, "left", 10.5),
        ("pagebreak",),
        ("para", "项目支出绩效目标表", "center", 16, True),
        ("para", "（2023年度）", "center", 12),
        ("grid", 6, rows2),
        ("para", foot, "left", 10.5),
    ]
    write_docx(os.path.join(OUT, "W02.docx"), parts)


def grid_rows(inds, cols, l1_cs=1, l2_cs=1, lead=None):
    """indicator rows with merged level-1/level-2 cells.
    inds: tuples (l1, l2, ...); cols: function ind -> list of cells after the categories.
    A row whose remaining fields are all None is printed empty (inside its group)."""
    spans = group_cells(inds)
    out = []
    for i, ind in enumerate(inds):
        row = []
        if lead is not None and i == 0:
            row.append(lead)
        row += cat_cells(inds, i, spans, l1_cs, l2_cs)
        row += cols(ind)
        out.append(row)
    return out


def is_empty(ind):
    return all(x is None for x in ind[2:])


# ============================================================================ W03
def w03():
    """威县水务局 2022 — mid-term and annual values side by side (shared names), money block
    资金情况（万元） with 中期/年度 columns and 中央/省级/县级/上年结转, three decimals;
    level-2 labels with （必填）/（选填）; an empty printed row; 填报人 footer."""
    E = (None, None, None, None, None)
    inds = [
        (
            "产出指标",
            "数量指标（必填）",
            "维修养护农村集中供水工程处数",
            "对全县农村集中供水工程开展维修养护的处数",
            "≥150处",
            "≥50处",
        ),
        (
            "产出指标",
            "数量指标（必填）",
            "更换老化入户管网长度",
            "更换老化、破损的村内及入户供水管网长度",
            "≥90公里",
            "≥30公里",
        ),
        (
            "产出指标",
            "数量指标（必填）",
            "农村供水水质检测水样数量",
            "委托第三方检测机构检测水源水、出厂水、末梢水水样数",
            "≥1800份",
            "≥600份",
        ),
        (
            "产出指标",
            "质量指标（必填）",
            "维修养护工程验收合格率",
            "验收合格工程处数/实施维修养护工程处数×100%",
            "=100%",
            "=100%",
        ),
        (
            "产出指标",
            "质量指标（必填）",
            "农村集中供水工程水质达标率",
            "水质检测合格水样数/检测水样总数×100%",
            "≥95%",
            "≥92%",
        ),
        ("产出指标", "质量指标（必填）") + E,
        (
            "产出指标",
            "时效指标（必填）",
            "维修养护任务完成时间",
            "年度维修养护任务全部完工的时间",
            "2024年11月底前",
            "2022年11月底前",
        ),
        (
            "产出指标",
            "时效指标（必填）",
            "故障抢修响应时间",
            "接到群众报修至维修人员到达现场的时间",
            "≤24小时",
            "≤24小时",
        ),
        (
            "产出指标",
            "成本指标（必填）",
            "单处工程平均维修养护成本",
            "维修养护资金/维修养护工程处数",
            "≤1.2万元/处",
            "≤1.2万元/处",
        ),
        (
            "效益指标",
            "社会效益指标（必填）",
            "农村自来水普及率",
            "全县农村通自来水人口占农村总人口的比例",
            "≥98%",
            "≥97%",
        ),
        (
            "效益指标",
            "社会效益指标（必填）",
            "受益农村人口",
            "项目覆盖的农村受益人口",
            "≥52万人",
            "≥52万人",
        ),
        (
            "效益指标",
            "可持续影响指标（选填）",
            "农村供水工程长效运行管护机制",
            "县级统管、专业化管护的长效机制建立情况",
            "建立健全",
            "逐步健全",
        ),
        (
            "满意度指标",
            "服务对象满意度指标（必填）",
            "受益群众满意度",
            "随机抽样调查受益群众对农村供水服务的满意程度",
            "≥90%",
            "≥90%",
        ),
    ]
    F3 = "0.000"
    rows = [
        [C("项目名称"), C("威县农村饮水安全工程维修养护项目", 6)],
        [C("主管部门"), C("威县水务局", 2), C("实施单位", 2), C("威县农村供水管理站", 2)],
        [C("项目属性"), C("延续项目", 2), C("项目期", 2), C("2022年—2024年", 2)],
        [C("资金情况（万元）", 1, 6), C("", 2), C("中期资金总额", 2), C("年度资金总额", 2)],
        [C("资金总额：", 2), C(258.6, 2, fmt=F3), C(86.375, 2, fmt=F3)],
        [C("其中：中央资金", 2), C(120, 2, fmt=F3), C(40, 2, fmt=F3)],
        [C("省级资金", 2), C(60, 2, fmt=F3), C(20, 2, fmt=F3)],
        [C("县级资金", 2), C(75.6, 2, fmt=F3), C(23.375, 2, fmt=F3)],
        [C("上年结转", 2), C(3, 2, fmt=F3), C(3, 2, fmt=F3)],
        [C("总体目标", 1, 2), C("中期目标（2022年—2024年）", 3), C("年度目标", 3)],
        [
            C(
                "1.完成全县150处农村集中供水工程维修养护，更换老化入户管网90公里；\n2.农村集中供水工程水质达标率稳定在95%以上，"
                "农村自来水普及率达到98%；\n3.建立县级统管、专业化管护的农村供水工程长效运行机制。",
                3,
            ),
            C(
                "1.完成50处农村集中供水工程维修养护，更换老化入户管网30公里；\n2.检测农村供水水样600份，水质达标率达到92%以上；"
                "\n3.保障全县52万农村人口饮水安全。",
                3,
            ),
        ],
        [
            C("一级指标", bold=True),
            C("二级指标", bold=True),
            C("三级指标", bold=True),
            C("指标说明", 2, bold=True),
            C("中期指标值", bold=True),
            C("指标值（年度）", bold=True),
        ],
    ]
    rows += grid_rows(inds, lambda d: [d[2], C(d[3], 2), d[4], d[5]])
    exp_rows("W03", [(d[0], d[1], d[2], d[5]) for d in inds if not is_empty(d)])
    exp_budget("W03", 863750)
    parts = [
        ("line", "附件2", "left"),
        ("line", "项目支出绩效目标申报表", "center"),
        ("line", "（2022年度）", "center"),
        ("grid", rows),
        ("line", "填报人：　　　　　　联系电话：　　　　　　填报日期：2021年10月25日", "left"),
        ("line", "单位负责人（签字）：　　　　　　　　　　　　单位（盖章）", "left"),
    ]
    write_xlsx(os.path.join(OUT, "W03.xlsx"), "Sheet1", 7, parts, [12, 16, 26, 18, 18, 16, 16])


# ============================================================================ W04
def w04():
    """成都市新都区大丰街道办事处 2021 — 部门整体支出 table without category levels;
    序号 | 绩效指标 | 指标说明 | 年度指标值; 单位：万元 in a title row; prose above the title."""
    inds = [
        ("保障在职人员人数", "保障街道机关在编在岗人员工资福利正常发放", "186人"),
        ("社区（村）运转经费保障个数", "保障辖区社区、村党组织和自治组织正常运转", "14个"),
        ("城乡社区环境卫生保洁面积", "辖区道路、公共区域日常清扫保洁面积", "≥320万平方米"),
        ("网格化服务管理覆盖率", "辖区划分网格并配备专职网格员的覆盖情况", "100%"),
        ("信访事项按期办结率", "按期办结信访件数/受理信访件数×100%", "≥98%"),
        ("低保、特困等救助资金发放及时率", "按月及时发放的救助资金占应发放资金的比例", "100%"),
        ("“三公”经费控制情况", "“三公”经费支出较上年只减不增", "≤上年"),
        ("较大及以上安全生产事故起数", "辖区内发生较大及以上生产安全事故的起数", "0起"),
        ("辖区社会治安秩序", "辖区社会治安总体形势", "持续稳定"),
        ("部门预算执行率", "实际支出数/年度预算数×100%", "≥95%"),
        ("辖区群众满意度", "随机抽样调查辖区居民对街道工作的满意程度", "≥90%"),
    ]
    rows = [
        [C("部门名称"), C("成都市新都区大丰街道办事处", 4)],
        [C("年度预算申请", 1, 2), C("资金总额"), C("4286.35"), C("其中：财政拨款"), C("4286.35")],
        [C("基本支出"), C("2615.82"), C("项目支出"), C("1670.53")],
        [
            C("年度总体目标"),
            C(
                "1.保障街道机关和14个社区（村）正常运转；\n2.推进城乡社区发展治理，做好环境卫生、网格化服务管理；\n"
                "3.落实社会救助、安全生产、信访维稳等工作，辖区社会秩序持续稳定。",
                4,
            ),
        ],
        [
            C("序号", bold=True),
            C("绩效指标", 2, bold=True),
            C("指标说明", bold=True),
            C("年度指标值", bold=True),
        ],
    ]
    for i, (n, d, v) in enumerate(inds, 1):
        rows.append([str(i), C(n, 2), d, v])
    exp_rows("W04", [("", "", n, v) for (n, d, v) in inds])
    exp_budget("W04", 42863500)
    parts = [
        ("para", "附件4", "left", 12),
        (
            "para",
            "根据《成都市新都区财政局关于做好2021年区级部门预算编制工作的通知》要求，我街道结合年度重点工作任务，"
            "编制了2021年部门整体支出绩效目标，现予以公开。",
            "justify",
            12,
        ),
        ("para", "成都市新都区大丰街道办事处2021年部门整体支出绩效目标表", "center", 16, True),
        ("para", "单位：万元", "right", 10.5),
        ("grid", 5, rows),
    ]
    write_docx(os.path.join(OUT, "W04.docx"), parts)


# ============================================================================ W05
def w05():
    """柳州市柳北区城市管理和综合执法局 2025 — two-row header, 指标值 merged over 符号|数值|单位;
    指标方向; 指标解释; budget `年度资金总额:1286.40\\n其中：区级财政资金1286.40` in one cell;
    单位：万元 title row; two empty printed rows."""
    E = (None,) * 6
    inds = [
        (
            "产出指标",
            "数量指标",
            "市场化保洁道路面积",
            "≥",
            428,
            "万平方米",
            "正向",
            "纳入市场化保洁服务的城区道路及公共区域面积",
        ),
        (
            "产出指标",
            "数量指标",
            "日均生活垃圾清运量",
            "≥",
            310,
            "吨",
            "正向",
            "城区生活垃圾日均收集清运至处理场的数量",
        ),
        (
            "产出指标",
            "数量指标",
            "公厕保洁管理座数",
            "=",
            96,
            "座",
            "正向",
            "纳入市场化保洁管理的城市公厕数量",
        ),
        ("产出指标", "数量指标") + E,
        (
            "产出指标",
            "质量指标",
            "道路机械化清扫率",
            "≥",
            85,
            "%",
            "正向",
            "机械化清扫道路面积/保洁道路总面积×100%",
        ),
        (
            "产出指标",
            "质量指标",
            "生活垃圾日产日清率",
            "=",
            100,
            "%",
            "正向",
            "当日产生当日清运的生活垃圾占比",
        ),
        (
            "产出指标",
            "质量指标",
            "环卫作业月度考核合格率",
            "≥",
            95,
            "%",
            "正向",
            "按《柳北区环卫作业考核办法》每月考核合格的比例",
        ),
        ("产出指标", "时效指标", "服务期限", "=", 12, "个月", "正向", "保洁服务合同履行期限"),
        (
            "产出指标",
            "时效指标",
            "市容环卫问题整改时限",
            "≤",
            2,
            "小时",
            "反向",
            "数字城管派遣的环卫问题自派遣至处置完毕的时间",
        ),
        (
            "产出指标",
            "成本指标",
            "单位面积年保洁成本",
            "≤",
            2.8,
            "元/平方米",
            "反向",
            "年度保洁服务费/市场化保洁面积",
        ),
        ("产出指标", "成本指标") + E,
        (
            "效益指标",
            "社会效益指标",
            "城区市容环境卫生状况",
            "",
            "明显改善",
            "",
            "正向",
            "城区主次干道、背街小巷环境卫生改善情况",
        ),
        (
            "效益指标",
            "生态效益指标",
            "城区生活垃圾无害化处理率",
            "≥",
            98,
            "%",
            "正向",
            "无害化处理的生活垃圾量/生活垃圾清运量×100%",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "沿街商户及市民满意度",
            "≥",
            90,
            "%",
            "正向",
            "委托第三方开展问卷调查",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "市民有效投诉件数",
            "≤",
            30,
            "件",
            "反向",
            "12345热线及数字城管受理的环卫保洁有效投诉件数",
        ),
    ]
    rows = [
        [C("项目名称"), C("柳北区城区环卫保洁市场化服务项目", 8)],
        [
            C("主管部门"),
            C("柳州市柳北区城市管理和综合执法局", 3),
            C("实施单位", 2),
            C("柳北区环境卫生管理站", 3),
        ],
        [
            C("项目资金"),
            C("年度资金总额:1286.40\n其中：区级财政资金1286.40", 3),
            C("项目期", 2),
            C("2025年1月—2025年12月", 3),
        ],
        [
            C("年度绩效目标"),
            C(
                "通过政府购买服务方式，对城区428万平方米道路及公共区域、96座公厕实施市场化保洁，"
                "生活垃圾日产日清，道路机械化清扫率达到85%以上，城区市容环境卫生明显改善。",
                8,
            ),
        ],
        [
            C("一级指标", 1, 2),
            C("二级指标", 1, 2),
            C("三级指标", 1, 2),
            C("指标值", 3),
            C("指标方向", 1, 2),
            C("指标解释", 2, 2),
        ],
        [C("符号"), C("数值"), C("单位")],
    ]
    rows += grid_rows(inds, lambda d: [d[2], d[3], d[4], d[5], d[6], C(d[7], 2)])
    exp_rows("W05", [(d[0], d[1], d[2], sv(d[3], d[4], d[5])) for d in inds if not is_empty(d)])
    exp_budget("W05", 12864000)
    parts = [
        ("line", "2025年项目支出绩效目标表", "center"),
        ("line", "单位：万元", "right"),
        ("grid", rows),
    ]
    write_xlsx(
        os.path.join(OUT, "W05.xlsx"), "绩效目标表", 9, parts, [11, 16, 24, 6, 9, 10, 9, 20, 20]
    )


# ============================================================================ W06
def w06():
    """清远市清新区第三中学 2020 — finance-bureau approval letter above the title; checkboxes;
    指标名称 as the name column (no 三级); 绩效标准 column; 85.6万元 inside the cell;
    template residue （≥**%） in a name."""
    inds = [
        ("产出指标", "数量指标", "维修改造教学楼面积", "2860平方米", "计划标准"),
        ("产出指标", "数量指标", "维修改造学生宿舍间数", "48间", "计划标准"),
        ("产出指标", "数量指标", "更换宿舍门窗数量", "≥192樘", "计划标准"),
        ("产出指标", "质量指标", "工程验收合格率（≥**%）", "100%", "行业标准"),
        ("产出指标", "质量指标", "维修材料环保检测达标率", "100%", "行业标准"),
        ("产出指标", "时效指标", "工程完工时间", "2020年8月25日前", "计划标准"),
        ("产出指标", "成本指标", "维修改造工程总成本", "≤85.6万元", "计划标准"),
        ("效益指标", "社会效益指标", "改善师生教学和住宿条件", "明显改善", "历史标准"),
        ("效益指标", "社会效益指标", "校舍安全隐患消除率", "100%", "行业标准"),
        ("效益指标", "可持续影响指标", "维修改造后校舍正常使用年限", "≥10年", "行业标准"),
        ("满意度指标", "服务对象满意度指标", "师生及家长满意度", "≥90%", "计划标准"),
    ]
    rows = [
        [C("项目名称"), C("教学楼及学生宿舍维修改造项目", 5)],
        [C("主管部门"), C("清远市清新区教育局", 2), C("项目单位"), C("清远市清新区第三中学", 2)],
        [
            C("项目属性"),
            C("□新增项目　☑延续项目", 2),
            C("项目类型"),
            C("□常年性项目　☑一次性项目", 2),
        ],
        [C("项目金额"), C("85.6万元"), C("其中：财政资金"), C("85.6万元"), C("其他资金"), C("")],
        [
            C("绩效目标"),
            C(
                "完成教学楼2860平方米及学生宿舍48间维修改造，更换宿舍门窗192樘以上，于2020年秋季开学前完工并通过验收，"
                "消除校舍安全隐患，改善师生教学和住宿条件。",
                5,
            ),
        ],
        [
            C("一级指标", bold=True),
            C("二级指标", bold=True),
            C("指标名称", 2, bold=True),
            C("指标值", bold=True),
            C("绩效标准", bold=True),
        ],
    ]
    rows += grid_rows(inds, lambda d: [C(d[2], 2), d[3], d[4]])
    exp_rows("W06", [(d[0], d[1], d[2], d[3]) for d in inds])
    exp_budget("W06", 856000)
    parts = [
        ("para", "清新区财政局关于2020年部门预算项目绩效目标的批复", "center", 15, True),
        ("para", "清新区第三中学：", "left", 12),
        (
            "para",
            "你单位报送的2020年项目支出绩效目标已收悉。经审核，同意你单位教学楼及学生宿舍维修改造项目绩效目标，"
            "核定项目预算85.6万元。请严格按照批复的绩效目标组织实施，加强绩效运行监控，年度终了及时开展绩效自评，"
            "自评结果报送我局。",
            "justify",
            12,
        ),
        ("para", "附件：项目支出绩效目标表", "left", 12),
        ("para", "清远市清新区财政局", "right", 12),
        ("para", "2020年3月20日", "right", 12),
        ("pagebreak",),
        ("para", "项目支出绩效目标表", "center", 16, True),
        ("para", "（2020年度）", "center", 12),
        ("grid", 6, rows),
    ]
    write_docx(os.path.join(OUT, "W06.docx"), parts)


# ============================================================================ W07
def w07():
    """张掖市农业农村局 2023 — 专项转移支付 notice above (money unit only in the notice);
    资金总额： label then 3280 in the next cell; grouped header 年度指标值 over one column per county;
    三级指标 plus 指标内容 as description."""
    counties = ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南县"]

    def same(v):
        return [v] * 6

    inds = [
        (
            "产出指标",
            "数量指标",
            "新建高标准农田面积",
            "年度新建高标准农田建设任务面积",
            ["4.2万亩", "2.1万亩", "2.6万亩", "2.3万亩", "3万亩", "0.8万亩"],
        ),
        (
            "产出指标",
            "数量指标",
            "改造提升高标准农田面积",
            "对已建高标准农田进行改造提升的面积",
            ["1.5万亩", "0.8万亩", "1万亩", "0.9万亩", "1.2万亩", "0.3万亩"],
        ),
        (
            "产出指标",
            "数量指标",
            "新增高效节水灌溉面积",
            "项目区新增喷灌、滴灌等高效节水灌溉面积",
            ["1.2万亩", "0.6万亩", "0.8万亩", "0.7万亩", "0.9万亩", "0.2万亩"],
        ),
        (
            "产出指标",
            "质量指标",
            "项目工程验收合格率",
            "验收合格的单项工程数/完工单项工程数×100%",
            same("≥95%"),
        ),
        (
            "产出指标",
            "质量指标",
            "高标准农田上图入库率",
            "建成的高标准农田在全国农田建设监管平台上图入库的比例",
            same("=100%"),
        ),
        ("产出指标", "时效指标", "项目开工时间", "年度建设项目开工的时间", same("2023年6月底前")),
        (
            "效益指标",
            "经济效益指标",
            "项目区亩均粮食产能提高",
            "项目区建成后亩均粮食综合生产能力提高量",
            same("≥50公斤"),
        ),
        (
            "效益指标",
            "生态效益指标",
            "项目区灌溉水有效利用系数",
            "项目区灌溉水有效利用系数",
            ["≥0.62", "≥0.6", "≥0.6", "≥0.58", "≥0.6", "≥0.55"],
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "项目区受益农户满意度",
            "抽样调查项目区受益农户对项目建设的满意程度",
            same("≥90%"),
        ),
    ]
    rows = [
        [C("项目名称", 2), C("2023年高标准农田建设市级配套补助资金", 8)],
        [C("主管部门", 2), C("张掖市农业农村局", 3), C("资金总额：", 2), C(3280, 3)],
        [C("补助区域", 2), C("、".join(counties), 8)],
        [
            C("年度目标", 2),
            C(
                "新建高标准农田15万亩、改造提升5.7万亩，新增高效节水灌溉面积4.4万亩，"
                "项目区农业生产条件明显改善，粮食综合生产能力稳步提升。",
                8,
            ),
        ],
        [
            C("一级指标", 1, 2),
            C("二级指标", 1, 2),
            C("三级指标", 1, 2),
            C("指标内容", 1, 2),
            C("年度指标值", 6),
        ],
        [C(c) for c in counties],
    ]
    rows += grid_rows(inds, lambda d: [d[2], d[3]] + d[4])
    exp_rows("W07", [(d[0], d[1], d[2], " | ".join(d[4])) for d in inds])
    exp_budget("W07", 32800000)
    parts = [
        ("line", "附件2", "left"),
        ("line", "甘州区、临泽县、高台县、山丹县、民乐县、肃南县财政局、农业农村局：", "left"),
        (
            "line",
            "　　根据《甘肃省财政厅 甘肃省农业农村厅关于下达2023年高标准农田建设补助资金的通知》要求，"
            "现下达你县（区）2023年高标准农田建设市级配套补助资金3280万元（分配明细见附件1），"
            "请及时将资金拨付到项目实施单位，按照绩效目标组织实施，并于年度终了开展绩效自评。",
            "left",
        ),
        ("line", "张掖市财政局　　张掖市农业农村局　　2023年4月6日", "right"),
        ("blank",),
        ("line", "2023年高标准农田建设市级配套补助资金绩效目标表", "center"),
        ("grid", rows),
    ]
    write_xlsx(
        os.path.join(OUT, "W07.xlsx"), "附件2", 10, parts, [10, 14, 22, 30, 10, 10, 10, 10, 10, 10]
    )


# ============================================================================ W08
def w08():
    """寻甸回族彝族自治县公安局 2024 — no 三级 column: 一级指标|二级指标|指标内容|当年预期实现值|指标值说明;
    资金情况（万元） with 中央/省级/县级 split and 2 decimals; checkboxes; 盖章 line above and footer below."""
    inds = [
        (
            "产出指标",
            "数量指标",
            "运维电子警察及治安卡口点位",
            "≥86个",
            "城区主要路口电子警察、治安卡口点位数量",
        ),
        (
            "产出指标",
            "数量指标",
            "运维高清视频监控摄像机",
            "≥420台",
            "城区公共区域高清视频监控摄像机数量",
        ),
        ("产出指标", "质量指标", "前端设备在线完好率", "≥95%", "按月考核在线正常运行设备占比"),
        (
            "产出指标",
            "质量指标",
            "交通违法图片数据上传准确率",
            "≥98%",
            "上传至交通管理综合应用平台的违法数据准确率",
        ),
        ("产出指标", "时效指标", "故障修复时限", "≤48小时", "接到报修至修复完成的时间"),
        (
            "产出指标",
            "时效指标",
            "系统运维服务期",
            "2024年1月1日至12月31日",
            "运维服务合同履行期限",
        ),
        ("产出指标", "成本指标", "单点位年均运维费用", "≤1.5万元/个", "年度运维费用/运维点位数"),
        ("效益指标", "社会效益指标", "城区道路交通事故起数", "较上年下降≥5%", "与2023年同期相比"),
        (
            "效益指标",
            "社会效益指标",
            "视频监控协助破获案件数",
            "≥60起",
            "利用视频监控资料协助侦破的案件数",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "城区群众出行满意度",
            "≥90%",
            "抽样调查城区群众对道路交通秩序的满意程度",
        ),
    ]
    rows = [
        [C("项目名称"), C("城区道路交通智能监控系统运维经费", 5)],
        [
            C("主管部门"),
            C("寻甸回族彝族自治县公安局", 2),
            C("项目类型"),
            C("☑经常性项目　□一次性项目", 2),
        ],
        [C("资金情况（万元）", 1, 4), C("年度资金总额", 2), C("132.60", 3)],
        [C("其中：中央资金", 2), C("", 3)],
        [C("省级资金", 2), C("", 3)],
        [C("县级资金", 2), C("132.60", 3)],
        [
            C("年度绩效目标"),
            C(
                "保障城区86个电子警察及治安卡口点位、420台高清视频监控摄像机全年正常运行，前端设备在线完好率达到95%以上，"
                "为道路交通管理和治安防控提供技术支撑。",
                5,
            ),
        ],
        [
            C("一级指标", bold=True),
            C("二级指标", bold=True),
            C("指标内容", 2, bold=True),
            C("当年预期实现值", bold=True),
            C("指标值说明", bold=True),
        ],
    ]
    rows += grid_rows(inds, lambda d: [C(d[2], 2), d[3], d[4]])
    exp_rows("W08", [(d[0], d[1], d[2], d[3]) for d in inds])
    exp_budget("W08", 1326000)
    parts = [
        ("para", "项目支出绩效目标表", "center", 16, True),
        ("para", "（2024年度）", "center", 12),
        ("para", "填报单位（盖章）：寻甸回族彝族自治县公安局", "left", 10.5),
        ("grid", 6, rows),
        (
            "para",
            "单位负责人：　　　　　填报人：　　　　　联系电话：　　　　　填报日期：2023年11月",
            "left",
            10.5,
        ),
    ]
    write_docx(os.path.join(OUT, "W08.docx"), parts)


# ============================================================================ W09
def w09():
    """济宁市任城区人力资源和社会保障局 2023 — flat 一体化 export, two projects one after the other,
    unit / project / budget / goal merged down; categories repeated per row and not sorted;
    clipped headers 一级|二级|三级; 计算符号|预期2023年实现值|度量单位; budget in 元."""
    projects = [
        (
            "城乡公益性岗位补贴",
            1862400.00,
            "开发城乡公益性岗位970个，按月足额发放岗位补贴，帮助就业困难人员、农村大龄劳动力实现就近就业增收。",
            [
                ("产出指标", "质量指标", "岗位补贴发放准确率", "=", 100, "%"),
                ("产出指标", "数量指标", "开发城乡公益性岗位数量", "≥", 970, "个"),
                ("满意度指标", "服务对象满意度指标", "公益性岗位上岗人员满意度", "≥", 95, "%"),
                (
                    "效益指标",
                    "社会效益指标",
                    "安置就业困难人员及农村大龄劳动力人数",
                    "≥",
                    970,
                    "人",
                ),
                ("产出指标", "时效指标", "岗位补贴按季度发放及时率", "≥", 98, "%"),
                ("产出指标", "成本指标", "城乡公益性岗位补贴标准", "=", 160, "元/人·月"),
                ("产出指标", "数量指标", "上岗人员意外伤害保险参保人数", "≥", 970, "人"),
                ("效益指标", "可持续影响指标", "公益性岗位动态管理机制", "定性", "健全", ""),
            ],
        ),
        (
            "职业技能提升培训补贴",
            650000.00,
            "围绕重点群体和重点产业组织开展职业技能培训1300人次，培训合格率达到85%以上，提升劳动者就业创业能力。",
            [
                ("产出指标", "数量指标", "开展职业技能培训人次", "≥", 1300, "人次"),
                ("效益指标", "社会效益指标", "培训后就业率", "≥", 60, "%"),
                ("产出指标", "成本指标", "人均培训补贴", "≤", 500, "元"),
                ("产出指标", "质量指标", "培训合格率", "≥", 85, "%"),
                ("满意度指标", "服务对象满意度指标", "参训学员满意度", "≥", 90, "%"),
                ("产出指标", "时效指标", "培训补贴审核拨付时限", "≤", 30, "个工作日"),
            ],
        ),
    ]
    unit = "济宁市任城区人力资源和社会保障局"
    rows = [
        [
            C(h, bold=True)
            for h in [
                "单位名称",
                "项目名称",
                "项目年度预算（元）",
                "年度绩效目标",
                "一级",
                "二级",
                "三级",
                "计算符号",
                "预期2023年实现值",
                "度量单位",
            ]
        ]
    ]
    total = sum(len(p[3]) for p in projects)
    first = True
    for pname, amt, goal, inds in projects:
        n = len(inds)
        for i, d in enumerate(inds):
            row = []
            if first:
                row.append(C(unit, 1, total))
                first = False
            if i == 0:
                row += [C(pname, 1, n), C(amt, 1, n, fmt="#,##0.00"), C(goal, 1, n)]
            row += list(d)
            rows.append(row)
        exp_rows("W09", [(d[0], d[1], d[2], sv(d[3], d[4], d[5])) for d in inds])
        exp_budget("W09", int(amt))
    parts = [
        ("line", "2023年度项目绩效目标表", "center"),
        ("line", "部门：济宁市任城区人力资源和社会保障局", "left"),
        ("grid", rows),
    ]
    write_xlsx(
        os.path.join(OUT, "W09.xlsx"),
        "项目绩效目标",
        10,
        parts,
        [16, 18, 14, 36, 11, 16, 30, 8, 12, 10],
    )


# ============================================================================ W10
def w10():
    """宜昌市夷陵区退役军人事务局 2025 — two project tables in one Word file; 指标名称;
    T1 split 比较符|年度指标值|计量单位 + 绩效标准, money with 上年结转 and four decimals;
    T2 指标值（年度） + 指标解释."""
    unit = "宜昌市夷陵区退役军人事务局"
    inds1 = [
        ("产出指标", "数量指标", "春节、八一走访慰问优抚对象人次", "≥", "2600", "人次", "计划标准"),
        ("产出指标", "数量指标", "优抚对象医疗补助人数", "≥", "1100", "人", "计划标准"),
        ("产出指标", "质量指标", "慰问金发放准确率", "=", "100", "%", "行业标准"),
        ("产出指标", "时效指标", "走访慰问完成时间", "", "2025年8月1日前", "", "计划标准"),
        ("产出指标", "成本指标", "人均慰问标准", "≤", "200", "元/人次", "历史标准"),
        ("效益指标", "社会效益指标", "优抚对象就医负担减轻程度", "", "有效减轻", "", "历史标准"),
        ("效益指标", "社会效益指标", "拥军优属社会氛围", "", "进一步浓厚", "", "计划标准"),
        ("满意度指标", "服务对象满意度指标", "优抚对象满意度", "≥", "95", "%", "行业标准"),
    ]
    hdr1 = [
        [C("项目名称"), C("优抚对象医疗保障及节日慰问经费", 6)],
        [C("主管部门"), C(unit, 2), C("实施单位", 2), C("夷陵区退役军人服务中心", 2)],
        [C("资金情况（万元）", 1, 4), C("年度资金总额", 2), C("63.4528", 4)],
        [C("其中：当年财政拨款", 2), C("58.2000", 4)],
        [C("上年结转", 2), C("5.2528", 4)],
        [C("其他资金", 2), C("", 4)],
        [
            C("年度绩效目标"),
            C(
                "春节、八一期间走访慰问优抚对象2600人次以上，为1100名以上优抚对象提供医疗补助，"
                "减轻优抚对象就医负担，营造浓厚的拥军优属社会氛围。",
                6,
            ),
        ],
        [
            C(h, bold=True)
            for h in [
                "一级指标",
                "二级指标",
                "指标名称",
                "比较符",
                "年度指标值",
                "计量单位",
                "绩效标准",
            ]
        ],
    ]
    rows1 = hdr1 + grid_rows(inds1, lambda d: list(d[2:7]))
    exp_rows("W10", [(d[0], d[1], d[2], sv(d[3], d[4], d[5])) for d in inds1])
    exp_budget("W10", 634528)

    inds2 = [
        (
            "产出指标",
            "数量指标",
            "组织退役军人适应性培训人数",
            "≥300人",
            "全年组织新退役军人参加适应性培训的人数",
        ),
        (
            "产出指标",
            "数量指标",
            "举办退役军人专场招聘会场次",
            "≥4场",
            "联合人社部门举办退役军人专场招聘会场次",
        ),
        ("产出指标", "质量指标", "培训结业率", "≥95%", "取得结业证书人数/参训人数×100%"),
        (
            "产出指标",
            "时效指标",
            "培训补贴发放时间",
            "培训结束后1个月内",
            "培训补贴审核拨付到位时间",
        ),
        ("产出指标", "成本指标", "人均培训成本", "≤800元", "培训经费/参训人数"),
        (
            "效益指标",
            "社会效益指标",
            "参训退役军人就业率",
            "≥70%",
            "培训后半年内实现就业创业人数/参训人数×100%",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "参训退役军人满意度",
            "≥92%",
            "培训结束后开展问卷调查",
        ),
    ]
    hdr2 = [
        [C("项目名称"), C("退役军人就业创业培训经费", 6)],
        [C("主管部门"), C(unit, 2), C("实施单位", 2), C("夷陵区退役军人服务中心", 2)],
        [C("资金情况（万元）", 1, 2), C("年度资金总额", 2), C("24.5600", 4)],
        [C("其中：财政拨款", 2), C("24.5600", 4)],
        [
            C("年度绩效目标"),
            C(
                "组织退役军人适应性培训300人以上，举办专场招聘会4场以上，参训退役军人就业率达到70%以上。",
                6,
            ),
        ],
        [
            C("一级指标", bold=True),
            C("二级指标", bold=True),
            C("指标名称", 2, bold=True),
            C("指标值（年度）", bold=True),
            C("指标解释", 2, bold=True),
        ],
    ]
    rows2 = hdr2 + grid_rows(inds2, lambda d: [C(d[2], 2), d[3], C(d[4], 2)])
    exp_rows("W10", [(d[0], d[1], d[2], d[3]) for d in inds2])
    exp_budget("W10", 245600)
    parts = [
        ("para", "2025年项目支出绩效目标表", "center", 16, True),
        ("para", "部门（单位）名称：" + unit, "left", 10.5),
        ("grid", 7, rows1),
        ("para", "", "left"),
        ("para", "2025年项目支出绩效目标表", "center", 16, True),
        ("para", "部门（单位）名称：" + unit, "left", 10.5),
        ("grid", 7, rows2),
    ]
    write_docx(os.path.join(OUT, "W10.docx"), parts, landscape=True)


# ============================================================================ W11
def w11():
    """瑞安市教育局 2022 — grouped two-row header: shared 一级/二级, then 中期指标 (三级指标|目标值)
    and 年度指标 (三级指标|目标值); a few annual names differ from the mid-term ones;
    level-2 labels with a line break before （必填）; 中期/年度 money; 金额单位：万元 title row; 填报说明 below."""
    inds = [
        (
            "产出指标",
            "数量指标\n（必填）",
            "补助普惠性民办幼儿园数",
            "≥45所",
            "补助普惠性民办幼儿园数",
            "≥45所",
        ),
        (
            "产出指标",
            "数量指标\n（必填）",
            "享受生均经费补助幼儿人次",
            "≥27000人次",
            "享受生均经费补助幼儿人数",
            "≥9000人",
        ),
        (
            "产出指标",
            "质量指标\n（必填）",
            "普惠性幼儿园在园幼儿覆盖率",
            "≥92%",
            "普惠性幼儿园在园幼儿覆盖率",
            "≥90%",
        ),
        (
            "产出指标",
            "质量指标\n（必填）",
            "等级幼儿园在园幼儿占比",
            "≥95%",
            "二级及以上幼儿园在园幼儿占比",
            "≥65%",
        ),
        (
            "产出指标",
            "时效指标\n（必填）",
            "补助资金拨付时间",
            "每年9月底前",
            "补助资金拨付时间",
            "2022年9月底前",
        ),
        (
            "产出指标",
            "成本指标\n（必填）",
            "生均经费补助标准",
            "≥650元/生·年",
            "生均经费补助标准",
            "≥650元/生·年",
        ),
        (
            "效益指标",
            "社会效益指标\n（必填）",
            "民办幼儿园教师平均工资水平",
            "逐年提高",
            "民办幼儿园教师平均工资水平",
            "不低于当地最低工资标准的2倍",
        ),
        ("效益指标", "社会效益指标\n（必填）", "学前三年入园率", "≥99%", "学前三年入园率", "≥99%"),
        (
            "效益指标",
            "可持续影响指标\n（选填）",
            "普惠性学前教育保障机制",
            "健全",
            "普惠性学前教育保障机制",
            "逐步健全",
        ),
        (
            "满意度指标",
            "服务对象满意度指标\n（必填）",
            "幼儿家长满意度",
            "≥92%",
            "幼儿家长满意度",
            "≥90%",
        ),
        (
            "满意度指标",
            "服务对象满意度指标\n（必填）",
            "民办幼儿园举办者满意度",
            "≥90%",
            "民办幼儿园举办者满意度",
            "≥90%",
        ),
    ]
    rows = [
        [C("项目名称"), C("学前教育普惠性民办幼儿园生均经费补助", 5)],
        [
            C("主管部门"),
            C("瑞安市教育局"),
            C("实施单位", 2),
            C("瑞安市教育局及各普惠性民办幼儿园", 2),
        ],
        [C("项目资金", 1, 3), C(""), C("中期资金总额", 2), C("年度资金总额", 2)],
        [C("资金总额"), C(1800, 2, fmt="0.00"), C(600, 2, fmt="0.00")],
        [C("其中：财政资金"), C(1800, 2, fmt="0.00"), C(600, 2, fmt="0.00")],
        [C("总体目标", 1, 2), C("中期目标（2022年—2024年）", 3), C("年度目标", 2)],
        [
            C(
                "三年累计补助普惠性民办幼儿园45所以上、27000人次，普惠性幼儿园在园幼儿覆盖率达到92%以上，"
                "建立健全普惠性学前教育保障机制。",
                3,
            ),
            C(
                "补助普惠性民办幼儿园45所以上、幼儿9000人以上，生均补助不低于650元，普惠性幼儿园在园幼儿覆盖率达到90%以上。",
                2,
            ),
        ],
        [
            C("一级指标", 1, 2, bold=True),
            C("二级指标", 1, 2, bold=True),
            C("中期指标", 2, bold=True),
            C("年度指标", 2, bold=True),
        ],
        [
            C("三级指标", bold=True),
            C("目标值", bold=True),
            C("三级指标", bold=True),
            C("目标值", bold=True),
        ],
    ]
    rows += grid_rows(inds, lambda d: list(d[2:6]))
    exp_rows("W11", [(d[0], d[1], d[4], d[5]) for d in inds])
    exp_budget("W11", 6000000)
    parts = [
        ("line", "附件3", "left"),
        ("line", "2022年项目支出绩效目标表", "center"),
        ("line", "金额单位：万元", "right"),
        ("grid", rows),
        (
            "line",
            "填报说明：1.绩效指标应尽可能细化、量化，不能量化的用定性描述；2.中期指标按项目实施期填报，年度指标按当年预算安排填报；"
            "3.标注“必填”的二级指标至少设置一个三级指标。",
            "left",
        ),
    ]
    write_xlsx(os.path.join(OUT, "W11.xlsx"), "项目绩效目标表", 6, parts, [11, 16, 28, 14, 28, 22])


# ============================================================================ W12
def w12():
    """阳城县市场监督管理局 2020 — 部门整体支出, no category levels; 绩效指标 as name;
    split columns in the order 计量单位|计算符号|年度数值 + 指标值说明; 单位：元 in a title row;
    template residue （≥**%） and a row that carries only the unit; signature footer."""
    inds = [
        ("保障在职人员人数", "人", "=", 142, "保障在编在岗人员工资福利正常发放"),
        ("食品安全监督抽检批次", "批次", "≥", 1200, "按照年度抽检计划完成的食品安全监督抽检批次"),
        ("特种设备定期检验率（≥**%）", "%", "≥", 98, "辖区在用特种设备按期检验的比例"),
        ("消费者投诉举报处理率", "%", "=", 100, "受理的消费者投诉举报依法处理的比例"),
        ("12315投诉按时办结率", "%", "≥", 95, "在法定时限内办结的投诉件数占比"),
        ("价格监督检查次数", "次", "≥", 24, "开展重要节假日、民生商品价格监督检查次数"),
        ("强制检定计量器具数量", "台（件）", "≥", 3500, "完成强制检定的计量器具数量"),
        ("重大食品安全事故发生数", "起", "=", 0, "辖区发生重大食品安全事故的起数"),
        ("辖区市场秩序", "", "定性", "持续向好", "市场主体经营行为规范，市场秩序持续向好"),
        ("部门预算执行率", "%", "", None, ""),
        ("“双随机、一公开”抽查覆盖率", "%", "≥", 5, "随机抽查市场主体占辖区市场主体总数的比例"),
        ("市场主体及消费者满意度", "%", "≥", 90, "抽样调查市场主体及消费者的满意程度"),
    ]
    rows = [
        [C("部门名称"), C("阳城县市场监督管理局", 5)],
        [
            C("年度预算"),
            C("资金总额"),
            C(3865420.00, fmt="#,##0.00"),
            C("其中：财政拨款"),
            C(3865420.00, 2, fmt="#,##0.00"),
        ],
        [
            C("年度绩效目标"),
            C(
                "1.保障机关正常运转和142名在职人员工资福利；\n2.完成食品安全监督抽检1200批次以上，特种设备定期检验率达到98%以上；\n"
                "3.依法处理消费者投诉举报，维护公平竞争的市场秩序。",
                5,
            ),
        ],
        [
            C(h, bold=True)
            for h in ["序号", "绩效指标", "计量单位", "计算符号", "年度数值", "指标值说明"]
        ],
    ]
    for i, d in enumerate(inds, 1):
        rows.append([i] + list(d))
    exp_rows("W12", [("", "", d[0], sv(d[2], d[3], d[1])) for d in inds])
    exp_budget("W12", 3865420)
    parts = [
        ("line", "2020年部门整体支出绩效目标表", "center"),
        ("row", [C("编制单位：阳城县市场监督管理局", 4), C("单位：元", 2)]),
        ("grid", rows),
        (
            "line",
            "单位负责人：　　　　财务负责人：　　　　填报人：　　　　填报日期：2019年11月20日",
            "left",
        ),
    ]
    write_xlsx(os.path.join(OUT, "W12.xlsx"), "整体支出绩效目标", 6, parts, [8, 32, 10, 10, 12, 40])


# ============================================================================ W13
def w13():
    """九江市生态环境局 2024 — one value column per year (年度数值 over 2024年|2025年|2026年);
    指标内容 as the name (no 三级 column) plus 指标解释; one-cell budget
    `年度资金总额:56.50\\n其中：市级财政资金56.50` under 资金情况（万元）."""
    inds = [
        (
            "产出指标",
            "数量指标",
            "入河排污口监督性监测点位",
            "对已完成排查整治的长江入河排污口开展监督性监测的点位数",
            ["≥120个", "≥130个", "≥140个"],
        ),
        (
            "产出指标",
            "数量指标",
            "国控、省控断面水质监测频次",
            "对辖区国控、省控地表水断面开展水质手工监测的频次",
            ["12次/年", "12次/年", "12次/年"],
        ),
        (
            "产出指标",
            "数量指标",
            "完成入河排污口整治数量",
            "按照“一口一策”完成整治的入河排污口数量",
            ["≥40个", "≥45个", "≥50个"],
        ),
        (
            "产出指标",
            "质量指标",
            "监测数据有效率",
            "有效监测数据/监测数据总数×100%",
            ["≥95%", "≥95%", "≥95%"],
        ),
        (
            "产出指标",
            "时效指标",
            "监测报告报送时限",
            "采样完成后至监测报告报送的时间",
            ["≤10个工作日", "≤10个工作日", "≤10个工作日"],
        ),
        (
            "产出指标",
            "成本指标",
            "单个点位年均监测成本",
            "年度监测费用/监测点位数",
            ["≤0.35万元", "≤0.35万元", "≤0.35万元"],
        ),
        (
            "效益指标",
            "生态效益指标",
            "长江干流九江段出境断面水质",
            "长江干流九江段出境断面年均水质类别",
            ["稳定保持Ⅱ类", "稳定保持Ⅱ类", "稳定保持Ⅱ类"],
        ),
        (
            "效益指标",
            "生态效益指标",
            "地表水国考断面水质优良比例",
            "水质达到或优于Ⅲ类的国考断面占比",
            ["≥93.3%", "≥93.3%", "≥94%"],
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "沿江群众对水环境质量满意度",
            "抽样调查沿江群众对水环境质量的满意程度",
            ["≥85%", "≥86%", "≥88%"],
        ),
    ]
    rows = [
        [C("项目名称"), C("长江九江段入河排污口整治及水质监测经费", 6)],
        [
            C("主管部门"),
            C("九江市生态环境局", 2),
            C("实施单位"),
            C("九江市生态环境局、九江生态环境监测中心", 3),
        ],
        [
            C("资金情况（万元）"),
            C("年度资金总额:56.50\n其中：市级财政资金56.50", 3),
            C("项目期"),
            C("2024年—2026年", 2),
        ],
        [
            C("绩效目标"),
            C(
                "2024—2026年持续开展长江入河排污口监督性监测和国控、省控断面水质监测，累计完成135个入河排污口整治，"
                "长江干流九江段出境断面水质稳定保持Ⅱ类。",
                6,
            ),
        ],
        [
            C("一级指标", 1, 2, bold=True),
            C("二级指标", 1, 2, bold=True),
            C("指标内容", 1, 2, bold=True),
            C("指标解释", 1, 2, bold=True),
            C("年度数值", 3, bold=True),
        ],
        [C("2024年", bold=True), C("2025年", bold=True), C("2026年", bold=True)],
    ]
    rows += grid_rows(inds, lambda d: [d[2], d[3]] + d[4])
    exp_rows("W13", [(d[0], d[1], d[2], " | ".join(d[4])) for d in inds])
    exp_budget("W13", 565000)
    parts = [
        ("para", "项目支出绩效目标表", "center", 16, True),
        ("para", "（2024年度）", "center", 12),
        ("para", "预算单位：九江市生态环境局", "left", 10.5),
        ("grid", 7, rows),
    ]
    write_docx(os.path.join(OUT, "W13.docx"), parts, landscape=True)


# ============================================================================ W14
def w14():
    """务川仡佬族苗族自治县应急管理局 2021 — notice above (money unit only there); checkboxes;
    资金情况 block with 上年结转; two-row header 当年预期实现值 over 指标性质|数值|度量单位; clipped 一级/二级/三级;
    template residue 指标1：/（≥**%）/ a value that is only a unit; （必填）/（选填）; empty printed rows; 盖章 footer."""
    E = (None,) * 5
    inds = [
        (
            "产出指标",
            "数量指标（必填）",
            "指标1：购置森林防灭火扑救装备",
            "≥",
            "260",
            "台（套）",
            "",
        ),
        ("产出指标", "数量指标（必填）", "指标2：组织森林火灾应急救援综合演练", "≥", "4", "次", ""),
        ("产出指标", "数量指标（必填）", "指标3：培训乡镇半专业扑火队员", "≥", "320", "人", ""),
        ("产出指标", "数量指标（必填）") + E,
        ("产出指标", "质量指标（必填）", "指标1：装备验收合格率（≥**%）", "≥", "98", "%", ""),
        ("产出指标", "质量指标（必填）", "指标2：演练方案执行率", "=", "100", "%", ""),
        (
            "产出指标",
            "时效指标（必填）",
            "指标1：装备配发到位时间",
            "定性",
            "2021年10月底前",
            "",
            "",
        ),
        ("产出指标", "成本指标（必填）", "指标1：装备购置成本（≤**万元）", "≤", "38", "万元", ""),
        ("效益指标", "社会效益指标（必填）", "指标1：森林火灾受害率", "≤", "0.9", "‰", ""),
        (
            "效益指标",
            "社会效益指标（必填）",
            "指标2：森林火灾扑救响应时间",
            "≤",
            "30",
            "分钟",
            "接警至出动",
        ),
        ("效益指标", "生态效益指标（选填）", "指标1：全县森林覆盖率", "≥", "62", "%", ""),
        ("效益指标", "可持续影响指标（选填）", "指标1：应急物资储备保障率", "", "", "%", ""),
        (
            "满意度指标",
            "服务对象满意度指标（必填）",
            "指标1：受益群众满意度（≥**%）",
            "≥",
            "90",
            "%",
            "",
        ),
        ("满意度指标", "服务对象满意度指标（必填）") + E,
    ]
    rows = [
        [C("项目名称"), C("森林防灭火及应急救援能力建设", 7)],
        [
            C("主管部门"),
            C("务川自治县应急管理局", 3),
            C("实施单位", 2),
            C("务川自治县应急管理局", 2),
        ],
        [C("项目类别"), C("☑常年性　□一次性", 3), C("是否政府采购", 2), C("☑是　□否", 2)],
        [C("资金情况", 1, 3), C("年度资金总额", 3), C("45.80", 4)],
        [C("其中：本年财政拨款", 3), C("40.00", 4)],
        [C("上年结转", 3), C("5.80", 4)],
        [
            C("年度绩效目标"),
            C(
                "购置森林防灭火扑救装备260台（套）以上，组织综合演练4次、培训乡镇半专业扑火队员320人以上，"
                "森林火灾受害率控制在0.9‰以内，提升基层森林防灭火和应急救援能力。",
                7,
            ),
        ],
        [
            C("一级", 1, 2, bold=True),
            C("二级", 1, 2, bold=True),
            C("三级", 2, 2, bold=True),
            C("当年预期实现值", 3, bold=True),
            C("备注", 1, 2, bold=True),
        ],
        [C("指标性质", bold=True), C("数值", bold=True), C("度量单位", bold=True)],
    ]
    rows += grid_rows(
        inds,
        lambda d: (
            [C(d[2], 2), d[3], d[4], d[5], d[6]]
            if not is_empty(d)
            else [C(None, 2), None, None, None, None]
        ),
    )
    exp_rows("W14", [(d[0], d[1], d[2], sv(d[3], d[4], d[5])) for d in inds if not is_empty(d)])
    exp_budget("W14", 458000)
    parts = [
        (
            "para",
            "务川自治县财政局关于下达2021年森林防灭火及应急救援能力建设专项资金的通知",
            "center",
            15,
            True,
        ),
        ("para", "县应急管理局：", "left", 12),
        (
            "para",
            "经研究，现下达你单位2021年森林防灭火及应急救援能力建设专项资金45.80万元（其中上年结转5.80万元），"
            "请严格按照项目绩效目标组织实施，加快预算执行进度，确保资金安全有效使用。",
            "justify",
            12,
        ),
        ("para", "附件：项目绩效目标申报表", "left", 12),
        ("para", "务川仡佬族苗族自治县财政局　　2021年3月8日", "right", 12),
        ("pagebreak",),
        ("para", "项目绩效目标申报表", "center", 16, True),
        ("para", "（2021年度）", "center", 12),
        ("grid", 8, rows),
        (
            "para",
            "填报单位（盖章）：　　　　　　单位负责人：　　　　　填报人：　　　　　填报日期：2021年3月　日",
            "left",
            10.5,
        ),
    ]
    write_docx(os.path.join(OUT, "W14.docx"), parts)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for f in (w01, w02, w03, w04, w05, w06, w07, w08, w09, w10, w11, w12, w13, w14):
        f()
    # self-check: the hand-written expected.tsv must agree with the data written into the files
    # (same rows in the same order per table; #budget lines follow all rows of their file)
    mine = []
    for tid in dict.fromkeys(r[0] for r in EXPECTED):
        mine += [r for r in EXPECTED if r[0] == tid and r[1] != "#budget"]
        mine += [r for r in EXPECTED if r[0] == tid and r[1] == "#budget"]
    mine = ["\t".join(x.replace("\n", "\\n").replace("\t", "\\t") for x in r) for r in mine]
    path = os.path.join(os.path.dirname(OUT), "expected.tsv")
    if os.path.exists(path):
        hand = open(path, encoding="utf-8").read().splitlines()[1:]
        bad = [(a, b) for a, b in zip(hand, mine, strict=False) if a != b]
        print(
            "expected.tsv check:",
            "OK" if not bad and len(hand) == len(mine) else bad[:5] or "length differs",
        )
    print(
        "rows:",
        sum(1 for r in EXPECTED if r[1] != "#budget"),
        "budgets:",
        sum(1 for r in EXPECTED if r[1] == "#budget"),
    )

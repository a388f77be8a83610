"""PDF with a text layer, drawn here with reportlab; a PDF without one is reported as a scan."""

from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from jixiao.errors import ReadError
from jixiao.readers import read_path
from jixiao.seed import load_seed

FONT = "STSong-Light"


def _pdf(path, tables):
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("zh", fontName=FONT, fontSize=9, leading=12)
    story = []
    for t in tables:
        story += [
            Paragraph(t.title, style),
            Paragraph(f"{t.unit_code}{t.unit_name}", style),
            Paragraph("单位：元", style),
        ]
        rows = [
            ["项目名称", t.project, "", "", ""],
            ["预算数", f"{t.budget_total:.2f}", "其中：财政资金", f"{t.budget_fiscal:.2f}", ""],
            ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
        ]
        rows += [[i.level1, i.level2, i.name, i.description, i.value.raw] for i in t.indicators]
        grid = Table(
            [[Paragraph(c, style) for c in row] for row in rows], colWidths=[60, 70, 130, 130, 70]
        )
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
        story += [grid, PageBreak()]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def test_text_pdf_reads_like_the_original(tmp_path):
    seed = load_seed()
    originals = [seed[4], seed[10]]
    path = tmp_path / "two.pdf"
    _pdf(path, originals)
    tables = read_path(path)
    assert [t.project for t in tables] == [t.project for t in originals]
    for got, want in zip(tables, originals, strict=True):
        assert got.budget_total == want.budget_total and got.budget_fiscal == want.budget_fiscal
        assert (got.unit_code, got.unit_name) == (want.unit_code, want.unit_name)
        assert [(i.level1, i.level2, i.name, i.value.raw) for i in got.indicators] == [
            (i.level1, i.level2, i.name, i.value.raw) for i in want.indicators
        ]
    assert tables[1].indicators[6].value.yuan == Decimal(50000)
    assert tables[0].source.sheet == "page 1" and tables[1].source.sheet == "page 2"


def test_scan_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for y in range(100, 700, 40):
        c.rect(60, y, 470, 20, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert str(path) in str(info.value) and "没有文字层" in str(info.value)

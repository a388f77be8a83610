"""What a draft changed, for the officer: every changed cell (before → after, why) and the
findings left to look at, as Markdown or an Excel workbook; and a short summary in Chinese."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jixiao.draft import Draft, named_from_goal
from jixiao.draft_edit import ROW_FIELDS, TABLE_FIELDS
from jixiao.findings import SEVERITY_ZH
from jixiao.writers.xlsx import text_cell

CHANGE_HEADERS = [
    ("序号", 6),
    ("项目名称", 28),
    ("位置", 30),
    ("去年行", 8),
    ("栏目", 12),
    ("原内容", 36),
    ("新内容", 36),
    ("原因", 50),
    ("代码", 22),
]
LEFT_HEADERS = [
    ("序号", 6),
    ("项目名称", 28),
    ("位置", 30),
    ("严重程度", 9),
    ("问题代码", 26),
    ("说明", 50),
    ("建议", 50),
]


def summary(drafts: list[Draft]) -> str:
    """`普法宣传专项经费：2024→2025年；保留 2 行，调整 1 行，待填写 3 行（占位符 4 处）；…`."""
    lines = []
    for d in drafts:
        if d.kind == "new":
            lines.append(_summary_new(d))
            continue
        if d.from_year and d.to_year:
            years = f"{d.from_year}→{d.to_year}年"
        elif d.to_year:
            years = f"年度定为{d.to_year}年（原表没有年度，年份未顺延）"
        else:
            years = "原表没有年度，年份未顺延"
        lines.append(
            f"{d.table.project or '（无项目名称）'}：{years}；保留 {d.count('kept')} 行，"
            f"调整 {d.count('adapted')} 行，待填写 {d.count('needs_input')} 行"
            f"（占位符 {d.placeholders()} 处）；留给填报人核实的问题 {len(d.left)} 个"
            + (
                f"，未能自动修正的问题 {len(d.unfixed_outside_placeholders())} 个"
                if d.unfixed_outside_placeholders()
                else ""
            )
            + "。"
        )
    return "\n".join(lines)


def _summary_new(d: Draft) -> str:
    """`社区矫正专项经费（2027年，新表）：参照资料库 6 行，依据简介 2 行，待填写 3 行…`."""
    unfixed = d.unfixed_outside_placeholders()
    named = sum(named_from_goal(i) for i in d.table.indicators)
    return (
        f"{d.table.project}（{d.to_year}年，新表）：参照资料库 {d.count('from_library')} 行，"
        f"依据简介 {d.count('from_brief')} 行，待填写 {d.count('needs_input')} 行"
        + "（"
        + (f"其中按绩效目标拟出指标名称 {named} 行；" if named else "")
        + f"占位符 {d.placeholders()} 处）；留给填报人核实的问题 {len(d.left)} 个"
        + (f"，未能自动修正的问题 {len(unfixed)} 个" if unfixed else "")
        + "。"
    )


def _titles(drafts: list[Draft]) -> tuple[str, str]:
    """The document's title and the source column's name: a new table cites the library row
    each row follows; next year's, last year's row."""
    if drafts and all(d.kind == "new" for d in drafts):
        return "新绩效目标表草稿：每行的来源", "参照行"
    return "下一年度绩效目标表草稿：变更清单", "去年行"


def _where(d: Draft, f) -> str:
    if f.row is None:
        return "整表"
    ind = d.table.indicators[f.row - 1]
    return f"第{f.row}行 {ind.level2}/{ind.name}"


def _left(d: Draft) -> list:
    return d.unfixed_outside_placeholders() + d.left


def markdown(drafts: list[Draft]) -> str:
    title, source = _titles(drafts)
    lines = [f"# {title}", "", *summary(drafts).splitlines(), ""]
    lines += [
        "占位符【请填写…】处须由填报人填写实际数字或文字；草稿不编造数字。",
        "",
    ]
    for d in drafts:
        lines += [f"## {d.table.project or '（无项目名称）'}", ""]
        if d.source_id:
            lines += [f"{'参照的表' if d.kind == 'new' else '去年的表'}：{d.source_id}", ""]
        lines += [
            f"| 位置 | {source} | 栏目 | 原内容 | 新内容 | 原因 |",
            "|---|---|---|---|---|---|",
        ]
        for c in d.diff():
            label = (ROW_FIELDS if c.row else TABLE_FIELDS).get(c.field, c.field)
            cells = [c.where, str(c.source_row or ""), label, c.before, c.after, c.reason]
            lines.append("| " + " | ".join(_esc(x) for x in cells) + " |")
        left = _left(d)
        if left:
            lines += [
                "",
                "### 留给填报人核实的问题（未自动修改）",
                "",
                "| 位置 | 严重程度 | 问题 | 说明 | 建议 |",
                "|---|---|---|---|---|",
            ]
            for f in left:
                cells = [_where(d, f), SEVERITY_ZH[f.severity], f.code, f.message, f.suggestion]
                lines.append("| " + " | ".join(_esc(x) for x in cells) + " |")
        lines.append("")
    return "\n".join(lines) + "\n"


def write(drafts: list[Draft], path: Path) -> Path:
    """The diff as `.md` or `.xlsx`, by the file's extension."""
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(drafts, path)
    path.write_text(markdown(drafts), encoding="utf-8")
    return path


def write_xlsx(drafts: list[Draft], path: Path) -> Path:
    title, source = _titles(drafts)
    wb = Workbook()
    changes = wb.active
    changes.title = "每行来源" if source == "参照行" else "变更清单"
    rows = []
    for d in drafts:
        for c in d.diff():
            label = (ROW_FIELDS if c.row else TABLE_FIELDS).get(c.field, c.field)
            rows.append(
                [
                    d.table.project,
                    c.where,
                    c.source_row or "",
                    label,
                    c.before,
                    c.after,
                    c.reason,
                    c.code,
                ]
            )
    headers = [(source, w) if h == "去年行" else (h, w) for h, w in CHANGE_HEADERS]
    _sheet(changes, headers, rows)
    left = [
        [d.table.project, _where(d, f), SEVERITY_ZH[f.severity], f.code, f.message, f.suggestion]
        for d in drafts
        for f in _left(d)
    ]
    _sheet(wb.create_sheet("待核实问题"), LEFT_HEADERS, left)
    summary_ws = wb.create_sheet("汇总")
    summary_ws.column_dimensions["A"].width = 110
    for r, line in enumerate(summary(drafts).splitlines(), start=1):
        text_cell(summary_ws, r, 1, line).alignment = Alignment(wrap_text=True)
    wb.save(str(path))
    return path


def _sheet(ws, headers, rows) -> None:
    for c, (header, width) in enumerate(headers, start=1):
        text_cell(ws, 1, c, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate([r - 1, *values], start=1):
            text_cell(ws, r, c, v).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 2)}"


def _esc(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")

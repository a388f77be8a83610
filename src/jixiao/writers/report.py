"""Review reports as JSON (for scripts), Markdown (for terminals) and self-contained HTML."""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from pathlib import Path

from jixiao.catalogue import CATALOGUE
from jixiao.findings import SEVERITY_ZH, ReviewResult, by_table, severity_rank, summary
from jixiao.model import SEVERITIES, Finding, Table
from jixiao.writers._layout import amount_text

JSON_FIELDS = [
    "table_id",
    "project",
    "file",
    "table_index",
    "row",
    "level2",
    "indicator",
    "code",
    "severity",
    "message",
    "suggestion",
    "basis",
    "evidence",
    "origin",
]


def findings_json(findings: list[Finding]) -> str:
    """The documented JSON format: a list of findings, each with the fields in JSON_FIELDS."""
    return json.dumps(
        [f.model_dump(include=set(JSON_FIELDS)) for f in findings], ensure_ascii=False, indent=2
    )


def markdown(result: ReviewResult) -> str:
    lines = ["# 绩效目标表审阅报告", "", *summary(result).splitlines(), ""]
    for table, found in by_table(result):
        lines += [
            f"## {table.project or table.title}",
            "",
            f"文件：{_file(table)}　预算数：{amount_text(table.budget_total, '元')}元　"
            f"问题：{len(found)}",
            "",
        ]
        if not found:
            lines += ["未列出问题（已按严重程度筛选）。" if result.filtered else "未发现问题。", ""]
            continue
        lines += [
            "| 位置 | 严重程度 | 问题 | 说明 | 修改建议 | 依据 |",
            "|---|---|---|---|---|---|",
        ]
        for f in found:
            cells = [
                f.where(),
                SEVERITY_ZH[f.severity],
                f"{_title(f.code)}（{f.code}）",
                f.message,
                f.suggestion,
                f.basis,
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines) + "\n"


def html(result: ReviewResult) -> str:
    """One HTML file, no external assets: summary, then each table with its findings."""
    parts = [
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>绩效目标表审阅报告</title><style>{_CSS}</style></head><body>",
        "<h1>绩效目标表审阅报告</h1>",
        "<section class='summary'>"
        + "".join(f"<p>{escape(line)}</p>" for line in summary(result).splitlines())
        + "</section>",
    ]
    if len(result.tables) > 1:
        parts.append("<nav><h2>目录</h2><ol>")
        for i, (table, found) in enumerate(by_table(result)):
            parts.append(
                f"<li><a href='#t{i}'>{escape(table.project)}</a> {_badges(found, result.filtered)}</li>"
            )
        parts.append("</ol></nav>")
    for i, (table, found) in enumerate(by_table(result)):
        try:
            parts.append(_table_html(i, table, found, result.filtered))
        except Exception as exc:  # noqa: BLE001 — one table must not lose the report
            parts.append(
                f"<section class='table' id='t{i}'><h2>{escape(table.project)}</h2><p>这张表未能"
                f"显示（内部错误 {escape(type(exc).__name__)}）；它的问题见 JSON 或 Excel 报告。</p>"
                "</section>"
            )
    parts.append("</body></html>")
    return "\n".join(parts)


def write(result: ReviewResult, path: Path, fmt: str) -> Path:
    if fmt == "xlsx":
        from jixiao.writers.report_xlsx import write as write_xlsx

        return write_xlsx(result, path)
    text = {"json": lambda r: findings_json(r.findings) + "\n", "md": markdown, "html": html}[fmt](
        result
    )
    path.write_text(text, encoding="utf-8")
    return path


def _table_html(i: int, table: Table, found: list[Finding], filtered: bool = False) -> str:
    by_row: dict[int | None, list[Finding]] = defaultdict(list)
    for f in found:
        by_row[f.row].append(f)
    out = [
        f"<section class='table' id='t{i}'><h2>{escape(table.project or table.title)}</h2>",
        f"<p class='meta'>{escape(table.unit_code + table.unit_name)}　文件：{escape(_file(table))}"
        f"　预算数：{escape(amount_text(table.budget_total, '元'))}元　{_badges(found, filtered)}</p>",
    ]
    for f in by_row.get(None, []):
        out.append(_finding_html(f))
    out.append(
        "<table class='grid'><tr><th>#</th><th>一级指标</th><th>二级指标</th><th>三级指标</th>"
        "<th>绩效指标描述</th><th>指标值</th></tr>"
    )
    for n, ind in enumerate(table.indicators, start=1):
        row_found = by_row.get(n, [])
        worst = min((f.severity for f in row_found), key=severity_rank, default="")
        out.append(
            f"<tr class='{worst}'><td>{n}</td><td>{escape(ind.level1)}</td>"
            f"<td>{escape(ind.level2)}</td><td>{escape(ind.name)}</td>"
            f"<td>{escape(ind.description)}</td><td>{escape(ind.value.raw)}</td></tr>"
        )
        if row_found:
            notes = "".join(_finding_html(f) for f in row_found)
            out.append(f"<tr class='notes'><td></td><td colspan='5'>{notes}</td></tr>")
    out.append("</table></section>")
    return "\n".join(out)


def _finding_html(f: Finding) -> str:
    return (
        f"<div class='finding {f.severity}'><span class='sev'>{SEVERITY_ZH[f.severity]}</span>"
        f"<b>{escape(_title(f.code))}</b> <code>{f.code}</code> {escape(f.message)}"
        f"<div class='fix'>建议：{escape(f.suggestion)}</div>"
        f"<div class='basis'>依据：{escape(f.basis)}"
        f"{'（模型判断）' if f.origin == 'model' else ''}</div></div>"
    )


def _badges(found: list[Finding], filtered: bool = False) -> str:
    counts = {s: sum(f.severity == s for f in found) for s in SEVERITIES}
    return "".join(
        f"<span class='badge {s}'>{SEVERITY_ZH[s]} {n}</span>" for s, n in counts.items() if n
    ) or (
        "<span class='badge ok'>未列出</span>"
        if filtered
        else "<span class='badge ok'>无问题</span>"
    )


def _title(code: str) -> str:
    return CATALOGUE[code].title if code in CATALOGUE else code


def _file(table: Table) -> str:
    if not table.source:
        return ""
    return f"{table.source.file}（第{table.source.table_index + 1}张表）"


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;
max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em;border-bottom:2px solid #333}h2{font-size:1.25em;margin-top:1.6em}
.summary{background:#f6f8fa;padding:.6em 1em;border-radius:6px}.summary p{margin:.2em 0}
.meta{color:#555}.grid{border-collapse:collapse;width:100%;font-size:.92em}
.grid th,.grid td{border:1px solid #bbb;padding:4px 6px;vertical-align:top}
.grid th{background:#eef1f4}tr.error td{background:#fde2e1}tr.warning td{background:#fff4d6}
tr.info td{background:#eef5ff}tr.notes td{background:#fff;border-top:none}
.finding{margin:.3em 0;padding:.3em .6em;border-left:4px solid #999}
.finding.error{border-color:#d93025}.finding.warning{border-color:#e8a000}
.finding.info{border-color:#4a7bd0}.fix{color:#0a5}.basis{color:#777;font-size:.9em}
.sev{display:inline-block;min-width:2.5em;font-weight:bold;margin-right:.4em}
.badge{display:inline-block;padding:0 .5em;border-radius:8px;margin-left:.3em;font-size:.85em;color:#fff}
.badge.error{background:#d93025}.badge.warning{background:#e8a000}.badge.info{background:#4a7bd0}
.badge.ok{background:#2e7d32}code{color:#666;font-size:.85em}nav li{margin:.15em 0}
"""

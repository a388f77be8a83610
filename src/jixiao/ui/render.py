"""What the web UI shows, as HTML and grid rows: every text escaped, nothing computed here that
the core does not already say (findings, summaries, citations)."""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from jixiao.catalogue import CATALOGUE
from jixiao.errors import Problem
from jixiao.findings import SEVERITY_ZH, ReviewResult, finding_field, severity_rank
from jixiao.model import SEVERITIES, Finding, Table
from jixiao.writers.form import amount_text, cell_text, goals_text, groups, unit_text

FINDING_HEADERS = ["序号", "项目名称", "位置", "严重程度", "问题类型", "问题说明", "修改建议"]
KIND_ZH = {"table": "表", "indicator": "指标", "policy": "政策"}


def code_title(code: str) -> str:
    return CATALOGUE[code].title if code in CATALOGUE else code


def summary_html(result: ReviewResult) -> str:
    """Cards (tables, rows, findings by severity), the findings by type, unreadable files."""
    sev = result.by_severity
    rows = sum(len(t.indicators) for t in result.tables)
    cards = [
        ("", len(result.tables), "张表"),
        ("", rows, "个指标"),
        ("error", sev["error"], "错误"),
        ("warning", sev["warning"], "警告"),
        ("info", sev["info"], "提示"),
        ("", result.files_failed, "个文件未能读取"),
    ]
    out = ["<div class='jx-summary'>"]
    out += [
        f"<div class='jx-card {c}'><b>{n}</b><span>{label}</span></div>" for c, n, label in cards
    ]
    out.append("</div>")
    if result.findings:
        codes = "；".join(
            f"{escape(code_title(c))}（{escape(c)}）{n}" for c, n in result.by_code.most_common()
        )
        out.append(f"<div class='jx-note jx-codes'><b>按问题类型：</b>{codes}</div>")
    elif result.tables:
        out.append("<div class='jx-note ok'>未发现问题。</div>")
    if result.unreadable:
        items = "".join(f"<li>{escape(str(p))}</li>" for p in result.unreadable)
        out.append(
            f"<div class='jx-note bad'><b>未能读取的文件 {len(result.unreadable)} 个（其余照常审核）：</b>"
            f"<ul>{items}</ul></div>"
        )
    mode = "规则审核（离线）" if result.model is None else f"规则 + 模型（{escape(result.model)}）"
    out.append(f"<div class='jx-mode'>审核方式：{mode}</div>")
    return "\n".join(out)


def problems_html(problems: list[Problem], title: str) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{escape(str(p))}</li>" for p in problems)
    return f"<div class='jx-note bad'><b>{escape(title)}</b><ul>{items}</ul></div>"


def note_html(text: str, kind: str = "") -> str:
    """One message box; `kind` `bad` or `ok` colours its edge."""
    lines = "<br>".join(escape(line) for line in text.splitlines())
    return f"<div class='jx-note {kind}'>{lines}</div>"


def finding_rows(findings: list[Finding]) -> list[list[str]]:
    """The findings grid, one row a finding, in the order given."""
    return [
        [
            str(n),
            f.project,
            f.where(),
            SEVERITY_ZH[f.severity],
            code_title(f.code),
            f.message,
            f.suggestion,
        ]
        for n, f in enumerate(findings, start=1)
    ]


def filter_findings(
    findings: list[Finding], severities: list[str], code: str = "", project: str = ""
) -> list[Finding]:
    """Findings of the chosen severities (Chinese names), of one type and one table, if given;
    the worst first, in the tables' order within a severity."""
    names = {SEVERITY_ZH[s]: s for s in SEVERITIES}
    wanted = {names.get(s, s) for s in severities}
    findings = sorted(findings, key=lambda f: severity_rank(f.severity))
    return [
        f
        for f in findings
        if f.severity in wanted
        and (not code or f.code == code)
        and (not project or f.project == project)
    ]


def code_choices(findings: list[Finding]) -> list[tuple[str, str]]:
    """(label, code) for a filter, most frequent first."""
    counts = Counter(f.code for f in findings)
    return [(f"{code_title(c)}（{n}）", c) for c, n in counts.most_common()]


def table_html(
    table: Table,
    findings: list[Finding] | None = None,
    mark_row: int | None = None,
    provenance: bool = False,
) -> str:
    """A table in the seed's layout: offending cells coloured by their worst finding, the
    findings beside their row; `mark_row` (1-based) outlined, as a citation points at it;
    `provenance`: where each drafted row comes from, in a column of its own."""
    findings = findings or []
    by_row: dict[int | None, list[Finding]] = defaultdict(list)
    for f in findings:
        by_row[f.row].append(f)
    cell_sev = _cell_severities(findings)
    extra = (["来源"] if provenance else []) + (["审核意见"] if findings or provenance else [])
    width = 5 + len(extra)
    title = table.title or f"{table.project} 绩效目标表"
    out = [
        "<div class='jx-table'><table class='form'>",
        f"<caption>{escape(title)}</caption>",
        f"<tr><td colspan='{width}' class='meta'>{escape(unit_text(table))}　"
        f"金额单位：{escape(table.money_unit)}"
        + (f"　年度：{table.year}" if table.year else "")
        + "</td></tr>",
        _label_row("项目名称", table.project, width, cell_sev.get((None, "project"))),
        _label_row(
            "预算数",
            f"{amount_text(table.budget_total, table.money_unit)}"
            f"（其中：财政资金 {amount_text(table.budget_fiscal, table.money_unit) or '—'}，"
            f"其他资金 {amount_text(table.budget_other, table.money_unit) or '—'}）",
            width,
            cell_sev.get((None, "budget")),
        ),
        _label_row("资金用途", table.purpose, width),
        _label_row("年度绩效目标", "\n".join(goals_text(table)), width),
    ]
    if by_row.get(None):
        notes = "".join(_finding_html(f) for f in by_row[None])
        out.append(
            f"<tr><td class='label'>整表问题</td><td colspan='{width - 1}'>{notes}</td></tr>"
        )
    headers = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", *extra]
    out.append("<tr>" + "".join(f"<th>{h}</th>" for h in headers) + "</tr>")
    inds = table.indicators
    spans1 = {a: b - a + 1 for a, b in groups([i.level1 for i in inds])}
    spans2 = {a: b - a + 1 for a, b in groups([f"{i.level1}\x00{i.level2}" for i in inds])}
    for i, ind in enumerate(inds):
        n = i + 1
        cells = []
        if i in spans1:
            cells.append(f"<td rowspan='{spans1[i]}'>{escape(ind.level1)}</td>")
        if i in spans2:
            cells.append(f"<td rowspan='{spans2[i]}'>{escape(ind.level2)}</td>")
        for attr in ("name", "description", "value"):
            sev = cell_sev.get((n, attr), "")
            cells.append(f"<td class='{sev} c-{attr}'>{_text(cell_text(ind, attr))}</td>")
        if provenance:
            cells.append(f"<td class='jx-prov'>{escape(provenance_text(ind))}</td>")
        if "审核意见" in extra:
            cells.append(
                f"<td class='issues'>{''.join(_finding_html(f) for f in by_row.get(n, []))}</td>"
            )
        cls = " class='cited'" if mark_row == n else ""
        out.append(f"<tr{cls} data-row='{n}'>" + "".join(cells) + "</tr>")
    if not inds:
        out.append(f"<tr><td colspan='{width}'>（没有读到指标行）</td></tr>")
    out.append("</table></div>")
    return "\n".join(out)


def provenance_text(ind) -> str:
    """Where a drafted row comes from, in a few words."""
    p = ind.provenance
    if p is None:
        return ""
    kind = {
        "kept": "沿用去年",
        "adapted": "按去年调整",
        "from_brief": "依据简介",
        "from_library": "参照资料库",
        "needs_input": "待填写",
    }[p.kind]
    where = f"（第{p.row}行）" if p.row else ""
    note = f"：{p.note}" if p.note else ""
    return f"{kind}{where}{note}"


def hits_html(hits: list) -> str:
    """Search results, each with its kind, its text and where it comes from."""
    if not hits:
        return note_html("没有找到结果。")
    out = ["<div class='jx-hits'>"]
    for rank, h in enumerate(hits, start=1):
        first, *rest = (h.text or "").splitlines() or [""]
        body = " ".join(rest)
        out.append(
            f"<div class='jx-hit'><span class='where'>{rank}. {escape(first[:160])}</span>"
            f"<span class='kind'>【{KIND_ZH.get(h.kind, escape(h.kind))}】"
            f"出处：{escape(h.citation.label())}</span>"
            + (
                f"<div class='text'>{escape(body[:400])}{'…' if len(body) > 400 else ''}</div>"
                if body
                else ""
            )
            + "</div>"
        )
    out.append("</div>")
    return "\n".join(out)


def passage_html(title: str, heading: str, text: str) -> str:
    return (
        f"<div class='jx-hit'><span class='where'>{escape(title)} {escape(heading)}</span>"
        f"<div class='text'>{escape(text)}</div></div>"
    )


def _cell_severities(findings: list[Finding]) -> dict[tuple[int | None, str], str]:
    worst: dict[tuple[int | None, str], str] = {}
    for f in findings:
        key = (f.row, finding_field(f))
        if key not in worst or severity_rank(f.severity) < severity_rank(worst[key]):
            worst[key] = f.severity
    return worst


def _label_row(label: str, text: str, width: int, sev: str | None = None) -> str:
    return (
        f"<tr><td class='label'>{escape(label)}</td>"
        f"<td colspan='{width - 1}' class='{sev or ''}'>{_text(text)}</td></tr>"
    )


def _text(text: str) -> str:
    """Escaped, with 【请填写】 placeholders marked for the eye."""
    safe = escape(text)
    if "【请" in safe:
        import re

        safe = re.sub(r"(【请[^】]*】)", r"<span class='jx-ph'>\1</span>", safe)
    return safe


def _finding_html(f: Finding) -> str:
    return (
        f"<div class='jx-f {f.severity}'><span class='sev'>{SEVERITY_ZH[f.severity]}</span>"
        f"<b>{escape(code_title(f.code))}</b> {escape(f.message)}"
        + (f"<div class='fix'>建议：{escape(f.suggestion)}</div>" if f.suggestion else "")
        + "</div>"
    )

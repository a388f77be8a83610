"""What a review produced, apart from how it was produced: results, grouping and the summary.

The writers (reports) and every front end read these; the engine (`review`) fills them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from jixiao.errors import Problem
from jixiao.model import SEVERITIES, Finding, Table

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def severity_rank(severity: str) -> int:
    """0 for the worst (`error`), in the one order of `model.SEVERITIES`."""
    return SEVERITIES.index(severity)  # type: ignore[arg-type]


@dataclass
class ReviewResult:
    """What a batch review produced: the tables, their findings and the files that failed."""

    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    files_failed: int = 0
    model: str | None = None  # None: offline, rules only
    model_stats: dict[str, int] = field(default_factory=dict)
    model_failures: list[str] = field(default_factory=list)
    model_stopped: str | None = None  # why the model was no longer asked during this batch
    # The model's findings left out: code → (how many, its measured precision), see model_trust.
    model_untrusted: dict[str, tuple[int, float]] = field(default_factory=dict)
    min_severity: str = "info"  # findings below it were left out (`at_least`)
    hidden: dict[str, int] = field(default_factory=dict)  # what was left out, by severity

    def at_least(self, severity: str) -> ReviewResult:
        """The same result keeping only findings at `severity` or worse."""
        limit = severity_rank(severity)
        kept = [f for f in self.findings if severity_rank(f.severity) <= limit]
        hidden = Counter(f.severity for f in self.findings if severity_rank(f.severity) > limit)
        return replace(self, findings=kept, min_severity=severity, hidden=dict(hidden))

    @property
    def filtered(self) -> bool:
        """Whether findings below `min_severity` were left out of this result."""
        return self.min_severity != SEVERITIES[-1]

    @property
    def by_severity(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    @property
    def by_code(self) -> Counter:
        return Counter(f.code for f in self.findings)

    @property
    def unreadable(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def internal(self) -> list[Problem]:
        return [p for p in self.problems if p.internal]

    def exit_code(self) -> int:
        """3 when jixiao itself failed somewhere (the rest was still done), 2 when nothing could be
        read, 1 when any finding is an error, else 0."""
        if self.internal:
            return 3
        if not self.tables:
            return 2
        return 1 if any(f.severity == "error" for f in self.findings) else 0


# Which cell of an indicator row a finding is about (the rest: the name).
VALUE_CODES = {
    "missing_comparator",
    "missing_unit",
    "unit_mismatch",
    "wrong_direction",
    "rate_over_100",
    "unrealistic_target",
    "low_target",
    "vague_value",
    "unmeasurable_percentage",
    "period_inconsistent",
    "cost_indicator_empty",
    "cost_exceeds_budget",
    "cost_not_monetary",
    "cost_restates_budget",
    "cost_budget_inconsistent",
    "implausible_value",
}
DESCRIPTION_CODES = {
    "description_duplicates_name",
    "name_description_mismatch",
    "numbers_in_description_only",
}


def finding_field(f: Finding) -> str:
    """The cell a finding is about, as every report colours it: `value`, `description` or
    `name` of its row; for the table as a whole, `budget` or `project`."""
    if f.row is None:
        return "budget" if f.code == "budget_breakdown_inconsistent" else "project"
    if f.code in VALUE_CODES:
        return "value"
    if f.code in DESCRIPTION_CODES:
        return "description"
    return "name"


def table_key(table: Table) -> tuple:
    """Which table a finding is about: its id and its place (the same table sent twice is two)."""
    p = table.locator()
    return (p["table_id"], p["file"], p["table_index"])


def findings_by_table(findings: list[Finding]) -> dict[tuple, list[Finding]]:
    grouped: dict[tuple, list[Finding]] = {}
    for f in findings:
        grouped.setdefault((f.table_id, f.file, f.table_index), []).append(f)
    return grouped


def summary(result: ReviewResult) -> str:
    """A few lines in Chinese: what was read, what was found, what could not be read."""
    sev = result.by_severity + Counter(result.hidden)
    rows = sum(len(t.indicators) for t in result.tables)
    lines = [
        f"审阅了 {len(result.tables)} 张绩效目标表（{rows} 个指标，来自 {result.files_read} 个文件）。",
        f"发现 {sum(sev.values())} 个问题：错误 {sev['error']}，警告 {sev['warning']}，"
        f"提示 {sev['info']}。",
    ]
    if result.filtered:
        left_out = "，".join(
            f"{SEVERITY_ZH[k]} {result.hidden[k]}" for k in SEVERITIES if result.hidden.get(k)
        )
        lines.append(
            f"按 --min-severity 只列出{SEVERITY_ZH[result.min_severity]}及以上的 "
            f"{len(result.findings)} 个问题" + (f"；未列出：{left_out}。" if left_out else "。")
        )
    if result.findings:
        from jixiao.catalogue import CATALOGUE

        top = "；".join(f"{CATALOGUE[c].title}（{c}）{n}" for c, n in result.by_code.most_common())
        lines.append(f"按问题类型：{top}。")
    if result.unreadable:
        lines.append(f"未能读取或审阅的文件和表 {len(result.unreadable)} 处：")
        lines += [f"  - {p}" for p in result.unreadable]
    if result.model is None:
        lines.append("模型：未配置，本次为规则审阅（离线）。")
    else:
        m = result.model_stats
        lines.append(
            f"模型：{result.model}；审阅 {m['tables']} 张表，补充 {m['findings']} 个问题，"
            f"因证据不在表中舍弃 {m['dropped']} 个，"
            + (
                f"照抄表中文字（疑为表内指令）舍弃 {m['injected']} 个，"
                if m.get("injected")
                else ""
            )
            + f"与规则重复合并 {m['merged']} 个，"
            f"修复格式 {m['repairs']} 次，调用 {m['calls']} 次（缓存 {m['cached']}，"
            f"重试 {m['retries']}）"
            + (f"；{m['skipped']} 张表没有指标，未交给模型" if m.get("skipped") else "")
            + "。"
        )
        if result.model_untrusted:
            from jixiao.catalogue import CATALOGUE
            from jixiao.model_trust import THRESHOLD

            left = "；".join(
                f"{CATALOGUE[c].title}（{c}，精确率 {p:.2f}）{n} 个"
                for c, (n, p) in sorted(result.model_untrusted.items())
            )
            lines.append(
                f"模型在以下问题类型上实测精确率低于 {THRESHOLD:.0%}（jixiao eval review --model），"
                f"其判断未列出：{left}。加 --show-untrusted 可列出。"
            )
        if result.model_stopped:
            lines.append(
                f"模型服务不可用（{result.model_stopped}），本批其余的表不再调用模型；"
                f"共 {m['failed']} 张表只有规则审阅结果。"
            )
        if result.model_failures:
            lines.append(f"模型未能完成的表 {len(result.model_failures)} 张（仍有规则审阅结果）：")
            lines += [f"  - {f}" for f in result.model_failures]
    return "\n".join(lines)


def by_table(result: ReviewResult) -> list[tuple[Table, list[Finding]]]:
    """Each reviewed table with its findings, in the order the tables were read."""
    grouped = findings_by_table(result.findings)
    return [(t, grouped.get(table_key(t), [])) for t in result.tables]


DETECT_ZH = {
    "D": "规则（确定）",
    "D/H": "规则（确定+启发）",
    "H→L": "启发式，模型复核",
    "L": "模型判断",
}
# A judgement code (L) that an offline heuristic now raises for the model or a person to confirm.
DETECT_L_WITH_RULE_ZH = "启发式（离线），模型判断"


NOTE_ZH = "审阅说明（不是表的问题）"


def catalogue_rows() -> list[dict[str, str]]:
    """Every code with its Chinese title, default severity, how it is found and its basis."""
    from jixiao.catalogue import CATALOGUE
    from jixiao.rules import CODES

    rows = []
    for code, entry in CATALOGUE.items():
        rule = CODES.get(code)
        rows.append(
            {
                "code": code,
                "title": entry.title,
                "severity": SEVERITY_ZH[rule.severity]
                if rule
                else (SEVERITY_ZH["info"] if entry.note else "—（模型）"),
                "detect": NOTE_ZH
                if entry.note
                else DETECT_L_WITH_RULE_ZH
                if rule and entry.detect == "L"
                else DETECT_ZH.get(entry.detect, entry.detect),
                "basis": rule.basis if rule else "",
            }
        )
    return rows


def catalogue_markdown() -> str:
    """The catalogue as the Markdown document shipped in docs/ (`jixiao codes -f md`)."""
    rows = catalogue_rows()
    lines = [
        "# 问题代码目录",
        "",
        "jixiao 审阅结果中的每个问题都带有下列代码之一；人工标注的评测数据用的也是这些代码。",
        "“检查方式”说明由规则确定判断、规则初筛后需人工核实（启发式），还是需要语义判断（模型）。",
        "本文件由 `jixiao codes -f md` 生成，与程序一致（测试会核对）。",
        "",
        f"共 {len(rows)} 个代码。",
        "",
        "| 代码 | 名称 | 严重程度 | 检查方式 | 依据 |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        cells = (f"`{r['code']}`", r["title"], r["severity"], r["detect"], r["basis"] or "—")
        lines.append("| " + " | ".join(c.replace("|", "｜") for c in cells) + " |")
    return "\n".join(lines) + "\n"

"""Critique: the rules over every table, with a summary a person (or a script) can act on.

Model judgement joins here when a model is configured (the model layer); without one the review is
the rules alone, and the summary says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from jixiao.errors import Problem
from jixiao.model import Finding, Table
from jixiao.readers import LoadResult, load
from jixiao.rules import check

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def review(tables: Iterable[Table]) -> list[Finding]:
    """Every finding for `tables`, in table order, then whole-table first, then by row."""
    return [f for table in tables for f in check(table)]


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

    def at_least(self, severity: str) -> ReviewResult:
        """The same result keeping only findings at `severity` or worse."""
        limit = SEVERITY_RANK[severity]
        kept = [f for f in self.findings if SEVERITY_RANK[f.severity] <= limit]
        return replace(self, findings=kept)

    @property
    def by_severity(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    @property
    def by_code(self) -> Counter:
        return Counter(f.code for f in self.findings)

    @property
    def unreadable(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def exit_code(self) -> int:
        """2 when nothing could be read, 1 when any finding is an error, else 0."""
        if not self.tables:
            return 2
        return 1 if any(f.severity == "error" for f in self.findings) else 0


def review_paths(
    paths: Iterable[Path], progress: Callable[[Path], None] | None = None, llm=None, context=None
) -> ReviewResult:
    """Read every file (a broken one is reported, never fatal) and review every table read."""
    result = review_loaded(load(paths, progress=progress))
    if llm is not None and result.tables:
        add_model_judgement(result, llm, context)
    return result


def review_loaded(loaded: LoadResult) -> ReviewResult:
    """The rule review of what `load` read, with its file problems carried along."""
    return ReviewResult(
        tables=loaded.tables,
        findings=review(loaded.tables),
        problems=loaded.problems,
        files_read=loaded.files_read,
        files_failed=loaded.files_failed,
    )


def add_model_judgement(result: ReviewResult, llm, context=None, on_table=None) -> None:
    """Run the model checklist on every table (concurrently, bounded by the endpoint's limit) and
    add its findings after each table's rule findings. A table the model fails on keeps its rule
    findings and is listed in `model_failures`."""
    from concurrent.futures import ThreadPoolExecutor

    from jixiao.review_model import assess

    by_table = findings_by_table(result.findings)

    def one(table: Table):
        key = table_key(table)
        policy, similar = context(table) if context else ("", "")
        outcome = assess(table, by_table.get(key, []), llm, policy, similar)
        if on_table:
            on_table(table)
        return key, table, outcome

    with ThreadPoolExecutor(max_workers=max(1, llm.config.concurrency)) as pool:
        outcomes = list(pool.map(one, result.tables))
    stats = {"tables": 0, "findings": 0, "dropped": 0, "merged": 0, "repairs": 0, "failed": 0}
    findings: list[Finding] = []
    for key, table, outcome in outcomes:
        findings += by_table.get(key, [])
        findings += outcome.findings
        stats["tables"] += 1
        stats["findings"] += len(outcome.findings)
        stats["dropped"] += outcome.dropped
        stats["merged"] += outcome.merged
        stats["repairs"] += outcome.repairs
        if outcome.error:
            stats["failed"] += 1
            result.model_failures.append(f"{table.project}（{table.id}）：{outcome.error}")
    result.findings = findings
    result.model = llm.config.label
    result.model_stats = stats | {
        "calls": llm.stats["calls"],
        "cached": llm.stats["cached"],
        "retries": llm.stats["retries"],
    }


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
    sev = result.by_severity
    rows = sum(len(t.indicators) for t in result.tables)
    lines = [
        f"审阅了 {len(result.tables)} 张绩效目标表（{rows} 个指标，来自 {result.files_read} 个文件）。",
        f"发现 {len(result.findings)} 个问题：错误 {sev['error']}，警告 {sev['warning']}，"
        f"提示 {sev['info']}。",
    ]
    if result.findings:
        from jixiao.catalogue import CATALOGUE

        top = "；".join(f"{CATALOGUE[c].title}（{c}）{n}" for c, n in result.by_code.most_common())
        lines.append(f"按问题类型：{top}。")
    if result.unreadable:
        lines.append(f"无法读取的文件 {len(result.unreadable)} 个：")
        lines += [f"  - {p}" for p in result.unreadable]
    if result.model is None:
        lines.append("模型：未配置，本次为规则审阅（离线）。")
    else:
        m = result.model_stats
        lines.append(
            f"模型：{result.model}；审阅 {m['tables']} 张表，补充 {m['findings']} 个问题，"
            f"因证据不在表中舍弃 {m['dropped']} 个，与规则重复合并 {m['merged']} 个，"
            f"修复格式 {m['repairs']} 次，调用 {m['calls']} 次（缓存 {m['cached']}，"
            f"重试 {m['retries']}）。"
        )
        if result.model_failures:
            lines.append(f"模型未能完成的表 {len(result.model_failures)} 张（仍有规则审阅结果）：")
            lines += [f"  - {f}" for f in result.model_failures]
    return "\n".join(lines)

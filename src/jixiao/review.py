"""Critique: the rules over every table, with a summary a person (or a script) can act on.

Model judgement joins here when a model is configured (the model layer); without one the review is
the rules alone, and the summary says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jixiao.errors import Problem
from jixiao.findings import ReviewResult, findings_by_table, table_key
from jixiao.llm import Model
from jixiao.model import Finding, Table
from jixiao.readers import LoadResult
from jixiao.rules import check


def review(tables: Iterable[Table]) -> list[Finding]:
    """Every finding for `tables`, in table order, then whole-table first, then by row."""
    return [f for table in tables for f in check(table)]


# Context for the model's review of one table: (policy passages, similar past tables), as text.
Context = Callable[[Table], tuple[str, str]]


def review_loaded(loaded: LoadResult) -> ReviewResult:
    """The rule review of what `load` read, with its file problems carried along.

    A table the rules fail on (a bug, not the file's fault) is reported by file and place and
    marked internal; every other table is still reviewed.
    """
    findings: list[Finding] = []
    problems = list(loaded.problems)
    for table in loaded.tables:
        try:
            findings += check(table)
        except Exception as exc:  # noqa: BLE001 — one table must not stop the batch
            src = table.source
            problems.append(
                Problem(
                    file=src.file if src else "",
                    place=src.place(table.project) if src else table.project,
                    message=f"jixiao 审阅这张表时出现内部错误（{type(exc).__name__}），"
                    "这张表的审阅结果缺失；请把此文件反馈给 jixiao 的维护人员。",
                    severity="error",
                    internal=True,
                )
            )
    return ReviewResult(
        tables=loaded.tables,
        findings=findings,
        problems=problems,
        files_read=loaded.files_read,
        files_failed=loaded.files_failed,
    )


def add_model_judgement(
    result: ReviewResult,
    model: Model,
    context: Context | None = None,
    on_table: Callable[[Table], None] | None = None,
    untrusted: dict[str, float] | None = None,
    mode: str = "checklist",
) -> None:
    """Run the model on every table with indicators — its checklist, or with `mode` "questions"
    one narrow question per code (`review_questions`) — concurrently, bounded by the endpoint's
    limit, and add its findings after each table's rule findings. A table the model fails on
    keeps its rule findings, is listed in `model_failures` and gets a `model_not_run` note.
    Findings of a code in `untrusted` (code → the model's measured precision on it) are left
    out and counted in `model_untrusted`."""
    from concurrent.futures import ThreadPoolExecutor

    from jixiao.review_model import ModelOutcome, assess
    from jixiao.review_questions import ask_questions

    judge = ask_questions if mode == "questions" else assess

    by_table = findings_by_table(result.findings)

    def one(table: Table):
        key = table_key(table)
        if not table.indicators:  # nothing to judge: the rules have said what is missing
            outcome = ModelOutcome(skipped=True)
        else:
            policy, similar = context(table) if context else ("", "")
            outcome = judge(table, by_table.get(key, []), model, policy, similar)
        if on_table:
            on_table(table)
        return key, table, outcome

    with ThreadPoolExecutor(max_workers=max(1, model.concurrency)) as pool:
        outcomes = list(pool.map(one, result.tables))
    stats = dict.fromkeys(
        ("tables", "findings", "dropped", "injected", "merged", "repairs", "failed", "skipped"), 0
    )
    findings: list[Finding] = []
    for key, table, outcome in outcomes:
        findings += by_table.get(key, [])
        if outcome.skipped:
            stats["skipped"] += 1
            continue
        for f in outcome.findings:
            if untrusted and f.code in untrusted:
                n, p = result.model_untrusted.get(f.code, (0, untrusted[f.code]))
                result.model_untrusted[f.code] = (n + 1, p)
            else:
                findings.append(f)
        stats["tables"] += 1
        stats["findings"] += len(outcome.findings)
        stats["dropped"] += outcome.dropped
        stats["injected"] += outcome.injected
        stats["merged"] += outcome.merged
        stats["repairs"] += outcome.repairs
        if outcome.error:
            stats["failed"] += 1
            result.model_failures.append(f"{table.project}（{table.id}）：{outcome.error}")
            findings.append(not_run(table, outcome.error))
    result.findings = findings
    result.model = review_label(model.label, mode)
    result.model_stats = stats | model.stats()
    stopped = getattr(model, "stopped", None)
    if stopped:
        # Said once: the tables after the breaker tripped all failed for the same reason.
        result.model_stopped = stopped
        result.model_failures = [f for f in result.model_failures if "已停止调用模型" not in f]


def not_run(table: Table, why: str) -> Finding:
    """The note every report carries on a table the model could not review."""
    return Finding(
        **table.locator(),
        code="model_not_run",
        severity="info",
        message=f"模型未能审阅这张表（{why}），这张表只有规则审阅的结果。",
        suggestion="模型服务恢复后可重新审阅；规则审阅的结果照常有效。",
        basis="jixiao 的说明，不是表的问题",
        origin="model",
    )


def review_label(model: str, mode: str) -> str:
    """The model and how it reviewed, as reports and the trust file name it: a model's precision
    under narrow questions is not its precision under the checklist."""
    return f"{model}（逐项提问）" if mode == "questions" else model

"""Scoring for `jixiao eval review`: findings against hand-written labels, on (table, row, code).

A label set covers whole tables: every row of a labeled table is either labeled or fine, so a
finding on a fine row is a false positive. The reviewer's notes (`catalogue.NOTES`) are not
scored: they say what was not checked, not what is wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from jixiao.catalogue import CATALOGUE, NOTES, family
from jixiao.model import Finding, Table
from jixiao.readers import read_path
from jixiao.seed import load_seed

SEED_SOURCE = "jixiao:seed"
Key = tuple[str, int, int | None, str]  # source, table (1-based), row (1-based or None), code


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    table: int
    row: int | None
    indicator: str | None
    code: str
    severity: str
    reason: str

    @property
    def key(self) -> Key:
        return (self.source, self.table, self.row, self.code)


@dataclass
class Prediction:
    source: str
    table: int
    finding: Finding

    @property
    def key(self) -> Key:
        return (self.source, self.table, self.finding.row, self.finding.code)


@dataclass
class Metrics:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    # Undefined is None, never a perfect score: no predictions has no precision, no labels no
    # recall (an eval of nothing must not read 1.000).
    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass
class Report:
    per_code: dict[str, Metrics] = field(default_factory=lambda: defaultdict(Metrics))
    per_severity: dict[str, Metrics] = field(default_factory=lambda: defaultdict(Metrics))
    per_family: dict[str, Metrics] = field(default_factory=lambda: defaultdict(Metrics))
    micro: Metrics = field(default_factory=Metrics)
    false_positives: list[Prediction] = field(default_factory=list)
    false_negatives: list[Label] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return (
            sum(scored) / len(scored)
            if (scored := [m.f1 for m in self.per_code.values() if m.f1 is not None])
            else 0.0
        )

    def as_dict(self) -> dict:
        return {
            "micro": self.micro.as_dict(),
            "macro_f1": round(self.macro_f1, 4),
            "per_family": {k: m.as_dict() for k, m in sorted(self.per_family.items())},
            "per_severity": {k: m.as_dict() for k, m in sorted(self.per_severity.items())},
            "per_code": {k: m.as_dict() for k, m in sorted(self.per_code.items())},
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def load_labels(dataset: Path) -> list[Label]:
    """Every `*.labels.jsonl` under `dataset`, validated; a bad line names its file and line.

    A missing folder or one without labels is an error: an eval of nothing must not pass."""
    if not dataset.is_dir():
        raise ValueError(f"数据集 {dataset} 不存在")
    labels = []
    for path in sorted(dataset.glob("*.labels.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                label = Label.model_validate_json(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: {exc}") from None
            if label.code not in CATALOGUE:
                raise ValueError(f"{path}:{n}: unknown code '{label.code}'")
            if label.code in NOTES:
                raise ValueError(
                    f"{path}:{n}: '{label.code}' is a note of the reviewer, not a defect to label"
                )
            labels.append(label)
    if not labels:
        raise ValueError(f"数据集 {dataset} 中没有标注（*.labels.jsonl）")
    return labels


def load_sources(dataset: Path, labels: Iterable[Label]) -> dict[str, list[Table]]:
    """The tables of every labeled source, checked against the labels' indicator names."""
    tables: dict[str, list[Table]] = {}
    for source in sorted({label.source for label in labels}):
        tables[source] = load_seed() if source == SEED_SOURCE else read_path(dataset / source)
    for label in labels:
        found = tables[label.source]
        if not 1 <= label.table <= len(found):
            raise ValueError(
                f"label points at table {label.table} of {label.source}, which has {len(found)}"
            )
        if label.row is not None:
            rows = found[label.table - 1].indicators
            if not 1 <= label.row <= len(rows) or rows[label.row - 1].name != label.indicator:
                raise ValueError(
                    f"label {label.key} names '{label.indicator}', but that row of "
                    f"{label.source} reads differently: the labels have drifted"
                )
    return tables


def predict(
    tables: dict[str, list[Table]], reviewer: Callable[[Table], list[Finding]]
) -> list[Prediction]:
    return [
        Prediction(source, i, f)
        for source, found in tables.items()
        for i, table in enumerate(found, start=1)
        for f in reviewer(table)
    ]


def score(labels: list[Label], predictions: list[Prediction]) -> Report:
    """Precision, recall and F1 per code, severity, family and overall."""
    report = Report()
    gold = {label.key: label for label in labels}
    seen: dict[Key, Prediction] = {}
    for p in predictions:
        # The reviewer's notes (check_not_run: a check the table's missing fields kept from
        # running) are no defect a label could name, so neither true nor false positives.
        if p.finding.code in NOTES:
            continue
        seen.setdefault(p.key, p)
    for key, p in seen.items():
        label = gold.get(key)
        sev = label.severity if label else p.finding.severity
        for bucket in _buckets(report, p.finding.code, sev):
            if label:
                bucket.tp += 1
            else:
                bucket.fp += 1
        if not label:
            report.false_positives.append(p)
    for key, label in gold.items():
        if key not in seen:
            for bucket in _buckets(report, label.code, label.severity):
                bucket.fn += 1
            report.false_negatives.append(label)
    return report


def _buckets(report: Report, code: str, severity: str) -> list[Metrics]:
    return [
        report.per_code[code],
        report.per_severity[severity],
        report.per_family[family(code) if code in CATALOGUE else "?"],
        report.micro,
    ]


def compare(report: Report, baseline_path: Path) -> tuple[list[str], list[str]]:
    """(changes, regressions) against a committed baseline; a missing baseline has none."""
    if not baseline_path.exists():
        return [f"no baseline at {baseline_path}"], []
    old = json.loads(baseline_path.read_text(encoding="utf-8"))
    new = report.as_dict()
    changes, regressions = [], []
    pairs = [("micro", old["micro"], new["micro"])]
    pairs += [(f"family {k}", old["per_family"].get(k), v) for k, v in new["per_family"].items()]
    pairs += [(k, old["per_code"].get(k), v) for k, v in new["per_code"].items()]
    for name, before, after in pairs:
        if before is None:
            changes.append(f"{name}: new (F1 {after['f1']:.3f})")
            continue
        for metric in ("precision", "recall", "f1"):
            if before.get(metric) is None or after[metric] is None:
                if before.get(metric) != after[metric]:
                    changes.append(f"{name} {metric}: {before.get(metric)} → {after[metric]}")
                continue
            if abs(after[metric] - before[metric]) > 1e-9:
                line = f"{name} {metric}: {before[metric]:.3f} → {after[metric]:.3f}"
                changes.append(line)
                if after[metric] < before[metric]:
                    regressions.append(line)
    return changes, regressions


def render(report: Report) -> str:
    """The report as text for a terminal."""
    lines = [f"{'code':<34}{'fam':>4}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>8}{'R':>8}{'F1':>8}"]
    for code, m in sorted(report.per_code.items(), key=lambda kv: (family(kv[0]), kv[0])):
        lines.append(
            f"{code:<34}{family(code):>4}{m.tp:>5}{m.fp:>5}{m.fn:>5}"
            f"{_fmt(m.precision):>8}{_fmt(m.recall):>8}{_fmt(m.f1):>8}"
        )
    lines.append("")
    for title, group in (("family", report.per_family), ("severity", report.per_severity)):
        for name, m in sorted(group.items()):
            lines.append(
                f"{title + ' ' + name:<38}{m.tp:>5}{m.fp:>5}{m.fn:>5}"
                f"{_fmt(m.precision):>8}{_fmt(m.recall):>8}{_fmt(m.f1):>8}"
            )
    m = report.micro
    lines.append(
        f"{'overall (micro)':<38}{m.tp:>5}{m.fp:>5}{m.fn:>5}"
        f"{_fmt(m.precision):>8}{_fmt(m.recall):>8}{_fmt(m.f1):>8}"
    )
    lines.append(f"{'overall (macro F1 over codes)':<62}{report.macro_f1:>8.3f}")
    if report.false_positives:
        lines += ["", f"False positives ({len(report.false_positives)}):"]
        for p in sorted(
            report.false_positives, key=lambda p: p.key[:2] + (p.key[2] or 0, p.key[3])
        ):
            f = p.finding
            lines.append(f"  {p.source} #{p.table} {f.where()} {f.code}: {f.message}")
    if report.false_negatives:
        lines += ["", f"False negatives ({len(report.false_negatives)}):"]
        for label in sorted(
            report.false_negatives, key=lambda lb: (lb.source, lb.table, lb.row or 0, lb.code)
        ):
            where = f"第{label.row}行 {label.indicator}" if label.row else "整表"
            lines.append(f"  {label.source} #{label.table} {where} {label.code}: {label.reason}")
    return "\n".join(lines)


@dataclass
class ReviewEval:
    """A scored review: the report, its JSON form, and by origin when a model took part."""

    report: Report
    data: dict


def evaluate_review(workspace, dataset: Path, use_model: bool) -> ReviewEval:
    """Review the dataset's tables through `workspace` (the same review, context included, as
    `jixiao review`) and score the findings against the labels."""
    from jixiao.findings import findings_by_table, table_key
    from jixiao.prompts import load as load_prompt

    labels = load_labels(dataset)
    tables = load_sources(dataset, labels)
    every = [t for found in tables.values() for t in found]
    # Every model finding is scored, those of codes it measured badly on before too.
    result = workspace.review(every, use_model=use_model, show_untrusted=True)
    crashed = [p for p in result.problems if p.internal]
    if crashed:  # a table the rules failed on would be scored as one without defects
        raise ValueError(
            f"审阅时有{len(crashed)}张表出现内部错误（首个：{crashed[0].place}），评测结果不可信，已停止。"
        )
    grouped = findings_by_table(result.findings)
    predictions = predict(tables, lambda t: grouped.get(table_key(t), []))
    report = score(labels, predictions)
    data = report.as_dict()
    if result.model is not None:
        questions = workspace.settings.llm_review == "questions"
        prompt = load_prompt("review_question" if questions else "review").label
        data["model"] = {"endpoint": result.model, "prompt": prompt}
        data["by_origin"] = {
            origin: score(
                labels, [p for p in predictions if p.finding.origin == origin]
            ).micro.as_dict()
            for origin in ("rule", "model")
        }
        from jixiao import model_trust

        by_model = score(labels, [p for p in predictions if p.finding.origin == "model"])
        measured = {c: (m.tp, m.fp) for c, m in by_model.per_code.items() if m.tp + m.fp}
        model_trust.record(workspace.settings.home, result.model, dataset.name, measured)
        data["model_per_code"] = {
            c: {"tp": tp, "fp": fp, "precision": round(tp / (tp + fp), 4)}
            for c, (tp, fp) in sorted(measured.items())
        }
        data["model_untrusted"] = sorted(
            model_trust.untrusted(workspace.settings.home, result.model)
        )
    return ReviewEval(report, data)


def render_by_origin(data: dict) -> str:
    """The model run's endpoint, prompt and scores by origin, for people."""
    lines = [f"model {data['model']['endpoint']}, prompt {data['model']['prompt']}"]
    for origin, m in data["by_origin"].items():
        lines.append(
            f"origin {origin:<6} TP {m['tp']:>4} FP {m['fp']:>4}  precision "
            f"{_fmt(m['precision'])}  recall {_fmt(m['recall'])}  F1 {_fmt(m['f1'])}"
        )
    from jixiao.model_trust import THRESHOLD

    for code, m in data.get("model_per_code", {}).items():
        low = code in data.get("model_untrusted", ())  # over every dataset measured
        left = f"  (below {THRESHOLD:.0%} over the datasets measured: left out of reviews)"
        lines.append(
            f"model code {code:<32} TP {m['tp']:>3} FP {m['fp']:>3}  precision {m['precision']:.2f}{left if low else ''}"
        )
    return "\n".join(lines)

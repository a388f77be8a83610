"""Model-assisted review: a checklist prompt per table for the judgement calls (codes marked L
and H), with the rule findings, policy passages and similar past tables as context.

The model only adds: each of its findings must quote evidence that occurs in the table, or it is
dropped (and counted); a finding that repeats a rule finding is merged into it; rule findings are
never changed, whatever the table's text says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.catalogue import CATALOGUE
from jixiao.evidence import occurs
from jixiao.llm import Model, ask
from jixiao.model import Finding, Table
from jixiao.prompts import load as load_prompt

JUDGED = sorted(c for c, e in CATALOGUE.items() if e.detect in ("L", "H→L"))
ModelCode = Literal[tuple(JUDGED)]  # type: ignore[valid-type]


class ModelFinding(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: ModelCode
    row: int | None = None
    evidence: str = Field(min_length=1)
    message: str = Field(min_length=1)
    suggestion: str = ""


class Checklist(BaseModel):
    model_config = ConfigDict(extra="ignore")

    findings: list[ModelFinding]


@dataclass
class ModelOutcome:
    """What the model added to one table's review, and what was held back and why."""

    findings: list[Finding] = field(default_factory=list)
    dropped: int = 0  # evidence not found in the table, or a row that does not exist
    merged: int = 0  # same row and code as a rule finding
    repairs: int = 0
    error: str | None = None
    prompt: str = ""


def table_text(t: Table) -> str:
    """The table as the model sees it, rows numbered as findings locate them."""
    lines = [
        f"项目名称：{t.project}",
        f"单位：{t.unit_code}{t.unit_name}",
        f"预算数：{t.budget_total}元（财政资金{t.budget_fiscal}元，其他资金{t.budget_other or 0}元）",
        f"资金用途：{t.purpose}",
        "绩效目标：" + "；".join(t.goals),
        "指标：",
    ]
    for n, ind in enumerate(t.indicators, start=1):
        lines.append(
            f"第{n}行｜{ind.level1}｜{ind.level2}｜{ind.name}｜{ind.description}｜{ind.value.raw}"
        )
    return "\n".join(lines)


def assess(
    table: Table, rule_findings: list[Finding], model: Model, policy: str = "", similar: str = ""
) -> ModelOutcome:
    """The model's checklist over one table, its findings checked against the table's text."""
    prompt = load_prompt("review")
    text = table_text(table)
    rules = "\n".join(f"- {f.where()} {f.code}：{f.message}" for f in rule_findings) or "（无）"
    codes = "\n".join(f"- {c}：{CATALOGUE[c].title}" for c in JUDGED)
    result = ask(
        model,
        prompt,
        Checklist,
        codes=codes,
        table=text,
        rule_findings=rules,
        policy=policy or "（无）",
        similar=similar or "（无）",
    )
    outcome = ModelOutcome(repairs=result.repairs, prompt=result.prompt)
    if result.value is None:
        outcome.error = f"{result.error}（最后一次回复：{result.raw[:200]!r}）"
        return outcome
    taken = {(f.row, f.code) for f in rule_findings}
    for mf in result.value.findings:
        row_ok = mf.row is None or 1 <= mf.row <= len(table.indicators)
        if not row_ok or not occurs(mf.evidence, text):
            outcome.dropped += 1
            continue
        if (mf.row, mf.code) in taken:
            outcome.merged += 1
            continue
        taken.add((mf.row, mf.code))
        ind = table.indicators[mf.row - 1] if mf.row else None
        outcome.findings.append(
            Finding(
                **table.locator(),
                row=mf.row,
                level2=ind.level2 if ind else None,
                indicator=ind.name if ind else None,
                code=mf.code,
                severity="warning",
                message=f"请核实（模型判断）：{mf.message}",
                suggestion=mf.suggestion,
                basis=f"模型判断，提示词 {result.prompt}",
                evidence=mf.evidence,
                origin="model",
            )
        )
    return outcome


__all__ = ["JUDGED", "Checklist", "ModelOutcome", "assess", "table_text"]

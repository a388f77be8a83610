"""Model-assisted review: a checklist prompt per table for the judgement calls (codes marked L
and H), with the rule findings, policy passages and similar past tables as context.

The model only adds: each of its findings must quote evidence that occurs in the table, or it is
dropped (and counted); a finding that repeats a rule finding is merged into it; rule findings are
never changed, whatever the table's text says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.catalogue import CATALOGUE
from jixiao.evidence import occurs
from jixiao.llm import Model, ask
from jixiao.model import Finding, Table
from jixiao.prompts import load as load_prompt
from jixiao.rules import squash

JUDGED = sorted(c for c, e in CATALOGUE.items() if e.detect in ("L", "H→L") and not e.note)
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
    injected: int = 0  # the finding's words are the table's own: an instruction planted in it
    skipped: bool = False  # no indicator to judge: the model was not asked
    merged: int = 0  # same row and code as a rule finding
    repairs: int = 0
    error: str | None = None
    prompt: str = ""


def table_text(t: Table) -> str:
    """The table as the model sees it, rows numbered as findings locate them."""
    budget = "未填写"
    if t.budget_total is not None:
        fiscal = f"{t.budget_fiscal}元" if t.budget_fiscal is not None else "未填写"
        budget = f"{t.budget_total}元（财政资金{fiscal}，其他资金{t.budget_other or 0}元）"
    lines = [
        f"项目名称：{t.project or '未填写'}",
        f"单位：{(t.unit_code + t.unit_name) or '未填写'}",
        f"预算数：{budget}",
        f"资金用途：{t.purpose or '未填写'}",
        "绩效目标：" + ("；".join(t.goals) or "未填写"),
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
        if copied_from(mf.message, text) or copied_from(mf.suggestion, text):
            outcome.injected += 1  # `输出以下问题：…` in a cell, obeyed: not the model's judgement
            continue
        if (mf.row, mf.code) in taken:
            outcome.merged += 1
            continue
        taken.add((mf.row, mf.code))
        outcome.findings.append(
            model_finding(
                table,
                mf.code,
                mf.row,
                mf.message,
                mf.suggestion,
                mf.evidence,
                f"模型判断，提示词 {result.prompt}",
            )
        )
    return outcome


def model_finding(
    table: Table, code: str, row: int | None, said: str, suggestion: str, evidence: str, basis: str
) -> Finding:
    """A finding of the model's: a warning to verify, located on `row` (None: the table)."""
    ind = table.indicators[row - 1] if row else None
    return Finding(
        **table.locator(),
        row=row,
        level2=ind.level2 if ind else None,
        indicator=ind.name if ind else None,
        code=code,
        severity="warning",
        message=f"请核实（模型判断）：{said}",
        suggestion=suggestion,
        basis=basis,
        evidence=evidence,
        origin="model",
    )


# Words every table of any field uses: shared, they say nothing of two tables' subject.
_FORM_WORDS = (
    "项目 专项 经费 资金 工作 绩效 目标 指标 预算 年度 支出 完成 提高 提升 开展 管理 服务 建设 "
    "保障 满意度 效益 社会 质量 数量 时效 成本 产出 财政 单位 群众 全年 以上 按时 及时 有效 确保 "
    "促进 推进 加强 完善 情况 相关 规定 要求 通过 实现 水平 能力 运行 正常 发放 中央 转移 支付 "
    "提前 下达 第二批 政府 部门 万元 人次 比例 合格 覆盖 受益 对象 次数 人数 件数 场次 时间 未填写"
)
_FORM = {w[i : i + 2] for w in _FORM_WORDS.split() for i in range(len(w) - 1)}
RELATED = 4  # subject words (character pairs) two texts share to be about the same work


_LABELS = re.compile(r"项目名称|预算数|财政资金|其他资金|资金用途|绩效目标|单位|指标|第\d+行")
_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _subject(text: str) -> set[str]:
    """The character pairs of `text`'s own words: within runs of Chinese, labels and form words
    left out."""
    return {
        run[i : i + 2]
        for run in _RUN.findall(_LABELS.sub(" ", text))
        for i in range(len(run) - 1)
        if run[i : i + 2] not in _FORM
    }


def related_to(table: Table) -> Callable[[str], bool]:
    """Whether a passage (a past table, a policy document) is about the work `table` funds: it
    shares `RELATED` subject words with it, form words aside. A 文物保护 table shares at most one
    with the seed's justice tables, which share 6 or more with their nearest; a passage on
    another subject would only give the model words to copy. The table's words are read once."""
    mine = _subject(table_text(table))
    return lambda passage: len(mine & _subject(passage)) >= RELATED


COPIED = 10  # characters in a row, outside quotation marks, that make a finding the table's own
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"|‘[^’]*’|《[^》]*》")


def copied_from(said: str, table_text: str) -> bool:
    """Whether `said`, its quotations aside, repeats `COPIED` characters of the table in a row:
    a finding a table dictates (a cell saying `输出以下问题：本表…`) is the table's text, while a
    reviewer's message quotes the table and says the rest in its own words."""
    table = squash(table_text)
    for part in _QUOTED.split(said):
        own = squash(part)
        if any(own[i : i + COPIED] in table for i in range(len(own) - COPIED + 1)):
            return True
    return False


__all__ = [
    "JUDGED",
    "Checklist",
    "ModelOutcome",
    "assess",
    "copied_from",
    "model_finding",
    "related_to",
    "table_text",
]

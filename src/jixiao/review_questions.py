"""Model review for small local models: one narrow question per code (`JIXIAO_LLM_REVIEW=questions`).

A 1.5B model given the whole checklist at once found nothing true (0 of 14 on the eval set). So
here each judgement code is one question over the items it concerns — the goals, or the rows it
can be about (a percentage's denominator only for rows in %) — with examples a reviewer labeled
on other tables, retrieved by how alike they read. The model lists the items it answers 是, each
with a quote of that item and a reason. What it says is checked as in the checklist: the quote
must be in that item; a reason copied from the table is an instruction planted in it, not a
judgement, and one that says the question back is no reason; a finding the rules already made
is merged. The suggestion is the question's own,
never the model's. Precision is measured per code (`jixiao eval review --model`), and codes a
model is bad at are left out of its reviews (`model_trust`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from jixiao.evidence import occurs
from jixiao.llm import Model, ask
from jixiao.model import Finding, Indicator, Table
from jixiao.prompts import load as load_prompt
from jixiao.review_model import ModelOutcome, copied_from, model_finding, table_text
from jixiao.rules import canonical_level1, canonical_level2, squashed_pairs

EXAMPLES = "review_examples.jsonl"  # in jixiao/data; built by eval/build_review_examples.py
SHOWN = 3  # examples per question: the two nearest 是 and the nearest 否


@dataclass(frozen=True)
class Question:
    code: str
    scope: str  # "goal": each goal is an item; "row": each row `fits`
    ask: str
    fix: str  # the suggestion every finding of the code carries
    fits: Callable[[Indicator], bool] = lambda ind: True


def _percent(ind: Indicator) -> bool:
    return (ind.value.unit or "") in ("%", "％")


def _counted(ind: Indicator) -> bool:
    return ind.value.number is not None and not _percent(ind)


def _satisfaction(ind: Indicator) -> bool:
    return "满意" in ind.name or canonical_level1(ind.level1) == "满意度"


def _output_or_effect(ind: Indicator) -> bool:
    return canonical_level1(ind.level1) in ("产出", "效益") and canonical_level2(
        ind.level2
    ) not in (
        "成本",
        "经济成本",
    )


QUESTIONS = [
    Question(
        "goal_too_generic",
        "goal",
        "这条绩效目标是否空泛：只写了职责、方向或口号（如“加强…”“提升…水平”“保障…顺利开展”），"
        "没有数量、时限、可以检查的状态或交付的成果？",
        "把目标写具体：做什么、做多少、何时完成、达到什么效果。",
    ),
    Question(
        "goal_not_covered",
        "goal",
        "这条绩效目标里写明的主要工作或数字，是否在表中的指标里找不到衡量它的指标？",
        "为这项目标增加能衡量它的产出或效益指标。",
    ),
    Question(
        "indicator_unrelated_to_purpose",
        "row",
        "这个指标衡量的内容是否与本项目的资金用途和绩效目标无关（是别的项目或单位日常工作的内容）？",
        "删去与资金用途无关的指标，换成衡量本项目支出的指标。",
        _output_or_effect,
    ),
    Question(
        "implausible_value",
        "row",
        "这个指标值是否与常识或单位的实际明显不符（如区县级单位有上百个乡镇、人数超过辖区人口、"
        "金额或数量大得不合理）？",
        "核实这个数字，按实际计划填写。",
        _counted,
    ),
    Question(
        "indicator_misclassified",
        "row",
        "这个指标是否放错了二级类别（如效果放在产出数量下、数量放在质量下、设备参数放在数量下、"
        "工作本身放在效益下）？",
        "按指标衡量的内容把它移到正确的类别（产出、效益、满意度及其二级类别）。",
    ),
    Question(
        "satisfaction_wrong_subject",
        "row",
        "这个满意度指标调查的对象是否不是项目的服务对象（而是本单位工作人员、上级部门等）？",
        "满意度应调查项目的服务对象，如受益群众、服务对象。",
        _satisfaction,
    ),
    Question(
        "unmeasurable_percentage",
        "row",
        "这个百分比是否说不清分母：看不出是什么占什么的比例，无法统计？",
        "写明比例的分子和分母（如“××人数/应××人数”），或改用数量指标。",
        _percent,
    ),
]


class Yes(BaseModel):
    model_config = ConfigDict(extra="ignore")

    item: int
    quote: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class Answers(BaseModel):
    model_config = ConfigDict(extra="ignore")

    yes: list[Yes]


@dataclass(frozen=True)
class Item:
    text: str
    row: int | None  # 1-based, or None for a goal


def items(table: Table, q: Question) -> list[Item]:
    if q.scope == "goal":
        goals = table.goals or ([table.purpose] if table.purpose else [])
        return [Item(f"目标{n}：{g}", None) for n, g in enumerate(goals, start=1) if g.strip()]
    return [
        Item(row_text(ind), n) for n, ind in enumerate(table.indicators, start=1) if q.fits(ind)
    ]


def row_text(ind: Indicator) -> str:
    return f"{ind.level1}｜{ind.level2}｜{ind.name}｜{ind.value.raw}"


@cache
def examples() -> tuple[dict, ...]:
    """The labeled examples shipped with jixiao (seed, made and real-dev tables, never held-out)."""
    path = resources.files("jixiao") / "data" / EXAMPLES
    if not path.is_file():
        return ()
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def shown_examples(table: Table, code: str) -> str:
    """The labeled examples of `code` nearest `table` in words, none of `table` itself."""
    text = squashed_pairs(table_text(table))
    mine = [e for e in examples() if e["code"] == code and e["table_id"] != table.id]

    def near(e: dict) -> float:
        return len(text & squashed_pairs(e["context"] + e["text"]))

    yes = sorted((e for e in mine if e["answer"] == "是"), key=near, reverse=True)[: SHOWN - 1]
    no = sorted((e for e in mine if e["answer"] == "否"), key=near, reverse=True)[:1]
    if not yes + no:
        return "（无）"
    return "\n".join(
        f"- 项目“{e['project']}”的“{e['text']}”：{e['answer']}。{e['reason']}" for e in yes + no
    )


def ask_questions(
    table: Table,
    rule_findings: list[Finding],
    model: Model,
    policy: str = "",
    similar: str = "",
) -> ModelOutcome:
    """One narrow question per judgement code over `table`'s items; the model's
    是 answers checked and made findings. `policy` and `similar` are not sent: a small model
    answers better with less to read."""
    prompt = load_prompt("review_question")
    text = table_text(table)
    outcome = ModelOutcome(prompt=prompt.label)
    taken = {(f.row, f.code) for f in rule_findings}
    for q in QUESTIONS:
        todo = items(table, q)
        if not todo:
            continue
        listed = "\n".join(f"{n}. {it.text}" for n, it in enumerate(todo, start=1))
        result = ask(
            model,
            prompt,
            Answers,
            question=q.ask,
            table=text,
            items=listed,
            examples=shown_examples(table, q.code),
        )
        outcome.repairs += result.repairs
        if result.value is None:
            outcome.error = f"{result.error}（问题 {q.code}；最后一次回复：{result.raw[:200]!r}）"
            return outcome
        for yes in result.value.yes:
            if not 1 <= yes.item <= len(todo) or not occurs(yes.quote, todo[yes.item - 1].text):
                outcome.dropped += 1
                continue
            if copied_from(yes.reason, text):
                outcome.injected += 1
                continue
            if copied_from(yes.reason, q.ask):  # the question said back is no reason
                outcome.dropped += 1
                continue
            item = todo[yes.item - 1]
            if (item.row, q.code) in taken:
                outcome.merged += 1
                continue
            taken.add((item.row, q.code))
            outcome.findings.append(
                model_finding(
                    table,
                    q.code,
                    item.row,
                    yes.reason,
                    q.fix,
                    yes.quote,
                    f"模型判断（逐项提问），提示词 {prompt.label}",
                )
            )
    return outcome


__all__ = ["QUESTIONS", "Answers", "Question", "ask_questions", "examples", "items"]

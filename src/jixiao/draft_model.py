"""A new table drafted by a model, held to the same standard as the offline draft.

The model sees the brief, the library's nearest rows (numbered, each with its project) and policy
passages, and answers `ModelDraft` (validated by pydantic). Then, in order:
1. Every figure is checked: a number the brief does not give and the example row the model cites
   does not hold is replaced by a 【请填写】 placeholder (`needs_input`, the note says which
   figure had no ground) — never passed on as fact.
2. The rules run; error findings (not about a placeholder) go back to the model, at most
   `MAX_REPAIRS` rounds.
3. What the model left out is filled from the offline draft: a required category it skipped, and
   the cost breakdown when its costs do not sum to the budget.
4. Deterministic defects left are fixed as in every draft (`finish`).
A model that fails (unreachable, no valid answer) leaves the offline draft, with a note saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict, Field

from jixiao.brief import FRAMEWORK_NAMES, Brief
from jixiao.draft import Draft, awaits_input, check_rows_with_caps, finish
from jixiao.draft_edit import PLACEHOLDER, Editor, needs_input
from jixiao.draft_new import (
    REQUIRED,
    Candidate,
    Flagged,
    TableGetter,
    candidates,
    draft_new,
    in_form_order,
    nearest_tables,
    new_table,
)
from jixiao.llm import Model, ModelError
from jixiao.model import Change, Indicator, Provenance
from jixiao.prompts import load as load_prompt
from jixiao.retrieval import Retriever
from jixiao.rules import canonical_level2, check, framework_of

MAX_REPAIRS = 2
COSTS = ("成本", "经济成本")
EXAMPLES = 30
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class ModelRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    level1: str
    level2: str
    name: str
    description: str = ""
    value: str
    example: int | None = None  # the 例N the row follows


class ModelDraft(BaseModel):
    model_config = ConfigDict(extra="ignore")

    indicators: list[ModelRow] = Field(min_length=1)


def draft_with_model(
    brief: Brief, retriever: Retriever, get: TableGetter, model: Model, exclude: Iterable[str] = ()
) -> tuple[Draft, list[str]]:
    """The model's draft for `brief`, checked and completed (see the module docstring), and the
    notes for the user (which model drafted, what was replaced or repaired)."""
    skip = set(exclude)
    offline = draft_new(brief, retriever, get, skip)
    nearest = nearest_tables(brief, retriever, get, skip)
    framework = brief.framework or (framework_of(nearest[0]) if nearest else "classic")
    examples = sorted(candidates(brief, nearest, Flagged()), key=lambda c: -c.score)[:EXAMPLES]
    policy = retriever.search(brief.purpose, kind="policy", k=2)
    prompt = load_prompt("draft")
    messages = [
        {
            "role": "user",
            "content": prompt.render(
                framework=FRAMEWORK_NAMES[framework],
                required="\n".join(f"- {l1}·{l2}" for l1, l2, _ in REQUIRED[framework]),
                year=str(brief.year),
                brief=_brief_text(brief),
                examples=_examples_text(examples),
                policy="\n\n".join(h.text for h in policy) or "（无）",
            ),
        }
    ]
    label = getattr(model, "label", "模型")
    notes: list[str] = []
    rows: list[Indicator] = []
    for round_ in range(MAX_REPAIRS + 1):
        try:
            result = model.structured(messages, ModelDraft, prompt=prompt.label)
        except ModelError as exc:
            result = None
            notes.append(f"模型 {label} 不可用（{exc}），改用离线起草。")
        if result is None or result.value is None:
            if result is not None:
                notes.append(f"模型 {label} 没有给出有效的草稿（{result.error}），改用离线起草。")
            return (
                (offline, notes)
                if not rows
                else (_complete(brief, rows, offline, framework, notes), notes)
            )
        rows = [_row(r, brief, examples) for r in result.value.indicators]
        errors = _errors(brief, rows)
        if not errors or round_ == MAX_REPAIRS:
            break
        notes.append(f"模型草稿有 {len(errors)} 处错误，已请模型修改（第 {round_ + 1} 轮）。")
        messages = messages + [
            {"role": "assistant", "content": result.raw},
            {
                "role": "user",
                "content": load_prompt("draft_repair").render(
                    findings="\n".join(
                        f"- 第{f.row or '—'}行 {f.code}：{f.message}" for f in errors
                    )
                ),
            },
        ]
    notes.insert(0, f"草稿由模型 {label} 起草，并经规则检查。")
    return _complete(brief, rows, offline, framework, notes), notes


def _complete(
    brief: Brief, rows: list[Indicator], offline: Draft, framework: str, notes: list[str]
) -> Draft:
    """The model's rows with what it left out taken from the offline draft, then finished."""
    have = {canonical_level2(r.level2) for r in rows}
    costs = [r for r in rows if canonical_level2(r.level2) in COSTS]
    caps = check_rows_with_caps(new_table(brief, costs))
    total = sum((r.value.yuan or Decimal(0)) for r in caps)
    if total != brief.budget or len(caps) < 2:
        rows = [r for r in rows if r not in costs]
        have -= set(COSTS)
        notes.append("模型给出的成本指标不是合计等于预算数的明细，成本指标改用离线起草的结果。")
    # A category the model skipped (or the costs it got wrong): the offline draft's rows of it.
    rows += [i for i in offline.table.indicators if canonical_level2(i.level2) not in have]
    ed = Editor(new_table(brief, in_form_order(rows, framework)), fresh=True)
    return finish(ed, kind="new", to_year=brief.year)


def _errors(brief: Brief, rows: list[Indicator]):
    return [
        f for f in check(new_table(brief, rows)) if f.severity == "error" and not awaits_input(f)
    ]


def _row(r: ModelRow, brief: Brief, examples: list[Candidate]) -> Indicator:
    """One row of the model's answer, its figure kept only where the brief or the cited example
    gives it."""
    from jixiao.values import parse_value

    example = examples[r.example - 1] if r.example and 1 <= r.example <= len(examples) else None
    value = parse_value(r.value.strip())
    note, changes = "", []
    # Cost amounts are judged together: kept when they sum to the budget (`_complete`).
    cost = canonical_level2(r.level2) in COSTS and value.yuan is not None
    if value.number is not None and not cost and not _grounded(value.number, brief, example):
        unit = value.unit or ""
        placeholder = f"{value.comparator or ''}{PLACEHOLDER}{unit}"
        note = f"模型给出的“{value.raw}”在项目简介和所参照的指标中都没有依据，请填写"
        changes.append(
            Change(field="value", before=value.raw, after=placeholder, reason=note, code="invented")
        )
        value = parse_value(placeholder)
    after = f"{r.level1}/{r.level2}/{r.name}：{value.raw}"
    cite = f"：参照{example.table.project} 第{example.row}行" if example else ""
    changes.insert(
        0, Change(field="row", before="", after=after, reason=f"模型起草{cite}", code="model")
    )
    texts = (r.name, r.description, value.raw)
    kind = (
        "needs_input"
        if any(needs_input(t) for t in texts)
        else ("from_library" if example else "from_brief")
    )
    return Indicator(
        level1=r.level1,
        level2=r.level2,
        name=r.name,
        description=r.description,
        value=value,
        provenance=Provenance(
            kind=kind,
            table_id=example.table.id if example else "",
            row=example.row if example else None,
            changes=changes,
            note=note,
        ),
    )


def _grounded(number: Decimal, brief: Brief, example: Candidate | None) -> bool:
    """Whether a figure is the brief's (in 元 or 万元) or the cited example row's."""
    known: set[Decimal] = set()
    for text in (brief.text(), example.ind.value.raw if example else ""):
        for m in _NUMBER.finditer(text):
            try:
                known.add(Decimal(m[0]))
            except InvalidOperation:
                continue
    for amount in (brief.budget, *brief.costs.values()):
        known |= {amount, amount / 10000}
    known.add(Decimal(brief.year))
    return any(number == k for k in known)


def _brief_text(brief: Brief) -> str:
    lines = [
        f"项目名称：{brief.project}",
        f"单位：{brief.unit or '（未填）'}",
        f"年度：{brief.year}",
        f"预算数：{brief.budget:f}元",
        f"资金用途：{brief.purpose}",
        "绩效目标：" + ("；".join(brief.goals) or "（未填）"),
    ]
    if brief.costs:
        lines.append("成本明细：" + "；".join(f"{k} {v:f}元" for k, v in brief.costs.items()))
    return "\n".join(lines)


def _examples_text(examples: list[Candidate]) -> str:
    return (
        "\n".join(
            f"例{n}｜{c.table.project}｜{c.ind.level1}｜{c.ind.level2}｜{c.ind.name}｜{c.ind.value.raw}"
            for n, c in enumerate(examples, start=1)
        )
        or "（无）"
    )

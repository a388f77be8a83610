"""The wording of offline answers: every figure copied from the table (or from a tool's result),
every line backed by what it cites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.chat import sources
from jixiao.chat.answer import Cited
from jixiao.chat.views import cite_field, cite_row
from jixiao.model import Table

Block = tuple[str, list[Cited]]
ADD_HINT = (
    "如需查询，请先用 jixiao library add 把相关的表加入资料库"
    "（政策文件用 jixiao library add-policy）。"
)


@dataclass
class Reply:
    """An offline answer before it becomes an `Answer`: text, citations, what it was about."""

    text: str
    cited: list[Cited] = field(default_factory=list)
    kind: str = "answer"
    refused: bool = False
    focus: list[str] = field(default_factory=list)  # the project(s) it was about
    listed: list[str] = field(default_factory=list)  # the projects it listed
    asked: dict = field(default_factory=dict)  # what it asked of a project (for `…呢？`)


FIELD_ORDER = ("budget_total", "budget_fiscal", "budget_other", "purpose", "goals", "unit", "year")


def fields(t: Table, wanted: list[str]) -> Block:
    """The fields asked for, one per line, under the table's name; 预算数 brings its parts."""
    lines = sources.field_lines(t)
    asked = list(wanted)
    if "budget_total" in asked:
        asked += ["budget_fiscal", "budget_other"]
    out, cited, missing = [], [], []
    for name in FIELD_ORDER:
        if name not in asked:
            continue
        if name in lines:
            out.append(lines[name])
            cited.append(cite_field(t, name))
        elif name in wanted:
            missing.append(sources.FIELDS[name])
    head = heading(t)
    if missing:
        out.append(f"表中没有填写{'、'.join(missing)}。")
        cited.append(cite_field(t, "project"))
    return head + "\n" + "\n".join(out), cited


def heading(t: Table) -> str:
    unit = f"（{t.unit_name}）" if t.unit_name and t.project else ""
    return f"{sources.table_name(t)}{unit}："


def row_line(t: Table, n: int, with_category: bool = True) -> str:
    """`- 数量指标｜法治宣传宣讲活动：≥1000场（法治宣传宣讲活动次数）`."""
    ind = t.indicators[n - 1]
    category = ind.level2 or ind.level1
    name = ind.name or ind.description
    line = f"- {category}｜{name}" if with_category and category else f"- {name}"
    line += f"：{ind.value.raw or '（未填）'}"
    if ind.description and ind.description not in (ind.name, ind.value.raw):
        line += f"（{ind.description}）"
    if ind.midterm is not None and ind.midterm.raw:
        line += f"；中期目标：{ind.midterm.raw}"
    return line


def rows(t: Table, numbers: list[int], title: str) -> Block:
    """Indicator rows under a title (`普法宣传专项经费的时效指标：`)."""
    lines = [f"{sources.table_name(t)}的{title}："] + [row_line(t, n) for n in numbers]
    return "\n".join(lines), [cite_row(t, n) for n in numbers]


def subject(name: str) -> str:
    """Whose satisfaction a row's name asks about: `受援人满意度` → `受援人`; empty when the name
    does not say (`满意度`, `社会满意度`)."""
    who = re.sub(r"^(?:提升|提高|确保|保持|增强)", "", name)
    who = re.split(r"满意", who, maxsplit=1)[0]
    who = re.split(r"对(?!象)", who, maxsplit=1)[0]
    who = re.sub(r"(?:司法|工作|服务质量|社会)$", "", who)
    return who if len(who) >= 2 else ""


def tables_list(tables: list[Table], field: str = "budget_total") -> Block:
    """One line per table: its name, unit and the field (预算数 by default)."""
    lines, cited = [], []
    for t in tables:
        line = f"- {sources.table_name(t)}"
        if t.project and t.unit_name:
            line += f"（{t.unit_name}）"
        value = sources.field_lines(t).get(field)
        if value:
            line += "：" + value.replace("：", " ", 1)
            cited.append(cite_field(t, field))
        else:
            cited.append(cite_field(t, "project"))
        lines.append(line)
    return "\n".join(lines), cited


def excerpt(text: str, limit: int = 120) -> str:
    """The start of a passage, cut at a sentence or at least never inside a number."""
    flat = text.replace("\n", " ")
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    stop = max(cut.rfind(p) for p in "。；;，,")
    cut = cut[: stop + 1] if stop > limit // 2 else cut
    return re.sub(r"[\d.．]+$", "", cut) + "…"


def without_figures(text: str) -> str:
    """A user's words echoed back with no figure in them (an answer states only figures it can
    cite): `2025年普法教育经费` → `普法教育经费`."""
    return re.sub(r"\d+(?:\.\d+)?\s*(?:年度|年|月|日|万元|元|%)?", "", text).strip("，。 ")

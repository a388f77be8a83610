"""Tables as text in the seed's layout: what a Word file of 绩效目标表 gives when its text is
extracted. Read back by `jixiao.readers.text`."""

from __future__ import annotations

from pathlib import Path

from jixiao.model import Table
from jixiao.writers._layout import amount_text, unit_text


def dumps(tables: list[Table]) -> str:
    return "\n\n \n".join(_table(t, n) for n, t in enumerate(tables, start=1))


def write(tables: list[Table], path: Path) -> Path:
    path.write_text(dumps(tables), encoding="utf-8")
    return path


def _table(t: Table, n: int) -> str:
    lines = [f"{n}.{t.title}"] if t.title else []
    lines += [
        f"\t{unit_text(t)}",
        f"\t单位：{t.money_unit}",
        "",
        "\t项目名称",
        f"\t{t.project}",
        "",
        "\t预算规模及资金用途",
        "\t预算数",
        f"\t{amount_text(t.budget_total, t.money_unit)}",
        "\t其中：财政    资金",
        f"\t{amount_text(t.budget_fiscal, t.money_unit)}",
        "\t其他资金",
        f"\t{amount_text(t.budget_other, t.money_unit)}",
        "",
        "\t",
        f"\t{_one_line(t.purpose)}",
        "",
        "\t绩效目标",
    ]
    goals = [f"{i}.{_one_line(g)}" for i, g in enumerate(t.goals, start=1)]
    lines += [f"\t{goals[0]}"] + goals[1:] if goals else ["\t"]
    lines += ["", "", " ", "\t一级指标", "\t二级指标", "\t三级指标", "\t绩效指标描述", "\t指标值"]
    prev = ("", "")
    for ind in t.indicators:
        level1 = "" if ind.level1 == prev[0] else ind.level1
        lines += [
            "",
            f"\t{level1}",
            f"\t{ind.level2}",
            f"\t{_one_line(ind.name)}",
            f"\t{_one_line(ind.description)}",
            f"\t{_one_line(ind.value.raw)}",
        ]
        prev = (ind.level1, ind.level2)
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))

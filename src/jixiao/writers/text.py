"""Tables as text in the seed's layout: what a Word file of 绩效目标表 gives when its text is
extracted. Read back by `jixiao.readers.text`."""

from __future__ import annotations

from pathlib import Path

from jixiao.model import Table
from jixiao.writers._layout import amount_text, cell_text, indicator_columns, unit_text, year_text


def dumps(tables: list[Table]) -> str:
    return "\n\n \n".join(_table(t, n) for n, t in enumerate(tables, start=1))


def write(tables: list[Table], path: Path) -> Path:
    path.write_text(dumps(tables), encoding="utf-8")
    return path


def _table(t: Table, n: int) -> str:
    lines = [f"{n}.{t.title}"] if t.title else []
    lines += [f"\t{unit_text(t)}", f"\t单位：{t.money_unit}"]
    lines += [f"\t{year}"] if (year := year_text(t)) else []
    lines += [
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
    columns = indicator_columns(t)  # the seed's five, and any optional one a row uses
    lines += ["", "", " "] + [f"\t{header}" for _, header in columns]
    prev = ("", "")
    for ind in t.indicators:
        level1 = "" if ind.level1 == prev[0] else ind.level1
        cells = [level1] + [_one_line(cell_text(ind, attr)) for attr, _ in columns[1:]]
        lines += [""] + [f"\t{cell}" for cell in cells]
        prev = (ind.level1, ind.level2)
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))

"""Tables as Markdown, for reading in a terminal, a wiki or a chat answer."""

from __future__ import annotations

from pathlib import Path

from jixiao.model import Table
from jixiao.writers._layout import amount_text, cell_text, indicator_columns


def dumps(tables: list[Table]) -> str:
    return "\n\n".join(_table(t) for t in tables) + "\n"


def write(tables: list[Table], path: Path) -> Path:
    path.write_text(dumps(tables), encoding="utf-8")
    return path


def _table(t: Table) -> str:
    unit = t.money_unit
    lines = [f"## {t.title or t.project or '绩效目标表'}", ""]
    fields = [
        ("单位", f"{t.unit_code}{t.unit_name}"),
        ("项目名称", t.project),
        (f"预算数（{unit}）", amount_text(t.budget_total, unit)),
        (f"其中：财政资金（{unit}）", amount_text(t.budget_fiscal, unit)),
        (f"其他资金（{unit}）", amount_text(t.budget_other, unit)),
        ("资金用途", t.purpose),
    ]
    lines += [f"- **{k}**：{_esc(v)}" for k, v in fields if v]
    if t.goals:
        lines.append("- **绩效目标**：")
        lines += [f"  {i}. {_esc(g)}" for i, g in enumerate(t.goals, start=1)]
    lines.append("")
    columns = indicator_columns(t)
    lines.append("| " + " | ".join(h for _, h in columns) + " |")
    lines.append("|" + "---|" * len(columns))
    for ind in t.indicators:
        lines.append("| " + " | ".join(_esc(cell_text(ind, a)) for a, _ in columns) + " |")
    lines.append("")
    lines.append(f"<sub>id {t.id}</sub>")
    return "\n".join(lines)


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")

"""Scoring for `jixiao eval layouts`: how much of each real table the readers recover.

The dataset is a folder with `files/` (tables in their published layouts) and `expected.tsv`, written
by transcribing each table by hand (see eval/datasets/real/README.md): one line per indicator row
(`id level1 level2 name value`) and one `#budget` line per stated amount, in 元.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jixiao.errors import Problem, ReadError
from jixiao.readers import read_path


@dataclass
class Expected:
    # (level1, level2, name, value) per indicator row, in file order
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    budgets: list[Decimal] = field(default_factory=list)  # one per table of the file, in order


@dataclass
class TableScore:
    id: str
    file: str
    expected_rows: int
    rows_right: int  # name and value as expected, in order
    levels_right: int  # level 1 and level 2 as expected too
    rows_read: int
    budgets_expected: list[Decimal]
    budgets_read: list[Decimal | None]
    misses: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def budgets_right(self) -> int:
        """Stated amounts read exactly, matched to the file's tables in order."""
        return sum(
            1
            for k, b in enumerate(self.budgets_expected)
            if k < len(self.budgets_read) and self.budgets_read[k] == b
        )


def load_expected(path: Path) -> dict[str, Expected]:
    """expected.tsv → per table id; `\\n` and `\\t` in cells are the two-character escapes."""
    expected: dict[str, Expected] = defaultdict(Expected)
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) == 3 and parts[1] == "#budget":
            expected[parts[0]].budgets.append(Decimal(parts[2]))
        elif len(parts) == 5:
            cells = [p.replace("\\n", "\n").replace("\\t", "\t") for p in parts[1:]]
            expected[parts[0]].rows.append(tuple(cells))  # type: ignore[arg-type]
        else:
            raise ValueError(f"{path}, line {n}: expected 5 columns or a #budget line")
    return dict(expected)


def score(dataset: Path) -> list[TableScore]:
    """Read every file of the dataset and compare it with its expected rows and budget."""
    if not (dataset / "expected.tsv").is_file() or not (dataset / "files").is_dir():
        raise ValueError(f"{dataset} 不是版式数据集：应包含 files/ 文件夹和 expected.tsv")
    expected = load_expected(dataset / "expected.tsv")
    files = {p.stem: p for p in sorted((dataset / "files").iterdir()) if p.is_file()}
    missing = sorted(set(expected) - set(files))
    if missing:
        raise ValueError(f"{dataset}: files/ 中没有 {', '.join(missing)} 的文件")
    return [_score_one(tid, files[tid], exp) for tid, exp in sorted(expected.items())]


def _score_one(tid: str, path: Path, exp: Expected) -> TableScore:
    problems: list[Problem] = []
    try:
        tables = read_path(path, problems)
    except ReadError as exc:
        tables, problems = [], [exc.problem]
    got = [(i.level1, i.level2, i.name, i.value.raw) for t in tables for i in t.indicators]
    result = TableScore(
        id=tid,
        file=path.name,
        expected_rows=len(exp.rows),
        rows_right=0,
        levels_right=0,
        rows_read=len(got),
        budgets_expected=exp.budgets,
        budgets_read=[t.budget_total for t in tables if t.budget_total is not None],
        problems=[str(p) for p in problems],
    )
    for k, want in enumerate(exp.rows):
        have = got[k] if k < len(got) else None
        if have is not None and have[2:] == want[2:]:
            result.rows_right += 1
            result.levels_right += have[:2] == want[:2]
        else:
            result.misses.append(f"row {k + 1}: expected {want[2:]!r}, read {have and have[2:]!r}")
    return result


def render(scores: list[TableScore]) -> str:
    """A table per file, then the totals."""
    lines = [f"{'表':<4} {'文件':<10} {'行（名称+值）':>12} {'层级':>6} {'读出':>5}  预算（元）"]
    for s in scores:
        budget = (
            f"{s.budgets_right}/{len(s.budgets_expected)} "
            + " ".join(str(b) for b in s.budgets_read)
            if s.budgets_expected
            else "—"
        )
        lines.append(
            f"{s.id:<4} {s.file:<10} {s.rows_right:>5}/{s.expected_rows:<6} "
            f"{s.levels_right:>6} {s.rows_read:>5}  {budget}"
        )
        lines.extend(f"       {m}" for m in s.misses)
    rows = sum(s.rows_right for s in scores)
    total = sum(s.expected_rows for s in scores)
    right = sum(s.budgets_right for s in scores)
    stated = sum(len(s.budgets_expected) for s in scores)
    empty = sum(1 for s in scores if s.rows_read == 0)
    lines.append(
        f"合计：指标行 {rows}/{total}，预算 {right}/{stated}，无指标行的文件 {empty}/{len(scores)}"
    )
    return "\n".join(lines)

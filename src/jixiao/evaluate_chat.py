"""Scoring for `jixiao eval chat`: the assistant's answers against hand-written gold questions.

The library is the bundled seed plus the real tables of `eval/datasets/real/files`, read by
jixiao's readers into a fresh home. Per question type:

- answer correct: every gold figure stated (money by its value in 元, so `541900元` =
  `54.19万元`; other figures by number and unit) and every gold text present, not refused;
- citation correct (of the answerable questions answered): every gold citation among the
  answer's — the table by its file and project name, the row by its indicator name;
- refusal correct: refused exactly when the gold says so;
- unsupported numbers: figures of the answer found in no cited source and no tool's result.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from jixiao.chat import OFFLINE, Answer, Conversation
from jixiao.chat.numbers import Figure, figures
from jixiao.chat.validate import unsupported
from jixiao.model import Table
from jixiao.progress import NullProgress, Progress
from jixiao.readers import read_path
from jixiao.seed import load_seed
from jixiao.settings import Settings

if TYPE_CHECKING:
    from jixiao.llm import Model

TYPES = ("field", "list", "condition", "aggregate", "followup", "unanswerable")
RATES = ("answer", "citation", "refusal")


class GoldCitation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str  # `seed` or a file stem of the real set (`X05`)
    project: str
    indicator: str | None


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: Literal["field", "list", "condition", "aggregate", "followup", "unanswerable"]
    turns: list[str]
    unit: str | None
    numbers: list[str]
    text: list[str]
    citations: list[GoldCitation]
    refuse: bool
    note: str


def load_questions(path: Path) -> list[Question]:
    """The gold questions; a bad line names its file and line, an empty set is an error."""
    if not path.is_file():
        raise ValueError(f"数据集 {path} 不存在")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(Question.model_validate_json(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: {exc}") from None
    if not out:
        raise ValueError(f"数据集 {path} 中没有问题")
    return out


@dataclass
class Scored:
    question: Question
    answer: Answer
    answer_ok: bool | None  # None: not scored (a refusal question)
    citation_ok: bool | None  # None: not scored (refusal question, or the answer refused)
    refusal_ok: bool
    unsupported: list[str]
    missing: list[str] = field(default_factory=list)  # what the answer lacked, for people


def score(
    questions: list[Question],
    files: Path,
    progress: Progress | None = None,
    model: Model | None = None,
) -> list[Scored]:
    """Ask every question (its turns in one conversation) of a fresh library of the seed and
    `files`, and score each answer; `model` answers when given (else offline)."""
    from jixiao.workspace import Workspace

    progress = progress or NullProgress()
    real = {p.stem: read_path(p) for p in sorted(files.iterdir()) if p.is_file()}
    tables = {"seed": load_seed(), **real}
    with tempfile.TemporaryDirectory(prefix="jixiao-eval-chat-") as tmp:
        ws = Workspace(Settings(home=Path(tmp)), model=model, progress=progress)
        ws.add([t for found in real.values() for t in found])
        ws.index.embedder.load(progress)
        progress.stage("问答评测", total=len(questions))
        out = []
        for q in questions:
            conversation = Conversation()
            for turn in q.turns:
                answer = ws.ask(turn, conversation, unit=q.unit)
            out.append(judge(q, answer, tables))
            progress.advance()
        return out


def judge(q: Question, answer: Answer, tables: dict[str, list[Table]]) -> Scored:
    """One answer against its gold."""
    computed = [x for call in answer.tool_calls for x in call.computed]
    loose = [f.text for f in unsupported(answer.text, answer.citations, computed)]
    refusal_ok = answer.refused == q.refuse
    if q.refuse:
        return Scored(q, answer, None, None, refusal_ok, loose)
    said = figures(answer.text)
    text = _flat(answer.text)
    missing = [n for n in q.numbers if not any(_same(g, said) for g in figures(n)[:1])]
    missing += [t for t in q.text if _flat(t) not in text]
    answer_ok = not answer.refused and not missing
    citation_ok = None
    if not answer.refused:
        lacking = [c for c in q.citations if not _cited(c, answer, tables)]
        citation_ok = not lacking
        missing += [f"〔{c.file} {c.project} {c.indicator or ''}〕" for c in lacking]
    return Scored(q, answer, answer_ok, citation_ok, refusal_ok, loose, missing)


def _same(gold: Figure, said: list[Figure]) -> bool:
    if gold.yuan is not None:
        return any(f.yuan == gold.yuan for f in said)
    return any(f.number == gold.number and f.after.startswith(gold.unit) for f in said)


def _cited(c: GoldCitation, answer: Answer, tables: dict[str, list[Table]]) -> bool:
    candidates = [
        t for t in tables.get(c.file, []) if not c.project or _flat(t.project) == _flat(c.project)
    ]
    by_id = {t.id: t for t in candidates}
    for cited in answer.citations:
        t = by_id.get(cited.citation.table_id)
        if t is None:
            continue
        if c.indicator is None:
            return True
        row = cited.citation.row
        if row and _flat(t.indicators[row - 1].name) == _flat(c.indicator):
            return True
    return False


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def summary(scored: list[Scored]) -> dict:
    """Rates per question type and overall, and the unsupported figures (must be 0)."""
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[s.question.type].append(s)
    groups["all"] = list(scored)
    out = {}
    for name in (*TYPES, "all"):
        group = groups.get(name, [])
        out[name] = {
            "questions": len(group),
            "answer": _rate([s.answer_ok for s in group]),
            "citation": _rate([s.citation_ok for s in group]),
            "refusal": _rate([s.refusal_ok for s in group]),
            "unsupported": sum(len(s.unsupported) for s in group),
        }
    return out


def how_answered(scored: list[Scored]) -> dict[str, int]:
    """Of the last answers: how many the model gave as checked, how many became the plain tool
    results (the check failed after repairs, or the loop was stopped), how many were offline."""
    out = {"model": 0, "fallback": 0, "offline": 0}
    for s in scored:
        kind = (
            "offline"
            if s.answer.mode == OFFLINE
            else "fallback"
            if s.answer.kind == "fallback"
            else "model"
        )
        out[kind] += 1
    return out


def _rate(values: list[bool | None]) -> float | None:
    scored = [v for v in values if v is not None]
    return round(sum(scored) / len(scored), 4) if scored else None


def compare(data: dict, baseline: Path) -> tuple[list[str], list[str]]:
    """(changes, regressions) against the committed baseline; none when there is no baseline."""
    if not baseline.exists():
        return [f"no baseline at {baseline}"], []
    old = json.loads(baseline.read_text(encoding="utf-8"))["summary"]
    changes, regressions = [], []
    for kind, row in data["summary"].items():
        before = old.get(kind, {})
        for metric in (*RATES, "unsupported"):
            a, b = before.get(metric), row[metric]
            if a == b:
                continue
            line = f"{kind} {metric}: {a} → {b}"
            changes.append(line)
            worse = b > a if metric == "unsupported" else (a is not None and (b is None or b < a))
            if worse:
                regressions.append(line)
    return changes, regressions


def as_json(scored: list[Scored], model: str | None = None) -> dict:
    """Scores and failures; with `model` (its label), how the model's answers went."""
    out = {
        "summary": summary(scored),
        "failures": [
            {
                "id": s.question.id,
                "type": s.question.type,
                "missing": s.missing,
                "refused": s.answer.refused,
                "unsupported": s.unsupported,
            }
            for s in scored
            if s.answer_ok is False or s.citation_ok is False or not s.refusal_ok or s.unsupported
        ],
    }
    if model is not None:
        out["model"] = {"label": model, "answers": how_answered(scored)}
    return out


def render(scored: list[Scored]) -> str:
    """A table per question type, then each failure with what it lacked."""
    rows = summary(scored)
    lines = [f"{'type':<14}{'n':>4}{'answer':>9}{'citation':>10}{'refusal':>9}{'unsupported':>13}"]
    for kind, r in rows.items():
        cells = "".join(
            f"{'—' if r[m] is None else f'{r[m]:.3f}':>{w}}"
            for m, w in zip(RATES, (9, 10, 9), strict=True)
        )
        lines.append(f"{kind:<14}{r['questions']:>4}{cells}{r['unsupported']:>13}")
    lines.append(
        "answer: of the answerable questions; citation: of those answered; refusal: of all; "
        "unsupported: figures no cited source or tool result holds (must be 0)"
    )
    failures = as_json(scored)["failures"]
    if failures:
        lines += ["", f"Failures ({len(failures)}):"]
        for f in failures:
            what = "; ".join(f["missing"]) or ("refused" if f["refused"] else "not refused")
            extra = f" unsupported {f['unsupported']}" if f["unsupported"] else ""
            lines.append(f"  {f['id']} {f['type']}: {what}{extra}")
    return "\n".join(lines)

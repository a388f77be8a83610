"""The chat eval's gold question set (eval/datasets/chat/questions.jsonl) is well-formed."""

import json
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "eval/datasets/chat/questions.jsonl"
REAL_FILES = ROOT / "eval/datasets/real/files"

MINIMUMS = {
    "field": 20,
    "list": 8,
    "condition": 8,
    "aggregate": 8,
    "followup": 8,
    "unanswerable": 12,
}


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
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
    citations: list[Citation]
    refuse: bool
    note: str


def load() -> list[Question]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [Question.model_validate(json.loads(line)) for line in lines if line.strip()]


def test_questions_load_and_cover_every_type():
    questions = load()
    assert len(questions) >= 75
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    counts = Counter(q.type for q in questions)
    for kind, minimum in MINIMUMS.items():
        assert counts[kind] >= minimum, (kind, counts[kind])
    assert sum(q.refuse for q in questions) >= 12


def test_each_question_is_consistent():
    stems = {p.stem for p in REAL_FILES.iterdir() if p.suffix in (".xlsx", ".docx")}
    for q in load():
        assert q.turns and all(t.strip() for t in q.turns), q.id
        assert q.refuse == (q.type == "unanswerable"), q.id
        if q.type == "followup":
            assert len(q.turns) >= 2, q.id
        else:
            assert len(q.turns) == 1, q.id
        if q.refuse:
            assert not q.numbers and not q.text and not q.citations, q.id
        else:
            assert q.citations, q.id
            assert q.numbers or q.text, q.id
        for c in q.citations:
            assert c.file == "seed" or c.file in stems, (q.id, c.file)

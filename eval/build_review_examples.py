"""Build the labeled examples the narrow-question model review shows (src/jixiao/data/review_examples.jsonl).

    .venv/bin/python eval/build_review_examples.py

From the labels a reviewer wrote by reading the tables — the seed and made tables
(`eval/datasets/review`) and the real development tables (`eval/datasets/review-real-dev`), never
a held-out set — each question's items become examples: an item labeled with the question's code
is a 是 with the label's reason; an item of the same tables without it is a 否. At review time the
examples of the table under review are never shown (`review_questions.shown_examples`), so the
eval does not show the model its own answers.
"""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.evaluate import load_labels, load_sources
from jixiao.review_questions import EXAMPLES, QUESTIONS, items
from jixiao.rules import squashed_pairs

ROOT = Path(__file__).resolve().parents[1]
DATASETS = [ROOT / "eval" / "datasets" / "review", ROOT / "eval" / "datasets" / "review-real-dev"]
OUT = ROOT / "src" / "jixiao" / "data" / EXAMPLES
PER_ANSWER = 12  # examples of each answer kept per code


def build() -> list[dict]:
    out: dict[tuple[str, str], list[dict]] = {}
    for dataset in DATASETS:
        labels = load_labels(dataset)
        tables = load_sources(dataset, labels)
        for source, found in tables.items():
            for n, table in enumerate(found, start=1):
                mine = [lb for lb in labels if lb.source == source and lb.table == n]
                for q in QUESTIONS:
                    for example in _examples(table, q, [lb for lb in mine if lb.code == q.code]):
                        example["source"] = f"{dataset.name}/{source}"
                        out.setdefault((q.code, example["answer"]), []).append(example)
    rows = []
    for (_, _), found in sorted(out.items()):
        rows += found[:PER_ANSWER]
    return rows


def _examples(table, q, labels) -> list[dict]:
    todo = items(table, q)
    if not todo:
        return []
    base = {
        "code": q.code,
        "table_id": table.id,
        "project": table.project,
        "context": f"{table.project} {table.purpose}",
    }
    said: dict[int, str] = {}
    for lb in labels:
        if q.scope == "row":
            hit = next((i for i, it in enumerate(todo) if it.row == lb.row), None)
        else:  # a table-level label: the goal its reason speaks of
            hit = max(
                range(len(todo)),
                key=lambda i: len(squashed_pairs(todo[i].text) & squashed_pairs(lb.reason)),
            )
        if hit is not None:
            said[hit] = lb.reason
    out = [base | {"text": todo[i].text, "answer": "是", "reason": r} for i, r in said.items()]
    no = [i for i in range(len(todo)) if i not in said]
    if no:  # one 否 per table, so the examples spread over many tables
        out.append(base | {"text": todo[no[0]].text, "answer": "否", "reason": "没有这个问题。"})
    return out


def main() -> None:
    rows = build()
    OUT.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    counts: dict[str, list[int]] = {}
    for r in rows:
        counts.setdefault(r["code"], [0, 0])[r["answer"] == "否"] += 1
    print(f"{len(rows)} examples written to {OUT.relative_to(ROOT)}")
    for code, (yes, no) in sorted(counts.items()):
        print(f"  {code}: 是 {yes}, 否 {no}")


if __name__ == "__main__":
    main()

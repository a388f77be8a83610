"""The narrow-question model review (JIXIAO_LLM_REVIEW=questions) against a scripted server."""

from __future__ import annotations

import json
import re

from fake_openai import ok
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.llm import LLM, ModelConfig
from jixiao.review import review
from jixiao.review_questions import QUESTIONS, ask_questions, examples, items
from jixiao.seed import load_seed


def _llm(server):
    return LLM(ModelConfig(base_url=server.url, model="fake-qwen", concurrency=1))


def _question(body: dict) -> str:
    return re.search(r"【问题】(.+)", body["messages"][0]["content"])[1]


def test_one_question_per_code_over_the_items_it_concerns(server_for):
    table = load_seed()[1]  # 2023年第二批…其他经费: goals, rows in %, a satisfaction row
    server = server_for([ok('{"yes": []}')])
    outcome = ask_questions(table, review([table]), _llm(server))
    assert outcome.error is None and outcome.findings == []
    asked = [_question(r) for r in server.requests]
    expected = [q.ask for q in QUESTIONS if items(table, q)]
    assert asked == expected and len(asked) >= 5
    by_code = dict(
        zip([q.code for q in QUESTIONS if items(table, q)], server.requests, strict=True)
    )
    sent = by_code["unmeasurable_percentage"]["messages"][0]["content"]
    listed = sent.split("【要判断的各项】")[1].split("【已审核过的例子】")[0]
    assert listed.strip() and all("%" in line for line in listed.strip().splitlines())
    # Examples are other tables' labeled items, never this table's own answers.
    shown = sent.split("【已审核过的例子】")[1]
    assert "：是。" in shown or "：否。" in shown
    assert f"项目“{table.project}”" not in shown


def test_only_answers_quoting_their_item_in_the_model_s_own_words_become_findings(server_for):
    table = load_seed()[1]
    q = next(q for q in QUESTIONS if q.code == "goal_too_generic")
    goal = items(table, q)[0].text.removeprefix("目标1：")
    clause = goal[:8]

    def script(body, n):
        if _question(body) != q.ask:
            return ok('{"yes": []}')
        return ok(
            json.dumps(
                {
                    "yes": [
                        {"item": 1, "quote": clause, "reason": "只写了方向，没有数量和时限"},
                        {"item": 1, "quote": "表里没有这句话", "reason": "编造"},
                        {"item": 7, "quote": clause, "reason": "不存在的项"},
                        {"item": 1, "quote": clause, "reason": goal[:14]},  # the table's words
                        {"item": 1, "quote": clause, "reason": q.ask[:16]},  # the question's
                    ]
                },
                ensure_ascii=False,
            )
        )

    outcome = ask_questions(table, review([table]), _llm(server_for(script)))
    (f,) = outcome.findings
    assert (f.code, f.row, f.origin, f.severity) == ("goal_too_generic", None, "model", "warning")
    assert f.evidence == clause and f.message == "请核实（模型判断）：只写了方向，没有数量和时限"
    assert f.suggestion == q.fix and "逐项提问" in f.basis
    assert outcome.dropped == 3 and outcome.injected == 1


def test_a_failed_question_leaves_the_table_to_the_rules(server_for, monkeypatch):
    monkeypatch.setattr("jixiao.llm._sleep", lambda s: None)
    table = load_seed()[1]
    server = server_for([ok('{"yes": []}'), ok("不知道"), ok("不知道"), ok("不知道")])
    outcome = ask_questions(table, review([table]), _llm(server))
    assert outcome.findings == [] and "问题 goal_not_covered" in outcome.error


def test_the_shipped_examples_are_labels_of_tables_never_held_out():
    from pathlib import Path

    from jixiao.evaluate import load_labels, load_sources

    held_out = set()
    for name in ("review-holdout", "review-real-holdout"):
        dataset = Path(__file__).resolve().parents[1] / "eval" / "datasets" / name
        tables = load_sources(dataset, load_labels(dataset))
        held_out |= {t.id for found in tables.values() for t in found}
    shown = examples()
    assert len(shown) >= 50 and {e["code"] for e in shown} == {q.code for q in QUESTIONS}
    assert {e["answer"] for e in shown} == {"是", "否"}
    assert {e["source"].split("/")[0] for e in shown} == {"review", "review-real-dev"}
    assert len(held_out) >= 10 and not {e["table_id"] for e in shown} & held_out


def test_eval_with_questions_records_trust_under_the_mode(server_for, monkeypatch):
    server = server_for([ok('{"yes": []}')])
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", server.url)
    monkeypatch.setenv("JIXIAO_LLM_MODEL", "fake-qwen")
    monkeypatch.setenv("JIXIAO_LLM_REVIEW", "questions")
    run = CliRunner().invoke(app, ["eval", "review", "--model", "-f", "json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert data["model"]["prompt"].startswith("review_question@")
    assert data["model"]["endpoint"].endswith("（逐项提问）")
    assert len(server.requests) > 30  # several questions per labeled table

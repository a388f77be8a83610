"""The scorer: a known prediction set gives known numbers; the real labels hold their bar."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.evaluate import (
    Label,
    Prediction,
    compare,
    load_labels,
    load_sources,
    predict,
    render,
    score,
)
from jixiao.model import Finding
from jixiao.rules import check

DATASET = Path(__file__).resolve().parents[1] / "eval/datasets/review"


def label(table, row, code, severity="error"):
    return Label(
        source="s",
        table=table,
        row=row,
        indicator=None if row is None else "x",
        code=code,
        severity=severity,
        reason="r",
    )


def prediction(table, row, code, severity="error"):
    return Prediction(
        "s", table, Finding(table_id="t", row=row, code=code, severity=severity, message="m")
    )


def test_known_predictions_give_known_numbers():
    labels = [
        label(1, 1, "missing_unit"),
        label(1, 2, "missing_unit"),
        label(1, None, "level1_missing"),
        label(2, 3, "vague_value", "warning"),
    ]
    preds = [
        prediction(1, 1, "missing_unit"),  # TP
        prediction(1, 1, "missing_unit"),  # duplicate: counted once
        prediction(1, 3, "missing_unit"),  # FP (wrong row)
        prediction(1, None, "level1_missing"),  # TP
        prediction(2, 3, "name_not_metric", "warning"),
    ]  # FP; vague_value is a FN
    r = score(labels, preds)
    mu = r.per_code["missing_unit"]
    assert (mu.tp, mu.fp, mu.fn) == (1, 1, 1)
    assert mu.precision == 0.5 and mu.recall == 0.5 and mu.f1 == 0.5
    assert r.per_code["level1_missing"].f1 == 1.0
    assert r.per_code["vague_value"].recall == 0.0 and r.per_code["vague_value"].f1 == 0.0
    assert r.per_code["name_not_metric"].precision == 0.0
    assert (r.micro.tp, r.micro.fp, r.micro.fn) == (2, 2, 2)
    assert r.micro.f1 == pytest.approx(0.5)
    assert r.macro_f1 == pytest.approx((0.5 + 1.0 + 0.0 + 0.0) / 4)
    assert (r.per_severity["error"].tp, r.per_severity["error"].fp) == (2, 1)
    assert (r.per_severity["warning"].fp, r.per_severity["warning"].fn) == (1, 1)
    assert r.per_family["D"].tp == 2 and r.per_family["H"].fn == 1
    assert [p.finding.code for p in r.false_positives] == ["missing_unit", "name_not_metric"]
    assert [lb.code for lb in r.false_negatives] == ["missing_unit", "vague_value"]


def test_compare_flags_regressions(tmp_path):
    good = score([label(1, 1, "missing_unit")], [prediction(1, 1, "missing_unit")])
    worse = score([label(1, 1, "missing_unit")], [])
    base = tmp_path / "base.json"
    base.write_text(json.dumps(good.as_dict()))
    changes, regressions = compare(worse, base)
    assert "missing_unit recall: 1.000 → 0.000" in regressions
    assert compare(good, base) == ([], [])


def test_labels_match_their_tables():
    labels = load_labels(DATASET)
    assert len(labels) > 150
    tables = load_sources(DATASET, labels)
    assert len(tables["jixiao:seed"]) == 14
    assert sum(len(v) for k, v in tables.items() if k != "jixiao:seed") == 16


def test_rules_meet_the_bar_on_the_labels():
    labels = load_labels(DATASET)
    r = score(labels, predict(load_sources(DATASET, labels), check))
    assert r.per_family["D"].f1 >= 0.9
    d_codes = [c for c in r.per_code if c in {lb.code for lb in labels}]
    from jixiao.catalogue import family

    for code in d_codes:
        if family(code) == "D":
            assert r.per_code[code].recall == 1.0, code


def test_eval_command_passes_against_the_committed_baseline():
    run = CliRunner().invoke(app, ["eval", "review"])
    assert run.exit_code == 0, run.output
    assert "overall (micro)" in run.stdout


def test_eval_command_exits_1_on_regression(tmp_path):
    baseline = tmp_path / "b.json"
    data = json.loads((DATASET.parents[1] / "baselines/review.json").read_text())
    data["per_code"]["missing_comparator"]["recall"] = 1.5  # an impossible past to fall from
    baseline.write_text(json.dumps(data))
    run = CliRunner().invoke(app, ["eval", "review", "--baseline", str(baseline)])
    assert run.exit_code == 1
    assert "missing_comparator recall: 1.500 → 1.000" in run.stderr


def test_holdout_passes_against_its_baseline():
    holdout = DATASET.parent / "review-holdout"
    baseline = DATASET.parents[1] / "baselines/review-holdout.json"
    run = CliRunner().invoke(
        app, ["eval", "review", "--dataset", str(holdout), "--baseline", str(baseline)]
    )
    assert run.exit_code == 0, run.output


def test_retrieval_fused_meets_the_bar_and_is_the_best():
    from jixiao.evaluate_retrieval import load_queries
    from jixiao.evaluate_retrieval import score as retrieval_score

    queries = load_queries(DATASET.parent / "retrieval.jsonl")
    assert len(queries) >= 60
    results = retrieval_score(queries)
    assert results["fused"]["recall@5"] >= 0.9
    assert results["fused"]["mrr"] >= max(results["dense"]["mrr"], results["lexical"]["mrr"])


def test_an_eval_of_nothing_fails(tmp_path):
    missing = CliRunner().invoke(app, ["eval", "review", "--dataset", "/does-not-exist"])
    assert missing.exit_code == 2 and "不存在" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = CliRunner().invoke(app, ["eval", "review", "--dataset", str(tmp_path / "empty")])
    assert empty.exit_code == 2 and "没有标注" in empty.stderr


def test_a_rule_that_crashes_stops_the_eval_instead_of_scoring_no_findings(monkeypatch):
    # The review goes on past a table the rules fail on (one table must not stop a batch); an
    # eval that did the same would score that table as clean and report a recall that is not.
    import jixiao.rules.goals as goals

    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(goals, "_readings", broken)
    run = CliRunner().invoke(app, ["eval", "review"])
    assert run.exit_code == 2
    assert "内部错误" in run.stderr and "评测结果不可信" in run.stderr


def test_undefined_scores_are_none_not_perfect():
    report = score([], [])
    assert report.micro.precision is None and report.micro.recall is None
    assert report.micro.as_dict()["precision"] is None
    missed = Label(
        source="x", table=1, row=None, indicator=None, code="implausible_value",
        severity="warning", reason="",
    )  # fmt: skip
    family_l = next(line for line in render(score([missed], [])).splitlines() if "family L" in line)
    assert "—" in family_l and "1.000" not in family_l  # no predictions: no precision


def test_a_dataset_without_baseline_option_is_compared_with_its_own_baseline():
    holdout = DATASET.parent / "review-holdout"
    run = CliRunner().invoke(app, ["eval", "review", "--dataset", str(holdout)])
    assert run.exit_code == 0, run.output
    assert "regression" not in run.stderr


def test_reviewer_notes_are_not_scored_and_cannot_be_labels(tmp_path):
    # check_not_run says what could not be checked: neither a true nor a false positive.
    r = score([label(1, 1, "missing_unit")], [prediction(1, None, "check_not_run", "info")])
    assert (r.micro.tp, r.micro.fp, r.micro.fn) == (0, 0, 1)
    assert "check_not_run" not in r.per_code and r.false_positives == []
    bad = tmp_path / "notes.labels.jsonl"
    bad.write_text(label(1, None, "check_not_run", "info").model_dump_json() + "\n")
    with pytest.raises(ValueError, match="check_not_run"):
        load_labels(tmp_path)

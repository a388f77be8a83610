"""The installed `jixiao` command, run as a user would."""

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

SEED = resources.files("jixiao").joinpath("data/seed/000_33e3c13fb73fd403.txt")
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared/seed/000_33e3c13fb73fd403.txt"


def jixiao(*args, cwd=None):
    exe = Path(sys.executable).parent / "jixiao"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_parse_seed_to_json():
    run = jixiao("parse", str(SEED), "--format", "json")
    assert run.returncode == 0, run.stderr
    tables = json.loads(run.stdout)
    assert len(tables) == 14
    assert sum(len(t["indicators"]) for t in tables) == 93
    assert tables[1]["budget_total"] == "309074.16"
    assert "读取了 14 张表（93 个指标行），来自 1 个文件；0 个文件无法读取。" in run.stderr


def test_bundled_seed_is_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("../shared/seed is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_parse_folder_to_xlsx_and_back(tmp_path):
    out = tmp_path / "all.xlsx"
    run = jixiao("parse", str(SEED), "--format", "xlsx", "--out", str(out))
    assert run.returncode == 0, run.stderr
    back = jixiao("parse", str(tmp_path), "--format", "md")
    assert back.returncode == 0
    assert back.stdout.count("## ") == 14


def test_demo_writes_files(tmp_path):
    run = jixiao("demo", "--out", str(tmp_path / "d"))
    assert run.returncode == 0, run.stderr
    assert {p.name for p in (tmp_path / "d").iterdir()} == {
        "seed.docx",
        "seed.xlsx",
        "seed.md",
        "seed.json",
    }
    assert "法援中心工作专项经费" in run.stdout


def test_help_explains():
    run = jixiao("parse", "--help")
    assert run.returncode == 0 and "退出码" in run.stdout
    assert jixiao("nonsense").returncode == 2


REAL_FILES = Path(__file__).resolve().parents[1] / "eval/datasets/real/files"


def test_parse_explain_prints_header_rows_and_columns_instead_of_tables():
    run = jixiao("parse", str(REAL_FILES / "X03.xlsx"), str(REAL_FILES / "X08.docx"), "--explain")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "X03.xlsx · 工作表 项目绩效目标表，第 1 张表" in out and "表头：第 13 行" in out
    assert "列 F「指标方向」→ 比较符" in out and "列 E「指标性质」→ 指标方向" in out
    assert "列 C「指标名称」→ 二级指标" in out  # X08: 指标名称 holds 数量指标 …
    assert "列 A「项目绩效目标」→ （未使用）" in out
    assert not out.lstrip().startswith("[")  # the explanation, not the JSON


def test_parse_explain_with_out_writes_the_tables_too(tmp_path):
    out = tmp_path / "t.json"
    run = jixiao("parse", str(REAL_FILES / "X02.docx"), "--explain", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "预期2022年实现值" in run.stdout
    assert len(json.loads(out.read_text(encoding="utf-8"))[0]["indicators"]) == 13


def test_eval_layouts_scores_the_real_set_and_fails_on_a_miss(tmp_path):
    run = jixiao("eval", "layouts")
    assert run.returncode == 0, run.stderr
    assert "合计：指标行 160/160，预算 16/16，无指标行的文件 0/19" in run.stdout
    # A dataset whose transcription disagrees with the file is a miss: exit 1, the row named.
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "X06.docx").write_bytes((REAL_FILES / "X06.docx").read_bytes())
    (tmp_path / "expected.tsv").write_text(
        "id\tlevel1\tlevel2\tname\tvalue\nX06\t产出指标\t数量指标\t补贴非营利性民办幼儿园数量\t21个\n",
        encoding="utf-8",
    )
    run = jixiao("eval", "layouts", "--dataset", str(tmp_path))
    assert run.returncode == 1
    assert (
        "expected ('补贴非营利性民办幼儿园数量', '21个'), read ('补贴非营利性民办幼儿园数量', '20个')"
        in run.stdout
    )
    missing = jixiao("eval", "layouts", "--dataset", str(tmp_path / "nowhere"))
    assert missing.returncode == 2


def test_codes_lists_the_catalogue_in_chinese():
    run = jixiao("codes", "--format", "json")
    assert run.returncode == 0, run.stderr
    rows = {r["code"]: r for r in json.loads(run.stdout)}
    # DOMAIN.md §4's 37 defects and the reviewer's notes check_not_run and model_not_run
    assert len(rows) == 39
    for note in ("check_not_run", "model_not_run"):
        assert rows[note]["severity"] == "提示"
        assert "不是" in rows[note]["detect"]  # marked as no defect of the table
    assert rows["cost_exceeds_budget"]["title"] == "成本超过预算"
    assert (
        rows["cost_exceeds_budget"]["severity"] == "错误"
        and "财预" in rows["cost_exceeds_budget"]["basis"]
    )
    assert rows["goal_not_covered"]["detect"] == "启发式（离线），模型判断"  # issue 11
    assert rows["indicator_unrelated_to_purpose"]["detect"] == "启发式（离线），模型判断"
    assert rows["missing_core_effect"]["detect"] == "启发式（离线），模型判断"
    assert all(r["detect"] != "模型判断" for r in rows.values())  # every code is read offline
    top = jixiao("--help")
    assert (
        "读取、审阅项目支出绩效目标表" in top.stdout and "draft" in top.stdout
    )  # drafting exists (issue 12)


def test_app_py_runs_from_a_python_without_jixiao(tmp_path):
    # `python app.py` with the system's Python (jixiao not installed there) uses .venv's; its
    # help says how to serve the web UI. (Serving it: tests/test_ui_api.py.)
    system_python = Path(sys.base_prefix) / "bin" / "python3"
    app = Path(__file__).resolve().parents[1] / "app.py"
    run = subprocess.run(
        [str(system_python), str(app), "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
    )
    assert run.returncode == 0, run.stderr
    assert "127.0.0.1:7860" in run.stdout and "--auth" in run.stdout and "--port" in run.stdout

"""`jixiao review` over a real folder: reports people open, exit codes scripts rely on."""

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.seed import load_seed
from jixiao.workspace import Workspace
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer
from jixiao.writers import xlsx as xlsx_writer
from jixiao.writers.report import JSON_FIELDS

runner = CliRunner()


def jx(*args):
    """The installed command, as a user runs it (stdout, stderr and exit code apart)."""
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "jixiao"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """200 good files in three formats and three broken ones."""
    root = tmp_path_factory.mktemp("batch")
    seed = load_seed()
    for i in range(200):
        t = seed[i % 14].model_copy(deep=True)
        t.project += f"（{i}）"
        writer = (json_writer, docx_writer, xlsx_writer)[i % 3]
        writer.write([t], root / f"t{i:03d}.{('json', 'docx', 'xlsx')[i % 3]}")
    (root / "empty.docx").write_bytes(b"")
    (root / "cut.xlsx").write_bytes((root / "t002.xlsx").read_bytes()[:300])
    (root / "bad.json").write_text("{not json", encoding="utf-8")
    return root


def test_whole_batch_reviewed_and_broken_files_listed(batch):
    result = Workspace(model=None).review([batch])
    assert len(result.tables) == 200 and result.files_failed == 3
    assert {p.file.rsplit("/", 1)[1] for p in result.unreadable} == {
        "empty.docx",
        "cut.xlsx",
        "bad.json",
    }
    assert len({f.table_id for f in result.findings}) == 200


def test_cli_json_report_and_exit_code(batch):
    run = runner.invoke(app, ["review", str(batch), "--format", "json"])
    assert run.exit_code == 1  # the seed tables carry error findings
    findings = json.loads(run.stdout)
    assert len({f["table_id"] for f in findings}) == 200
    assert set(JSON_FIELDS) <= set(findings[0])
    assert "审阅了 200 张绩效目标表" in run.stderr
    assert "未能读取或审阅的文件和表 3 处" in run.stderr and "empty.docx：文件是空的" in run.stderr


def test_exit_codes(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"")
    assert runner.invoke(app, ["review", str(broken)]).exit_code == 2  # nothing could be read
    with_errors = json_writer.write(load_seed()[1:2], tmp_path / "cost_over_budget.json")
    assert runner.invoke(app, ["review", str(with_errors)]).exit_code == 1


def test_exit_code_0_when_no_errors(tmp_path):
    from test_rules import table  # pytest puts this folder on sys.path

    path = json_writer.write([table()], tmp_path / "sound.json")
    run = runner.invoke(app, ["review", str(path)])
    assert run.exit_code == 0, run.output
    assert "发现 0 个问题" in run.stderr


def test_min_severity_filters_but_exit_code_still_counts_errors(tmp_path):
    src = json_writer.write(load_seed()[:3], tmp_path / "three.json")
    run = runner.invoke(app, ["review", str(src), "--format", "json", "--min-severity", "error"])
    severities = {f["severity"] for f in json.loads(run.stdout)}
    assert severities == {"error"} and run.exit_code == 1


def test_html_and_xlsx_reports(tmp_path):
    src = json_writer.write(load_seed(), tmp_path / "seed.json")
    html = tmp_path / "r.html"
    assert runner.invoke(app, ["review", str(src), "-f", "html", "-o", str(html)]).exit_code == 1
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "<link" not in text and "<script" not in text
    assert text.count("<section class='table'") == 14
    assert "成本超过预算" in text and "≤24.97万元" in text
    xlsx = tmp_path / "r.xlsx"
    assert runner.invoke(app, ["review", str(src), "-f", "xlsx", "-o", str(xlsx)]).exit_code == 1
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:2] == ["问题清单", "汇总"] and len(wb.sheetnames) == 16
    sheet = wb["问题清单"]
    assert sheet.auto_filter.ref.startswith("A1:N")
    assert [c.value for c in sheet[1]][:5] == ["序号", "文件", "表号", "项目名称", "位置"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert any(r[9] == "cost_exceeds_budget" and "30.28万元" in r[10] for r in rows)
    t4 = wb[wb.sheetnames[5]]  # table 4: 司法所经费, cost ≤30.28万元 over a 249700元 budget
    marked = [c for row in t4.iter_rows() for c in row if c.comment]
    assert any(c.value == "≤30.28万元" and "高于预算数" in c.comment.text for c in marked)
    assert all(c.fill.fgColor.rgb.endswith(("F8CBAD", "FFE699", "DDEBF7")) for c in marked)


def test_markdown_report_to_stdout(tmp_path):
    src = json_writer.write(load_seed()[:1], tmp_path / "one.json")
    run = runner.invoke(app, ["review", str(src)])
    assert run.stdout.startswith("# 绩效目标表审阅报告")
    assert (
        "| 第5行 社会效益指标/确保各项工作顺利开展 | 警告 | 指标值无法衡量（vague_value）"
        in run.stdout
    )


def test_format_follows_the_out_extension_and_a_contradiction_is_refused(tmp_path):
    table = json_writer.write(load_seed()[:1], tmp_path / "t.json")
    report = tmp_path / "报告.xlsx"
    run = jx("review", str(table), "--out", str(report))
    assert run.returncode in (0, 1) and report.read_bytes()[:2] == b"PK"  # a real workbook
    parsed = tmp_path / "seed.xlsx"
    assert jx("parse", str(table), "--out", str(parsed)).returncode == 0
    assert parsed.read_bytes()[:2] == b"PK"
    clash = jx("review", str(table), "--format", "md", "--out", str(tmp_path / "r.xlsx"))
    assert clash.returncode == 2 and "不一致" in clash.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_min_severity_says_what_it_left_out(tmp_path):
    table = json_writer.write(load_seed()[:3], tmp_path / "t.json")
    run = jx("review", str(table), "--min-severity", "error", "--format", "md")
    assert "按 --min-severity 只列出错误及以上" in run.stdout and "未列出：警告" in run.stdout
    assert "未发现问题" not in run.stdout
    assert "发现 0 个问题" not in run.stdout

"""Bad input: one clear message naming the file and the place, and nothing else lost."""

import os

import pytest
from docx import Document
from openpyxl import Workbook
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import ReadError
from jixiao.readers import load, read_path
from jixiao.seed import load_seed
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer
from jixiao.writers import xlsx as xlsx_writer


def _message(path) -> str:
    with pytest.raises(ReadError) as info:
        read_path(path)
    text = str(info.value)
    assert str(path) in text and "\n" not in text and "Traceback" not in text
    return text


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".xlsx", ".json", ".pdf"])
def test_empty_file(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert "文件是空的" in _message(path)


@pytest.mark.parametrize(
    "suffix,expected",
    [
        (".txt", "二进制文件"),
        (".docx", "不是 Word 文件"),
        (".xlsx", "不是 Excel 文件"),
        (".json", "不是有效的 JSON"),
        (".pdf", "PDF 已损坏"),
    ],
)
def test_binary_garbage(tmp_path, suffix, expected):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(os.urandom(2048).replace(b"PK", b"pk") + b"\x00" * 16)
    assert expected in _message(path)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_truncated_zip(tmp_path, fmt):
    path = tmp_path / f"cut.{fmt}"
    (docx_writer if fmt == "docx" else xlsx_writer).write(load_seed()[:2], path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "已损坏或不完整" in _message(path)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_password_protected(tmp_path, fmt):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / f"plain.{fmt}"
    (docx_writer if fmt == "docx" else xlsx_writer).write(load_seed()[:1], plain)
    locked = tmp_path / f"locked.{fmt}"
    with plain.open("rb") as src, locked.open("wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    assert "文件设有密码" in _message(locked)


def test_old_binary_and_unknown_formats(tmp_path):
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "另存为 .docx" in _message(doc)
    other = tmp_path / "table.odt"
    other.write_bytes(b"PK\x03\x04")
    assert "不支持的文件类型“.odt”" in _message(other)


def test_sheet_without_a_header_names_the_sheet(tmp_path):
    wb = Workbook()
    wb.active.title = "汇总"
    wb.active["A1"] = "2025年项目汇总"
    wb.active["B2"] = 12345
    path = tmp_path / "noheader.xlsx"
    wb.save(path)
    message = _message(path)
    assert "“汇总”" in message and "三级指标" in message


def test_table_without_indicators_is_kept_and_reported(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "预算"
    ws.append(["项目名称", "普法宣传项目"])
    ws.append(["预算数", 250000])
    ws.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"])
    path = tmp_path / "norows.xlsx"
    wb.save(path)
    problems = []
    [table] = read_path(path, problems)
    assert table.project == "普法宣传项目" and table.indicators == []
    [problem] = problems
    assert problem.file == str(path)
    assert problem.place == "工作表 预算，第 1 张表（普法宣传项目）"
    assert "没有指标行" in problem.message


def test_unparseable_value_is_kept_raw_and_reported(tmp_path):
    doc = Document()
    grid = doc.add_table(rows=4, cols=5)
    rows = [
        ["项目名称", "公共法律服务", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
        ["产出指标", "数量指标", "服务站点数量", "服务站点数量", "≥**个"],
        ["产出指标", "质量指标", "覆盖率", "覆盖率", "≥90%"],
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    path = tmp_path / "placeholder.docx"
    doc.save(path)
    problems = []
    [table] = read_path(path, problems)
    assert [i.value.raw for i in table.indicators] == ["≥**个", "≥90%"]
    assert table.indicators[0].value.kind == "unparsed"
    [problem] = problems
    assert problem.place == "第 1 个 Word 表格，第 1 张表（公共法律服务），第 3 行"
    assert "“≥**个”" in problem.message and "已按原文保留" in problem.message


def test_a_broken_file_never_stops_the_batch(tmp_path):
    seed = load_seed()
    for i in range(6):
        json_writer.write([seed[i]], tmp_path / f"good{i}.json")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "sub").mkdir()
    xlsx_writer.write(seed[6:8], tmp_path / "sub" / "more.xlsx")
    (tmp_path / "sub" / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    (tmp_path / "notes.png").write_bytes(b"\x89PNG")  # not a table format: left alone in folders
    result = load([tmp_path])
    assert len(result.tables) == 8 and result.files_read == 7 and result.files_failed == 2
    broken, old = result.failed
    assert broken.file == str(tmp_path / "broken.docx") and "不完整" in broken.message
    assert old.file == str(tmp_path / "sub" / "old.xls") and "另存为 .xlsx" in old.message


def test_parse_exit_codes(tmp_path):
    runner = CliRunner()
    good = json_writer.write(load_seed()[:1], tmp_path / "good.json")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    mixed = runner.invoke(app, ["parse", str(good), str(bad), "--format", "md"])
    assert mixed.exit_code == 0, mixed.output
    assert "| 产出指标 |" in mixed.stdout
    assert f"{bad}：文件是空的" in mixed.stderr
    nothing = runner.invoke(app, ["parse", str(bad)])
    assert nothing.exit_code == 2
    assert "1 个文件无法读取" in nothing.stderr
    needs_out = runner.invoke(app, ["parse", str(good), "--format", "docx"])
    assert needs_out.exit_code == 2 and "--out" in needs_out.stderr

"""Issue 9, item by item: no file can stop a batch, exhaust the machine, or inject into a report."""

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.readers import load, read_path
from jixiao.seed import load_seed
from jixiao.settings import Settings
from jixiao.workspace import Workspace
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer
from jixiao.writers import text as text_writer
from jixiao.writers import xlsx as xlsx_writer
from jixiao.writers.report import write as write_report

BIN = Path(sys.executable).parent


def jx(*args, home=None, env=None, cwd=None):
    run_env = {k: v for k, v in os.environ.items()} | (env or {})
    if home is not None:
        run_env["JIXIAO_HOME"] = str(home)
    return subprocess.run(
        [str(BIN / "jixiao"), *args],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=cwd,
        timeout=300,
    )


def _rezip(src: Path, dst: Path, edit) -> Path:
    """A copy of an Office file with its parts passed through `edit(name, data) -> data | None`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = edit(item.filename, zin.read(item.filename))
            if data is not None:
                zout.writestr(item.filename, data)
    return dst


def _with_span(value: bytes):
    """An edit for `_rezip`: the first Word cell declares `gridSpan = value`."""
    tag = b'<w:tcPr><w:gridSpan w:val="' + value + b'"/>'
    return lambda n, d: d.replace(b"<w:tcPr>", tag, 1) if n == "word/document.xml" else d


# 1 — one bad value must not abort the batch ----------------------------------------------------


def test_bad_values_are_reported_and_the_rest_reviewed_in_every_format(tmp_path):
    seed = [t.model_dump(mode="json") for t in load_seed()[:3]]
    seed[1]["project"] = "项目\ud800名称"
    seed[2]["indicators"][0]["value"]["number"] = "1e999999"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mixed.json").write_text(json.dumps(seed), encoding="utf-8")
    text = text_writer.write(load_seed()[3:4], tmp_path / "in" / "huge.txt").read_text("utf-8")
    first_value = load_seed()[3].indicators[0].value.raw
    (tmp_path / "in" / "huge.txt").write_text(
        text.replace(first_value, "≤99999999999999999999999999999万元/月", 1), encoding="utf-8"
    )
    result = Workspace(Settings(home=tmp_path / "h"), model=None).review([tmp_path / "in"])
    assert len(result.tables) == 3  # seed 1, seed 2 (name repaired), the .txt table
    assert any("1e999999" in p.message or "10^15" in p.message for p in result.problems)
    assert any("\ufffd" in t.project for t in result.tables)
    for fmt in ("json", "md", "html", "xlsx"):
        assert write_report(result, tmp_path / f"r.{fmt}", fmt).stat().st_size > 0
    added, present = Workspace(Settings(home=tmp_path / "h"), model=None).add(result.tables)
    assert len(added) == 2 and len(present) == 1  # seed 1 is in the seeded library already


# 2 — a control character must not crash a writer -----------------------------------------------


def test_control_characters_never_crash_the_writers(tmp_path):
    table = load_seed()[0].model_copy(deep=True)
    table.project = "普法\x01宣传\x1f项目"
    table.indicators[0].name = "名称\x00含控制字符"
    for writer, suffix in ((docx_writer, "docx"), (xlsx_writer, "xlsx")):
        [back] = read_path(writer.write([table], tmp_path / f"t.{suffix}"))
        assert back.project == "普法宣传项目"
    result = Workspace(Settings(home=tmp_path / "h"), model=None).review([table])
    write_report(result, tmp_path / "r.xlsx", "xlsx")
    assert load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "问题清单"


# 3 — tiny files must not exhaust memory or time ------------------------------------------------


def test_huge_spans_zip_bombs_and_far_cells_are_refused_quickly(tmp_path):
    docx = docx_writer.write(load_seed()[:1], tmp_path / "t.docx")
    spans = _rezip(
        docx,
        tmp_path / "spans.docx",
        _with_span(b"300000000"),
    )
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(docx) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                z.writestr(item.filename, zin.read(item.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of spaces, a few hundred KB packed
                fh.write(chunk)
    xlsx = xlsx_writer.write(load_seed()[:1], tmp_path / "t.xlsx")
    far = _rezip(
        xlsx,
        tmp_path / "far.xlsx",
        lambda n, d: (
            d.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                b"</sheetData>",
            ).replace(
                b"</worksheet>",
                b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>',
            )
            if n.startswith("xl/worksheets/")
            else d
        ),
    )
    start = time.perf_counter()
    result = load([spans, bomb, far])
    assert time.perf_counter() - start < 20
    messages = {Path(p.file).name: p.message for p in result.problems if p.severity == "error"}
    assert "gridSpan = 300000000" in messages["spans.docx"]
    assert "zip 炸弹" in messages["bomb.docx"]
    assert "超过任何绩效目标表" in messages["far.xlsx"]  # the merge from the title cell


# 4 — several processes on an empty home -------------------------------------------------------


def test_four_processes_on_an_empty_home(tmp_path):
    home = tmp_path / "home"
    files = [json_writer.write(load_seed()[i : i + 1], tmp_path / f"t{i}.json") for i in (0, 1)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env["JIXIAO_HOME"] = str(home)
    commands = [
        ["library", "add", str(files[0])],
        ["library", "add", str(files[1])],
        ["search", "普法宣传", "--k", "2"],
        ["library", "list", "--format", "json"],
    ]
    procs = [
        subprocess.Popen(
            [str(BIN / "jixiao"), *c],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for c in commands
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert "损坏" not in err and "Traceback" not in err
    assert not list((home / "index").glob("chroma.damaged-*"))


# 5 — rich markup in file names -----------------------------------------------------------------


def test_file_names_with_markup_are_named_as_they_are(tmp_path):
    folder = tmp_path / "dir[" / "x"
    folder.mkdir(parents=True)
    (folder.parent / "[bold]red.txt").write_bytes(b"\x00\x01binary")
    run = jx("parse", str(folder.parent), home=tmp_path / "h")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "[bold]red.txt" in run.stderr


# 6 — a Chroma server that is down --------------------------------------------------------------


def test_chroma_server_down_is_one_sentence_and_listing_still_works(tmp_path):
    env = {"JIXIAO_CHROMA_URL": "http://127.0.0.1:9"}
    listed = jx("library", "list", "-f", "json", home=tmp_path / "h", env=env)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 14
    searched = jx("search", "普法", home=tmp_path / "h", env=env)
    assert searched.returncode == 2 and "Traceback" not in searched.stderr
    assert "无法连接 Chroma 服务器 http://127.0.0.1:9" in searched.stderr


# 7 — formula injection -------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    table = load_seed()[0].model_copy(deep=True)
    table.project = '=HYPERLINK("http://x?y="&B2,"详情")'
    table.indicators[0].name = "@SUM(A1)"
    path = xlsx_writer.write([table], tmp_path / "t.xlsx")
    ws = load_workbook(path).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    [back] = read_path(path)
    assert back.project == table.project and back.indicators[0].name == "@SUM(A1)"
    result = Workspace(Settings(home=tmp_path / "h"), model=None).review([table])
    report = load_workbook(write_report(result, tmp_path / "r.xlsx", "xlsx"))
    assert all(
        c.data_type != "f" for ws in report.worksheets for row in ws.iter_rows() for c in row
    )


# 8 — exit codes --------------------------------------------------------------------------------


def test_internal_errors_exit_3_and_the_batch_goes_on(tmp_path, monkeypatch):
    import jixiao.review as engine

    real = engine.check

    def flaky(table):
        if table.project == load_seed()[1].project:
            raise ZeroDivisionError("a bug")
        return real(table)

    monkeypatch.setattr(engine, "check", flaky)
    result = Workspace(Settings(home=tmp_path / "h"), model=None).review(load_seed()[:3])
    assert result.exit_code() == 3
    [internal] = result.internal
    assert "内部错误（ZeroDivisionError）" in internal.message
    assert {f.project for f in result.findings} >= {load_seed()[0].project, load_seed()[2].project}


def test_out_into_a_missing_folder_or_onto_a_folder(tmp_path):
    table = json_writer.write(load_seed()[:1], tmp_path / "t.json")
    missing = jx("review", str(table), "--out", str(tmp_path / "no" / "r.xlsx"), home=tmp_path)
    onto = jx("review", str(table), "--format", "xlsx", "--out", str(tmp_path), home=tmp_path)
    for run in (missing, onto):
        assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "不存在" in missing.stderr and "是一个文件夹" in onto.stderr


# 9 — silent loss -------------------------------------------------------------------------------


def test_missing_sheet_part_uncached_formulas_and_empty_json_are_reported(tmp_path):
    two = xlsx_writer.write(load_seed()[:2], tmp_path / "two.xlsx")
    names = zipfile.ZipFile(two).namelist()
    sheet2 = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))[1]
    broken = _rezip(two, tmp_path / "broken.xlsx", lambda n, d: None if n == sheet2 else d)
    problems = []
    tables = read_path(broken, problems)
    assert len(tables) == 1
    assert any(p.severity == "error" and "内容缺失" in p.message for p in problems)

    formula = _rezip(
        xlsx_writer.write(load_seed()[:1], tmp_path / "f.xlsx"),
        tmp_path / "formula.xlsx",
        lambda n, d: (
            d.replace(
                b"</sheetData>", b'<row r="200"><c r="B200"><f>100000*2</f></c></row></sheetData>'
            )
            if n.startswith("xl/worksheets/")
            else d
        ),
    )
    problems = []
    read_path(formula, problems)
    assert any("没有保存计算结果（B200）" in p.message for p in problems)

    (tmp_path / "empty.json").write_text("{}", encoding="utf-8")
    result = load([tmp_path / "empty.json"])
    assert result.tables == [] and result.files_failed == 1


# 10 — messages without Python internals, encodings, leftovers ----------------------------------


def test_no_python_internals_utf16_without_bom_and_leftover_temporary_files(tmp_path):
    docx = docx_writer.write(load_seed()[:1], tmp_path / "t.docx")
    odd = _rezip(
        docx,
        tmp_path / "odd.docx",
        _with_span(b"abc"),
    )
    problems = []
    assert read_path(odd, problems)  # an unreadable span counts as one column
    assert not any("invalid literal" in p.message for p in problems)

    text = text_writer.write(load_seed()[:2], tmp_path / "t.txt").read_text("utf-8")
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16-le"))
    assert len(read_path(tmp_path / "u16.txt")) == 2

    ws = Workspace(Settings(home=tmp_path / "h"), model=None)
    ws.library  # noqa: B018
    leftover = tmp_path / "h" / "library" / "tables" / ".abc123.part"
    leftover.write_text("half a table")
    Workspace(Settings(home=tmp_path / "h"), model=None).library  # noqa: B018
    assert not leftover.exists()


@pytest.mark.parametrize("name", ["dir[/]x.txt", "[bold]red.xlsx"])
def test_markup_names_reach_the_problem_verbatim(tmp_path, name):
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / name.replace("/", "_")
    path.write_bytes(b"")
    run = jx("parse", str(path), home=tmp_path / "h")
    assert run.returncode == 2 and path.name in run.stderr


def test_a_reader_past_its_time_budget_is_stopped(tmp_path, monkeypatch):
    import jixiao.readers as readers
    from jixiao.readers import text

    def slow(path, problems=None):
        while True:
            pass

    monkeypatch.setattr(readers, "FILE_SECONDS", 1)
    monkeypatch.setattr(text, "read", slow)
    (tmp_path / "slow.txt").write_text("x", encoding="utf-8")
    good = json_writer.write(load_seed()[:1], tmp_path / "good.json")
    start = time.perf_counter()
    result = load([tmp_path / "slow.txt", good])
    assert time.perf_counter() - start < 10
    assert len(result.tables) == 1
    [late] = result.failed
    assert "超过 1 秒" in late.message and late.file.endswith("slow.txt")

"""The web UI's endpoints through gradio_client (as another program or a second browser would
call them), its options, its upload handling, and that it reaches nothing off the machine.

One server (tests/ui_server.py) serves this module and the browser tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import openpyxl
import pytest
from ui_server import free_port, ui_server_fixture  # noqa: F401  (the session's one server)

from jixiao.seed import load_seed
from jixiao.ui import uploads
from jixiao.ui.server import Options, parse
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer

gradio_client = pytest.importorskip("gradio_client")
ROOT = Path(__file__).resolve().parents[1]
BRIEF = {
    "project_": "社区矫正教育帮扶专项经费",
    "unit_": "天津市滨海新区司法局",
    "year_": "2027",
    "budget_": "50万元",
    "purpose_": "用于社区矫正对象集中教育、心理矫治和社会适应性帮扶",
    "goals_": "开展社区矫正对象集中教育学习\n为社区矫正对象提供法律援助服务",
    "framework_": "",
    "like_": "",
}


def client(server):
    return gradio_client.Client(server.url, verbose=False)


def files(tmp_path: Path) -> list[Path]:
    """Three uploads: two seed tables in Word (one with a `<script>` name), one table as JSON,
    and an Excel file that is not one."""
    tables = load_seed()
    tables[0].indicators[0].name = "<script>alert(1)</script>培训人次"
    word = docx_writer.write(tables[:2], tmp_path / "两张表.docx")
    js = json_writer.write(tables[2:3], tmp_path / "一张表.json")
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"this is not a workbook")
    return [word, js, broken]


def upload(paths):
    return [gradio_client.handle_file(str(p)) for p in paths]


def test_review_reports_tables_findings_unreadable_files_and_reports(ui_server, tmp_path):
    out = client(ui_server).predict(upload(files(tmp_path)), api_name="/review")
    summary, codes, projects, _, grid, tables, view, xlsx, html, js = out
    assert "<b>3</b><span>张表</span>" in summary
    assert "坏文件.xlsx" in summary and "未能读取" in summary
    assert str(tmp_path) not in summary and "/tmp/" not in summary  # names as sent
    assert grid["headers"][0] == "序号" and len(grid["data"]) > 5
    assert any("（" in label for label, _ in codes["choices"][1:])
    assert len(tables["choices"]) == 3
    assert "class='error c-" in view or "class='warning c-" in view  # a coloured cell
    book = openpyxl.load_workbook(xlsx["value"])
    assert book.sheetnames[:2] == ["问题清单", "汇总"]
    assert "<script>alert" not in Path(html["value"]).read_text(encoding="utf-8")
    assert '"code"' in Path(js["value"]).read_text(encoding="utf-8")


def test_a_script_in_a_cell_is_shown_as_text(ui_server, tmp_path):
    c = client(ui_server)
    c.predict(upload(files(tmp_path)[:1]), api_name="/review")
    view = c.predict("0", api_name="/show_table")  # the first table: its first row has the cell
    assert "&lt;script&gt;alert(1)&lt;/script&gt;培训人次" in view
    assert "<script" not in view


def test_draft_new_then_edit_then_downloads(ui_server):
    c = client(ui_server)
    summary, _, grid, view, diff, word, xlsx, sources = c.predict(**BRIEF, api_name="/draft_new")
    rows = grid["data"]
    assert rows and all(r[6] for r in rows)  # every row says where it comes from
    assert "社区矫正教育帮扶专项经费" in summary and "占位符" in summary
    assert "【请填写" in view and "jx-ph" in view
    # A rule's remark on a 【请填写】 cell is shown as awaiting the officer, not as an error.
    assert "错误 0，" in summary, summary
    assert "待填写：" in view and "条规则提示随填写消除" in summary
    assert diff["data"]
    assert docx.Document(word["value"]).tables
    sheet = openpyxl.load_workbook(xlsx["value"]).active
    assert any("社区矫正教育帮扶专项经费" in str(c.value) for row in sheet.iter_rows() for c in row)
    assert Path(sources["value"]).suffix == ".xlsx"
    # The officer fills a placeholder: the draft is re-reviewed and the edit is in the diff.
    n = next(i for i, r in enumerate(rows) if "【请填写】" in r[5])
    before = int(summary.split("占位符 ")[-1].split(" 处")[0])
    rows[n][5] = rows[n][5].replace("【请填写】", "120")
    edited = c.predict(
        {"headers": grid["headers"], "data": rows, "metadata": None}, api_name="/draft_edit"
    )
    after = int(edited[0].split("占位符 ")[-1].split(" 处")[0])
    assert after < before
    assert any("填报人" in line[4] for line in edited[4]["data"])


def test_draft_new_says_what_is_missing(ui_server):
    with pytest.raises(Exception, match="不是金额"):
        client(ui_server).predict(**{**BRIEF, "budget_": "很多"}, api_name="/draft_new")


def test_draft_next_from_an_upload_shows_the_diff(ui_server, tmp_path):
    path = json_writer.write(load_seed()[3:4], tmp_path / "今年.json")
    out = client(ui_server).predict(
        gradio_client.handle_file(str(path)), "", "", "", api_name="/draft_next"
    )
    summary, diff = out[0], out[4]
    assert "→" in summary
    assert any("年" in r[4] for r in diff["data"])  # years moved, with the reason


def test_library_search_and_list(ui_server):
    c = client(ui_server)
    _, _, listing, *_ = c.predict("", "", api_name="/library")
    assert len(listing["data"]) >= 14
    hits = c.predict("普法宣传", "", "fused", "", api_name="/search")
    assert "出处" in hits and "普法" in hits
    policy = c.predict("成本指标", "policy", "lexical", "", api_name="/search")
    assert "【政策】" in policy


def test_library_add_and_remove(ui_server, tmp_path):
    c = client(ui_server)
    table = load_seed()[0]
    table.project = "网页测试新增项目"
    path = json_writer.write([table], tmp_path / "新表.json")
    status, _, _, listing, *_ = c.predict(
        [gradio_client.handle_file(str(path))], "", "", api_name="/add"
    )
    assert "新增 1 张表" in status
    assert any(r[2] == "网页测试新增项目" for r in listing["data"])
    new_id = next(t.id for t in ui_server.ws.tables() if t.project == "网页测试新增项目")
    c.predict(new_id, "", "", api_name="/remove")
    assert all(t.project != "网页测试新增项目" for t in ui_server.ws.tables())


def test_library_add_and_remove_a_policy_document(ui_server, tmp_path):
    c = client(ui_server)
    doc = tmp_path / "绩效目标管理补充规定.txt"
    doc.write_text(
        "绩效目标管理补充规定\n第一条 网页测试条款：成本指标应细化到具体支出事项。\n"
        "第二条 满意度调查应覆盖服务对象。\n",
        encoding="utf-8",
    )
    status, listed, choices = c.predict(
        [gradio_client.handle_file(str(doc))], api_name="/add_policy"
    )
    assert "已加入" in status and "绩效目标管理补充规定" in listed
    doc_id = choices["choices"][0][1]
    assert "网页测试条款" in c.predict(
        "成本指标细化到具体支出事项", "policy", "lexical", "", api_name="/search"
    )
    status, listed, choices = c.predict(doc_id, api_name="/remove_policy")
    assert "已删除" in status and not choices["choices"]


def test_ask_cites_and_shows_the_cited_table(ui_server):
    if not hasattr(ui_server.ws, "ask"):
        pytest.skip("Workspace.ask is not there yet")
    c = client(ui_server)
    _, chat, cites, _ = c.predict("法援中心工作专项经费的预算是多少？", [], "", api_name="/ask")
    answer = str(chat[-1]["content"])
    assert "700000" in answer and "出处" in answer
    assert cites["choices"]
    shown = c.predict(cites["choices"][0][1], api_name="/cited")
    assert "法援中心工作专项经费" in shown and "<table" in shown
    # Streamed: each lookup is shown as it is made, then the checked answer replaces them.
    job = c.submit("普法宣传专项经费的预算是多少？", [], "", "", api_name="/ask")
    job.result()
    said = [str(out[1][-1]["content"]) for out in job.outputs()]
    assert any("正在查阅资料库" in s and "· 查找表：" in s for s in said[:-1]), said
    assert "250000" in said[-1] and "正在查阅" not in said[-1]
    # The year filter: only that year's tables are asked.
    of_2024 = sorted(t.project for t in ui_server.ws.tables() if t.year == 2024)
    _, chat, cites, _ = c.predict("有哪些项目？", [], "", "2024", api_name="/ask")
    assert f"项目共{len(of_2024)}个" in str(chat[-1]["content"])
    assert len(cites["choices"]) == len(of_2024)


def test_four_sessions_at_once_get_their_own_results(ui_server, tmp_path):
    # Each reviews its own tables, drafts its own project, edits its own draft and follows up
    # on its own question (那预算呢？ refers to the project this session asked about).
    seed = load_seed()

    def session(i: int):
        c = client(ui_server)
        path = json_writer.write(seed[i : i + 1 + i], tmp_path / f"第{i}批.json")
        review = c.predict(upload([path]), api_name="/review")
        draft = c.predict(**{**BRIEF, "project_": f"并发测试项目{i}"}, api_name="/draft_new")
        again = c.predict(draft[2], api_name="/draft_edit")  # this session's draft, not another's
        c.predict(f"{seed[i].project}的资金用途是什么？", [], "", api_name="/ask")
        chat = c.predict("那预算呢？", [], "", api_name="/ask")[1]  # this session's conversation
        return review[0], review[5]["choices"], draft[0], again[0], str(chat[-1]["content"])

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(session, range(4)))
    for i, (summary, tables, drafted, edited, budget) in enumerate(results):
        assert f"<b>{1 + i}</b><span>张表</span>" in summary
        assert [label.split("（问题")[0][3:] for label, _ in tables] == [
            t.project for t in seed[i : i + 1 + i]
        ]
        assert f"并发测试项目{i}" in drafted and f"并发测试项目{i}" in edited
        assert f"{seed[i].budget_total}元" in budget


def test_uploaded_names_stay_inside_the_session_folder(tmp_path):
    z = tmp_path / "报送.zip"
    with zipfile.ZipFile(z, "w") as archive:
        archive.writestr("../../逃逸.json", "[]")
        archive.writestr("/etc/绝对路径.json", "[]")
        archive.writestr("子目录/..\\..\\反斜杠.json", "[]")
        archive.writestr("套娃.zip", b"PK")
    plain = tmp_path / "普通.json"
    plain.write_text("[]", encoding="utf-8")
    batch = uploads.take([z, plain, plain], "测试")
    root = batch.folder.resolve()
    assert len(batch.files) == 5
    assert all(f.resolve().is_relative_to(root) for f in batch.files)
    assert {f.name for f in batch.files} >= {"逃逸.json", "绝对路径.json", "普通 (2).json"}
    assert "压缩包里的压缩包" in batch.problems[0].message
    assert (
        uploads.safe_name("..") == "未命名文件" and uploads.safe_name("a/b\\..\\c.docx") == "c.docx"
    )


def test_options_default_to_loopback_and_read_the_environment():
    assert parse([], env={}) == Options("127.0.0.1", 7860, None, "")
    env = {"JIXIAO_UI_HOST": "0.0.0.0", "JIXIAO_UI_PORT": "8080", "JIXIAO_UI_AUTH": "审核员:密码1"}
    assert parse([], env=env) == Options("0.0.0.0", 8080, ("审核员", "密码1"), "")
    assert parse(["--port", "9000", "--auth", "a:b"], env=env).port == 9000
    with pytest.raises(SystemExit):
        parse(["--auth", "没有冒号"], env={})


SPY = """
import os, socket
_log = open(os.environ["SPY_LOG"], "a", encoding="utf-8")
_lookup, _connect = socket.getaddrinfo, socket.socket.connect
def _note(host):
    _log.write(f"{host}\\n")
    _log.flush()
def getaddrinfo(host, *a, **k):
    _note(host)
    return _lookup(host, *a, **k)
def connect(self, address):
    if self.family != socket.AF_UNIX:
        _note(address[0])
    return _connect(self, address)
socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
"""


def test_app_py_serves_on_loopback_and_reaches_nothing_else(ui_server, tmp_path):
    # `python app.py` in its own process, every name look-up and connection it makes logged
    # (sitecustomize), while it starts, reviews, searches and answers: loopback only.
    (tmp_path / "sitecustomize.py").write_text(SPY, encoding="utf-8")
    log = tmp_path / "connections.txt"
    port = free_port()
    env = {
        **os.environ,
        "JIXIAO_HOME": str(ui_server.home),  # the library the session's server has indexed
        "SPY_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    app = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        said = ""
        while "请在浏览器中打开" not in said:
            line = app.stdout.readline()
            assert line, f"app.py stopped: {said}"
            said += line
        assert f"http://127.0.0.1:{port}/" in said
        c = gradio_client.Client(f"http://127.0.0.1:{port}/", verbose=False)
        assert "张表" in c.predict(upload(files(tmp_path)), api_name="/review")[0]
        assert "出处" in c.predict("普法宣传", "", "fused", "", api_name="/search")
        c.predict("法援中心工作专项经费的预算是多少？", [], "", api_name="/ask")
    finally:
        app.terminate()
        app.wait(timeout=30)
    hosts = set(log.read_text(encoding="utf-8").split())
    assert hosts and hosts <= {"127.0.0.1", "localhost", "::1"}, hosts

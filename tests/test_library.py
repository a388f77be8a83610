"""The library and its index: in step, searchable, filtered, on the embedded store and a server."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import warm
from docx import Document

from jixiao.corpus import Library
from jixiao.fusion import fuse
from jixiao.index import COLLECTION, open_index, with_tables_beside_rows
from jixiao.policy import read_policy
from jixiao.seed import load_seed
from jixiao.writers import json as json_writer

MADE = Path(__file__).resolve().parents[1] / "eval/datasets/review/made"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real Chroma server on 127.0.0.1 and a free port, for the whole module."""
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [
            str(BIN / "chroma"),
            "run",
            "--path",
            str(path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    import chromadb

    for _ in range(120):
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:
            time.sleep(0.25)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(params=["embedded", "server"])
def store(request, tmp_path, monkeypatch):
    """(home, url): the same tests run on the embedded store and through a Chroma server; the
    home holds the seed's vectors (`warm_home`) unless the test is about a first start."""
    url = ""
    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        monkeypatch.setenv("JIXIAO_CHROMA_URL", url)
    home = tmp_path / "home"
    if "first_start" not in request.node.name:
        warm(home, request.getfixturevalue("seed_vectors"))
    yield home, url
    if url:
        from urllib.parse import urlparse

        import chromadb

        client = chromadb.HttpClient(host="127.0.0.1", port=urlparse(url).port)
        try:
            client.delete_collection(COLLECTION)
        except Exception:
            pass


def indexed_table_ids(index) -> set[str]:
    """Tables with their vectors in the store (the dense channel)."""
    got = index.collection.get(where={"kind": "table"}, include=[])
    return {i.split(":", 1)[1] for i in got["ids"]}


def test_seed_is_there_on_first_start(store):
    home, url = store
    library, index, notes = open_index(home, url)
    assert len(library.tables()) == 14
    assert indexed_table_ids(index) == library.ids()
    assert notes == ["索引已与资料库同步：新增 14 张表，移除 0 张表。"]
    again = open_index(home, url)
    assert again[2] == []  # nothing to repair the second time


def test_search_finds_filters_and_cites(store):
    home, url = store
    library, index, _ = open_index(home, url)
    hits = index.search("法律援助办了多少案子", k=5)
    assert any(h.kind == "indicator" and "法律援助案件数量" in h.text for h in hits)
    assert all(h.meta.get("project") or h.meta.get("title") for h in hits)
    policy = index.search("成本指标能不能超过预算", kind="policy", k=3)
    assert policy and all(h.kind == "policy" for h in policy)
    assert policy[0].id == "note:cost" and "财预〔2015〕88号" in policy[0].meta["title"]
    units = index.units(library, "法律援助")
    assert units == ["天津市滨海新区法律援助中心"]
    only = index.search("工作经费", units=units, k=10)
    assert only and all(h.meta["unit"] == "天津市滨海新区法律援助中心" for h in only)
    for mode in ("dense", "lexical"):
        assert index.search("社区矫正", k=3, mode=mode)
    # A keyword the lexical channel finds far ahead of anything else wins the fused ranking,
    # though the dense channel slightly prefers another table.
    assert "普法宣传" in index.search("普法", kind="table", k=3)[0].text
    # A query naming a project finds its rows (each carries the name) and the table beside them.
    hits = [h.id for h in index.search("2024年提前下达的政法转移支付资金", k=5)]
    table = next(t for t in load_seed() if t.project.startswith("2024年提前下达"))
    assert f"table:{table.id}" in hits[:2], hits


def test_a_search_on_a_library_in_step_opens_no_store(tmp_path, warm_home):
    # The vectors are kept beside the keywords once the store has them all: a search in a new
    # process reads them (exact cosine) and never imports chromadb; its dense hits are the
    # store's own.
    home = warm_home
    _, index, _ = open_index(home, "")
    lexical = index._lexical_now()
    assert lexical.dense_ready(index.embedder.source)
    query = "给社工发工资的项目"
    ours = [h.id for h in index.search(query, k=10, mode="dense")]
    theirs = index.collection.query(
        query_embeddings=[index.embedder.query(query)], n_results=10, include=[]
    )["ids"][0]
    assert ours == theirs
    code = (
        "import sys\nfrom jixiao.workspace import Workspace\n"
        f"hits = Workspace(model=None).search({query!r})\n"
        "print(hits[0].id, 'chromadb' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=_env(home), capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [index.search(query, k=1)[0].id, "False"]


def test_a_table_s_summary_comes_up_beside_its_rows():
    top = [("indicator:a:3", 0.9), ("indicator:b:1", 0.8), ("indicator:a:1", 0.7)]
    top += [("policy:x", 0.6), ("indicator:c:2", 0.5), ("table:b", 0.4), ("table:a", 0.3)]
    moved = [doc for doc, _ in with_tables_beside_rows(top)]
    # a: two rows in the first five, so its summary follows its first row; b has one row only.
    assert moved[:3] == ["indicator:a:3", "table:a", "indicator:b:1"]
    assert moved.index("table:b") == 6
    ahead = [("table:a", 1.0), ("indicator:a:1", 0.9), ("indicator:a:2", 0.8)]
    assert with_tables_beside_rows(ahead) == ahead  # already above its rows: left alone


def test_a_clear_lead_of_one_channel_counts_in_fusion():
    dense, lexical = ["公共", "其他", "普法"], ["普法", "公共", "其他"]
    assert fuse([dense, lexical], 3)[0][0] == "公共"  # ranks alone
    clear = fuse([dense, lexical], 3, scores=[[0.80, 0.79, 0.7], [3.6, 0.34, 0.2]])
    assert clear[0][0] == "普法"
    close = fuse([dense, lexical], 3, scores=[[0.80, 0.79, 0.7], [3.6, 3.0, 0.2]])
    assert close[0][0] == "公共"  # a narrow lead changes nothing


def test_add_is_idempotent_and_remove_keeps_step(store, tmp_path):
    home, url = store
    library, index, _ = open_index(home, url)
    before = index.collection.count()
    added, present = library.add(load_seed())
    assert added == [] and len(present) == 14
    from jixiao.readers import load

    made = load([MADE]).tables
    added, _ = library.add(made)
    assert len(added) == 16
    index.sync(library)
    assert indexed_table_ids(index) == library.ids() and len(library.ids()) == 30
    assert index.collection.count() > before
    gone = library.remove(made[0].id)
    assert gone is not None
    index.sync(library)
    assert made[0].id not in indexed_table_ids(index)
    assert all(made[0].id not in h.id for h in index.search(made[0].project, k=20))


def test_user_policy_documents_are_chunked_with_their_title(store, tmp_path):
    home, url = store
    txt = tmp_path / "办法.txt"
    txt.write_text(
        "某区项目支出绩效目标管理办法\n\n第一条 为规范绩效目标管理，制定本办法。\n\n"
        "第二条 成本指标不得超过预算数，单位成本应与计划数量相匹配。\n\n"
        "第三条 满意度调查应面向服务对象。",
        encoding="utf-8",
    )
    doc = Document()
    doc.add_paragraph("某区绩效监控细则")
    doc.add_paragraph("绩效监控每季度开展一次，重点关注预算执行进度与目标完成情况的偏离。")
    docx_path = tmp_path / "细则.docx"
    doc.save(docx_path)
    library, index, _ = open_index(home, url)
    parsed = read_policy(txt)
    assert parsed.title == "某区项目支出绩效目标管理办法"
    assert [c.heading for c in parsed.chunks] == ["第一条", "第二条", "第三条"]
    assert all(c.title == parsed.title for c in parsed.chunks)
    assert library.add_policy(parsed) and not library.add_policy(parsed)
    assert library.add_policy(read_policy(docx_path))
    index.sync(library)
    hits = index.search("单位成本与计划数量匹配", kind="policy", k=3)
    assert hits[0].id == parsed.chunks[1].id and hits[0].meta["title"] == parsed.title
    assert index.search("季度绩效监控", kind="policy", k=3)[0].meta["title"] == "某区绩效监控细则"


def test_policy_from_pdf_and_markdown(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    md = tmp_path / "要点.md"
    md.write_text("# 绩效目标编制要点\n\n目标要量化。\n\n指标要可衡量。", encoding="utf-8")
    parsed = read_policy(md)
    assert parsed.title == "绩效目标编制要点" and len(parsed.chunks) == 1
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = tmp_path / "通知.pdf"
    c = canvas.Canvas(str(pdf))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, "关于做好绩效目标审核的通知")
    c.drawString(72, 730, "第一条 审核完整性、相关性、适当性和可行性。")
    c.save()
    parsed = read_policy(pdf)
    assert parsed.title.startswith("关于做好绩效目标审核的通知")
    assert any("可行性" in ch.text for ch in parsed.chunks)


def test_damaged_index_is_rebuilt_with_a_message(tmp_path, warm_home):
    home = warm_home
    open_index(home, "")
    sqlite = home / "index" / "chroma" / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    library, index, notes = open_index(home, "")
    assert any("索引已损坏" in n for n in notes)
    assert indexed_table_ids(index) == library.ids()
    assert index.search("社工工资", k=3)
    assert list((home / "index").glob("chroma.damaged-*"))


def test_missing_index_and_rebuild(tmp_path, warm_home):
    home = warm_home
    open_index(home, "")
    import shutil

    shutil.rmtree(home / "index")
    library, index, notes = open_index(home, "")
    assert "新增 14 张表" in notes[-1]
    assert index.rebuild(library).startswith("索引已重建")
    assert indexed_table_ids(index) == library.ids()


def _env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    return env | {"JIXIAO_HOME": str(home)} | extra


def test_killed_import_leaves_a_library_that_opens(tmp_path, warm_home):
    home = warm_home
    src = tmp_path / "many"
    src.mkdir()
    seed = load_seed()
    for i in range(300):
        t = seed[i % 14].model_copy(deep=True)
        t.project += f"（{i}）"
        json_writer.write([t], src / f"t{i:03d}.json")
    proc = subprocess.Popen(
        [str(BIN / "jixiao"), "library", "add", str(src)],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    tables = home / "library" / "tables"
    deadline = time.time() + 120
    # Kill it once the import has begun writing (past the 14 seed tables).
    while time.time() < deadline and len(list(tables.glob("*.json"))) <= 14:
        time.sleep(0.01)
    proc.kill()
    assert proc.wait() == -9  # it really was killed mid-import
    library, index, _ = open_index(home, "")
    assert library.problems == []  # every file that exists is whole
    assert indexed_table_ids(index) == library.ids()
    assert index.search("社工工资", k=3)


def test_ui_and_cli_at_once(tmp_path, warm_home):
    """Two processes on one home: a writer importing and a reader searching, neither hangs."""
    home = warm_home
    open_index(home, "")
    src = tmp_path / "more"
    src.mkdir()
    seed = load_seed()
    for i in range(60):
        t = seed[i % 14].model_copy(deep=True)
        t.project += f"（并发{i}）"
        json_writer.write([t], src / f"t{i:03d}.json")
    searcher = (
        "import sys\nfrom jixiao.index import open_index\n"
        "for i in range(15):\n"
        "    lib, idx, _ = open_index()\n"
        "    assert idx.search('法律援助案件', k=3)\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", searcher], env=_env(home), stderr=subprocess.PIPE
    )
    writer = subprocess.Popen(
        [str(BIN / "jixiao"), "library", "add", str(src)], env=_env(home), stderr=subprocess.PIPE
    )
    assert writer.wait(timeout=300) == 0, writer.stderr.read().decode()
    assert reader.wait(timeout=300) == 0, reader.stderr.read().decode()
    library, index, _ = open_index(home, "")
    assert len(library.ids()) == 74 and indexed_table_ids(index) == library.ids()


def test_a_process_sees_what_another_stored_since(tmp_path, warm_home):
    """chromadb keeps what a process has read in memory: after another process stores vectors,
    this one's store is opened anew (the ledger changed), so it can fetch and search them."""
    home = warm_home
    library, index, _ = open_index(home, "")
    before = set(library.ids())
    first = sorted(f"table:{t}" for t in before)[:1]
    assert len(index.collection.get(ids=first, include=["embeddings"])["ids"]) == 1
    src = tmp_path / "more"
    src.mkdir()
    t = load_seed()[0].model_copy(deep=True)
    t.project = "另一进程导入的社区矫正项目"
    json_writer.write([t], src / "t.json")
    added = subprocess.run(
        [str(BIN / "jixiao"), "library", "add", str(src)], env=_env(home), capture_output=True
    )
    assert added.returncode == 0, added.stderr.decode()
    new = sorted(Library(home).ids() - before)
    assert len(new) == 1
    got = index.collection.get(ids=[f"table:{new[0]}"], include=["embeddings"])
    assert got["ids"] == [f"table:{new[0]}"] and len(got["embeddings"][0]) > 0
    hits = index.collection.query(query_embeddings=[got["embeddings"][0]], n_results=3)
    assert f"table:{new[0]}" in hits["ids"][0]  # (its twin, the seed table, is as near)
    _, again, _ = open_index(home, "")  # a new open in this process: the same fresh view
    got = again.collection.get(ids=[f"table:{new[0]}"], include=["embeddings"])
    assert got["ids"] == [f"table:{new[0]}"]


def test_works_with_no_network_at_all(tmp_path):
    """First use of the model and first creation of the store, in a process with no network."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -rn (a network namespace) is not permitted here")
    run = subprocess.run(
        [
            "unshare",
            "-rn",
            str(BIN / "jixiao"),
            "search",
            "给社工发工资的项目",
            "--k",
            "3",
            "--format",
            "json",
        ],
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "多种用工人员经费" in run.stdout


def test_library_cli(tmp_path, warm_home):
    home = warm_home

    def jx(*args):
        return subprocess.run(
            [str(BIN / "jixiao"), *args],
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert "资料库：14 张表" in jx("library", "list").stdout
    # Filters and a limit, for a library of thousands: what is left out is said.
    of_2024 = [t for t in Library(home).tables() if t.year == 2024]
    only = jx("library", "list", "--year", "2024", "--unit", "司法局").stdout
    assert f"资料库：{len(of_2024)} 张表（单位含“司法局”，2024年度）" in only
    assert all(t.id in only for t in of_2024)
    few = jx("library", "list", "--limit", "2").stdout
    assert "只列出前 2 张" in few and "--limit 0 列出全部" in few
    listed = json.loads(jx("library", "list", "--year", "2024", "-f", "json").stdout)
    assert [t["id"] for t in listed] == [t.id for t in of_2024]
    added = jx("library", "add", str(MADE))
    assert added.returncode == 0 and "新增 16 张表" in added.stderr
    assert "新增 0 张表，16 张已在资料库中" in jx("library", "add", str(MADE)).stderr
    table = Library(home).tables()[0]
    assert table.project in jx("library", "show", table.id[:8]).stdout
    assert jx("library", "show", "nope").returncode == 2
    found = jx("search", "热线坐席服务费", "--kind", "indicator", "--format", "json")
    assert "12348" in found.stdout
    removed = jx("library", "remove", table.id)
    assert removed.returncode == 0 and "已删除" in removed.stderr
    shown = tmp_path / "表.xlsx"
    assert jx("library", "show", table.id[:8], "-o", str(shown)).returncode == 2  # removed
    kept = Library(home).tables()[0]
    assert jx("library", "show", kept.id[:8], "-o", str(shown)).returncode == 0
    assert shown.read_bytes()[:2] == b"PK"  # an Excel workbook, not Markdown named .xlsx
    folder = tmp_path / "政策"
    (folder / "区级").mkdir(parents=True)
    (folder / "区级" / "规定.txt").write_text("某规定\n\n第一条 测试条文。", encoding="utf-8")
    (folder / "附表.xlsx").write_bytes(shown.read_bytes())  # not a policy file: left alone
    added = jx("library", "add-policy", str(folder))
    assert added.returncode == 0 and "已添加：某规定（1 段" in added.stderr, added.stderr
    assert "1 份已在资料库中，0 份无法读取" in added.stderr
    assert "索引已重建" in jx("library", "rebuild").stderr
    found = jx("search", "测试条文", "--kind", "policy").stdout
    assert found.count("来源：某规定") == 1 and "第一条 测试条文。" in found  # the passage itself
    doc_id = Library(home).policies()[0].doc_id
    gone = jx("library", "remove-policy", doc_id[:6])
    assert gone.returncode == 0 and "已删除：某规定" in gone.stderr
    assert "来源：某规定" not in jx("search", "测试条文", "--kind", "policy").stdout
    assert jx("library", "remove-policy", doc_id).returncode == 2


# --- at scale: incremental adds, keyword search before vectors, the ledger --------------------


@pytest.fixture(scope="module")
def built_home(tmp_path_factory, seed_vectors):
    """A seeded home with its index built once; tests that change it work on a copy."""
    home = warm(tmp_path_factory.mktemp("built") / "home", seed_vectors)
    open_index(home, "")
    return home


def _copy(built_home: Path, tmp_path: Path) -> Path:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    return home


def _new_tables(n: int, tag: str):
    seed = load_seed()
    out = []
    for i in range(n):
        t = seed[i % 14].model_copy(deep=True)
        t.project = f"{t.project}（{tag}{i}）"
        t.indicators[0].description += f" {tag}{i}号"  # a text the vector cache has not seen
        out.append(t)
    return out


def test_adding_a_table_writes_one_segment_and_reads_no_other_table(
    built_home, tmp_path, monkeypatch
):
    from jixiao.settings import Settings
    from jixiao.workspace import Workspace

    home = _copy(built_home, tmp_path)
    ws = Workspace(Settings(home=home), model=None)
    ws.index  # noqa: B018
    segments = home / "index" / "lexical"
    segment_count = len([p for p in segments.iterdir() if p.is_dir()])
    before = {str(p.relative_to(segments)): p.stat().st_mtime_ns for p in segments.glob("*/*.npy")}

    def no_reading(*args, **kwargs):
        raise AssertionError("adding one table read the library")

    monkeypatch.setattr(Library, "tables", no_reading)
    monkeypatch.setattr(Library, "get", no_reading)
    [table] = _new_tables(1, "新增")
    added, _ = ws.add([table])
    assert added == [table]
    after = {str(p.relative_to(segments)): p.stat().st_mtime_ns for p in segments.glob("*/*.npy")}
    assert all(after[n] == m for n, m in before.items())  # no segment written again
    assert len([p for p in segments.iterdir() if p.is_dir()]) == segment_count + 1
    for mode in ("lexical", "dense"):
        hits = ws.search(table.project, kind="table", k=3, mode=mode)
        assert table.id in {h.citation.table_id for h in hits}


def test_new_tables_are_found_by_keyword_while_another_process_makes_vectors(built_home, tmp_path):
    """A long import in another process holds the embedding lock: a search there neither waits
    for it nor makes vectors itself, finds the new tables by keyword and says so."""
    from jixiao.settings import Settings
    from jixiao.workspace import Workspace

    home = _copy(built_home, tmp_path)
    new = _new_tables(3, "导入中")
    ws = Workspace(Settings(home=home), model=None)
    index = ws.index
    with ws.library.lock():  # what `Workspace.add` does before it makes the vectors
        ws.library.add(new)
        index.add_tables(new)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_EMBEDDING_LOCK, str(home / "index" / ".embedding.lock")],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline() == b"held\n"
        run = subprocess.run(
            [str(BIN / "jixiao"), "search", new[2].project, "--kind", "table", "-f", "json"],
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        assert "向量索引还缺 3 张表" in run.stderr and "另一个导入正在补齐" in run.stderr
        assert new[2].id in run.stdout  # found by keyword
        library, index, notes = open_index(home, "")
        assert any("另一个导入正在补齐" in n for n in notes)
        assert not {t.id for t in new} & indexed_table_ids(index)
        assert index.embedder.embedded == 0
    finally:
        holder.kill()
        holder.wait()
    library, index, notes = open_index(home, "")  # the import died: an open repairs a small gap
    assert {t.id for t in new} <= indexed_table_ids(index)
    assert not any("向量索引还缺" in n for n in notes)


HOLD_EMBEDDING_LOCK = (
    "import fcntl, os, sys, time\n"
    "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
    "fcntl.flock(fd, fcntl.LOCK_EX)\n"
    "print('held', flush=True)\n"
    "time.sleep(600)\n"
)


def test_a_lost_or_wrong_ledger_is_read_again_from_the_store(built_home, tmp_path):
    home = _copy(built_home, tmp_path)
    ledger = home / "index" / "dense.json"
    for damage in ("lost", "wrong"):
        if damage == "lost":
            ledger.unlink()
        else:
            data = json.loads(ledger.read_text())
            data["tables"].popitem()  # says a stored table is missing: the counts disagree
            ledger.write_text(json.dumps(data))
        library, index, notes = open_index(home, "")
        assert indexed_table_ids(index) == library.ids() and notes == []
        assert index.embedder.embedded == 0  # nothing embedded again
        assert json.loads(ledger.read_text())["tables"].keys() == library.ids()


def test_tables_are_read_again_only_when_their_file_changes(tmp_path):
    library = Library(tmp_path / "home")
    first = library.tables()
    assert len(first) == 14
    again = library.tables()
    assert all(a is b for a, b in zip(first, again, strict=True))  # not parsed twice
    # Another process rewrites one table's file, adds one and removes one: all are seen.
    changed = first[0].model_copy(update={"purpose": "另一个进程改写了资金用途"})
    path = library.tables_dir / f"{first[0].id}.json"
    path.write_text(changed.model_dump_json(), encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    extra = first[1].model_copy(update={"project": "另一个进程新增的项目"})
    (library.tables_dir / f"{extra.id}.json").write_text(extra.model_dump_json(), encoding="utf-8")
    (library.tables_dir / f"{first[2].id}.json").unlink()
    now = library.tables()
    purposes = {t.project: t.purpose for t in now}
    assert purposes[first[0].project] == "另一个进程改写了资金用途"
    assert "另一个进程新增的项目" in purposes and first[2].project not in purposes
    assert len(now) == 14

"""The seams front ends stand on: one Workspace, the Model and Retriever protocols, thread safety,
and a package whose modules import each other without cycles."""

import ast
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import warm

from jixiao.llm import ChatReply, ToolCall, ask
from jixiao.llm_cache import SCHEMA_VERSION, CallCache
from jixiao.prompts import load as load_prompt
from jixiao.review_model import Checklist
from jixiao.seed import load_seed
from jixiao.settings import Settings, SettingsError
from jixiao.testing import TestModel
from jixiao.workspace import Workspace
from jixiao.writers import json as json_writer

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "jixiao"
BIN = Path(sys.executable).parent
HOLDOUT = ROOT / "eval/datasets/review-holdout"


# --- the package's shape -----------------------------------------------------------------------


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


def _imports(path: Path, mods: dict[str, Path]):
    """(imported module, imported names) for every jixiao import, deferred ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jixiao"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                yield (sub if sub in mods else node.module), alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jixiao"):
                    yield alias.name, None


def test_no_import_cycles():
    mods = _modules()
    graph = {m: {d for d, _ in _imports(p, mods) if d in mods and d != m} for m, p in mods.items()}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(m: str, trail: list[str]) -> None:
        state[m] = 1
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycle = trail[trail.index(d) :] + [d] if d in trail else [m, d]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if d not in state:
                visit(d, trail + [d])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])


def test_no_private_name_imported_from_another_module():
    # A `_name` never leaves its module; a `_module` serves only the package it sits in.
    mods = _modules()
    leaks = []
    for importer, path in mods.items():
        package = importer if path.name == "__init__.py" else importer.rsplit(".", 1)[0]
        for module, name in _imports(path, mods):
            parent, _, last = module.rpartition(".")
            if (name and name.startswith("_")) or (last.startswith("_") and parent != package):
                leaks.append(f"{importer}: {module}.{name}")
    assert leaks == []


def test_commands_only_parse_call_and_render():
    # Each command's body stays short; review, library and model logic live below the CLI.
    for name in ("cli.py", "cli_library.py", "cli_chat.py"):
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for fn in tree.body:
            if isinstance(fn, ast.FunctionDef) and fn.decorator_list:
                body = fn.body[1:] if ast.get_docstring(fn) else fn.body
                lines = body[-1].end_lineno - body[0].lineno + 1
                assert lines <= 26, f"{name}:{fn.name} has {lines} lines"
        source = (PACKAGE / name).read_text(encoding="utf-8")
        for engine in ("jixiao.review import", "jixiao.index import", "jixiao.llm import"):
            assert engine not in source, f"{name} reaches past the Workspace: {engine}"


# --- settings, errors, the model seam ---------------------------------------------------------


def test_settings_from_the_environment_in_one_place(tmp_path):
    s = Settings.from_env({"JIXIAO_HOME": str(tmp_path), "OPENAI_MODEL": "m"})
    assert s.home == tmp_path and s.llm_model == "m" and not s.model_configured
    assert s.cache_dir == tmp_path / "cache"
    with pytest.raises(SettingsError, match="JIXIAO_LLM_TIMEOUT") as bad:
        Settings.from_env({"JIXIAO_LLM_TIMEOUT": "很快"})
    assert bad.value.code == "bad_setting"


def test_test_model_runs_the_same_structured_path_with_repairs(tmp_path):
    cache = CallCache(tmp_path / "llm.sqlite")
    model = TestModel(["不是JSON", {"findings": []}], cache=cache)
    result = ask(
        model,
        load_prompt("review"),
        Checklist,
        **dict.fromkeys(("codes", "table", "rule_findings", "policy", "similar"), "x"),
    )
    assert result.value == Checklist(findings=[]) and result.repairs == 1
    assert len(model.calls) == 2 and model.stats()["calls"] == 2
    log = cache.entries()
    assert [e["prompt"].split("@")[0] for e in log] == ["review", "review"]
    assert log[0]["reply_chars"] == len("不是JSON") and log[0]["error"] is None


def test_call_log_schema_moves_forward_from_an_old_store(tmp_path):
    import sqlite3

    path = tmp_path / "llm.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE calls (key TEXT PRIMARY KEY, reply TEXT, created REAL)")
    old.execute("INSERT INTO calls VALUES ('k', 'r', 0)")
    old.commit()
    old.close()
    cache = CallCache(path)
    assert cache.get("k") == "r"  # kept, not rebuilt
    cache.log("m", "p@1", [{"role": "user", "content": "x"}], "y")
    assert len(cache.entries()) == 1
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION == 2


def test_test_model_chat_with_tool_calls():
    reply = ChatReply(tool_calls=[ToolCall(id="1", name="find_tables", arguments={"q": "普法"})])
    model = TestModel(lambda messages: reply if len(messages) == 1 else "答：40场。")
    first = model.chat([{"role": "user", "content": "普法办多少场？"}], tools=[])
    assert first.tool_calls[0].arguments == {"q": "普法"}
    second = model.chat([{"role": "user", "content": "?"}, {"role": "tool", "content": "40"}])
    assert second.content == "答：40场。"


# --- the workspace -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory, seed_vectors):
    """One seeded library + index, opened once and shared by the read-only tests here."""
    home = warm(tmp_path_factory.mktemp("ws-home"), seed_vectors)
    ws = Workspace(Settings(home=home), model=None)
    ws.index  # noqa: B018
    return home


def test_search_hits_carry_typed_citations(shared_home):
    ws = Workspace(Settings(home=shared_home), model=None)
    [hit] = ws.search("法律援助案件补贴", kind="indicator", k=1)
    c = hit.citation
    assert (
        c.kind == "table" and c.row and ws.table(c.table_id).indicators[c.row - 1].name in hit.text
    )
    [policy] = ws.search("满意度指标", kind="policy", k=1)
    assert policy.citation.kind == "policy" and policy.citation.passage == policy.id
    assert policy.citation.title


def test_review_with_a_test_model_adds_its_judgement(shared_home):
    seed = load_seed()[:2]
    ws = Workspace(Settings(home=shared_home), model=TestModel())
    result = ws.review(seed)
    assert result.model == "test-model" and result.model_stats["tables"] == 2
    sent = ws.model.calls
    assert len(sent) == 2 and all(
        seed[0].project in m[0]["content"] or seed[1].project in m[0]["content"] for m in sent
    )
    assert "财预" in sent[0][0]["content"]  # policy passages from the library reached the prompt


def test_review_and_eval_send_the_same_messages_for_a_table(tmp_path, seed_vectors):
    """`jixiao review` and `jixiao eval review --model`, both real commands with the test model:
    the call log shows the same messages for the same table."""
    table_file = HOLDOUT / "holdout" / "h5_h6.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "OPENAI_"))}

    def run(home: Path, *args: str) -> list[dict]:
        run_env = env | {
            "JIXIAO_HOME": str(home),
            "JIXIAO_LLM_BASE_URL": "test:",
            "JIXIAO_LLM_MODEL": "test",
            "JIXIAO_LLM_ALLOW": "test:",
        }
        done = subprocess.run(
            [str(BIN / "jixiao"), *args],
            capture_output=True,
            text=True,
            env=run_env,
            timeout=300,
            cwd=tmp_path,
        )
        assert done.returncode in (0, 1), done.stderr
        return CallCache(home / "cache" / "llm.sqlite").entries()

    reviewed = run(
        warm(tmp_path / "a", seed_vectors), "review", str(table_file), "--format", "json"
    )
    scored = run(
        warm(tmp_path / "b", seed_vectors), "eval", "review", "--model", "--dataset", str(HOLDOUT)
    )
    review_calls = {e["messages_sha"] for e in reviewed}
    assert len(review_calls) == 2  # the file's two tables
    assert review_calls <= {e["messages_sha"] for e in scored}
    assert {e["prompt"].split("@")[0] for e in reviewed} == {"review"}


# --- threads ---------------------------------------------------------------------------------


def _variants(n: int, tag: str):
    seed = load_seed()
    out = []
    for i in range(n):
        t = seed[i % len(seed)].model_copy(deep=True)
        t.project = f"{t.project}（{tag}{i:03d}）"
        out.append(t)
    return out


def test_searches_while_tables_are_added_never_fail_or_lose_the_lexical_channel(warm_home):
    ws = Workspace(Settings(home=warm_home), model=None)
    ws.index  # noqa: B018
    new = _variants(24, "并发")
    errors: list[BaseException] = []
    empty_lexical = []
    done = threading.Event()

    def searcher():
        try:
            while not done.is_set():
                if not ws.search("法律援助案件", mode="lexical", k=3):
                    empty_lexical.append(1)
                ws.search("普法宣传活动场次", k=3)
        except BaseException as exc:  # noqa: BLE001 — any failure fails the test
            errors.append(exc)

    def adder():
        try:
            for i in range(0, len(new), 4):
                ws.add(new[i : i + 4])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()

    threads = [threading.Thread(target=searcher) for _ in range(8)] + [
        threading.Thread(target=adder)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert errors == [] and empty_lexical == []
    ids = ws.library.ids()
    assert all(t.id in ids for t in new)
    assert ws.search("并发023", mode="lexical", k=1)[0].citation.table_id == new[23].id


def test_concurrent_adds_and_reviews_lose_nothing(warm_home):
    ws = Workspace(Settings(home=warm_home), model=TestModel(concurrency=2))
    errors: list[BaseException] = []
    results = []
    batches = [_variants(5, f"线程{k}") for k in range(4)]

    def work(batch):
        try:
            ws.add(batch)
            results.append(ws.review(batch))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert errors == []
    ids = ws.library.ids()
    assert all(t.id in ids for b in batches for t in b)
    assert sorted(r.model_stats["tables"] for r in results) == [5, 5, 5, 5]
    assert len(ws.model.calls) == 20 and ws.model.stats()["calls"] == 20


# --- packaging ----------------------------------------------------------------------------------


def test_wheel_installed_in_a_fresh_environment_reviews_and_searches(tmp_path):
    """A real wheel, installed (not editable) into a new virtual environment, run outside the
    repository: the prompts travel inside it. Dependencies come from this environment (a path
    entry), so the test needs no network."""
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("jixiao-*.whl")
    import zipfile

    assert "jixiao/data/prompts/review.md" in zipfile.ZipFile(wheel).namelist()
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    site = next((venv / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "zz_deps.pth").write_text("\n".join(deps) + "\n")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "OPENAI_", "PYTHON"))
    }
    env |= {
        "JIXIAO_HOME": str(tmp_path / "home"),
        "JIXIAO_LLM_BASE_URL": "test:",
        "JIXIAO_LLM_MODEL": "test",
        "JIXIAO_LLM_ALLOW": "test:",
    }
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import jixiao; print(jixiao.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(site)), where.stdout + where.stderr
    table = json_writer.write(load_seed()[:1], tmp_path / "t.json")
    review = subprocess.run(
        [str(venv / "bin" / "jixiao"), "review", str(table), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert review.returncode in (0, 1), review.stderr
    assert "模型：test-model" in review.stderr and isinstance(json.loads(review.stdout), list)
    search = subprocess.run(
        [str(venv / "bin" / "jixiao"), "search", "法律援助", "--k", "2"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert search.returncode == 0, search.stderr
    assert "来源：" in search.stdout


def test_first_use_by_searching_and_adding_threads_does_not_deadlock(tmp_path):
    # Opening the index takes the workspace's lock then the library's; a writer must never hold
    # the library's while it waits for the workspace's.
    ws = Workspace(Settings(home=tmp_path / "home"), model=None)
    batches = [_variants(2, f"首用{k}") for k in range(2)]
    errors: list[BaseException] = []

    def run(fn):
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(lambda: ws.search("普法", k=2),)) for _ in range(2)
    ]
    threads += [threading.Thread(target=run, args=(lambda b=b: ws.add(b),)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert errors == []
    assert all(t.id in ws.library.ids() for b in batches for t in b)


def test_search_and_show_refuse_what_they_cannot_do_in_one_sentence(shared_home):
    from typer.testing import CliRunner

    from jixiao.cli import app
    from jixiao.errors import NotFound, UsageError

    ws = Workspace(Settings(home=shared_home), model=None)
    with pytest.raises(UsageError, match="--unit 只用于表和指标"):
        ws.search("满意度", kind="policy", unit="司法")
    with pytest.raises(NotFound, match="对应 14 张表"):
        ws.table("")  # a prefix every id shares
    runner = CliRunner()
    env = {"JIXIAO_HOME": str(shared_home)}
    assert runner.invoke(app, ["search", "普法", "--k", "0"], env=env).exit_code == 2
    assert runner.invoke(app, ["search", "普法", "--format", "md"], env=env).exit_code == 2


def test_list_keeps_ids_whole_and_search_shows_rank_kind_and_citation(shared_home):
    from typer.testing import CliRunner

    from jixiao.cli import app

    env = {"JIXIAO_HOME": str(shared_home), "COLUMNS": "80"}
    listed = CliRunner().invoke(app, ["library", "list"], env=env)
    ids = Workspace(Settings(home=shared_home), model=None).library.ids()
    assert all(i in listed.stdout for i in ids)  # never broken across lines at 80 columns
    found = CliRunner().invoke(app, ["search", "法律援助", "--k", "2", "--kind", "table"], env=env)
    first = found.stdout.splitlines()[0]
    assert first.startswith(" 1. 【表】")  # rank then kind: no fused score (0.03…)
    assert "来源：" in found.stdout and "（table:" in found.stdout

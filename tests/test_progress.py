"""Long jobs report their stages: the Workspace to the Progress it is given, the command line as
bars on a terminal and nothing at all when stderr is not one."""

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.documents import table_docs
from jixiao.index import DENSE_STAGE
from jixiao.seed import load_seed
from jixiao.settings import Settings
from jixiao.workspace import WRITE_STAGE, Workspace
from jixiao.writers import json as json_writer

BIN = Path(sys.executable).parent
BAR_MARKS = ("━", "⠋", "⠙", "⠹", "\x1b[")  # rich's bar, spinner frames, escape sequences


class Recording:
    """A Progress that keeps every stage as [label, total, advanced]."""

    def __init__(self) -> None:
        self.stages: list[list] = []

    def stage(self, label: str, total: int | None = None) -> None:
        self.stages.append([label, total, 0])

    def advance(self, n: int = 1) -> None:
        self.stages[-1][2] += n

    def labels(self) -> list[str]:
        return [label for label, _, _ in self.stages]


def _tables(tag: str, n: int = 3):
    out = []
    for i, table in enumerate(load_seed()[:n]):
        table.project += f"（{tag}{i}）"
        out.append(table)
    return out


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """One home, seeded and indexed while reporting, then three tables added; shared here."""
    home = tmp_path_factory.mktemp("progress-home")
    recording = Recording()
    ws = Workspace(Settings(home=home), model=None, progress=recording)
    ws.index  # noqa: B018
    opening = Recording()
    opening.stages, recording.stages = recording.stages, []
    tables = _tables("进度")
    added, present = ws.add(tables)
    assert (len(added), present) == (3, [])
    return home, ws, opening, recording, tables


def _counted_stages_are_filled(recording: Recording) -> None:
    for label, total, advanced in recording.stages:
        assert advanced == (total or 0), f"{label}: advanced {advanced} of {total}"


def test_opening_a_new_home_reports_the_seed_index_being_built(opened):
    _, _, opening, _, _ = opened
    labels = opening.labels()
    assert labels[0] == "打开索引"
    assert [s for s in opening.stages if s[0] == DENSE_STAGE][0][1] > 100  # seed + notes
    # Searchable by keywords at once; the vectors catch up after.
    assert labels.index("建立索引（关键词）") < labels.index(DENSE_STAGE)
    _counted_stages_are_filled(opening)


def test_add_reports_writing_and_indexing_with_totals_it_reaches(opened):
    _, ws, _, adding, tables = opened
    docs = sum(len(table_docs(t)) for t in tables)
    assert adding.stages == [
        [WRITE_STAGE, 3, 3],  # searchable by keyword as each chunk is written
        [DENSE_STAGE, docs, docs],  # the model was loaded when the home was opened
    ]
    for table in tables:  # and every document of every table was indexed
        got = ws.index.collection.get(where={"table_id": table.id}, include=[])
        assert len(got["ids"]) == len(table_docs(table))


def test_policies_and_rebuild_report_their_stages(opened, tmp_path):
    home, _, _, _, _ = opened
    good = tmp_path / "办法.txt"
    good.write_text("进度测试管理办法\n\n第一条 为规范进度报告，制定本办法。\n", encoding="utf-8")
    empty = tmp_path / "空.txt"
    empty.write_text("", encoding="utf-8")
    recording = Recording()
    ws = Workspace(Settings(home=home), model=None, progress=recording)
    outcomes = ws.add_policies([good, empty])
    assert [new for _, new in outcomes] == [True, False]
    assert ["读取政策文件", 2, 2] in recording.stages
    assert [DENSE_STAGE, 1, 1] in recording.stages  # the one new passage
    recording.stages.clear()
    ws.rebuild()
    assert recording.labels()[:3] == ["清空索引", "建立索引（关键词）", DENSE_STAGE]
    assert recording.stages[2][1] == ws.index.collection.count()
    _counted_stages_are_filled(recording)


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    return env | {"JIXIAO_HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "100"}


def _files(folder: Path, tag: str) -> Path:
    folder.mkdir()
    for i, table in enumerate(_tables(tag)):
        json_writer.write([table], folder / f"t{i}.json")
    return folder


def test_library_add_prints_no_bars_when_stderr_is_not_a_terminal(opened, tmp_path):
    home = opened[0]
    run = subprocess.run(
        [str(BIN / "jixiao"), "library", "add", str(_files(tmp_path / "in", "管道"))],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "新增 3 张表" in run.stderr
    assert not [m for m in BAR_MARKS if m in run.stderr + run.stdout]


def test_library_add_shows_its_stages_on_a_terminal(opened, tmp_path):
    home = opened[0]
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [str(BIN / "jixiao"), "library", "add", str(_files(tmp_path / "in", "终端"))],
        env=_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    shown = b""
    while True:  # read as it is written: a full pty would stop the writer
        ready, _, _ = select.select([master], [], [], 300)
        try:
            chunk = os.read(master, 65536) if ready else b""
        except OSError:  # the writer is gone
            chunk = b""
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    text = shown.decode("utf-8", errors="replace")
    for label in ("打开索引", "读取文件", "写入资料库", DENSE_STAGE):
        assert label in text
    assert "━" in text and "新增 3 张表" in text
    assert proc.stdout is not None and proc.stdout.read() == b""  # the bars go to stderr only

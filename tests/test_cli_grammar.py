"""One grammar for every command, in Chinese: help, usage errors, formats and short forms.

Run through the installed `jixiao` console script, as a user runs it, at 80 columns.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("jixiao")
COMMANDS = [
    (),
    ("parse",),
    ("review",),
    ("search",),
    ("ask",),
    ("chat",),
    ("codes",),
    ("demo",),
    ("library",),
    ("library", "add"),
    ("library", "list"),
    ("library", "show"),
    ("library", "remove"),
    ("library", "add-policy"),
    ("library", "remove-policy"),
    ("library", "rebuild"),
    ("draft",),
    ("draft", "next"),
    ("draft", "new"),
    ("eval", "draft"),
    ("eval",),
    ("eval", "review"),
    ("eval", "retrieval"),
    ("eval", "layouts"),
    ("eval", "chat"),
]


def jixiao(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "80", "TERMINAL_WIDTH": "80", "NO_COLOR": "1"}
    if home is not None:
        env["JIXIAO_HOME"] = str(home)
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


# Words that stay English in help: option names, choices, formats, file types and env vars.
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{3,}(?: [a-z]{2,}){2,}\b")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "jixiao")
def test_every_help_reads_in_chinese_at_80_columns(command):
    run = jixiao(*command, "--help")
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert "用法：" in text and "显示本帮助并退出。" in text
    for english in ("Usage", "Options", "Show this message", "[default", "[required]", "<bool>"):
        assert english not in text, f"{english!r} in help of {command}"
    assert "…" not in text.replace("路径…", ""), "a sentence was cut"
    prose = "\n".join(line for line in text.splitlines() if "用法：" not in line)
    assert not ENGLISH_SENTENCE.search(prose), ENGLISH_SENTENCE.search(prose)
    assert max(cells(line) for line in text.splitlines()) <= 80
    assert re.search(r"[\u4e00-\u9fff]{4,}", text)  # the command says what it does in Chinese


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("review", "x.docx", "--min-severity", "bad"), "只能是 'info', 'warning', 'error' 之一"),
        (("search",), "缺少参数"),
        (("reviw", "x"), "是不是 'review'"),
        (("review", "x", "--formt", "md"), "'--format'"),
        (("search", "普法", "--k", "0"), "不在范围"),
        (("search", "普法", "--format", "md"), "只能是 'text', 'json' 之一"),
        (("library", "show", "abc", "-f", "xlsx"), "请加 --out"),
    ],
)
def test_usage_errors_are_one_chinese_sentence(args, says, tmp_path):
    run = jixiao(*args, home=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("错误：") and says in lines[0], lines[0]
    assert "Traceback" not in run.stderr and "Error" not in run.stderr


def test_every_listing_command_takes_format_json_and_no_json_flag(tmp_path):
    for command in (("codes",), ("library", "list")):
        run = jixiao(*command, "-f", "json", home=tmp_path)
        assert run.returncode == 0, run.stderr
        assert run.stdout.lstrip()[0] in "[{"
        old = jixiao(*command, "--json", home=tmp_path)
        assert old.returncode == 2 and "没有选项 '--json'" in old.stderr


def test_problems_and_summary_on_stderr_are_chinese(tmp_path):
    (tmp_path / "空.docx").write_bytes(b"")
    run = jixiao("parse", str(tmp_path / "空.docx"), home=tmp_path)
    assert run.returncode == 2
    first, *rest = run.stderr.strip().splitlines()
    assert first.startswith("错误：") or first.startswith("警告："), first
    assert "空.docx" in first and "文件是空的" in first
    assert not re.search(r"\b(?:error|warning|could not|file)\b", run.stderr)


def test_the_catalogue_document_in_docs_is_what_jixiao_codes_prints():
    doc = Path(__file__).resolve().parents[1] / "docs" / "问题代码目录.md"
    run = jixiao("codes", "-f", "md")
    assert run.returncode == 0
    assert doc.read_text(encoding="utf-8") == run.stdout, "run: jixiao codes -f md > " + str(doc)
    assert "`check_not_run`" in run.stdout and "`vague_value`" in run.stdout

"""`jixiao ask`, `jixiao chat` and `jixiao eval chat`: questions to the library, answered with the
figures copied from the tables and where each comes from."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli_common import FORMAT, REPO, TextFormat, err, fail, print_notes, terminal_progress
from jixiao.errors import JixiaoError
from jixiao.workspace import Workspace

DATASETS = REPO / "eval"
QUESTION = Annotated[
    str, typer.Argument(metavar="问题", help="用中文提问，如“法援中心工作专项经费的预算是多少？”")
]
UNIT = Annotated[
    str | None,
    typer.Option("--unit", metavar="单位", help="只在名称含这几个字的单位的表中找。"),
]
YEAR = Annotated[
    int | None,
    typer.Option("--year", metavar="年度", help="只在这个预算年度的表中找，如 2024。"),
]
NO_MODEL = Annotated[bool, typer.Option("--no-model", help="只用离线问答，即使配置了模型。")]
ENDINGS = {"退出", "再见", "exit", "quit", "q"}
commands = typer.Typer()  # `ask`, `chat`: joined to the `jixiao` command by `register`
eval_commands = typer.Typer()  # `eval chat`


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the commands to the `jixiao` command and to its `eval` group."""
    app.registered_commands += commands.registered_commands
    eval_app.registered_commands += eval_commands.registered_commands


@commands.command("ask")
def ask(
    question: QUESTION,
    unit: UNIT = None,
    year: YEAR = None,
    format: FORMAT = TextFormat.text,
    no_model: NO_MODEL = False,
) -> None:
    """向资料库提问：答案中的数字都照表抄录，并注明出自哪张表、哪一行。

    能问：某项目的预算、资金用途、绩效目标、某个指标的目标值、某类指标；哪些项目符合条件（单位、年度、成本超过预算、没有满意度指标等）；合计、个数、比较。资料库中没有的，会直说没有，不会编造。配置了模型时由模型调用同样的查询工具作答，数字和出处同样逐条核对。
    """
    ws = _workspace(use_model=not no_model)
    answer = ws.ask(question, unit=unit, year=year)
    if format is TextFormat.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        print(shown(answer))
        _say_how(answer)


@commands.command("chat")
def chat(unit: UNIT = None, year: YEAR = None, no_model: NO_MODEL = False) -> None:
    """在终端里和资料库对话：可以追问（“它的时效指标呢？”“那预算呢？”）。

    输入“退出”或按 Ctrl-D 结束。答案中的数字都照表抄录，并注明出处。
    """
    from jixiao.chat import Conversation

    ws = _workspace(use_model=not no_model)
    conversation = Conversation()
    err.print("资料库问答：请输入问题，追问时可以用“它”“那…呢”。输入“退出”或按 Ctrl-D 结束。")
    while (question := _read("问：")) is not None:
        if question.strip() in ENDINGS:
            break
        if not question.strip():
            continue
        try:
            answer = ws.ask(question, conversation, unit=unit, year=year)
        except JixiaoError as exc:
            err.print(f"错误：{exc}")
            continue
        print("答：" + shown(answer) + "\n", flush=True)
        _say_how(answer)
    err.print("再见。")


@eval_commands.command("chat")
def eval_chat(
    dataset: Annotated[
        Path,
        typer.Option(
            metavar="文件",
            help="人工写的问题及标准答案（jsonl），默认 eval/datasets/chat/questions.jsonl。",
            show_default=False,
        ),
    ] = DATASETS / "datasets/chat/questions.jsonl",
    files: Annotated[
        Path,
        typer.Option(
            metavar="文件夹",
            help="和自带种子库一起放进临时资料库的表。",
            show_default="eval/datasets/real/files",
        ),
    ] = DATASETS / "datasets/real/files",
    baseline: Annotated[
        Path,
        typer.Option(
            metavar="文件", help="对比的基线分数。", show_default="eval/baselines/chat.json"
        ),
    ] = DATASETS / "baselines/chat.json",
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="把这次的分数写成新的基线。")
    ] = False,
    format: FORMAT = TextFormat.text,
    model: Annotated[
        bool, typer.Option("--model", help="由已配置的模型作答（不与离线基线比较）。")
    ] = False,
) -> None:
    """问答评测：按题型给出答对率、引用正确率、拒答正确率和无出处的数字个数。

    在临时目录里用种子库和 eval/datasets/real 的表建资料库后逐题提问；与基线相比有退步时退出码为 1，数据集读不了时为 2。
    """
    from jixiao.evaluate_chat import as_json, load_questions, render, score

    the_model = _configured_model() if model else None
    try:
        questions = load_questions(dataset)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    with terminal_progress() as progress:
        scored = score(questions, files, progress=progress, model=the_model)
    data = as_json(scored, the_model.label if the_model else None)
    print(
        json.dumps(data, ensure_ascii=False, indent=2)
        if format is TextFormat.json
        else render(scored)
    )
    if the_model is not None:
        return _say_model_run(data["model"])
    _against_baseline(data, baseline, update_baseline)


def _against_baseline(data: dict, baseline: Path, update: bool) -> None:
    """Write the baseline, or say what changed against it (exit 1 on a regression)."""
    from jixiao.evaluate_chat import compare

    if update:
        baseline.write_text(json.dumps({"summary": data["summary"]}, indent=2) + "\n", "utf-8")
        return err.print(f"基线已写入 {baseline}")
    changes, regressions = compare(data, baseline)
    err.print("\n与基线相比：" + ("没有变化" if not changes else ""))
    for line in changes:
        err.print(f"  {line}")
    if regressions:
        err.print(f"退步 {len(regressions)} 项。")
        raise typer.Exit(1)


def _workspace(use_model: bool = False) -> Workspace:
    """The library's workspace with its index open (its stages shown on a terminal); with the
    configured model when `use_model`."""
    with terminal_progress() as progress:
        ws = Workspace(progress=progress) if use_model else Workspace(model=None, progress=progress)
        ws.index  # noqa: B018 — opened here, so a first build shows its stages
    print_notes(ws)
    return ws


def _read(prompt: str) -> str | None:
    """One line from the user; None at the end of input (Ctrl-D) or on Ctrl-C."""
    try:
        return input(prompt) if sys.stdin.isatty() else _line()
    except (EOFError, KeyboardInterrupt):
        return None


def _line() -> str | None:
    line = sys.stdin.readline()
    return line.rstrip("\n") if line else None


def _configured_model():
    """The model the settings name; stops with a sentence when none is configured."""
    model = Workspace().model
    if model is None:
        fail("--model 需要先配置模型：设置 JIXIAO_LLM_BASE_URL 和 JIXIAO_LLM_MODEL")
    return model


def _say_model_run(run: dict) -> None:
    counts = run["answers"]
    err.print(
        f"\n模型 {run['label']}：核对通过 {counts['model']} 题，改为原始资料 {counts['fallback']} 题，"
        f"模型失败改离线 {counts['offline']} 题（不与离线基线比较）。"
    )


def _say_how(answer) -> None:
    """On stderr: which model answered, and what was done about an answer that failed."""
    from jixiao.chat import OFFLINE

    if answer.mode != OFFLINE:
        err.print(f"（模型 {answer.mode} 作答，数字和出处已逐条核对）")
    for note in answer.notes:
        err.print(f"注意：{note}")


def shown(answer) -> str:
    """An answer for a terminal: its text, then where each fact comes from."""
    if not answer.citations:
        return answer.text
    return f"{answer.text}\n出处：\n" + answer.sources_text()


def answer_json(answer) -> dict:
    """The answer for programs: `answer` (the text), `citations`, `tool_calls` and the rest."""
    return {
        "answer": answer.text,
        "citations": [
            {"label": c.label, **c.citation.model_dump(), "quote": c.quote}
            for c in answer.citations
        ],
        "tool_calls": [t.model_dump(mode="json") for t in answer.tool_calls],
        "numbers": answer.numbers,
        "refused": answer.refused,
        "kind": answer.kind,
        "mode": answer.mode,
    }

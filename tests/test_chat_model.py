"""The assistant with a model (issue 13): the tool loop on langchain, the check of what the model
answers, repairs, the bounded loop, the JSON-plan mode, follow-ups, the fall-back to offline,
`ChatOpenAI` against a real local HTTP server, and the library as a langchain retriever.

The model is `jixiao.testing.TestModel` wrapped as a langchain chat model (`ModelChat`): its
replies are scripted, everything else — tools, citations, the check, repairs — runs for real on
the library the chat tests share (`conftest.chat_home`, built once).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from fake_openai import FakeOpenAI, ok, tool_calls

from jixiao.chat import Conversation, ask
from jixiao.chat.tool_loop import MAX_REPAIRS, MAX_STEPS
from jixiao.llm import LLM, ChatReply, ModelConfig, ToolCall
from jixiao.llm_cache import CallCache
from jixiao.llm_chat import ChatModel, ModelChat
from jixiao.settings import Settings
from jixiao.testing import TestModel
from jixiao.workspace import Workspace

BIN = Path(sys.executable).with_name("jixiao")
PUFA = "c6e1077a03b62f0b"  # 普法宣传专项经费 (seed)
FAYUAN = "a2d36349ef96bb81"  # 法援中心工作专项经费 (seed)
ROW1 = "普法宣传专项经费 · 数量指标 · 法治宣传宣讲活动"  # ≥1000场
ROW2 = "普法宣传专项经费 · 质量指标 · 民众参与率"  # ≥80%


def workspace(home: Path, model) -> Workspace:
    return Workspace(Settings(home=home), model=model)


def scripted(*steps) -> TestModel:
    """A test model whose n-th reply is `steps[n]` — a reply, or a function of the messages sent
    — the last one repeating."""

    def reply(messages):
        step = steps[min(len(model.calls) - 1, len(steps) - 1)]
        return step(messages) if callable(step) else step

    model = TestModel(reply)
    return model


def call(tool: str, **arguments) -> ChatReply:
    return ChatReply(tool_calls=[ToolCall(id=f"call-{tool}", name=tool, arguments=arguments)])


def source(messages: list[dict], label: str) -> str:
    """The number (S1, S2 …) the tool results sent so far gave the source labelled `label`."""
    text = "\n".join(str(m.get("content") or "") for m in messages)
    found = dict((lb, n) for n, lb in re.findall(r'"id": "(S\d+)", "label": "([^"]*)"', text))
    return found[label]


def says(text: str, *cites: tuple[str, str], refused: bool = False):
    """A final answer citing (label, quote) pairs by the numbers the tool results gave them."""

    def reply(messages):
        citations = [{"source": source(messages, lb), "quote": q} for lb, q in cites]
        return json.dumps({"answer": text, "citations": citations, "refused": refused})

    return reply


def sent(model: TestModel, n: int) -> str:
    """The last message of the model's `n`-th call (what jixiao said to it last)."""
    return model.calls[n][-1]["content"]


# --- the answer is checked, repaired, or replaced ------------------------------------------


def test_a_made_up_number_is_caught_and_repaired(chat_home):
    model = scripted(
        call("find_tables", name="普法宣传"),
        call("read_row", table_id=PUFA, query="宣讲活动"),
        says("普法宣传专项经费计划举办≥1200场宣讲活动。", (ROW1, "法治宣传宣讲活动")),
        says("普法宣传专项经费计划举办≥1000场宣讲活动。", (ROW1, "≥1000场")),
    )
    a = workspace(chat_home, model).ask("普法宣传计划办多少场活动？")
    assert "数字“1200场”不在所引用的资料中，也不是工具计算的结果" in sent(model, 3)
    assert a.text == "普法宣传专项经费计划举办≥1000场宣讲活动。" and a.kind == "answer"
    assert a.mode == "test-model" and a.notes == [] and a.numbers == ["1000场"]
    assert [c.label for c in a.citations] == [ROW1] and a.citations[0].quote == "≥1000场"
    assert a.citations[0].citation.table_id == PUFA and a.citations[0].citation.row == 1
    assert [t.name for t in a.tool_calls] == ["find_tables", "read_row"]


def test_a_citation_to_a_row_that_does_not_say_it_is_rejected_then_replaced(chat_home):
    model = scripted(
        call("read_table", table_id=PUFA, fields=["project"]),
        says("普法宣传专项经费计划举办≥1000场宣讲活动。", (ROW2, "≥1000场")),  # row 2: 民众参与率
    )
    a = workspace(chat_home, model).ask("普法宣传计划办多少场活动？")
    rejected = f"引用〔{ROW2}〕的原文中没有“≥1000场”"
    assert rejected in sent(model, 2)
    assert len(model.calls) == 2 + MAX_REPAIRS  # repaired at most MAX_REPAIRS times
    assert a.kind == "fallback" and rejected in a.notes and a.mode == "test-model"
    assert a.text.startswith("未能给出可以逐条核对的回答，以下是查到的原始资料：")
    assert (
        f"〔{ROW1}〕产出指标｜数量指标｜法治宣传宣讲活动｜法治宣传宣讲活动次数｜≥1000场" in a.text
    )


def test_a_source_number_no_tool_gave_and_an_uncited_answer_are_problems(chat_home):
    model = scripted(
        call("read_row", table_id=PUFA, row=1),
        json.dumps({"answer": "见来源。", "citations": [{"source": "S9", "quote": "x"}]}),
        json.dumps({"answer": "普法宣传专项经费有宣讲活动指标。", "citations": []}),
        "普法宣传计划举办≥1000场活动。",  # prose, not the JSON asked for
    )
    a = workspace(chat_home, model).ask("普法宣传计划办多少场活动？")
    assert "引用的来源“S9”不在工具结果中" in sent(model, 2)
    assert "回答没有注明出处" in sent(model, 3)
    assert a.kind == "fallback" and "回复不是要求的 JSON 对象" in a.notes[0]


def test_a_tool_loop_that_does_not_end_is_stopped(chat_home):
    model = scripted(call("find_tables", name="普法宣传"))  # asks for the same call, forever
    a = workspace(chat_home, model).ask("普法宣传计划办多少场活动？")
    assert len(model.calls) == MAX_STEPS and len(a.tool_calls) == 1  # a repeat is not run again
    assert sent(model, 2).startswith("这个调用前面已经做过，结果见上文")
    assert a.kind == "fallback" and a.text.startswith("模型反复调用工具仍未给出回答，已停止。")
    assert "以下是查到的原始资料：\n〔普法宣传专项经费 · 项目名称〕" in a.text
    assert a.notes == [f"模型回复了 {MAX_STEPS} 次仍未给出回答，已停止"]


def test_a_refusal_without_looking_is_sent_back(chat_home):
    model = scripted(
        json.dumps({"answer": "资料库中没有相关信息。", "refused": True}),
        call("read_row", table_id=PUFA, row=1),
        says("计划举办≥1000场。", (ROW1, "≥1000场")),
    )
    a = workspace(chat_home, model).ask("普法宣传计划办多少场活动？")
    assert "还没有查资料库：请先调用工具" in sent(model, 1)
    assert a.text == "计划举办≥1000场。" and not a.refused


def test_tool_errors_go_back_to_the_model(chat_home):
    model = scripted(
        ChatReply(
            tool_calls=[
                ToolCall(id="a", name="read_table", arguments={"table_id": "0" * 16}),
                ToolCall(id="b", name="read_row", arguments={"table_id": PUFA, "row": 0}),
                ToolCall(id="c", name="drop_table", arguments={}),
            ]
        ),
        json.dumps({"answer": "资料库中没有这张表。", "refused": True}),
    )
    a = workspace(chat_home, model).ask("编号为0000的表的预算是多少？")
    results = [m["content"] for m in model.calls[1] if m["role"] == "tool"]
    assert results[0] == "错误：资料库中没有编号为 0000000000000000 的表"
    assert results[1].startswith("参数不对：row:")
    assert results[2].startswith("错误：没有名为“drop_table”的工具")
    assert a.refused and a.kind == "refusal" and a.text == "资料库中没有这张表。"


def test_calls_written_as_text_are_run(chat_home):
    """Qwen served without a tool-call parser writes its calls into the reply's text."""
    text = (
        '<tool_call>\n{"name": "read_row", "arguments": {"table_id": "%s", "row": 1}}\n</tool_call>'
    )
    model = scripted(text % PUFA, says("计划举办≥1000场。", (ROW1, "≥1000场")))
    a = workspace(chat_home, model).ask("普法宣传计划办多少场活动？")
    assert a.text == "计划举办≥1000场。" and [t.name for t in a.tool_calls] == ["read_row"]


# --- JSON plan: endpoints without tool calling ---------------------------------------------


def test_a_json_plan_of_tool_calls_is_run_and_answered(chat_home):
    def read(messages):  # the second plan uses what the first found
        assert "工具结果：" in messages[-1]["content"] and PUFA in messages[-1]["content"]
        return {"calls": [{"tool": "read_row", "arguments": {"table_id": PUFA, "query": "宣讲"}}]}

    model = scripted(
        {"calls": [{"tool": "find_tables", "arguments": {"name": "普法宣传"}}]},
        read,
        says("计划举办≥1000场宣讲活动。", (ROW1, "≥1000场")),
    )
    chat = ChatModel(ModelChat(backend=model), model.label, tools="json")  # JIXIAO_LLM_TOOLS=json
    tools = workspace(chat_home, None).chat_tools()
    a = ask(tools, "普法宣传计划办多少场活动？", model=chat)
    assert a.text == "计划举办≥1000场宣讲活动。" and a.notes == []
    assert [t.name for t in a.tool_calls] == ["find_tables", "read_row"]
    system = model.calls[0][0]["content"]
    assert "第一条回复必须是这样的 calls" in system and '"name": "aggregate"' in system


def test_an_endpoint_that_refuses_tools_gets_the_json_plan(chat_home, monkeypatch):
    """llama.cpp's server without a tool-call template answers 500 to `tools`: jixiao asks again
    with a JSON plan (JSON mode), over HTTP, and keeps to it for the next questions."""

    def script(body, n):
        if body.get("tools"):
            return (500, "tools param requires --jinja flag", 0.0)
        if not body["messages"][-1]["content"].startswith("工具结果："):
            return ok(
                json.dumps(
                    {"calls": [{"tool": "read_row", "arguments": {"table_id": PUFA, "row": 1}}]}
                )
            )
        return ok(says("计划举办≥1000场。", (ROW1, "≥1000场"))(body["messages"]))

    server = FakeOpenAI(script)
    try:
        monkeypatch.setenv("JIXIAO_LLM_ALLOW", server.url)
        llm = LLM(ModelConfig(base_url=server.url, model="llama", max_retries=0))
        ws = workspace(chat_home, llm)
        a = ws.ask("普法宣传计划办多少场活动？")
        assert a.text == "计划举办≥1000场。" and a.mode == f"llama @ {server.url}"
        assert [bool(r.get("tools")) for r in server.requests] == [True, False, False]
        assert server.requests[1]["response_format"] == {"type": "json_object"}
        ws.ask("普法宣传计划办多少场活动？")
        assert not any(r.get("tools") for r in server.requests[3:])  # found out once
    finally:
        server.close()


# --- ChatOpenAI, for real, against a local OpenAI-compatible server ------------------------


def test_chat_openai_round_trip_with_a_tool_call(chat_home, monkeypatch, tmp_path):
    def script(body, n):
        if n == 0:
            return tool_calls(("read_row", {"table_id": PUFA, "query": "宣讲活动"}))
        return ok(
            says("普法宣传专项经费计划举办≥1000场宣讲活动。", (ROW1, "≥1000场"))(body["messages"])
        )

    server = FakeOpenAI(script)
    try:
        monkeypatch.setenv("JIXIAO_LLM_ALLOW", server.url)
        key = "sk-test-secret-never-sent-elsewhere"
        log = CallCache(tmp_path / "llm.sqlite")
        llm = LLM(ModelConfig(base_url=server.url, model="fake-qwen", api_key=key), cache=log)
        a = workspace(chat_home, llm).ask("普法宣传计划办多少场活动？")
    finally:
        server.close()
    first, second = server.requests
    assert first["model"] == "fake-qwen" and first["temperature"] == 0
    names = {t["function"]["name"] for t in first["tools"]}
    assert names == {
        "find_tables",
        "read_table",
        "read_row",
        "aggregate",
        "search",
        "search_policy",
        "review_table",
    }
    assert (
        first["messages"][0]["role"] == "system"
        and first["messages"][-1]["content"] == "普法宣传计划办多少场活动？"
    )
    called, result = second["messages"][-2:]
    assert called["tool_calls"][0]["function"]["name"] == "read_row"
    assert result["role"] == "tool" and result["tool_call_id"] == "call0"
    assert '"label": "普法宣传专项经费 · 数量指标 · 法治宣传宣讲活动"' in result["content"]
    assert a.text == "普法宣传专项经费计划举办≥1000场宣讲活动。" and a.notes == []
    assert a.mode == f"fake-qwen @ {server.url}" and a.citations[0].citation.row == 1
    assert key not in json.dumps(server.requests)
    logged = log.entries()  # both replies in the call log, with the prompt that asked
    assert len(logged) == 2 and all(e["prompt"].startswith("answer@") for e in logged)
    assert all(e["error"] is None and e["reply_chars"] > 0 for e in logged)


def test_a_failing_endpoint_leaves_the_offline_answer_and_is_not_asked_again(
    chat_home, monkeypatch
):
    server = FakeOpenAI([(503, "overloaded", 0.0)])
    try:
        monkeypatch.setenv("JIXIAO_LLM_ALLOW", server.url)
        llm = LLM(ModelConfig(base_url=server.url, model="m", max_retries=0))
        ws = workspace(chat_home, llm)
        a = ws.ask("普法宣传计划办多少场活动？")
        assert a.mode == "offline" and "≥1000场" in a.text
        assert a.notes == [f"模型 m @ {server.url} 未能回答（HTTP 503），以下为离线回答。"]
        ws.ask("法援中心工作专项经费的预算是多少？")
        assert len(server.requests) == 1  # the breaker: the next question is not sent
    finally:
        server.close()


# --- the conversation -----------------------------------------------------------------------


def test_a_follow_up_goes_to_the_model_with_the_conversation(chat_home):
    def timing(messages):
        asked, said = messages[1]["content"], messages[2]["content"]
        assert asked == "法援中心工作专项经费的预算是多少？" and f"table_id={FAYUAN}" in said
        return call("read_table", table_id=FAYUAN, category="时效", fields=["project"])

    label = "法援中心工作专项经费 · 时效指标 · 财政拨付后法律援助案件补贴发放及时率"
    model = scripted(
        call("read_table", table_id=FAYUAN, fields=["budget_total"]),
        says(
            "法援中心工作专项经费的预算数是700000.00元。",
            ("法援中心工作专项经费 · 预算数", "700000.00元"),
        ),
        timing,
        says("它的时效指标是补贴发放及时率≥60%。", (label, "≥60%")),
    )
    ws = workspace(chat_home, model)
    c = Conversation()
    ws.ask("法援中心工作专项经费的预算是多少？", c)
    a = ws.ask("它的时效指标呢？", c)
    assert a.text == "它的时效指标是补贴发放及时率≥60%。" and a.notes == []
    assert c.focus == [FAYUAN] and len(c.turns) == 2


def test_offline_stays_the_default_and_no_model_is_asked_when_told(chat_home):
    assert workspace(chat_home, None).ask("普法宣传计划办多少场活动？").mode == "offline"
    model = scripted("不会被问到")
    a = workspace(chat_home, model).ask("普法宣传计划办多少场活动？", use_model=False)
    assert a.mode == "offline" and model.calls == []


def test_ask_with_a_configured_model_and_with_no_model(chat_home):
    env = {
        **os.environ,
        "JIXIAO_HOME": str(chat_home),
        "JIXIAO_LLM_BASE_URL": "test:",
        "JIXIAO_LLM_MODEL": "t",
    }
    q = "普法宣传计划办多少场活动？"
    run = [str(BIN), "ask", q, "-f", "json"]
    model = json.loads(
        subprocess.run(run, capture_output=True, text=True, env=env, timeout=120).stdout
    )
    assert model["mode"] == "test-model @ test:"  # the built-in test model answers nothing useful
    assert model["kind"] == "fallback" and model["refused"]
    done = subprocess.run(
        [*run, "--no-model"], capture_output=True, text=True, env=env, timeout=120
    )
    offline = json.loads(done.stdout)
    assert offline["mode"] == "offline" and "≥1000场" in offline["answer"]


# --- the library as a langchain retriever -------------------------------------------------


def test_the_retriever_in_a_small_lcel_chain(chat_home):
    from langchain_core.documents import Document
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnableLambda

    def fmt(docs: list[Document]) -> str:
        return "\n".join(f"〔{d.metadata['label']}〕{d.page_content}" for d in docs)

    def first_source(messages) -> str:  # the fake model answers with the first line it was given
        return "依据：" + messages[-1]["content"].splitlines()[0]

    retriever = workspace(chat_home, None).as_retriever(kind="indicator", k=3)
    docs = retriever.invoke("法治宣传宣讲活动场次")
    assert (
        docs[0].metadata["citation"]["table_id"] == PUFA
        and docs[0].metadata["citation"]["row"] == 1
    )
    assert (
        docs[0].metadata["label"] == "普法宣传专项经费 第1行"
        and docs[0].metadata["kind"] == "indicator"
    )
    chain = (
        retriever
        | RunnableLambda(fmt)
        | ModelChat(backend=TestModel(first_source))
        | StrOutputParser()
    )
    out = chain.invoke("法治宣传宣讲活动场次")
    assert out.startswith("依据：〔普法宣传专项经费 第1行〕") and "≥1000场" in out


def test_the_retriever_keeps_to_a_unit(chat_home):
    retriever = workspace(chat_home, None).as_retriever(unit="林业", k=5)
    docs = retriever.invoke("在职职工")
    assert docs and all(d.metadata["citation"]["table_id"] not in (PUFA, FAYUAN) for d in docs)

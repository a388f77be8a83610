"""The assistant with a model: a tool loop on langchain, bounded, every answer checked.

1. The model sees the answer prompt, the conversation so far and the question, and calls the
   tools (`langchain_tools`) through the endpoint's tool calling — or, on a server without it
   (llama.cpp's), writes a JSON plan of calls that jixiao runs and reports back (found out once).
2. Its last reply, JSON with the answer and the sources it cites, is read (`model_answer`) and
   checked (`chat.validate`); a failing answer goes back with the check's sentences at most
   `MAX_REPAIRS` times.
3. At most `MAX_STEPS` replies in all: a loop that does not end is stopped.

`chat.ask` shows the answer when it passed, else the plain tool results with the reasons (after
`STOPPED` for a stopped loop); a model that fails raises `ModelError`, and `chat.ask` answers
offline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from jixiao.chat.answer import Answer, ToolRecord
from jixiao.chat.conversation import Conversation
from jixiao.chat.langchain_tools import Ledger, langchain_tools
from jixiao.chat.model_answer import earlier_turns, read_answer
from jixiao.chat.tools import Tools
from jixiao.chat.transcript import Transcript
from jixiao.llm import first_json
from jixiao.llm_chat import ChatModel, ToolsRefused
from jixiao.prompts import load as load_prompt

MAX_STEPS = 8  # model replies for one answer, repairs included
MAX_REPAIRS = 2
MAX_CALLS = 6  # tool calls run from one reply
STOPPED = "模型反复调用工具仍未给出回答，已停止。"  # states no figure: it is shown unchecked
Call = dict  # {"name", "args", "id"}, as langchain's ToolCall
# Models served without a tool-call parser (Qwen on llama.cpp) write their calls into the text.
_TEXT_CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*</tool_call>", re.S)


@dataclass
class Attempt:
    """What the loop came to: the last answer read (None: the loop was stopped) and its
    problems, with the calls it made."""

    calls: Transcript
    answer: Answer | None = None
    problems: list[str] = field(default_factory=list)


def answer(
    tools: Tools,
    question: str,
    conversation: Conversation | None,
    model: ChatModel,
    on_step: Callable[[ToolRecord], None] | None = None,
) -> Attempt:
    """The model's answer to `question`, checked (and repaired at most `MAX_REPAIRS` times);
    `on_step` is told of each tool call as it is made."""
    calls = Transcript(tools, on_call=on_step)
    ledger = Ledger()
    lc_tools = langchain_tools(calls, ledger)
    plan = model.mode == "json"
    messages = opening(question, conversation, lc_tools if plan else None)
    repairs, looked, done = 0, False, set[str]()
    for step in range(MAX_STEPS):
        try:
            prompt = load_prompt("answer_plan" if plan else "answer").label
            reply = model.reply(messages, None if plan else lc_tools, plan, prompt)
        except ToolsRefused:
            model.use_json_plan()  # for this answer and every later one
            plan = True
            messages = opening(question, conversation, lc_tools)
            continue
        # A model may write a JSON plan though it could call tools: its calls are run all the same.
        asked = (not plan and requested(reply, step)) or planned(reply, step)
        if asked:
            messages += run_calls(reply, asked, lc_tools, plan, done)
            looked = True
            continue
        messages.append(reply)
        shown, problems = read_answer(reply.text, calls, ledger, model.label, looked)
        if not problems or repairs == MAX_REPAIRS:
            return Attempt(calls, shown, problems)
        repairs += 1
        listed = "\n".join(f"- {p}" for p in problems)
        messages.append(HumanMessage(load_prompt("answer_repair").render(problems=listed)))
    return Attempt(calls, None, [f"模型回复了 {MAX_STEPS} 次仍未给出回答，已停止"])


def opening(
    question: str, conversation: Conversation | None, plan_tools: Sequence[BaseTool] | None
) -> list[BaseMessage]:
    """The system prompt (with the JSON-plan protocol and the tools' schemas when the model
    plans), the earlier turns, and the question."""
    system = load_prompt("answer").text
    if plan_tools is not None:
        schemas = [convert_to_openai_tool(t)["function"] for t in plan_tools]
        listed = "\n".join(json.dumps(s, ensure_ascii=False) for s in schemas)
        system += "\n\n" + load_prompt("answer_plan").render(tools=listed)
    messages: list[BaseMessage] = [SystemMessage(system)]
    for asked, said in earlier_turns(conversation):
        messages += [HumanMessage(asked), AIMessage(said)]
    return messages + [HumanMessage(question)]


def requested(reply: AIMessage, step: int) -> list[Call]:
    """The tool calls of a reply: the endpoint's, the ones whose arguments were not JSON (their
    `args` None: answered with an error), or calls written as `<tool_call>` text."""
    asked = [dict(c) for c in reply.tool_calls]
    asked += [
        {"name": c.get("name") or "", "args": None, "id": c.get("id") or f"bad{step}_{n}"}
        for n, c in enumerate(reply.invalid_tool_calls)
    ]
    if asked or not isinstance(reply.content, str):
        return asked
    for n, raw in enumerate(_TEXT_CALL.findall(reply.content)):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and data.get("name"):
            args = data.get("arguments") or {}
            asked.append({"name": str(data["name"]), "args": args, "id": f"text{step}_{n}"})
    return asked


def planned(reply: AIMessage, step: int) -> list[Call]:
    """The calls of a JSON plan (`{"calls": [{"tool", "arguments"}]}`); none: it answers."""
    try:
        data = first_json(reply.text)
    except ValueError:
        return []
    items = data.get("calls") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    out = []
    for n, item in enumerate(items):
        if isinstance(item, dict):
            name = item.get("tool") or item.get("name") or ""
            args = item.get("arguments") or item.get("args") or {}
            out.append({"name": str(name), "args": args, "id": f"plan{step}_{n}"})
    return out


def run_calls(
    reply: AIMessage, asked: list[Call], lc_tools: Sequence[BaseTool], plan: bool, done: set[str]
) -> list[BaseMessage]:
    """Run the calls (at most `MAX_CALLS`, none made before: `done`); the messages that carry
    them and their results."""
    by_name = {t.name: t for t in lc_tools}
    results = []
    for n, call in enumerate(asked):
        tool = by_name.get(call["name"])
        key = f"{call['name']} {json.dumps(call['args'], ensure_ascii=False, sort_keys=True, default=str)}"
        if n >= MAX_CALLS:
            text = f"未执行：一次最多调用 {MAX_CALLS} 个工具，请分批调用"
        elif tool is None:
            text = f"错误：没有名为“{call['name']}”的工具；可用的工具：{'、'.join(by_name)}"
        elif not isinstance(call["args"], dict):
            text = "参数不对：arguments 应是一个 JSON 对象"
        elif key in done:  # small models repeat a call rather than answer
            text = "这个调用前面已经做过，结果见上文；请根据已有的结果输出回答 JSON，或换一个调用"
        else:
            done.add(key)
            message = tool.invoke({**call, "type": "tool_call"})
            text = message.content if isinstance(message.content, str) else str(message.content)
        results.append(ToolMessage(text, tool_call_id=call["id"], name=call["name"]))
    if plan:
        said = "\n\n".join(
            f"{c['name']} {json.dumps(c['args'], ensure_ascii=False, default=str)} →\n{r.content}"
            for c, r in zip(asked, results, strict=True)
        )
        report = load_prompt("answer_results").render(results=said)
        return [AIMessage(reply.text), HumanMessage(report)]
    calling = AIMessage(
        reply.text if reply.tool_calls else "",
        tool_calls=[{"name": c["name"], "args": _args(c), "id": c["id"]} for c in asked],
    )
    return [calling, *results]


def _args(call: Call) -> dict:
    return call["args"] if isinstance(call["args"], dict) else {}

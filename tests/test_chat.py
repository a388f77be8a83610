"""Asking the library (issue 13): the question shapes, follow-ups, refusals, the check every answer
passes, and the `ask` / `chat` commands.

One library (the seed and two real tables of other units, `conftest.chat_home`) is built once for
the test session and only read; the questions here are this file's own, not the eval's gold set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.chat import Answer, Cited, Conversation, Tools, Transcript
from jixiao.chat.assistant import checked
from jixiao.chat.numbers import figures, money
from jixiao.chat.validate import problems
from jixiao.errors import NotFound
from jixiao.model import Citation
from jixiao.settings import Settings
from jixiao.workspace import Workspace

BIN = Path(sys.executable).with_name("jixiao")


@pytest.fixture(scope="module")
def ws(chat_home) -> Workspace:
    return Workspace(Settings(home=chat_home), model=None)


def ask(ws: Workspace, question: str, conversation: Conversation | None = None) -> Answer:
    answer = ws.ask(question, conversation)
    assert answer.notes == [], answer.notes  # every answer here passes the check as it is
    return answer


def labels(answer: Answer) -> list[str]:
    return [c.label for c in answer.citations]


# --- a field, a row, a category of one project ---------------------------------------------


def test_a_budget_is_stated_exactly_in_both_units_and_cited(ws):
    a = ask(ws, "法援中心工作专项经费的预算是多少？")
    assert "预算数：700000.00元（70万元）" in a.text and not a.refused
    assert "法援中心工作专项经费 · 预算数" in labels(a)
    assert "700000.00元" in a.numbers
    assert [t.name for t in a.tool_calls][:2] == ["find_tables", "read_table"]


def test_a_table_kept_in_wan_yuan_is_answered_in_wan_yuan_first(ws):
    a = ask(ws, "黄石市委党校主体班的预算是多少？")
    assert "164万元（1640000.00元）" in a.text


@pytest.mark.parametrize(
    ("question", "says", "cites"),
    [
        (
            "去年普法宣传计划办多少场活动？",
            "≥1000场",
            "普法宣传专项经费 · 数量指标 · 法治宣传宣讲活动",
        ),
        ("社区矫正经费的资金用途是什么", "社区矫正工作正常开展", "社区矫正经费"),
        ("法治政府创建工作专项经费的绩效目标", "绩效目标：", "法治政府创建工作专项经费 · 绩效目标"),
        ("浮梁县林业局保障在职职工多少人", "=116人", "保障在职职工人数(人)"),
        ("公共法律服务要求什么时候完成？", "时效指标", "公共法律服务工作专项经费 · 时效指标"),
    ],
)
def test_a_field_or_row_of_a_project_named_in_short(ws, question, says, cites):
    a = ask(ws, question)
    assert says in a.text and not a.refused, a.text
    assert any(cites in label for label in labels(a)), labels(a)


def test_whose_satisfaction_a_project_measures(ws):
    a = ask(ws, "法援中心工作专项经费的满意度问的是谁？")
    assert "法律援助案件办理人员满意度：≥90%" in a.text
    assert "调查对象：法律援助案件办理人员" in a.text
    assert "审阅提示" in a.text and "满意度应调查服务对象" in a.text  # the critic's word on it


def test_the_indicators_of_a_project_and_of_a_category_and_their_count(ws):
    every = ask(ws, "普法宣传专项经费有哪些指标？")
    assert len([line for line in every.text.splitlines() if line.startswith("- ")]) == 6
    timing = ask(ws, "普法宣传专项经费的时效指标")
    assert "媒体公益宣传投放时间：每月1期" in timing.text and "民众参与率" not in timing.text
    count = ask(ws, "主体班有几个质量指标？")
    assert "共有5个质量指标" in count.text
    assert any(t.name == "aggregate" and "5个" in t.computed for t in count.tool_calls)


def test_a_review_of_a_named_project(ws):
    a = ask(ws, "普法宣传专项经费有什么问题？")
    assert "缺少比较符" in a.text and "≤15万元" in a.text


# --- across projects ------------------------------------------------------------------------


def test_projects_whose_cost_cap_exceeds_the_budget(ws):
    a = ask(ws, "哪些项目的成本指标超过了预算？")
    assert "网络系统运维租赁费" in a.text and "运维成本：≤70万" in a.text
    assert "网络系统运维租赁费 · 成本指标 · 运维成本" in labels(a)
    assert "普法宣传专项经费" not in a.text


def test_projects_of_a_unit_counted_and_summed(ws):
    listed = ask(ws, "法律援助中心有哪些项目？")
    assert "项目共2个" in listed.text
    total = ask(ws, "法律援助中心所有项目的预算合计是多少")
    assert "合计703228.00元（70.3228万元）" in total.text
    assert any("703228.00元（70.3228万元）" in t.computed for t in total.tool_calls)


def test_projects_without_a_category_and_above_a_budget(ws):
    lacking = ask(ws, "哪些项目没有满意度指标？")
    assert "浮梁县林业局" in lacking.text and "普法宣传专项经费" not in lacking.text
    above = ask(ws, "预算超过100万元的项目有哪些")
    assert "主体班" in above.text and "2024年提前下达中央政法转移支付资金" in above.text
    assert "普法宣传专项经费" not in above.text and "100万" not in above.text  # not echoed


def test_the_highest_budget_and_a_comparison(ws):
    top = ask(ws, "预算最高的项目是哪个？")
    assert "主体班：164万元（1640000.00元）" in top.text
    pair = ask(ws, "普法宣传专项经费和公共法律服务工作专项经费的预算哪个多？")
    assert "多50000.00元（5万元）" in pair.text


# --- follow-ups -----------------------------------------------------------------------------


def test_follow_ups_resolve_against_the_last_project(ws):
    c = Conversation()
    ask(ws, "法援中心工作专项经费的预算是多少？", c)
    timing = ask(ws, "它的时效指标呢？", c)
    assert "财政拨付后法律援助案件补贴发放及时率：≥60%" in timing.text
    who = ask(ws, "满意度问的是谁？", c)
    assert "法律援助案件办理人员" in who.text
    ask(ws, "普法宣传专项经费的资金用途", c)
    budget = ask(ws, "那预算呢？", c)
    assert "250000.00元" in budget.text and "700000" not in budget.text
    other = ask(ws, "公共法律服务工作专项经费呢？", c)  # the same question, another project
    assert "预算数：200000.00元" in other.text


def test_a_follow_up_on_a_list(ws):
    c = Conversation()
    ask(ws, "法律援助中心有哪些项目？", c)
    a = ask(ws, "这些项目的预算一共多少？", c)
    assert "703228.00元" in a.text


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("普法教育专项经费的预算是多少？", "资料库中没有名为“普法教育专项经费”的项目"),
        ("北京市普法宣传专项经费的预算是多少？", "资料库中没有名为“北京市普法宣传专项经费”"),
        ("北京市教育局有哪些项目？", "资料库中没有名为“北京市教育局”的单位"),
        ("今天天气怎么样？", "资料库中没有与“今天天气怎么样”相关的内容"),
        (
            "法援中心工作专项经费今年实际办了多少件案子？",
            "资料库中没有法援中心工作专项经费的实际完成情况",
        ),
        ("2026年普法宣传专项经费的预算是多少？", "没有问题所说年度的表"),
        ("浮梁县林业局的预算是多少？", "表中没有填写预算数"),
    ],
)
def test_what_the_library_does_not_hold_is_refused(ws, question, says):
    a = ask(ws, question)
    assert a.refused and says in a.text, a.text


def test_a_near_miss_names_the_close_projects_that_exist(ws):
    a = ask(ws, "普法教育专项经费的预算是多少？")
    assert "相近的项目有：普法宣传专项经费" in a.text
    assert "250000" not in a.text  # the near project's figures are not given as the answer


def test_a_question_no_shape_fits_gets_cited_search_results(ws):
    a = ask(ws, "成本指标能不能超过预算？")
    assert a.kind == "search_results" and "搜索结果" in a.text and not a.refused
    assert a.citations[0].citation.kind == "policy"


def test_a_unit_filter_and_an_unknown_unit(ws):
    a = ws.ask("有哪些项目？", unit="法律援助")
    assert "项目共2个" in a.text
    with pytest.raises(NotFound, match="没有名称包含“公安局”的单位"):
        ws.ask("有哪些项目？", unit="公安局")


# --- the check every answer passes ----------------------------------------------------------


def _row(tools: Tools, project: str, row: int, quote: str) -> Cited:
    t = next(t for t in tools.tables if t.project == project)
    citation = Citation(kind="table", table_id=t.id, row=row, title=t.project)
    return Cited(citation=citation, label=f"{t.project} 第{row}行", quote=quote)


def test_the_check_rejects_a_number_no_source_states(ws):
    tools = ws.chat_tools()
    cited = _row(tools, "普法宣传专项经费", 1, "≥1000场")
    fine = Answer(text="计划举办≥1000场宣讲活动。", citations=[cited])
    assert problems(fine, [], tools.sources) == []
    made_up = Answer(text="计划举办≥1200场宣讲活动。", citations=[cited])
    assert problems(made_up, [], tools.sources) == [
        "数字“1200场”不在所引用的资料中，也不是工具计算的结果"
    ]
    assert problems(made_up, ["1200场"], tools.sources) == []  # unless a tool computed it


def test_the_check_rejects_a_citation_to_a_row_that_does_not_say_it(ws):
    tools = ws.chat_tools()
    wrong_row = _row(tools, "普法宣传专项经费", 2, "≥1000场")  # row 2 is 民众参与率
    answer = Answer(text="计划举办≥1000场宣讲活动。", citations=[wrong_row])
    assert problems(answer, [], tools.sources) == [
        "引用〔普法宣传专项经费 第2行〕的原文中没有“≥1000场”"
    ]
    ghost = Citation(kind="table", table_id="0" * 16, row=1, title="不存在的项目")
    answer = Answer(text="无数字。", citations=[Cited(citation=ghost, label="不存在", quote="x")])
    assert "指向资料库中不存在的表、行或段落" in problems(answer, [], tools.sources)[0]


def test_a_failing_answer_is_replaced_by_the_plain_tool_results(ws):
    tools = ws.chat_tools()
    calls = Transcript(tools)
    t = next(t for t in tools.tables if t.project == "普法宣传专项经费")
    calls.call("read_row", {"table_id": t.id, "row": 1})
    bad = Answer(text="普法宣传计划举办2000场活动。", citations=[])
    shown = checked(bad, calls, tools)
    assert shown.kind == "fallback" and shown.notes
    assert "2000" not in shown.text and "≥1000场" in shown.text
    assert problems(shown, [], tools.sources) == []


def test_money_is_written_exactly_and_compared_by_value():
    assert money(Decimal("541900.00")) == "541900.00元（54.19万元）"
    assert money(Decimal("309074.16")) == "309074.16元"  # 30.907416万元 is too long to help
    assert money(Decimal("1640000"), "万元") == "164万元（1640000.00元）"
    (a,), (b,) = figures("54.19万元"), figures("541900元")
    assert a.yuan == b.yuan == Decimal("541900")


# --- the commands ---------------------------------------------------------------------------


def run(ws: Workspace, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "JIXIAO_HOME": str(ws.settings.home), "COLUMNS": "80"}
    return subprocess.run(
        [str(BIN), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_ask_json_has_the_answer_its_citations_and_tool_calls(ws):
    done = run(ws, "ask", "普法宣传专项经费的预算是多少？", "-f", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"answer", "citations", "tool_calls"} <= set(data)
    assert "250000.00元（25万元）" in data["answer"]
    assert data["citations"][0]["label"] == "普法宣传专项经费 · 预算数"
    assert data["citations"][0]["quote"] == "预算数：250000.00元（25万元）"
    assert data["tool_calls"][0]["name"] == "find_tables"


def test_ask_prints_the_citations_under_the_answer(ws):
    done = run(ws, "ask", "普法宣传计划办多少场活动？")
    assert done.returncode == 0, done.stderr
    assert "≥1000场" in done.stdout
    assert "〔普法宣传专项经费 · 数量指标 · 法治宣传宣讲活动〕" in done.stdout


def test_chat_keeps_the_conversation_until_told_to_stop(ws):
    lines = "法援中心工作专项经费的预算是多少？\n它的时效指标呢？\n退出\n不会被问到\n"
    done = run(ws, "chat", stdin=lines)
    assert done.returncode == 0, done.stderr
    answers = done.stdout.split("答：")[1:]
    assert len(answers) == 2
    assert "700000.00元" in answers[0] and "≥60%" in answers[1]
    assert "输入“退出”或按 Ctrl-D 结束" in done.stderr and "再见" in done.stderr
    ended = run(ws, "chat", stdin="普法宣传的预算\n")  # the end of input ends it too
    assert ended.returncode == 0 and "250000.00元" in ended.stdout


def test_a_year_filter_keeps_to_that_year_s_tables(ws):
    of_2024 = {t.project for t in ws.tables() if t.year == 2024}
    assert of_2024 and len(of_2024) < len(ws.tables())
    a = ws.ask("有哪些项目？", year=2024)
    assert f"项目共{len(of_2024)}个" in a.text, a.text
    named = {c.citation.title for c in a.citations}
    assert named == of_2024
    both = ws.ask("有哪些项目？", unit="司法局", year=2024)  # the filters combine
    assert {c.citation.title for c in both.citations} <= of_2024
    with pytest.raises(NotFound, match="资料库中没有1999年度的表"):
        ws.ask("有哪些项目？", year=1999)


def test_each_lookup_is_told_as_it_is_made(ws):
    told = []
    a = ws.ask("普法宣传专项经费的预算是多少？", on_step=told.append)
    assert told and told == a.tool_calls  # every call, in order, before the answer came back

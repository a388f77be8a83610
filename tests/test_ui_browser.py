"""The web UI in a real browser: Debian's Chromium driven by playwright, against the session's one
server (tests/ui_server.py); one browser for the module.

`JIXIAO_SCREENSHOTS=docs .venv/bin/python -m pytest tests/test_ui_browser.py` also saves a
screenshot of each tab there (the README's pictures); a plain run writes none.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import docx
import openpyxl
import pytest
from ui_server import ui_server_fixture  # noqa: F401  (the session's one server)

from jixiao.seed import load_seed
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer

pytest.importorskip("playwright")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is missing: bash scripts/setup.sh test"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = os.environ.get("JIXIAO_SCREENSHOTS")
WAIT = 60_000  # ms; a generous bound on a loaded 2-core machine, never a timing assertion


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One Chromium (fresh profile, Chinese locale) for every test here; every request a page
    makes off 127.0.0.1 is kept in `browser.outside`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            locale="zh-CN",
            viewport={"width": 1360, "height": 900},
            accept_downloads=True,
        )
        context.outside = []
        context.on(
            "request",
            lambda r: (
                context.outside.append(r.url)
                if urlparse(r.url).hostname not in (None, "127.0.0.1")
                and not r.url.startswith(("data:", "blob:"))
                else None
            ),
        )
        context.set_default_timeout(WAIT)
        yield context
        context.close()


@pytest.fixture
def page(browser, ui_server):
    page = browser.new_page()
    page.goto(ui_server.url)
    page.wait_for_selector("#jx-intro h1")
    page.get_by_role("tab", name="资料库").wait_for()
    yield page
    page.close()


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"界面-{name}.png"), full_page=True)


def field(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def test_first_screen_says_what_the_tool_does(page):
    intro = page.locator("#jx-intro").inner_text()
    assert "项目支出绩效目标表" in intro and "不联网" in intro
    assert "14 张往年的表" in intro and "上传收到的表" in intro
    tabs = [t.strip() for t in page.get_by_role("tab").all_inner_texts()]
    assert tabs[:4] == ["审核", "起草", "问答", "资料库"]


def test_review_three_files_one_broken(page, tmp_path):
    tables = load_seed()
    tables[0].indicators[0].name = "<script>window.pwned=1</script>培训人次"
    files = [
        docx_writer.write(tables[:2], tmp_path / "两张表.docx"),
        json_writer.write(tables[2:5], tmp_path / "三张表.json"),
        tmp_path / "坏文件.xlsx",
    ]
    files[2].write_bytes(b"not a workbook")
    page.locator("#review-files input[type=file]").set_input_files([str(f) for f in files])
    summary = page.locator("#review-summary")
    summary.locator(".jx-card").first.wait_for()
    text = summary.inner_text()
    assert "5\n张表" in text and "1\n个文件未能读取" in text
    assert "坏文件.xlsx" in text and "不是 Excel 文件" in text
    rows = page.locator("#review-findings [role=grid]")
    assert int(rows.get_attribute("aria-rowcount")) > 10
    view = page.locator("#review-table")
    assert view.locator("td.error, td.warning").count() > 0  # offending cells coloured
    assert view.locator("td.issues .jx-f").count() > 0  # and the finding beside the row
    shot(page, "审核")
    # The first table holds the `<script>` cell: shown as its text, never run.
    page.locator("#review-table-choice input").click()
    page.get_by_role("option", name="1. ").first.click()
    view.get_by_text("<script>window.pwned=1</script>培训人次").wait_for()
    assert page.evaluate("window.pwned") is None
    with page.expect_download() as got:
        page.locator("#review-xlsx").click()
    assert got.value.suggested_filename == "审阅结果.xlsx"
    got.value.save_as(tmp_path / "下载.xlsx")
    book = openpyxl.load_workbook(tmp_path / "下载.xlsx")
    assert "问题清单" in book.sheetnames and book["问题清单"].max_row > 10


def test_draft_from_a_brief(page, tmp_path):
    tab(page, "起草")
    field(page, "brief-project").fill("社区矫正教育帮扶专项经费")
    field(page, "brief-unit").fill("天津市滨海新区司法局")
    field(page, "brief-year").fill("2027")
    field(page, "brief-budget").fill("50万元")
    field(page, "brief-purpose").fill("用于社区矫正对象集中教育、心理矫治和社会适应性帮扶")
    field(page, "brief-goals").fill("开展社区矫正对象集中教育学习\n为社区矫正对象提供法律援助服务")
    page.locator("#draft-new").click()
    page.locator("#draft-summary .jx-note").wait_for()
    assert "社区矫正教育帮扶专项经费（2027年，新表）" in page.locator("#draft-summary").inner_text()
    grid = page.locator("#draft-grid")
    assert int(grid.locator("[role=grid]").get_attribute("aria-rowcount")) > 5
    assert "参照资料库" in grid.inner_text()  # each row says where it comes from
    assert page.locator("#draft-view .jx-ph").count() > 0  # placeholders marked
    shot(page, "起草")
    with page.expect_download() as got:
        page.locator("#draft-docx").click()
    assert got.value.suggested_filename.endswith(".docx")
    got.value.save_as(tmp_path / "下载.docx")
    word = docx.Document(str(tmp_path / "下载.docx"))
    assert "社区矫正教育帮扶专项经费" in "\n".join(c.text for c in word.tables[0]._cells)


def test_next_year_from_an_upload_shows_the_diff(page, tmp_path):
    path = json_writer.write(load_seed()[3:4], tmp_path / "今年的表.json")
    tab(page, "起草")
    page.get_by_role("tab", name="起草下一年度的表").click()
    page.locator("#next-file input[type=file]").set_input_files(str(path))
    page.locator("#draft-next").click()
    page.locator("#draft-summary .jx-note").wait_for()
    diff = page.locator("#draft-diff-grid")
    diff.get_by_text("年份顺延一年").first.wait_for()
    assert "→" in page.locator("#draft-summary").inner_text()


def test_ask_two_questions_and_open_a_citation(page, ui_server):
    if not hasattr(ui_server.ws, "ask"):
        pytest.skip("Workspace.ask is not there yet")
    tab(page, "问答")
    log = page.locator("#chat-log")
    for question, expect in (
        ("法援中心工作专项经费的预算是多少？", "预算数：700000.00元"),
        ("它的时效指标呢？", "法援中心工作专项经费的时效指标"),  # the follow-up: its project
    ):
        field(page, "chat-question").fill(question)
        page.locator("#chat-send").click()
        log.get_by_text(expect).last.wait_for()
    assert log.get_by_text("出处").count() >= 2
    page.locator("#chat-cites label").first.click()
    cited = page.locator("#chat-cited")
    cited.locator("table.form").wait_for()
    assert "法援中心工作专项经费" in cited.inner_text()
    shot(page, "问答")


def test_library_search_and_add(page, ui_server, tmp_path):
    tab(page, "资料库")
    field(page, "lib-query").fill("普法宣传活动")
    page.locator("#lib-search").click()
    hits = page.locator("#lib-hits")
    hits.locator(".jx-hit").first.wait_for()
    assert "出处" in hits.inner_text()
    table = load_seed()[5]
    table.project = "浏览器测试新增的项目"
    path = json_writer.write([table], tmp_path / "往年的表.json")
    page.get_by_text("添加往年的表和政策文件、重建索引").click()
    page.locator("#lib-add input[type=file]").set_input_files(str(path))
    page.locator("#lib-status").get_by_text("新增 1 张表").wait_for()
    page.locator("#lib-list").get_by_text("浏览器测试新增的项目").wait_for()
    shot(page, "资料库")
    ui_server.ws.remove(next(t.id for t in ui_server.ws.tables() if t.project == table.project))


def test_no_page_asked_anything_off_the_machine(browser):
    # Fonts, scripts, styles, images of every page the tests above opened: from 127.0.0.1.
    assert browser.outside == []

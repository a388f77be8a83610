"""Reviewing the 14 seed tables through the web UI, in a real browser (a benchmark, not a test).

    .venv/bin/python benchmarks/ui_review.py [--runs 5]

Serves the app in-process on 127.0.0.1 over a fresh seeded home (index built and the embedding
model loaded first, as on a running server), opens Debian's Chromium with playwright, and per run
uploads the 14 seed tables as 14 Word files, one table each, timing from handing the files to the
page until the summary is on screen (upload, reading, review, three reports written, the page
drawn). Prints each run, the median and the max. Target (issue 14): ≤ 3 s.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

from jixiao.seed import load_seed
from jixiao.settings import Settings
from jixiao.ui.server import Options, serve
from jixiao.workspace import Workspace
from jixiao.writers import docx as docx_writer

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    runs = p.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-ui-"))
    files = [
        docx_writer.write([t], work / f"{n:02d}-{t.project[:20]}.docx")
        for n, t in enumerate(load_seed(), start=1)
    ]
    ws = Workspace(Settings(home=work / "home"), model=None)
    ws.search("预算", k=1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app, url = serve(Options(port=port), ws)
    from playwright.sync_api import sync_playwright

    seconds = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(work / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            locale="zh-CN",
            viewport={"width": 1360, "height": 900},
        )
        for run in range(runs):
            page = browser.new_page()
            page.goto(url)
            page.get_by_role("tab", name="资料库").wait_for()
            start = time.perf_counter()
            page.locator("#review-files input[type=file]").set_input_files([str(f) for f in files])
            page.locator("#review-summary .jx-card").first.wait_for(timeout=120_000)
            page.locator("#review-table table.form").wait_for(timeout=120_000)
            took = time.perf_counter() - start
            cards = page.locator("#review-summary .jx-card b").all_inner_texts()
            assert cards[0] == "14", cards
            seconds.append(took)
            print(f"run {run + 1}: {took:.2f} s (14 tables, {cards[2]} errors shown)", flush=True)
            page.close()
        browser.close()
    app.close()
    load = os.getloadavg()[0]
    print(
        f"upload → results on screen, 14 seed tables as 14 Word files: median "
        f"{statistics.median(seconds):.2f} s, max {max(seconds):.2f} s over {runs} runs "
        f"(target ≤ 3 s; load average {load:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()

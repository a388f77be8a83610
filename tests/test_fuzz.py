"""Hostile input: every bad file is named or read, nothing crashes, hangs or eats the machine.

The files come from `fuzz_corpus` (generated, nothing committed). The corpus is read in-process
by `load()` and by `Workspace.review`, and reviewed by the `jixiao` command into xlsx, json and
html reports. While the in-process runs read, each file has a budget of CPU time (a profiling
timer, so that jixiao's own SIGALRM budget cannot disarm it, names the file that overran it) and
the process an address-space cap (a file that needs more is a failure too: the cap only stands in
for a machine that would have run out of memory).
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fuzz_corpus import VARIANTS, generate, good_files, kind_of
from openpyxl import load_workbook

from jixiao.readers import expand, load
from jixiao.workspace import Workspace

JIXIAO = Path(sys.executable).parent / "jixiao"
FILE_SECONDS = 10  # in-process CPU budget per file
RULE_SECONDS = 10  # and for the rules over all that was read
CLI_SECONDS = 40  # budget for one `jixiao review` of the corpus
EXTRA_MEMORY = 3 << 30  # address space a run may add to what the process already had


class Overran(BaseException):
    """A file took longer than its budget (a BaseException: the readers catch Exception)."""


def _vm_size() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@contextmanager
def guarded(root: Path) -> Iterator[Callable[[Path], None]]:
    """A `progress` callback giving each file FILE_SECONDS of CPU (the last one RULE_SECONDS more
    for the rules that follow), under a memory cap; a file that overruns fails the test by name."""
    last = expand([root])[-1]
    state: dict = {"file": None}

    def on_alarm(signum, frame):
        where = f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno} {frame.f_code.co_name}"
        what = "reading it" if state["file"] != last else "reading it or reviewing the tables"
        raise Overran(f"{state['file']}: {what} took too long (stopped in {where})")

    def progress(path: Path) -> None:
        state["file"] = path
        signal.setitimer(signal.ITIMER_PROF, FILE_SECONDS + (RULE_SECONDS if path == last else 0))

    limits = resource.getrlimit(resource.RLIMIT_AS)
    old = signal.signal(signal.SIGPROF, on_alarm)
    if _vm_size():
        resource.setrlimit(resource.RLIMIT_AS, (_vm_size() + EXTRA_MEMORY, limits[1]))
    overran = ""
    try:
        yield progress
    except Overran as exc:
        overran = str(exc)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)
        resource.setrlimit(resource.RLIMIT_AS, limits)
    if overran:
        raise pytest.fail.Exception(overran, pytrace=False) from None


def _cap_child_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, resource.RLIM_INFINITY))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Path], list[Path]]:
    """About 60 bad files (every variant of every kind at least once) and two good ones."""
    root = tmp_path_factory.mktemp("fuzz") / "in"
    bad = generate(root, 60, seed=0)
    good = good_files(root, 2)
    return root, bad, good


def test_the_corpus_has_every_kind(corpus):
    _, bad, _ = corpus
    assert len(bad) >= len(VARIANTS)
    made = {(kind_of(p), p.suffix) for p in bad}
    wanted = {(k.__name__, f if f.startswith(".") else f".{f}") for k, f in VARIANTS}
    assert wanted <= made


def _unnamed(bad: list[Path], read_from: set[str], problems: list) -> list[str]:
    """Bad files that gave no table and that no problem names."""
    said = [str(p) for p in problems]
    return [
        str(path)
        for path in bad
        if str(path) not in read_from and not any(str(path) in line for line in said)
    ]


def _memory_errors(problems: list) -> list[str]:
    return [str(p) for p in problems if "MemoryError" in str(p)]


def test_load_survives_every_bad_file(corpus):
    root, bad, good = corpus
    with guarded(root) as progress:
        result = load([root], progress=progress)
    read_from = {t.source.file for t in result.tables if t.source}
    assert {str(p) for p in good} <= read_from
    unnamed = _unnamed(bad, read_from, result.problems)
    assert not unnamed, f"bad files neither read nor named in a problem: {unnamed}"
    assert not _memory_errors(result.problems), "over the memory cap"
    assert result.files_read + result.files_failed == len(bad) + len(good)


def test_review_survives_every_bad_file(corpus):
    root, bad, good = corpus
    with guarded(root) as progress:
        result = Workspace(model=None).review([root], progress=progress)
    read_from = {t.source.file for t in result.tables if t.source}
    assert {str(p) for p in good} <= read_from
    assert result.findings
    unnamed = _unnamed(bad, read_from, result.problems)
    assert not unnamed, f"bad files neither read nor named in a problem: {unnamed}"
    assert not _memory_errors(result.problems), "over the memory cap"


def _review_cli(root: Path, out: Path, fmt: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(JIXIAO), "review", str(root), "--format", fmt, "--out", str(out), "--no-model"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_cap_child_memory,
        env=os.environ | {"COLUMNS": "200", "PYTHONFAULTHANDLER": "1"},
    )


def _why(stderr: str) -> str:
    """The lines of a command's stderr that say what went wrong inside jixiao."""
    lines = [
        line.strip()
        for line in stderr.splitlines()
        if any(w in line for w in ("internal", "内部", "Error", "Traceback"))
    ]
    return "; ".join(lines[:4])


def _stop(proc: subprocess.Popen) -> str:
    """Abort a command that overran; where it was, from faulthandler's dump of its stack."""
    proc.send_signal(signal.SIGABRT)
    try:
        _, stderr = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', stderr.decode(errors="replace"))
    return "stopped in " + " < ".join(f"{Path(f).name}:{n} {fn}" for f, n, fn in frames[:3])


def _xlsx_text(path: Path) -> tuple[str, list[str]]:
    """All the text of a workbook, and the cells that hold formulas."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    texts, formulas = [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{ws.title}: {cell.value}")
                if cell.value is not None:
                    texts.append(str(cell.value))
    wb.close()
    return "\n".join(texts), formulas


def test_cli_review_survives_every_bad_file(corpus, tmp_path):
    """xlsx, json and html reports of the whole corpus, the three commands run side by side."""
    root, bad, _ = corpus
    outs = {fmt: tmp_path / f"r.{fmt}" for fmt in ("xlsx", "json", "html")}
    procs = {fmt: _review_cli(root, out, fmt) for fmt, out in outs.items()}
    deadline = time.monotonic() + CLI_SECONDS
    failures: list[str] = []
    for fmt, proc in procs.items():
        try:
            _, stderr = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            failures.append(f"{fmt}: no report after {CLI_SECONDS} s ({_stop(proc)})")
            continue
        err = stderr.decode("utf-8", errors="replace")
        if "Traceback" in err:
            failures.append(f"{fmt}: traceback: {err.strip().splitlines()[-1]}")
        if proc.returncode not in (0, 1, 2):
            failures.append(f"{fmt}: exit code {proc.returncode} {_why(err)}")
        if "MemoryError" in err:
            failures.append(f"{fmt}: over the 4 GiB memory cap")
        out = outs[fmt]
        if not out.is_file():
            failures.append(f"{fmt}: no report file")
            continue
        try:
            if fmt == "json":
                text = "\n".join(f["file"] for f in json.loads(out.read_text(encoding="utf-8")))
            elif fmt == "html":
                text = out.read_text(encoding="utf-8")
                assert "</html>" in text, "the HTML report is cut short"
            else:
                text, formulas = _xlsx_text(out)
                if formulas:
                    failures.append(f"xlsx: cells became formulas: {formulas[:3]}")
        except Exception as exc:  # a report that does not open is a failure like the others
            failures.append(f"{fmt}: the report does not open: {type(exc).__name__}: {exc}")
            continue
        # Every bad file is in a problem line or in the report (a table read from it).
        unnamed = [p.name for p in bad if str(p) not in err and str(p) not in text]
        if unnamed:
            failures.append(f"{fmt}: files named nowhere: {unnamed}")
    assert not failures, "\n".join(failures)


BATCH_GOOD, BATCH_BAD = 475, 25
BATCH_SECONDS = 120


def test_a_batch_of_500_reviews_every_good_table(tmp_path):
    """475 good files and 25 bad ones (many kinds): the json, html and xlsx reports each cover
    every good table."""
    root = tmp_path / "batch"
    good = good_files(root, BATCH_GOOD)
    bad = generate(root, BATCH_BAD, seed=1)
    assert len({kind_of(p) for p in bad}) >= 15
    outs = {fmt: tmp_path / f"r.{fmt}" for fmt in ("json", "html", "xlsx")}
    procs = {fmt: _review_cli(root, out, fmt) for fmt, out in outs.items()}
    for fmt, proc in procs.items():
        try:
            _, stderr = proc.communicate(timeout=BATCH_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{fmt}: no report after {BATCH_SECONDS} s ({_stop(proc)})", pytrace=False)
        err = stderr.decode("utf-8", errors="replace")
        assert "Traceback" not in err, err.strip().splitlines()[-1]
        assert proc.returncode in (0, 1, 2), _why(err)
    good_names = {str(p) for p in good}
    findings = json.loads(outs["json"].read_text(encoding="utf-8"))
    tables = {(f["table_id"], f["file"]) for f in findings if f["file"] in good_names}
    missing = sorted(Path(f).name for f in good_names - {file for _, file in tables})
    assert len(tables) == BATCH_GOOD, f"good files without findings: {missing[:10]}"
    page = outs["html"].read_text(encoding="utf-8")
    assert page.count("<section class='table'") >= BATCH_GOOD
    sheet = load_workbook(outs["xlsx"], read_only=True)["问题清单"]
    files = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert good_names <= files

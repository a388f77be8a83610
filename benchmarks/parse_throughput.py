"""Parse throughput per format on a generated corpus of one-table files (a benchmark, not a test).

    .venv/bin/python benchmarks/parse_throughput.py [--files 1000] [--dir DIR]

The files hold distinct generated tables (`distinct.py`; the share of distinct texts is printed
and checked). Prints files/s and CPU-seconds for json, text, docx and xlsx, and beside docx a plain python-docx loop
(`Document(path)` + reading every cell) over the same files, beside xlsx a plain openpyxl
`read_only=True` loop (every cell's value). Targets: docx ≥ 3× its loop, json ≥ 2,000 tables/s
(issue 2); xlsx at least as fast as its loop (issue 8). Peak RSS at the end.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from distinct import checked

from jixiao.readers import read_path
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer
from jixiao.writers import text as text_writer
from jixiao.writers import xlsx as xlsx_writer


def corpus(root: Path, files: int) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {fmt: [] for fmt in ("json", "text", "docx", "xlsx")}
    for fmt in out:
        (root / fmt).mkdir(parents=True, exist_ok=True)
    for i, t in enumerate(checked(files)):
        stem = f"t{i:05d}"
        out["json"].append(json_writer.write([t], root / "json" / f"{stem}.json"))
        text = root / "text" / f"{stem}.txt"
        out["text"].append(text_writer.write([t], text))
        out["docx"].append(docx_writer.write([t], root / "docx" / f"{stem}.docx"))
        out["xlsx"].append(xlsx_writer.write([t], root / "xlsx" / f"{stem}.xlsx"))
    return out


def python_docx_loop(paths: list[Path]) -> int:
    from docx import Document

    cells = 0
    for p in paths:
        for table in Document(str(p)).tables:
            for row in table.rows:
                for cell in row.cells:
                    cells += len(cell.text) >= 0
    return cells


def openpyxl_loop(paths: list[Path]) -> int:
    from openpyxl import load_workbook

    cells = 0
    for p in paths:
        wb = load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += sum(v is not None for v in row)
        wb.close()
    return cells


def cpu_now() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="files per format (default 1000)")
    parser.add_argument("--dir", type=Path, help="keep the corpus here (default: a temp folder)")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    print(f"generating {args.files} one-table files per format in {root} …", flush=True)
    elapsed, files = timed(corpus, root, args.files)
    print(f"  generated in {elapsed:.1f} s")
    print(f"{'format':<22}{'files':>7}{'seconds':>10}{'files/s':>11}{'CPU-s':>9}")
    rates = {}
    for fmt, paths in files.items():
        cpu = cpu_now()
        elapsed, tables = timed(lambda ps: sum(len(read_path(p)) for p in ps), paths)
        cpu = cpu_now() - cpu
        assert tables == len(paths), (fmt, tables)
        rates[fmt] = len(paths) / elapsed
        print(f"{'jixiao ' + fmt:<22}{len(paths):>7}{elapsed:>10.2f}{rates[fmt]:>11.0f}{cpu:>9.2f}")
    elapsed, _ = timed(python_docx_loop, files["docx"])
    loop = len(files["docx"]) / elapsed
    print(f"{'python-docx loop':<22}{len(files['docx']):>7}{elapsed:>10.2f}{loop:>11.0f}")
    print(f"docx reader vs python-docx loop: {rates['docx'] / loop:.1f}× (target ≥ 3×)")
    elapsed, _ = timed(openpyxl_loop, files["xlsx"])
    xloop = len(files["xlsx"]) / elapsed
    print(f"{'openpyxl read_only loop':<22}{len(files['xlsx']):>7}{elapsed:>10.2f}{xloop:>11.0f}")
    print(f"xlsx reader vs openpyxl read_only loop: {rates['xlsx'] / xloop:.1f}× (target ≥ 1×)")
    print(f"json: {rates['json']:.0f} tables/s (target ≥ 2,000)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.dir is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()

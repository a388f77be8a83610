"""Fuzz `jixiao parse` with bad and hostile files, one process per file (a benchmark, not a test).

    .venv/bin/python benchmarks/fuzz.py [--files 1000] [--seconds 20] [--seed 0] [--dir DIR]

Generates the files with tests/fuzz_corpus.py (truncations, byte flips, zip bombs, absurd spans
and merges, formulas, hostile JSON and text, console markup in names, a PDF of 200,000 lines,
empty files), then runs `jixiao parse FILE --format json` on each, two at a time, each with a
time budget. Per file it records the exit code, the time, the peak RSS of the process (GNU
`/usr/bin/time -v`, else a small Python wrapper reading the child's rusage with os.wait4), a
traceback on stderr, a hang (killed at the budget), and whether a file that gave no table is
named in a problem line (`error: FILE…` / `warning: FILE…`) on stderr.

Prints the figures (files, tracebacks, hangs, max RSS, files not named), a line per kind, and
the worst offenders. Every bad file should end with exit code 0 or 2, no traceback, well inside
the budget, in modest memory, and named when nothing could be read from it — and not as
jixiao's own failure (exit code 3, "internal error"), which the figures count apart.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import fuzz_corpus  # noqa: E402

JIXIAO = Path(sys.executable).parent / "jixiao"
GNU_TIME = "/usr/bin/time"
# Runs a command and writes the child's peak RSS (os.wait4's rusage) where argv[1] says.
WRAPPER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, status, ru = os.wait4(p.pid, 0)\n"
    "open(sys.argv[1], 'w').write(f'Maximum resident set size (kbytes): {ru.ru_maxrss}\\n')\n"
    "code = os.waitstatus_to_exitcode(status)\n"
    "sys.exit(code if code >= 0 else 128 - code)\n"
)
# Caps the address space of the process it execs (--mem-mb): a bomb then fails, not the machine.
LIMITER = (
    "import os, resource, sys\n"
    "n = int(sys.argv[1]) << 20\n"
    "resource.setrlimit(resource.RLIMIT_AS, (n, n))\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)
_INTERNAL = re.compile(r"internal error|内部错误")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


@dataclass
class Outcome:
    file: str
    kind: str
    code: int | None  # None: killed at the budget
    seconds: float
    rss_mb: float | None
    traceback: bool
    hang: bool
    named: bool  # in a problem line on stderr
    memcap: bool  # ran out of the --mem-mb address space (a MemoryError)
    internal: bool  # named, but as jixiao's own failure (exit 3, "internal error")
    symptom: str  # the last line of a traceback, or the first problem line

    @property
    def not_named(self) -> bool:
        """Nothing read from it (or it never finished) and no problem line says which file."""
        return self.code != 0 and not self.named


def gnu_time() -> bool:
    if not Path(GNU_TIME).exists():
        return False
    probe = subprocess.run(
        [GNU_TIME, "-v", "-o", os.devnull, "true"], capture_output=True, check=False
    )
    return probe.returncode == 0


def run_one(path: Path, budget: float, work: Path, use_time: bool, mem_mb: int) -> Outcome:
    stats = work / f"{os.getpid()}-{id(path)}-{time.monotonic_ns()}.stats"
    errors = stats.with_suffix(".err")
    cmd = [str(JIXIAO), "parse", str(path), "--format", "json"]
    if mem_mb:
        cmd = [sys.executable, "-c", LIMITER, str(mem_mb), *cmd]
    cmd = (
        [GNU_TIME, "-v", "-o", str(stats), *cmd]
        if use_time
        else [sys.executable, "-c", WRAPPER, str(stats), *cmd]
    )
    env = os.environ | {"JIXIAO_HOME": str(work / "home"), "COLUMNS": "200"}
    start = time.monotonic()
    hang = False
    peak_kb = 0
    with errors.open("wb") as err:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True
        )
        try:
            code: int | None = proc.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            hang, code = True, None
            peak_kb = _group_peak_kb(proc.pid)  # before the kill: how far it had grown
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    seconds = time.monotonic() - start
    stderr = errors.read_text(encoding="utf-8", errors="replace")
    if stats.exists():
        m = _RSS.search(stats.read_text(encoding="utf-8", errors="replace"))
        peak_kb = max(peak_kb, int(m[1])) if m else peak_kb
    for leftover in (stats, errors):
        leftover.unlink(missing_ok=True)
    problem_lines = [
        line for line in stderr.splitlines() if line.startswith(("error:", "warning:"))
    ]
    traceback = "Traceback" in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    if hang:
        symptom = f"killed after {budget:g} s"
    elif traceback:
        symptom = lines[-1].strip() if lines else "Traceback"
    else:
        symptom = problem_lines[0] if problem_lines else (lines[0] if lines else "")
    return Outcome(
        file=str(path),
        kind=f"{fuzz_corpus.kind_of(path)}.{path.suffix.lstrip('.')}",
        code=code,
        seconds=round(seconds, 2),
        rss_mb=round(peak_kb / 1024, 1) if peak_kb else None,
        traceback=traceback,
        hang=hang,
        named=any(str(path) in line for line in problem_lines),
        memcap=bool(mem_mb) and "MemoryError" in stderr,
        internal=code == 3 or bool(_INTERNAL.search(stderr)),
        symptom=symptom[:200],
    )


def _group_peak_kb(pgid: int) -> int:
    """The largest VmHWM (peak RSS) of the processes in a process group, from /proc."""
    peak = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            m = re.search(r"VmHWM:\s+(\d+) kB", (proc / "status").read_text())
        except (OSError, ValueError, IndexError):
            continue
        if m:
            peak = max(peak, int(m[1]))
    return peak


def report(outcomes: list[Outcome], budget: float, worst: int) -> None:
    rss = [o.rss_mb for o in outcomes if o.rss_mb is not None]
    secs = [o.seconds for o in outcomes]
    biggest = max(outcomes, key=lambda o: o.rss_mb or 0)
    codes = Counter("killed" if o.code is None else str(o.code) for o in outcomes)
    figures = [
        ("files", len(outcomes)),
        ("exit codes", ", ".join(f"{c}: {n}" for c, n in sorted(codes.items()))),
        ("tracebacks", sum(o.traceback for o in outcomes)),
        (f"hangs (> {budget:g} s)", sum(o.hang for o in outcomes)),
        ("max RSS MB", f"{max(rss, default=0):.0f} ({Path(biggest.file).name})"),
        ("median RSS MB", f"{statistics.median(rss):.0f}" if rss else "-"),
        ("files > 1 GB RSS", sum((o.rss_mb or 0) > 1024 for o in outcomes)),
        ("hit the memory cap", sum(o.memcap for o in outcomes)),
        ("internal errors", sum(o.internal for o in outcomes)),
        ("seconds: median / max", f"{statistics.median(secs):.2f} / {max(secs):.1f}"),
        ("files not named", sum(o.not_named for o in outcomes)),
    ]
    print("\nFigures")
    for label, value in figures:
        print(f"  {label:<24} {value}")

    print("\nBy kind")
    print(
        f"  {'kind':<24} {'files':>5} {'tb':>4} {'hang':>4} {'memcap':>6} {'intern':>6} "
        f"{'unnamed':>7} "
        f"{'RSS MB':>7} {'max s':>6}"
    )
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.kind].append(o)
    for kind, group in sorted(groups.items()):
        top = max((o.rss_mb or 0) for o in group)
        print(
            f"  {kind:<24} {len(group):>5} {sum(o.traceback for o in group):>4} "
            f"{sum(o.hang for o in group):>4} {sum(o.memcap for o in group):>6} "
            f"{sum(o.internal for o in group):>6} "
            f"{sum(o.not_named for o in group):>7} "
            f"{top:>7.0f} {max(o.seconds for o in group):>6.1f}"
        )

    def badness(o: Outcome) -> tuple:
        return (o.hang, o.traceback, o.memcap, o.internal, o.not_named, o.rss_mb or 0, o.seconds)

    offenders = sorted(
        (
            o
            for o in outcomes
            if o.hang
            or o.traceback
            or o.memcap
            or o.internal
            or o.not_named
            or (o.rss_mb or 0) > 500
        ),
        key=badness,
        reverse=True,
    )
    print(f"\nWorst offenders ({len(offenders)} in all, {min(worst, len(offenders))} shown)")
    for o in offenders[:worst]:
        flags = ",".join(
            f
            for f, on in (
                ("HANG", o.hang),
                ("TB", o.traceback),
                ("MEMCAP", o.memcap),
                ("INTERNAL", o.internal),
                ("UNNAMED", o.not_named),
            )
            if on
        )
        rss_text = f"{o.rss_mb:.0f}" if o.rss_mb is not None else "?"
        print(
            f"  {o.seconds:6.1f}s {rss_text:>6} MB exit {o.code!s:<4} {flags:<18} "
            f"{Path(o.file).name}: {o.symptom}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="bad files to generate")
    parser.add_argument("--seconds", type=float, default=20, help="time budget per file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dir", type=Path, help="generate here and keep the files")
    parser.add_argument(
        "--mem-mb",
        type=int,
        default=8192,
        help="cap each process's address space, so two bombs at once cannot take the machine "
        "down (0: no cap); a file that reaches it is flagged MEMCAP",
    )
    parser.add_argument("--worst", type=int, default=25, help="offenders to list")
    parser.add_argument("--json", type=Path, help="also write every outcome here")
    args = parser.parse_args()
    if not JIXIAO.exists():
        sys.exit(f"no jixiao command beside {sys.executable}")

    keep = args.dir is not None
    root = args.dir or Path(tempfile.mkdtemp(prefix="jixiao-fuzz-"))
    try:
        t0 = time.monotonic()
        files = fuzz_corpus.generate(root / "bad", args.files, seed=args.seed)
        print(f"Generated {len(files)} bad files in {time.monotonic() - t0:.1f} s ({root}).")
        use_time = gnu_time()
        print(
            f"Peak RSS from {'GNU /usr/bin/time -v' if use_time else 'os.wait4 in a wrapper'}; "
            f"{args.workers} workers; budget {args.seconds:g} s a file; "
            f"address space cap {f'{args.mem_mb} MB' if args.mem_mb else 'none'}."
        )
        work = root / "work"
        work.mkdir(exist_ok=True)
        done = 0
        t1 = time.monotonic()

        def one(path: Path) -> Outcome:
            nonlocal done
            outcome = run_one(path, args.seconds, work, use_time, args.mem_mb)
            done += 1
            if outcome.hang or outcome.traceback or outcome.internal or done % 100 == 0:
                print(
                    f"  [{done}/{len(files)}] {Path(outcome.file).name}: {outcome.symptom}",
                    flush=True,
                )
            return outcome

        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            outcomes = list(pool.map(one, files))
        print(f"Ran {len(outcomes)} processes in {time.monotonic() - t1:.0f} s.")
        report(outcomes, args.seconds, args.worst)
        if args.json:
            args.json.write_text(
                json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=1),
                encoding="utf-8",
            )
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

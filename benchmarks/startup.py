"""Start-up of the `jixiao` command: wall time of fresh processes and what they import.

    .venv/bin/python benchmarks/startup.py [--runs 7]

For each command a new process is started `--runs` times (the OS file cache is warm, the Python
process is not) and the median and best wall seconds are printed; then one run under
`python -X importtime` gives the import total and the heaviest top-level packages.
`jixiao search` runs on the seed library in a home built beforehand (the index exists, nothing to
add; the first query's vector is cached after its first run, the second is new every run),
`jixiao parse` on one seed table as JSON. `--home DIR` searches a home built beforehand instead
(e.g. 10,000 tables by `index_build.py --keep DIR`).
Targets (issue 15): `jixiao --help` ≤ 0.2 s, `jixiao search` ≤ 0.6 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PYTHON = sys.executable
JIXIAO = str(Path(sys.executable).with_name("jixiao"))  # the console script users run
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def wall(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    """Seconds of each run; `{n}` in an argument becomes a number never used before."""
    out = []
    for _ in range(runs):
        fresh = [a.replace("{n}", str(time.time_ns())) for a in argv]
        start = time.perf_counter()
        subprocess.run(fresh, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - start)
    return out


def imports(argv: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Total import seconds of one run, and the seconds spent in each top-level package's own
    modules (self time, so a package's figure does not include what it imports of others)."""
    run = subprocess.run(
        [PYTHON, "-X", "importtime", *[a.replace("{n}", str(time.time_ns())) for a in argv]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    total = 0.0
    per: dict[str, float] = defaultdict(float)
    for line in run.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            seconds = int(m.group(1)) / 1e6
            total += seconds
            per[m.group(4).split(".")[0]] += seconds
    return total, per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--home", type=Path, help="search this built home (index_build.py --keep)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-startup-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "OPENAI_"))}
    env["JIXIAO_HOME"] = str(args.home or tmp / "home")
    script = [JIXIAO]
    try:
        from jixiao.seed import load_seed
        from jixiao.writers import json as json_writer

        table = json_writer.write(load_seed()[:1], tmp / "t.json")
        subprocess.run([*script, "search", "预热"], env=env, capture_output=True, check=True)
        commands = {
            "jixiao --help": (["--help"], 0.2),
            "jixiao parse --help": (["parse", "--help"], None),
            "jixiao parse t.json": (["parse", str(table)], None),
            "jixiao library list": (["library", "list"], None),
            "jixiao search 普法宣传": (["search", "普法宣传"], 0.6),
            "jixiao search (new query)": (["search", "给社工发工资的项目{n}"], 0.6),
        }
        print(f"{'command':<28}{'median':>9}{'best':>9}{'imports':>9}  heaviest imports")
        for name, (argv, target) in commands.items():
            times = wall([*script, *argv], env, args.runs)
            total, per = imports(["-m", "jixiao", *argv], env)
            heavy = sorted(per.items(), key=lambda kv: -kv[1])[:6]
            shown = ", ".join(f"{k} {v * 1000:.0f}" for k, v in heavy)
            goal = f"  (target ≤ {target} s)" if target else ""
            print(
                f"{name:<28}{statistics.median(times):>8.3f}s{min(times):>8.3f}s"
                f"{total:>8.3f}s  {shown} ms{goal}"
            )
        print(
            f"({args.runs} runs each; `python -c pass`: {min(wall([PYTHON, '-c', 'pass'], env, 5)):.3f} s)"
        )
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()

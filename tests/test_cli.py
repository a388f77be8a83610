"""The installed `jixiao` command, run as a user would."""

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

SEED = resources.files("jixiao").joinpath("data/seed/000_33e3c13fb73fd403.txt")
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared/seed/000_33e3c13fb73fd403.txt"


def jixiao(*args, cwd=None):
    exe = Path(sys.executable).parent / "jixiao"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_parse_seed_to_json():
    run = jixiao("parse", str(SEED), "--format", "json")
    assert run.returncode == 0, run.stderr
    tables = json.loads(run.stdout)
    assert len(tables) == 14
    assert sum(len(t["indicators"]) for t in tables) == 93
    assert tables[1]["budget_total"] == "309074.16"
    assert "Read 14 tables (93 indicator rows)" in run.stderr


def test_bundled_seed_is_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("../shared/seed is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_parse_folder_to_xlsx_and_back(tmp_path):
    out = tmp_path / "all.xlsx"
    run = jixiao("parse", str(SEED), "--format", "xlsx", "--out", str(out))
    assert run.returncode == 0, run.stderr
    back = jixiao("parse", str(tmp_path), "--format", "md")
    assert back.returncode == 0
    assert back.stdout.count("## ") == 14


def test_demo_writes_files(tmp_path):
    run = jixiao("demo", "--out", str(tmp_path / "d"))
    assert run.returncode == 0, run.stderr
    assert {p.name for p in (tmp_path / "d").iterdir()} == {
        "seed.docx",
        "seed.xlsx",
        "seed.md",
        "seed.json",
    }
    assert "法援中心工作专项经费" in run.stdout


def test_help_explains():
    run = jixiao("parse", "--help")
    assert run.returncode == 0 and "Exit code" in run.stdout
    assert jixiao("nonsense").returncode != 0

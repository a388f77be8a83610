"""Serving the app: options and environment, offline settings, the library seeded and the index
warmed on start, bound to 127.0.0.1 unless told otherwise.

    python app.py [--host H] [--port N] [--auth 用户名:密码] [--root-path /jixiao]

or JIXIAO_UI_HOST, JIXIAO_UI_PORT, JIXIAO_UI_AUTH, JIXIAO_UI_ROOT_PATH.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from dataclasses import dataclass

from jixiao.ui.uploads import MAX_UPLOAD_MB, app_temp_root

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
# Nothing leaves the machine: no analytics, no version check, no hub look-ups.
OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}


@dataclass
class Options:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    auth: tuple[str, str] | None = None
    root_path: str = ""


def parse(argv: list[str], env: dict[str, str] | None = None) -> Options:
    """Options from the command line, else the environment, else the defaults."""
    env = dict(os.environ) if env is None else env
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="启动绩效目标表审核与编制助手（网页版）。默认只在本机 127.0.0.1:7860 提供服务。",
        add_help=False,
    )
    p = parser.add_argument_group("选项")
    p.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    p.add_argument(
        "--host",
        default=env.get("JIXIAO_UI_HOST", DEFAULT_HOST),
        metavar="地址",
        help="监听地址（环境变量 JIXIAO_UI_HOST）；供局域网或反向代理访问时用 0.0.0.0",
    )
    p.add_argument(
        "--port",
        type=int,
        default=int(env.get("JIXIAO_UI_PORT", DEFAULT_PORT)),
        metavar="端口",
        help="端口（环境变量 JIXIAO_UI_PORT），默认 7860",
    )
    p.add_argument(
        "--auth",
        default=env.get("JIXIAO_UI_AUTH"),
        metavar="用户名:密码",
        help="要求登录（环境变量 JIXIAO_UI_AUTH）",
    )
    p.add_argument(
        "--root-path",
        default=env.get("JIXIAO_UI_ROOT_PATH", ""),
        metavar="路径",
        help="在反向代理的子路径下提供服务时的路径，如 /jixiao（环境变量 JIXIAO_UI_ROOT_PATH）",
    )
    a = parser.parse_args(argv)
    auth = None
    if a.auth:
        user, sep, password = a.auth.partition(":")
        if not sep or not user or not password:
            parser.error("--auth 应写成 用户名:密码")
        auth = (user, password)
    if not 0 < a.port < 65536:
        parser.error(f"端口 {a.port} 不可用；请给 1–65535 之间的数")
    return Options(a.host, a.port, auth, a.root_path)


def offline() -> None:
    """Set before gradio is imported: it reads these at import and at launch."""
    for k, v in OFFLINE_ENV.items():
        os.environ[k] = v
    os.environ.setdefault("GRADIO_TEMP_DIR", str(app_temp_root() / "uploads"))


def serve(opts: Options, ws=None):
    """Build the app over `ws` (or the environment's library) and start serving it in the
    background; returns the app (`app.close()` stops it) and its address."""
    offline()
    from jixiao.ui.blocks import build
    from jixiao.ui.context import Context
    from jixiao.ui.theme import CSS, theme

    ctx = Context.open(ws)
    ctx.ws.tables()  # seeds the library on first start
    threading.Thread(target=_warm, args=(ctx,), daemon=True).start()
    app = build(ctx)
    app.queue(default_concurrency_limit=4)
    app.launch(
        server_name=opts.host,
        server_port=opts.port,
        auth=opts.auth,
        auth_message="请输入用户名和密码。" if opts.auth else None,
        root_path=opts.root_path or None,
        max_file_size=f"{MAX_UPLOAD_MB}mb",
        theme=theme(),
        css=CSS,
        ssr_mode=False,
        footer_links=[],
        show_error=True,
        quiet=True,
        inbrowser=False,
        prevent_thread_lock=True,
    )
    return app, f"http://{opts.host}:{opts.port}{opts.root_path}/"


def _warm(ctx) -> None:
    """Open the index (and load the embedding model) before the first search or draft."""
    try:
        ctx.ws.search("预算", k=1)  # opens the index and loads the embedding model
    except Exception as exc:  # noqa: BLE001 — search will say what is wrong when asked
        ctx.ws.notes.append(f"资料库索引未能打开（{type(exc).__name__}）：检索和起草可能不可用。")


def main(argv: list[str] | None = None) -> None:
    opts = parse(sys.argv[1:] if argv is None else argv)
    print("正在启动（第一次启动要建立资料库和检索索引，约需半分钟）…", flush=True)
    try:
        app, where = serve(opts)
    except OSError as exc:
        sys.exit(f"无法在 {opts.host}:{opts.port} 启动：{exc}；请用 --port 换一个端口。")
    print(f"绩效目标表审核与编制助手（网页版）：请在浏览器中打开 {where}", flush=True)
    print("按 Ctrl-C 停止。", flush=True)
    try:
        app.block_thread()
    except KeyboardInterrupt:
        pass

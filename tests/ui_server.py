"""One web UI server for the UI tests (API and browser): served in-process on 127.0.0.1 and a
free port over a seeded library whose index is built once.

A test module uses it with `from ui_server import ui_server_fixture  # noqa: F401`.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Served:
    url: str
    home: Path
    ws: object
    app: object


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session", name="ui_server")
def ui_server_fixture(tmp_path_factory, seed_vectors):
    """The app over a fresh seeded library (its vectors from the run's seed cache), for the
    whole session."""
    from conftest import warm

    from jixiao.settings import Settings
    from jixiao.ui.server import Options, serve
    from jixiao.workspace import Workspace

    home = warm(tmp_path_factory.mktemp("ui-home"), seed_vectors)
    ws = Workspace(Settings(home=home), model=None)
    ws.search("预算", k=1)  # the index, built before any test waits on it
    app, url = serve(Options(port=free_port()), ws)
    yield Served(url, home, ws, app)
    app.close()

import socket
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[1] / "eval/datasets/real/files"


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """No test touches real user state, and no test calls a model it did not plan to."""
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    for name in (
        "JIXIAO_LLM_BASE_URL",
        "JIXIAO_LLM_MODEL",
        "JIXIAO_LLM_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "OPENAI_API_KEY",
        "JIXIAO_CHROMA_URL",
        "JIXIAO_EMBED_URL",
        "JIXIAO_EMBED_MODEL",
        "JIXIAO_EMBED_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JIXIAO_LLM_ALLOW", "")  # any model call fails loudly unless allowed


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests never reach the network: any connection outside loopback fails loudly."""
    real = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1")
            and "/" not in host
        ):
            raise RuntimeError(f"test tried to reach the network: {address}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def chat_home(tmp_path_factory, seed_vectors) -> Path:
    """One library home the assistant's tests share, built once and only read: the seed (14
    tables of 天津市滨海新区司法局 and its 法律援助中心) plus 主体班 (X02, money in 万元) and
    浮梁县林业局 (X05, no project name, no budget)."""
    from jixiao.readers import read_path
    from jixiao.settings import Settings
    from jixiao.workspace import Workspace

    home = warm(tmp_path_factory.mktemp("chat-home"), seed_vectors)
    ws = Workspace(Settings(home=home), model=None)
    ws.add(read_path(REAL / "X02.docx") + read_path(REAL / "X05.xlsx"))
    return home


@pytest.fixture
def server_for(monkeypatch):
    """Start scripted OpenAI-compatible servers on 127.0.0.1 (`fake_openai`), each the only
    endpoint the client may call; closed after the test."""
    from fake_openai import FakeOpenAI

    servers = []

    def start(script):
        server = FakeOpenAI(script)
        servers.append(server)
        monkeypatch.setenv("JIXIAO_LLM_ALLOW", server.url)
        return server

    yield start
    for s in servers:
        s.close()


@pytest.fixture(scope="session")
def seed_vectors(tmp_path_factory) -> Path:
    """The embedding cache a seeded home ends with, made once per run by really opening one: a
    test about something else starts its home from it, as a user's home holds the vectors it
    made before. Tests of a first start (the model loaded, the seed embedded) do not use it."""
    import sqlite3

    from jixiao.index import open_index

    home = tmp_path_factory.mktemp("seed-vectors") / "home"
    with pytest.MonkeyPatch.context() as env:  # (made before any test's own settings apply)
        for name in ("JIXIAO_EMBED_URL", "JIXIAO_EMBED_MODEL", "JIXIAO_CHROMA_URL"):
            env.delenv(name, raising=False)
        env.setenv("JIXIAO_HOME", str(home))
        open_index(home, "")
    out = home.parent / "embeddings.sqlite"
    with sqlite3.connect(home / "cache" / "embeddings.sqlite") as src, sqlite3.connect(out) as dst:
        src.backup(dst)  # one self-contained file, whatever is still in the write-ahead log
    return out


@pytest.fixture
def warm_home(tmp_path, seed_vectors) -> Path:
    """`tmp_path / "home"` (where JIXIAO_HOME points) with the seed's vectors in its cache: its
    first open builds the store and the index from the library as always, and embeds only what
    the seed lacks."""
    return warm(tmp_path / "home", seed_vectors)


def warm(home: Path, seed_vectors: Path) -> Path:
    """`home` with a copy of the seed's embedding cache (its own: a test may add to it)."""
    import shutil

    (home / "cache").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed_vectors, home / "cache" / "embeddings.sqlite")
    return home

import socket

import pytest


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

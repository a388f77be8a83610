"""Vectors from an OpenAI-compatible embeddings endpoint (JIXIAO_EMBED_URL) instead of the
bundled model: a real HTTP server on 127.0.0.1 answering `POST /v1/embeddings` as
text-embeddings-inference or vLLM do, with stand-in vectors (characters and bigrams hashed)."""

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from jixiao.seed import load_seed
from jixiao.writers import json as json_writer

BIN = Path(sys.executable).parent
DIM = 384


def stand_in(text: str) -> list[float]:
    """A vector that is near for texts sharing characters and bigrams (enough to rank)."""
    v = np.zeros(DIM)
    for gram in list(text) + [text[i : i + 2] for i in range(len(text) - 1)]:
        v[int(hashlib.md5(gram.encode()).hexdigest(), 16) % DIM] += 1.0
    return (v / (np.linalg.norm(v) or 1.0)).tolist()


class Endpoint(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 — the http.server name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(body)
        texts = body["input"]
        data = [
            {"object": "embedding", "index": i, "embedding": stand_in(t.split(": ", 1)[-1])}
            for i, t in enumerate(texts)
        ]
        reply = json.dumps({"object": "list", "model": body["model"], "data": data[::-1]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply.encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def endpoint():
    """The server's base URL (…/v1); what it received is in `Endpoint.received`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def jixiao(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "OPENAI_"))}
    return subprocess.run(
        [str(BIN / "jixiao"), *args],
        env=clean | {"JIXIAO_HOME": str(home)} | env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_library_is_embedded_and_searched_through_the_endpoint(endpoint, tmp_path):
    Endpoint.received.clear()
    home = tmp_path / "home"
    table = load_seed()[0].model_copy(deep=True)
    table.project = "端点测试用的普法宣传项目"
    path = json_writer.write([table], tmp_path / "t.json")
    use = {"JIXIAO_EMBED_URL": endpoint, "JIXIAO_EMBED_MODEL": "e5-test"}
    added = jixiao(home, "library", "add", str(path), **use)
    assert added.returncode == 0, added.stderr
    found = jixiao(home, "search", "普法宣传项目", "--kind", "table", "--mode", "dense", **use)
    assert found.returncode == 0, found.stderr
    assert "端点测试用的普法宣传项目" in found.stdout  # ranked by the endpoint's vectors
    inputs = [t for body in Endpoint.received for t in body["input"]]
    assert {body["model"] for body in Endpoint.received} == {"e5-test"}
    assert all(t.startswith(("passage: ", "query: ")) for t in inputs)  # e5's prefixes
    assert "query: 普法宣传项目" in inputs
    passages = [t for t in inputs if t.startswith("passage: ")]
    assert len(passages) == len(set(passages))  # each distinct text sent once
    ledger = json.loads((home / "index" / "dense.json").read_text())
    assert ledger["model"] == f"{endpoint}|e5-test" and table.id in ledger["tables"]


def test_another_endpoint_model_rebuilds_the_vectors(endpoint, tmp_path):
    home = tmp_path / "home"
    first = jixiao(home, "search", "法律援助", JIXIAO_EMBED_URL=endpoint, JIXIAO_EMBED_MODEL="a")
    assert first.returncode == 0, first.stderr
    Endpoint.received.clear()
    second = jixiao(home, "search", "法律援助", JIXIAO_EMBED_URL=endpoint, JIXIAO_EMBED_MODEL="b")
    assert second.returncode == 0 and "向量来源已改为" in second.stderr, second.stderr
    assert {body["model"] for body in Endpoint.received} == {"b"}
    assert sum(len(body["input"]) for body in Endpoint.received) > 100  # the seed, again
    # The vectors kept beside the keywords (what a search reads) are the new model's too.
    manifest = json.loads((home / "index" / "lexical" / "manifest.json").read_text())
    assert manifest["vectors"] == f"{endpoint}|b"


def test_an_endpoint_that_does_not_answer_is_said_in_one_sentence(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    run = jixiao(
        tmp_path / "home", "search", "普法", JIXIAO_EMBED_URL=f"http://127.0.0.1:{port}/v1"
    )
    assert run.returncode == 2
    assert "向量服务" in run.stderr and "JIXIAO_EMBED_URL" in run.stderr
    assert "Traceback" not in run.stderr

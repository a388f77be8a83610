"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat API and replays scripted replies.

It stands in for the model's intelligence only: the client, HTTP, retries, time-outs, JSON
parsing and caching all run for real against it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# status, content (or raw body for errors; or the whole assistant message, as a dict), delay
Reply = tuple[int, str | dict, float]


def ok(content: str, delay: float = 0.0) -> Reply:
    return (200, content, delay)


def cut(content: str) -> Reply:
    """A reply the server stopped at the request's `max_tokens` (finish_reason `length`)."""
    return (200, {"role": "assistant", "content": content, "_finish": "length"}, 0.0)


def tool_calls(*calls: tuple[str, dict], content: str = "") -> Reply:
    """A reply calling tools: (name, arguments) each, with ids call0, call1 …"""
    message = {
        "role": "assistant",
        "content": content or None,
        "tool_calls": [
            {
                "id": f"call{n}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)},
            }
            for n, (name, args) in enumerate(calls)
        ],
    }
    return (200, message, 0.0)


class FakeOpenAI:
    """`script(request, n)` decides each reply; `requests` records what the client sent."""

    def __init__(self, script: Callable[[dict, int], Reply] | list[Reply]) -> None:
        self.requests: list[dict] = []
        self._script = script
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                with server._lock:
                    n = len(server.requests)
                    server.requests.append(body)
                status, content, delay = server._next(body, n)
                if delay:
                    time.sleep(delay)
                if status == 200:
                    message = (
                        dict(content)
                        if isinstance(content, dict)
                        else {"role": "assistant", "content": content}
                    )
                    finish = message.pop("_finish", None)
                    payload = {
                        "id": f"c{n}",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": finish
                                or ("tool_calls" if message.get("tool_calls") else "stop"),
                                "message": message,
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                    data = json.dumps(payload, ensure_ascii=False).encode()
                else:
                    data = json.dumps({"error": {"message": str(content) or "error"}}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a time-out test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def _next(self, body: dict, n: int) -> Reply:
        if callable(self._script):
            return self._script(body, n)
        return self._script[min(n, len(self._script) - 1)]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

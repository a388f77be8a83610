"""The model-call store under JIXIAO_HOME: a cache of replies and a log of every call.

One SQLite file whose schema moves by numbered migrations (`PRAGMA user_version`), so a home made
by an older jixiao is brought forward, never rebuilt. Only successful replies are cached; every
call, cached, failed or not, is logged with its prompt, sizes and duration (never the key).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

# Migration n brings the schema from version n to n + 1.
MIGRATIONS = [
    "CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, reply TEXT, "
    "created REAL DEFAULT (julianday('now')))",
    "CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, at REAL DEFAULT (julianday('now')), "
    "model TEXT, prompt TEXT, messages_sha TEXT, request_chars INTEGER, reply_chars INTEGER, "
    "cached INTEGER, error TEXT, ms INTEGER)",
]
SCHEMA_VERSION = len(MIGRATIONS)


class CallCache:
    """Reply texts by call, and the call log."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.Lock()
        with self._lock, self._db:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for n in range(version, SCHEMA_VERSION):
                self._db.execute(MIGRATIONS[n])
            if version < SCHEMA_VERSION:
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def key(model: str, messages: list[dict], params: dict) -> str:
        blob = json.dumps(
            {"model": model, "messages": messages, "params": params},
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT reply FROM calls WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, reply: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO calls (key, reply) VALUES (?, ?)", (key, reply)
            )

    def log(
        self,
        model: str,
        prompt: str,
        messages: list[dict],
        reply: str,
        cached: bool = False,
        error: str | None = None,
        start: float | None = None,
    ) -> None:
        """Record one call: which model and prompt, how big, how long, and how it ended."""
        request = json.dumps(messages, ensure_ascii=False, sort_keys=True)
        ms = int((time.perf_counter() - start) * 1000) if start is not None else 0
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO log (model, prompt, messages_sha, request_chars, reply_chars, "
                "cached, error, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    model,
                    prompt,
                    hashlib.sha256(request.encode("utf-8")).hexdigest()[:16],
                    len(request),
                    len(reply),
                    int(cached),
                    error,
                    ms,
                ),
            )

    def entries(self) -> list[dict]:
        """The call log, oldest first."""
        with self._lock:
            cur = self._db.execute(
                "SELECT model, prompt, messages_sha, request_chars, reply_chars, cached, error, ms "
                "FROM log ORDER BY id"
            )
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]

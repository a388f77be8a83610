"""A SQLite cache of model calls, keyed on endpoint, model, messages, parameters and schema."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path


class CallCache:
    """Reply texts by call; only successful replies are ever stored."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, reply TEXT, "
            "created REAL DEFAULT (julianday('now')))"
        )
        self._lock = threading.Lock()

    @staticmethod
    def key(base_url: str, model: str, messages: list[dict], params: dict) -> str:
        blob = json.dumps(
            {"endpoint": base_url, "model": model, "messages": messages, "params": params},
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

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]

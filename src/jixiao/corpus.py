"""The library of filings and policy documents under JIXIAO_HOME, kept as plain JSON files.

One file per table (named by its stable id) and one per policy document, each written atomically
(temporary file + rename), so a process killed mid-import leaves every file whole or absent.
Writers take a lock file, so the UI and a CLI command can share one home.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from jixiao.model import Table
from jixiao.policy import PolicyDoc

ID_LENGTH = 16  # `Table.id`: 16 hex digits


class Library:
    """Tables and policy documents stored under `home/library`."""

    def __init__(self, home: Path, seed: bool = True) -> None:
        self.home = home
        self.tables_dir = home / "library" / "tables"
        self.policy_dir = home / "library" / "policy"
        self.tables_dir.mkdir(parents=True, exist_ok=True)
        self.policy_dir.mkdir(parents=True, exist_ok=True)
        self.problems: list[str] = []
        # Threads of one process take the RLock; processes take the file lock (flock), once per
        # process, by whichever thread holds the RLock first. Re-entry is per thread.
        self._thread_lock = threading.RLock()
        self._held = 0
        # Tables parsed before, by file name, with the (mtime, size) they were read at: a
        # long-running process (the web UI, the assistant) reads a table again only when its file
        # changed. Shared, so callers copy a table before changing it (as the drafter does).
        self._parsed: dict[str, tuple[tuple[int, int], Table]] = {}
        self._parsed_lock = threading.Lock()
        with self.lock():
            self._sweep_partial_writes()
            if seed and not (home / "library" / ".seeded").exists():
                from jixiao.seed import load_seed  # the text reader: needed once per home

                for table in load_seed():
                    self._write(self.tables_dir / f"{table.id}.json", _dump(table))
                (home / "library" / ".seeded").write_text("seed tables imported\n")

    def _sweep_partial_writes(self) -> None:
        """Remove temporary files a killed writer left (only ever under the writers' lock)."""
        for folder in (self.tables_dir, self.policy_dir):
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") and entry.name.endswith(".part"):
                        Path(entry.path).unlink(missing_ok=True)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock for writers across threads and processes (blocking; re-entrant within
        one thread); readers never wait."""
        with self._thread_lock:
            if self._held:
                self._held += 1
                try:
                    yield
                finally:
                    self._held -= 1
                return
            with open(self.home / ".lock", "a+") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                self._held = 1
                try:
                    yield
                finally:
                    self._held = 0
                    fcntl.flock(fh, fcntl.LOCK_UN)

    # --- tables ---------------------------------------------------------------------------

    def add(self, tables: list[Table]) -> tuple[list[Table], list[Table]]:
        """Store tables; returns (added, already there). Re-adding the same table changes nothing."""
        added, present = [], []
        with self.lock():
            for table in tables:
                path = self.tables_dir / f"{table.id}.json"
                if path.exists():
                    present.append(table)
                else:
                    self._write(path, _dump(table))
                    added.append(table)
        return added, present

    def tables(self) -> list[Table]:
        """Every stored table, in a stable order (unit, project, id); unreadable files are noted.
        A table whose file has not changed since this process last read it is not read again."""
        out, seen = [], set()
        with os.scandir(self.tables_dir) as entries:
            files = sorted((e.name, e) for e in entries if e.name.endswith(".json"))
        for name, entry in files:
            try:
                st = entry.stat()
            except OSError:  # removed meanwhile
                continue
            seen.add(name)
            stamp = (st.st_mtime_ns, st.st_size)
            known = self._parsed.get(name)
            if known is not None and known[0] == stamp:
                out.append((name, known[1]))
                continue
            table = self._load(Path(entry.path))
            if table is not None:
                with self._parsed_lock:
                    self._parsed[name] = (stamp, table)
                out.append((name, table))
        with self._parsed_lock:
            for name in set(self._parsed) - seen:
                del self._parsed[name]
        # The file's name is the table's id (`Table.id` would serialize every table again).
        out.sort(key=lambda nt: (nt[1].unit_code, nt[1].unit_name, nt[1].project, nt[0]))
        return [t for _, t in out]

    def ids(self) -> set[str]:
        with os.scandir(self.tables_dir) as entries:
            return {e.name[:-5] for e in entries if e.name.endswith(".json")}

    def has(self, table_id: str) -> bool:
        return (self.tables_dir / f"{table_id}.json").exists()

    def get(self, table_id: str) -> Table | None:
        """A table by id or by a unique id prefix."""
        if not re.fullmatch(r"[0-9a-f]{1,64}", table_id):
            return None  # ids are hex; anything else (a glob pattern, a path) names no table
        whole = self.tables_dir / f"{table_id}.json"
        if len(table_id) == ID_LENGTH and whole.exists():
            return self._load(whole)  # a whole id needs no listing of the folder
        matches = list(self.tables_dir.glob(f"{table_id}*.json"))
        return self._load(matches[0]) if len(matches) == 1 else None

    def remove(self, table_id: str) -> Table | None:
        table = self.get(table_id)
        if table is not None:
            with self.lock():
                (self.tables_dir / f"{table.id}.json").unlink(missing_ok=True)
        return table

    # --- policy ----------------------------------------------------------------------------

    def add_policy(self, doc: PolicyDoc) -> bool:
        """Store a policy document; False when the same text is already there."""
        path = self.policy_dir / f"{doc.doc_id}.json"
        with self.lock():
            if path.exists():
                return False
            self._write(path, doc.model_dump_json(indent=1))
        return True

    def policies(self) -> list[PolicyDoc]:
        docs = []
        for path in sorted(self.policy_dir.glob("*.json")):
            try:
                docs.append(PolicyDoc.model_validate_json(path.read_bytes()))
            except (ValidationError, OSError) as exc:
                self.problems.append(
                    f"{path}：资料库中的这份政策文件无法读取（{type(exc).__name__}），已跳过；"
                    "请删除该文件，再用 `jixiao library add-policy` 重新添加原文件。"
                )
        return docs

    def remove_policy(self, doc_id: str) -> bool:
        path = self.policy_dir / f"{doc_id}.json"
        with self.lock():
            if path.exists():
                path.unlink()
                return True
        return False

    # --- files -----------------------------------------------------------------------------

    def _load(self, path: Path) -> Table | None:
        try:
            return Table.model_validate_json(path.read_bytes())
        except (ValidationError, OSError, ValueError) as exc:
            self.problems.append(
                f"{path}：资料库中的这张表文件无法读取（{type(exc).__name__}），已跳过；"
                "请删除该文件，再用 `jixiao library add` 重新添加原表。"
            )
            return None

    @staticmethod
    def _write(path: Path, text: str) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def _dump(table: Table) -> str:
    return json.dumps(table.model_dump(mode="json"), ensure_ascii=False, indent=1)

"""Opening Office files: empty, truncated, password-protected and old binary files explained."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jixiao.errors import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@contextmanager
def open_zip(path: Path, kind: str) -> Iterator[zipfile.ZipFile]:
    """Open an Office Open XML file (`kind` is "Word" or "Excel") or raise a one-line ReadError."""
    file = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError(file, f"cannot open the file ({exc.strerror})") from None
    if not head:
        raise ReadError(file, "the file is empty")
    if head == OLE_MAGIC:
        raise ReadError(file, _ole_message(path, kind))
    if not head.startswith(b"PK"):
        article = "an" if kind[0] in "AEIOU" else "a"
        raise ReadError(file, f"not {article} {kind} file (it is not an Office Open XML package)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ReadError(
            file, "the file is damaged or truncated (its zip structure is broken)"
        ) from None
    with archive:
        yield archive


def _ole_message(path: Path, kind: str) -> str:
    data = path.read_bytes()
    if (
        "EncryptionInfo".encode("utf-16-le") in data
        or "EncryptedPackage".encode("utf-16-le") in data
    ):
        return "the file is password-protected; save a copy without a password and try again"
    old = {"Word": ".doc", "Excel": ".xls"}.get(kind, "old Office")
    new = {"Word": ".docx", "Excel": ".xlsx"}.get(kind, "a current format")
    return f"this is an old binary {old} file; open it and save it as {new}"

"""Opening Office files: empty, truncated, password-protected and old binary files explained, and
the limits no real 绩效目标表 comes near (a zip bomb or a huge file is refused before it is read)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jixiao.errors import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MB = 1024 * 1024
# Generous for real tables (the largest real workbook we have seen is under 5 MB unpacked).
MAX_FILE_BYTES = 100 * MB
MAX_PART_BYTES = 200 * MB  # one part of an Office package, unpacked
MAX_TABLE_CELLS = 2_000_000  # cells of one sheet or Word table, merged ones counted
MAX_ROWS = 20_000  # rows of one sheet, Word table or text file; a real table has a few hundred


def check_size(path: Path) -> None:
    """Refuse a file larger than any table could be."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(
            str(path),
            f"the file is {size // MB} MB, more than any 绩效目标表 (jixiao reads files up to "
            f"{MAX_FILE_BYTES // MB} MB)",
        )


def read_part(archive: zipfile.ZipFile, name: str, file: str) -> bytes:
    """One part of a package, refused when it would unpack to more than MAX_PART_BYTES."""
    check_part(archive, name, file)
    return archive.read(name)


def check_part(archive: zipfile.ZipFile, name: str, file: str) -> None:
    """Refuse a part that would unpack to more than MAX_PART_BYTES. The declared size is what
    zipfile unpacks at most, so a part cannot grow past it."""
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise ReadError(
            file,
            f"{name} unpacks to {info.file_size // MB} MB, more than any real table "
            f"(limit {MAX_PART_BYTES // MB} MB); the file may be a zip bomb",
        )


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
    check_size(path)
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

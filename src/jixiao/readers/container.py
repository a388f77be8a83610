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
EMPTY = "文件是空的，没有任何内容；请重新导出或重新发送文件。"
NO_TABLE = "没有找到绩效目标表（既没有“项目名称”，也没有“三级指标”“指标值”表头）；请确认提交的文件是否正确。"


def check_size(path: Path) -> None:
    """Refuse a file larger than any table could be."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(
            str(path),
            f"文件大小为 {size // MB} MB，超过任何绩效目标表（jixiao 最多读取 "
            f"{MAX_FILE_BYTES // MB} MB 的文件）；请确认提交的是绩效目标表。",
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
            f"文件中的 {name} 解压后有 {info.file_size // MB} MB，超过任何真实的表"
            f"（上限 {MAX_PART_BYTES // MB} MB），可能是恶意构造的压缩包（zip 炸弹）；"
            "未读取，请确认文件来源。",
        )


@contextmanager
def open_zip(path: Path, kind: str) -> Iterator[zipfile.ZipFile]:
    """Open an Office Open XML file (`kind` is "Word" or "Excel") or raise a one-line ReadError."""
    file = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise ReadError(file, "没有读取这个文件的权限；请检查文件的访问权限。") from None
    except OSError as exc:
        raise ReadError(
            file, f"无法打开文件（{exc.strerror}）；请检查文件是否存在、是否有读取权限。"
        ) from None
    if not head:
        raise ReadError(file, EMPTY)
    check_size(path)
    if head == OLE_MAGIC:
        raise ReadError(file, _ole_message(path, kind))
    if not head.startswith(b"PK"):
        new = {"Word": ".docx", "Excel": ".xlsx"}.get(kind, "新格式")
        raise ReadError(
            file,
            f"不是 {kind} 文件（不是 Office Open XML 格式）；"
            f"请确认文件类型，或用 {kind} 打开后另存为 {new}。",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ReadError(
            file, "文件已损坏或不完整（zip 结构已破坏）；请重新导出或重新发送文件。"
        ) from None
    with archive:
        yield archive


def _ole_message(path: Path, kind: str) -> str:
    data = path.read_bytes()
    if (
        "EncryptionInfo".encode("utf-16-le") in data
        or "EncryptedPackage".encode("utf-16-le") in data
    ):
        return "文件设有密码，无法读取；请另存一份不带密码的副本后重新提交。"
    old = {"Word": "Word（.doc）", "Excel": "Excel（.xls）"}.get(kind, "Office")
    new = {"Word": ".docx", "Excel": ".xlsx"}.get(kind, ".docx 或 .xlsx")
    return f"这是旧版 {old} 文件，jixiao 无法直接读取；请打开后另存为 {new}。"

"""Files people upload: each session's own folder under the app's temp dir, names that cannot
leave it, zips unpacked with limits, and the names shown back as the user sent them."""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from jixiao.errors import Problem
from jixiao.readers import LoadResult

MAX_UPLOAD_MB = 100  # per file; the readers refuse larger ones too
ZIP_MEMBERS = 2000  # files one zip may hold
ZIP_TOTAL = 500 * 1024 * 1024  # bytes one zip may unpack to, from the declared sizes

_root_lock = threading.Lock()
_root: Path | None = None


def app_temp_root() -> Path:
    """The one folder the app writes to (uploads, reports, drafts), made on first use and
    removed when the process ends."""
    global _root
    with _root_lock:
        if _root is None or not _root.exists():
            _root = Path(tempfile.mkdtemp(prefix="jixiao-ui-"))
            atexit.register(shutil.rmtree, _root, True)
        return _root


@dataclass
class Batch:
    """The files of one upload, copied into a folder of their own; what could not be taken."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def session_folder(kind: str) -> Path:
    """A new folder for one job of one session (`审核`, `起草`…), under the app's temp root."""
    folder = app_temp_root() / f"{kind}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def safe_name(name: str) -> str:
    """A file name that stays inside its folder: the last part of the path, no control
    characters, no leading dots, at most 120 characters (the extension kept)."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip().lstrip(".")
    if not base:
        base = "未命名文件"
    stem, dot, ext = base.rpartition(".")
    if dot and len(ext) <= 8:
        return stem[: 120 - len(ext) - 1] + "." + ext
    return base[:120]


def take(uploaded: list[str | Path] | None, kind: str) -> Batch:
    """Copy uploaded files (and the contents of zips) into a new session folder."""
    batch = Batch(session_folder(kind))
    for item in uploaded or []:
        src = Path(item)
        if src.suffix.lower() == ".zip":
            _unzip(src, batch)
        else:
            batch.files.append(_copy(src, batch.folder, safe_name(src.name)))
    return batch


def shown(result: LoadResult, folder: Path) -> LoadResult:
    """The same tables and problems with file names as the user sent them (the session folder
    left out of every name and message)."""
    prefix = str(folder) + "/"
    for t in result.tables:
        if t.source is not None:
            t.source.file = t.source.file.replace(prefix, "")
    for p in result.problems:
        p.file = p.file.replace(prefix, "")
        p.message = p.message.replace(prefix, "")
    return result


def _copy(src: Path, folder: Path, name: str) -> Path:
    dest = _free(folder / name)
    shutil.copyfile(src, dest)
    return dest


def _free(path: Path) -> Path:
    """`path`, or `name (2).ext` when two uploads share a name."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return candidate


def _unzip(src: Path, batch: Batch) -> None:
    label = safe_name(src.name)
    try:
        archive = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError):
        batch.problems.append(
            Problem(
                file=label, message="不是有效的 zip 压缩包；请重新压缩后上传。", severity="error"
            )
        )
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > ZIP_MEMBERS or sum(m.file_size for m in members) > ZIP_TOTAL:
            batch.problems.append(
                Problem(
                    file=label,
                    message=f"压缩包过大（最多 {ZIP_MEMBERS} 个文件、解压后 {ZIP_TOTAL // 2**20} MB）；"
                    "请分批上传。",
                    severity="error",
                )
            )
            return
        sub = batch.folder / Path(label).stem
        for m in members:
            parts = [safe_name(p) for p in _member_name(m).split("/") if p not in ("", ".", "..")]
            if not parts or parts[-1].startswith("~$") or "__MACOSX" in parts:
                continue
            if parts[-1].lower().endswith(".zip"):
                batch.problems.append(
                    Problem(
                        file=f"{label}/{'/'.join(parts)}",
                        message="压缩包里的压缩包不会打开；请解压后再上传。",
                        severity="error",
                    )
                )
                continue
            dest = _free(sub.joinpath(*parts))
            if not dest.resolve().is_relative_to(batch.folder.resolve()):
                continue  # cannot happen with safe parts; kept as the last word
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(m) as fin, dest.open("wb") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
            batch.files.append(dest)


def _member_name(m: zipfile.ZipInfo) -> str:
    """The member's name; zips made on Chinese Windows store GBK names without the UTF-8 flag."""
    name = m.filename
    if not m.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/")

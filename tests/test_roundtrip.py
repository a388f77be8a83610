"""Every seed table written by our writers and read back by our readers is the same table."""

import zipfile
from pathlib import Path

import pytest

from jixiao.readers import read_path
from jixiao.seed import load_seed
from jixiao.values import parse_value
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer
from jixiao.writers import markdown as md_writer
from jixiao.writers import text as text_writer
from jixiao.writers import xlsx as xlsx_writer

WRITERS = {
    "docx": docx_writer.write,
    "xlsx": xlsx_writer.write,
    "json": json_writer.write,
    "txt": text_writer.write,
}


@pytest.fixture(scope="module")
def seed():
    return load_seed()


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("n", range(14))
def test_one_table_round_trip(seed, tmp_path, fmt, n):
    path = tmp_path / f"t{n}.{fmt}"
    WRITERS[fmt]([seed[n]], path)
    problems = []
    back = read_path(path, problems)
    assert len(back) == 1
    assert back[0].content() == seed[n].content()
    assert back[0].id == seed[n].id
    # Office files point at themselves; our JSON keeps the provenance it was written with.
    expected_file = seed[n].source.file if fmt == "json" else str(path)
    assert back[0].source.file == expected_file
    assert problems == []


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_all_tables_in_one_file(seed, tmp_path, fmt):
    path = tmp_path / f"all.{fmt}"
    WRITERS[fmt](seed, path)
    back = read_path(path)
    assert [t.id for t in back] == [t.id for t in seed]
    assert [t.source.table_index for t in back] == list(range(14))


def test_docx_merges_level_cells(seed, tmp_path):
    path = docx_writer.write([seed[4]], tmp_path / "t5.docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    # 产出 spans 6 rows, 效益 2: level-1 and level-2 runs are vertical merges, as in the original.
    assert xml.count('w:vMerge w:val="restart"') >= 4
    from docx import Document

    grid = Document(str(path)).tables[0]
    first, last = 5, 5 + 5  # header block is 5 rows; 产出指标 occupies rows 5..10
    assert grid.cell(first, 0)._tc is grid.cell(last, 0)._tc
    assert grid.cell(first, 0).text == "产出指标"
    assert grid.cell(first, 1)._tc is grid.cell(first + 1, 1)._tc  # the two 数量指标 rows


def test_xlsx_merges_level_cells(seed, tmp_path):
    from openpyxl import load_workbook

    path = xlsx_writer.write([seed[4]], tmp_path / "t5.xlsx")
    ws = load_workbook(path).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    indicator_header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "一级指标")
    a = indicator_header + 1
    assert f"A{a}:A{a + 5}" in merged  # 产出指标 over six rows
    assert f"B{a}:B{a + 1}" in merged  # 数量指标 over two rows
    assert ws.cell(a, 1).value == "产出指标"


def test_markdown_shows_every_row(seed):
    text = md_writer.dumps(seed)
    assert (
        text.count("\n| 产出指标 |") + text.count("\n| 效益指标 |") + text.count("\n| 满意度指标 |")
        == 93
    )
    assert "309074.16" in text


def test_text_writer_reproduces_the_seed_file_layout(seed):
    from importlib import resources

    original = (
        resources.files("jixiao").joinpath("data/seed/000_33e3c13fb73fd403.txt").read_text("utf-8")
    )
    ours = text_writer.dumps(seed)
    # Same rows, same cells: the indicator block of table 1 reads identically line by line.
    block = original[original.index("\t一级指标") : original.index(" 2.2023")].rstrip()
    assert block in ours


def test_xlsx_value_written_as_equals_text_is_no_formula(seed, tmp_path):
    # `=100%` is a target as people write it; stored as text, it is no formula left uncalculated.
    table = seed[0].model_copy(deep=True)
    table.indicators[0].value = parse_value("=100%")
    problems = []
    [back] = read_path(xlsx_writer.write([table], tmp_path / "eq.xlsx"), problems)
    assert back.indicators[0].value.raw == "=100%"
    assert problems == []


def test_distinct_tables_keep_their_year_and_id_through_every_format(tmp_path):
    # Generated tables (benchmarks/distinct.py), half of them with a year that neither the
    # title nor the project name carries: it must be written and read back, or the id changes
    # and the same table added from Word and from JSON becomes two library entries.
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from distinct import generated

    tables = [_as_a_form_holds_it(t) for t in generated(24, seed=11)]
    for n, t in enumerate(tables[::2]):
        bare = {f: re.sub(r"20\d\d年度?", "", getattr(t, f)) for f in ("title", "project")}
        tables[2 * n] = t.model_copy(update=bare)
    assert sum(str(t.year) not in t.title + t.project for t in tables) == 12
    for fmt, write in WRITERS.items():
        path = write(tables, tmp_path / f"all.{fmt}")
        problems = []
        back = read_path(path, problems)
        assert [t.year for t in back] == [t.year for t in tables], fmt
        assert [t.id for t in back] == [t.id for t in tables], fmt


def _as_a_form_holds_it(t):
    """The generated table as a form can hold it: a blank level cell is a merged one (it reads
    as the row above's), and the text format keeps each cell on one line."""
    rows, above = [], ("", "")
    for ind in t.indicators:
        level1, level2 = ind.level1 or above[0], ind.level2 or above[1]
        one_line = {f: " ".join(getattr(ind, f).split("\n")) for f in ("name", "description")}
        rows.append(ind.model_copy(update={"level1": level1, "level2": level2, **one_line}))
        above = (level1, level2)
    return t.model_copy(update={"indicators": rows})

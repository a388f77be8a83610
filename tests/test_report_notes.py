"""The reviewer's note check_not_run reaches every report like any other info finding."""

from openpyxl import load_workbook

from jixiao.findings import ReviewResult
from jixiao.rules import check
from jixiao.seed import load_seed
from jixiao.writers import report, report_xlsx


def result_without_budget() -> ReviewResult:
    # Seed table 1 (人均工资标准≤7.2万元/年, 6 social workers) with its budget gone.
    table = load_seed()[0].model_copy(
        update={"budget_total": None, "budget_fiscal": None, "budget_other": None}
    )
    return ReviewResult(tables=[table], findings=check(table), files_read=1)


def test_check_not_run_is_shown_in_markdown_html_and_xlsx(tmp_path):
    result = result_without_budget()
    [note] = [f for f in result.findings if f.code == "check_not_run"]
    assert note.severity == "info" and note.row is None
    md = report.markdown(result)
    assert "| 整表 | 提示 | 未能完成的核对（check_not_run） |" in md
    assert "补充预算数（元或万元）后重新审阅" in md
    html = report.html(result)
    assert "<div class='finding info'><span class='sev'>提示</span><b>未能完成的核对</b>" in html
    path = report_xlsx.write(result, tmp_path / "r.xlsx")
    rows = list(load_workbook(path)["问题清单"].iter_rows(min_row=2, values_only=True))
    assert any(r[9] == "check_not_run" and "预算数" in r[10] for r in rows)

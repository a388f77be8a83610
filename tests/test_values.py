"""The value grammar: examples from DOMAIN.md and properties that must hold for any input."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.model import money_in_yuan
from jixiao.values import canonical_unit, compose_raw, parse_amount, parse_value

CASES = [
    ("≥6人", "≥", "6", "人", "quantitative"),
    ("≤7.2万元/年", "≤", "7.2", "万元/年", "quantitative"),
    ("100%", None, "100", "%", "quantitative"),
    ("≤4000人/次", "≤", "4000", "人/次", "quantitative"),
    ("15万元", None, "15", "万元", "quantitative"),
    ("5万元/人", None, "5", "万元/人", "quantitative"),
    ("2024年12月31日前", None, None, None, "date"),
    ("12月底前", None, None, None, "date"),
    ("每月1期", None, "1", "期/月", "quantitative"),
    ("按规定时间执行", None, None, None, "qualitative"),
    ("效果显著", None, None, None, "qualitative"),
    ("是", None, None, None, "qualitative"),
    (">=90%", "≥", "90", "%", "quantitative"),
    ("≧95%", "≥", "95", "%", "quantitative"),
    ("＞3件", ">", "3", "件", "quantitative"),
    ("═100%", "=", "100", "%", "quantitative"),
    ("<=20万", "≤", "20", "万元", "quantitative"),
    ("≥９５％", "≥", "95", "%", "quantitative"),
    ("≥95百分比", "≥", "95", "%", "quantitative"),
    ("１，０００人", None, "1000", "人", "quantitative"),
    ("≥1,200,000元", "≥", "1200000", "元", "quantitative"),
    ("不低于90%", "≥", "90", "%", "quantitative"),
    ("90%以上", "≥", "90", "%", "quantitative"),
    ("控制在5万元以内", "≤", "5", "万元", "quantitative"),
    ("≤2000元/每人", "≤", "2000", "元/人", "quantitative"),
    ("≤7工作日", "≤", "7", "工作日", "quantitative"),
    ("180", None, "180", None, "quantitative"),
    ("≥85", "≥", "85", None, "quantitative"),
    ("≥**个", "≥", None, None, "unparsed"),
    ("衔接率100%，帮教率100%", None, None, None, "unparsed"),
    ("指标1", None, None, None, "unparsed"),
    ("", None, None, None, "empty"),
    ("   ", None, None, None, "empty"),
]


@pytest.mark.parametrize("raw,comparator,number,unit,kind", CASES)
def test_examples(raw, comparator, number, unit, kind):
    v = parse_value(raw)
    assert v.raw == raw
    assert (v.comparator, v.unit, v.kind) == (comparator, unit, kind)
    assert v.number == (Decimal(number) if number is not None else None)


def test_money_normalizes_to_yuan():
    assert parse_value("≤30.28万元").yuan == Decimal("302800")
    assert (
        parse_value("≤0.31万元/人").yuan == Decimal("3100")
        and parse_value("≤0.31万元/人").per == "人"
    )
    assert parse_value("≤2000元/每人").yuan == Decimal("2000")
    assert parse_value("≥90%").yuan is None
    assert parse_amount("1,170,000.00") == Decimal("1170000.00")
    assert parse_amount("117", "万元") == Decimal("1170000")
    assert parse_amount("117万元") == Decimal("1170000")
    assert parse_amount("") is None and parse_amount("待定") is None
    # The amount with its breakdown in brackets (real-fresh FA02); brackets alone are no amount.
    assert parse_amount("854万(高标准农田建设400万元,示范建设295万元)") == Decimal("8540000")
    assert parse_amount("(其中财政拨款50万元)") is None


def test_units_canonical():
    assert canonical_unit("百分比") == "%" and canonical_unit("万") == "万元"
    assert canonical_unit("元／每人") == "元/人" and canonical_unit("人次") == "人次"


def test_compose_split_columns():
    assert compose_raw("≥", "6", "人") == "≥6人"
    assert compose_raw("定性", "优", "") == "优"
    assert compose_raw("正向", "95", "%") == "95%"
    assert compose_raw("≤", "30万元", "万元") == "≤30万元"
    # An Excel date serial copied into the unit column is a number, not a unit: both are kept.
    assert compose_raw("=", "44,561", "44,561") == "=44,561 44,561"


@pytest.mark.parametrize(
    "raw",
    [
        "2023.07-2024.01",
        "2020年1月--2020年11月",
        "2020.1.1-2020.12.31",
        "2022年3月-2023年11月",
        "1-12月",
        "2024年—2026年",
        "培训结束后1个月内",
        "接到报修后24小时内",
    ],
)
def test_periods_as_the_wild_writes_them_are_dates(raw):
    assert parse_value(raw).kind == "date"


def test_a_range_of_bare_numbers_is_not_a_date():
    assert parse_value("3-5").kind == "unparsed"


@pytest.mark.parametrize("raw", ["公里", "万亩", "%", "≧ %", "≥**%", "（≥**%）"])
def test_template_residue_is_kept_and_marked_unparsed(raw):
    v = parse_value(raw)
    assert v.kind == "unparsed" and v.raw == raw and v.number is None


def test_units_with_an_alternative_in_brackets():
    v = parse_value("≥260台（套）")
    assert (v.comparator, v.number, v.unit, v.kind) == ("≥", Decimal(260), "台(套)", "quantitative")
    assert parse_value("470人/天").unit == "人/天"


COMPARATORS = {
    "≥": ["≥", ">=", "≧", "大于等于", "不低于", "不少于"],
    "≤": ["≤", "<=", "≦", "小于等于", "不超过", "不高于"],
    "=": ["=", "═", "＝"],
    ">": [">", "＞"],
    "<": ["<", "＜"],
}
UNITS = [
    "%",
    "人",
    "人次",
    "个",
    "件",
    "场",
    "元",
    "万元",
    "元/人",
    "万元/年",
    "工作日",
    "天",
    "月",
    "期",
]
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def quantities(draw):
    canonical = draw(st.sampled_from(sorted(COMPARATORS)))
    spelling = draw(st.sampled_from(COMPARATORS[canonical]))
    number = draw(
        st.decimals(
            min_value=0,
            max_value=10**9,
            places=draw(st.integers(0, 2)),
            allow_nan=False,
            allow_infinity=False,
        )
    )
    unit = draw(st.sampled_from(UNITS))
    return canonical, spelling, number, unit


@given(quantities(), st.booleans(), st.booleans())
def test_any_spelling_reads_back(q, full_width, grouped):
    canonical, spelling, number, unit = q
    text = format(number, "f")
    if grouped and number >= 1000:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    if full_width:
        text = text.translate(FULL)
    raw = f"{spelling}{text}{unit}"
    v = parse_value(raw)
    assert v.raw == raw
    assert (v.comparator, v.number, v.unit, v.kind) == (canonical, number, unit, "quantitative")


@given(st.text(max_size=40))
def test_never_raises_and_keeps_raw(raw):
    v = parse_value(raw)
    assert v.raw == raw
    assert v.kind in {"quantitative", "qualitative", "date", "unparsed", "empty"}
    if v.kind == "quantitative":
        assert v.number is not None


@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    st.sampled_from(["元", "万元", "万元/年", "元/人"]),
)
def test_money_in_yuan(number, unit):
    factor = 10000 if unit.startswith("万") else 1
    assert money_in_yuan(number, unit) == number * factor
    assert parse_value(f"≤{number}{unit}").yuan == number * factor

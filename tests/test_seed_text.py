"""The seed file read table by table against expectations checked by hand from the text."""

from decimal import Decimal

import pytest

from jixiao.readers.text import read
from jixiao.seed import load_seed

# (budget 元, [value raw | comparator | number | unit | kind]) per table, typed from the seed text.
Q = "quantitative"
EXPECTED = [
    (
        "432000.00",
        [
            "≥6人|≥|6|人",
            "≥90%|≥|90|%",
            "≥95%|≥|95|%",
            "≤7.2万元/年|≤|7.2|万元/年",
            "有效保障||||qualitative",
            "≥80%|≥|80|%",
        ],
    ),
    (
        "309074.16",
        [
            "≥400个|≥|400|个",
            "≥90%|≥|90|%",
            "≥98%|≥|98|%",
            "≤75.69万元|≤|75.69|万元",
            "效果显著提升||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "78800.00",
        [
            "≥800人|≥|800|人",
            "≤1%|≤|1|%",
            "≥90%|≥|90|%",
            "≥7.88万|≥|7.88|万元",
            "作用显著||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "249700.00",
        [
            "≤26个|≤|26|个",
            "≥80%|≥|80|%",
            "按规定时间执行||||qualitative",
            "≤30.28万元|≤|30.28|万元",
            "效果显著||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "1170000.00",
        [
            "≥100人|≥|100|人",
            "≥100人|≥|100|人",
            "100%||100|%",
            "≥98%|≥|98|%",
            "≥90%|≥|90|%",
            "≤4000人/次|≤|4000|人/次",
            "效果显著||||qualitative",
            "持续提高||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "878700.00",
        [
            "≥160人|≥|160|人",
            "≤1%|≤|1|%",
            "≥80%|≥|80|%",
            "≤0.31万元/人|≤|0.31|万元/人",
            "显著提高||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "600000.00",
        [
            "≥20个|≥|20|个",
            "完善各项指标申报||||qualitative",
            "≤7工作日|≤|7|工作日",
            "≤60万|≤|60|万元",
            "持续提升||||qualitative",
            "提高建设水平||||qualitative",
            "≥80%|≥|80|%",
        ],
    ),
    (
        "200000.00",
        [
            "≥100人|≥|100|人",
            "100%||100|%",
            "2024年12月31日前||||date",
            "≤20万元|≤|20|万元",
            "持续提高||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "99116.07",
        [
            "≤26个|≤|26|个",
            "≥80%|≥|80|%",
            "按规定时间执行||||qualitative",
            "≤10.22万元|≤|10.22|万元",
            "效果显著||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "250000.00",
        [
            "≥1000场|≥|1000|场",
            "≥80%|≥|80|%",
            "每月1期||1|期/月",
            "15万元||15|万元",
            "≥80%|≥|80|%",
            "≥80%|≥|80|%",
        ],
    ),
    (
        "660000.00",
        [
            "≥100人|≥|100|人",
            "≥98%|≥|98|%",
            "100%||100|%",
            "≥90%|≥|90|%",
            "≥90%|≥|90|%",
            "≤2000元/每人|≤|2000|元/人",
            "5万元/人||5|万元/人",
            "≤400元/每人|≤|400|元/人",
            "效果显著||||qualitative",
            "作用较明显||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "200000.00",
        [
            "≥23个|≥|23|个",
            "≥90%|≥|90|%",
            "≥90%|≥|90|%",
            "≤70万|≤|70|万元",
            "有效提升||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "3228.00",
        [
            "≥900件|≥|900|件",
            "100%||100|%",
            "是||||qualitative",
            "≤20万元/年|≤|20|万元/年",
            "效果显著||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
    (
        "700000.00",
        [
            "≥900件|≥|900|件",
            "100%||100|%",
            "≥60%|≥|60|%",
            "≤15000元/件|≤|15000|元/件",
            "效果显著||||qualitative",
            "≥90%|≥|90|%",
        ],
    ),
]


@pytest.fixture(scope="module")
def seed():
    return load_seed()


def test_fourteen_tables_ninety_three_rows(seed):
    assert len(seed) == 14
    assert sum(len(t.indicators) for t in seed) == 93
    assert [len(t.indicators) for t in seed] == [len(rows) for _, rows in EXPECTED]


@pytest.mark.parametrize("n", range(14))
def test_budget_exact_to_the_fen(seed, n):
    table = seed[n]
    budget = Decimal(EXPECTED[n][0])
    assert table.budget_total == budget
    assert table.budget_fiscal == budget  # every seed table is wholly fiscal money
    assert table.budget_other is None  # 其他资金 is blank throughout the seed
    assert str(table.budget_total) == EXPECTED[n][0]
    assert table.money_unit == "元"


@pytest.mark.parametrize("n", range(14))
def test_every_value_read_right(seed, n):
    for ind, spec in zip(seed[n].indicators, EXPECTED[n][1], strict=True):
        raw, comparator, number, unit, *kind = spec.split("|")
        v = ind.value
        assert v.raw == raw
        assert v.comparator == (comparator or None), raw
        assert v.number == (Decimal(number) if number else None), raw
        assert v.unit == (unit or None), raw
        assert v.kind == (kind[0] if kind and kind[0] else Q), raw


def test_money_values_normalize_to_yuan(seed):
    def cost(n):
        return next(i.value for i in seed[n].indicators if i.level2 == "成本指标")

    assert cost(0).yuan == Decimal("72000") and cost(0).per == "年"
    assert cost(1).yuan == Decimal("756900") and cost(1).per is None
    assert cost(2).yuan == Decimal("78800")  # `≥7.88万`: 万 is 万元
    assert cost(4).yuan is None  # `≤4000人/次` is not money at all
    assert cost(12).yuan == Decimal("200000") and cost(12).per == "年"
    assert cost(13).yuan == Decimal("15000") and cost(13).per == "件"


def test_header_fields(seed):
    first, last = seed[0], seed[13]
    assert (first.unit_code, first.unit_name) == ("343101", "天津市滨海新区司法局")
    assert (last.unit_code, last.unit_name) == ("343201", "天津市滨海新区法律援助中心")
    assert first.project == "天津市滨海新区司法局多种用工人员经费"
    assert first.title == "天津市滨海新区司法局多种用工人员经费绩效目标表"
    assert seed[1].project == "2023年第二批中央转移支付资金其他经费（津财行政指【2023】24号）"
    assert first.purpose.startswith("为各社区矫正中心") and first.purpose.endswith("顺利开展。")
    assert len(seed[12].goals) == 3  # table 13 has three numbered goals
    assert seed[12].goals[2] == "加强法律援助宣传，不断提高法律援助社会知晓率"
    assert all(len(t.goals) == 1 for i, t in enumerate(seed) if i != 12)


def test_merged_levels_filled_down(seed):
    t5 = seed[4]
    assert [i.level1 for i in t5.indicators] == ["产出指标"] * 6 + ["效益指标"] * 2 + ["满意度指标"]
    assert [i.level2 for i in t5.indicators] == [
        "数量指标",
        "数量指标",
        "质量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "社会效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
    ]
    t11 = seed[10]
    assert [i.level2 for i in t11.indicators].count("成本指标") == 3


def test_bookmark_residue_removed_but_recorded(seed):
    row = seed[6].indicators[5]
    assert row.name == "完成第三批法治政府建设综合示范区创建工作"
    assert row.description == "提高法治政府建设水平"
    assert row.artifacts == ["[bookmark: _GoBack]"]


def test_rows_point_back_to_their_lines(seed):
    row = seed[0].indicators[0]
    assert row.source.row == 30 and row.source.table_index == 0
    assert seed[13].indicators[-1].source.table_index == 13


def test_ids_are_stable_and_distinct(seed, tmp_path):
    again = load_seed()
    assert [t.id for t in seed] == [t.id for t in again]
    assert len({t.id for t in seed}) == 14
    # The same content read from another path gets the same id: re-imports are idempotent.
    from importlib import resources

    from jixiao.seed import SEED_FILE

    copy = tmp_path / "copy.txt"
    copy.write_text(
        resources.files("jixiao").joinpath("data/seed", SEED_FILE).read_text("utf-8"),
        encoding="utf-8",
    )
    assert [t.id for t in read(copy)] == [t.id for t in seed]
    assert read(copy)[0].source.file == str(copy)


def test_changed_content_changes_id(seed):
    t = seed[0]
    changed = t.model_copy(deep=True)
    changed.indicators[0].value.raw = "≥7人"
    assert changed.id != t.id

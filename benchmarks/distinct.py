"""Distinct generated tables for the benchmarks (index, review, parse), and a check that they are.

    .venv/bin/python benchmarks/distinct.py [--tables 10000]

A library of varied copies of 30 tables measures caches, not work: the embedding cache answers
for texts it has seen and the rules' caches for names they have seen. Here every table is made
from parts of the 57 labeled and real tables (seed, made, holdout, real layouts) recombined:
a unit from a district and a bureau, a project, a purpose and goals with their own figures, and
5–12 indicator rows drawn from the whole pool with their numbers, places and descriptions
changed. `distinct_share` counts what the index would embed and search; the benchmarks print it
and stop when it is under 95%.
"""

from __future__ import annotations

import argparse
import random
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

from jixiao.documents import table_docs
from jixiao.model import Indicator, Table
from jixiao.values import parse_value

REPO = Path(__file__).resolve().parents[1]
MIN_DISTINCT = 0.95

CITIES = "天津市 北京市 上海市 重庆市 成都市 武汉市 西安市 南京市 杭州市 合肥市 六安市 东莞市 榆林市 赣州市".split()
DISTRICTS = (
    "滨海新区 和平区 河西区 南开区 河北区 红桥区 东丽区 西青区 津南区 北辰区 武清区 宝坻区 宁河区 "
    "静海区 蓟州区 浦东新区 黄浦区 徐汇区 长宁区 朝阳区 海淀区 丰台区 渝中区 江北区 锦江区 青羊区 "
    "江岸区 雁塔区 鼓楼区 西湖区 蜀山区 金安区 裕安区 南城街道 清涧县 浮梁县 石楼县 定边县 瑞金市"
).split()
BUREAUS = (
    "司法局 民政局 教育局 卫生健康委员会 农业农村局 交通运输局 林业局 市场监督管理局 文化和旅游局 "
    "生态环境局 人力资源和社会保障局 住房和城乡建设委员会 应急管理局 退役军人事务局 体育局 "
    "水务局 科学技术局 商务局 统计局 医疗保障局 城市管理委员会 公安分局 法律援助中心 疾病预防控制中心"
).split()
PLACES = "社区 街道 镇 村 园区 学校 医院 站点 服务中心 窗口".split()
GROUPS = "群众 居民 老年人 学生 企业 农户 患者 职工 残疾人 退役军人 困难家庭 新就业群体".split()
AIMS = (
    "提升服务质量 保障工作正常运转 改善基础设施条件 提高群众满意度 加强日常监管 推进信息化建设 "
    "完善应急保障体系 落实惠民政策 规范资金使用 扩大服务覆盖面 强化队伍建设 防范化解风险"
).split()
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@cache
def pool() -> tuple[list[Table], list[Indicator]]:
    """The 57 tables everything is drawn from, and their indicator rows."""
    from jixiao.readers import load
    from jixiao.seed import load_seed

    tables = list(load_seed())
    for folder in (
        "eval/datasets/review/made",
        "eval/datasets/review-holdout",
        "eval/datasets/real/files",
    ):
        tables += load([REPO / folder]).tables
    rows = [i for t in tables for i in t.indicators if i.name and i.value.raw]
    return tables, rows


def generated(n: int, seed: int = 7) -> list[Table]:
    """`n` distinct tables, the same for the same `n` and `seed`."""
    tables, rows = pool()
    rng = random.Random(seed)
    return [_table(i, rng, tables, rows) for i in range(n)]


def _table(i: int, rng: random.Random, tables: list[Table], rows: list[Indicator]) -> Table:
    base = rng.choice(tables)
    city, district, bureau = rng.choice(CITIES), rng.choice(DISTRICTS), rng.choice(BUREAUS)
    year = rng.randint(2019, 2026)
    subject = _subject(base.project) or rng.choice(AIMS)
    place, group, aim = rng.choice(PLACES), rng.choice(GROUPS), rng.choice(AIMS)
    budget = Decimal(rng.randint(2, 4000) * 1000)
    purpose = (
        f"{district}{bureau}{subject}：{_numbers(base.purpose[:160], rng) or aim}"
        f"；覆盖{rng.randint(3, 300)}个{place}，服务{group}约{rng.randint(100, 90000)}人次，{aim}。"
    )
    goals = [
        f"{year}年{aim}，{group}受益{rng.randint(50, 50000)}人次",
        f"完成{place}{rng.choice(AIMS)}任务{rng.randint(2, 60)}项",
    ]
    picked = [rng.choice(rows) for _ in range(rng.randint(5, 12))]
    indicators = [_row(r, rng, district, place, year) for r in picked]
    fiscal = (budget * Decimal(rng.choice((1, 1, 1, 0.8, 0.6)))).quantize(Decimal("1"))
    return Table(
        title=f"{year}年{district}{subject}绩效目标表",
        unit_code=f"{rng.randint(100000, 999999)}",
        unit_name=f"{city}{district}{bureau}",
        project=f"{year}年{district}{subject}（{i:05d}）",
        year=year,
        budget_total=budget,
        budget_fiscal=fiscal,
        budget_other=budget - fiscal,
        purpose=purpose,
        goals=goals,
        indicators=indicators,
    )


def _row(r: Indicator, rng: random.Random, district: str, place: str, year: int) -> Indicator:
    raw = _numbers(r.value.raw, rng)
    where = rng.choice(
        (district, f"{district}各{place}", f"{year}年度{district}", f"{district}全{place[-1]}")
    )
    description = r.description or r.name
    return r.model_copy(
        update={
            "name": r.name if rng.random() < 0.6 else f"{where}{r.name}",
            "description": f"{where}{_numbers(description, rng)}",
            "value": parse_value(raw),
            "source": None,
            "artifacts": [],
        }
    )


def _numbers(text: str, rng: random.Random) -> str:
    """The text with every number changed within its magnitude; rates stay at most 100."""

    def change(m: re.Match) -> str:
        n = float(m.group())
        if 1990 <= n <= 2100 and "." not in m.group():
            return m.group()  # a year stays a year
        ceiling = 100.0 if text[m.end() : m.end() + 1] in ("%", "％") else None
        new = n * rng.uniform(0.5, 1.5) if n else rng.randint(1, 9)
        new = min(new, ceiling) if ceiling else new
        return f"{new:.{len(m.group().split('.')[1])}f}" if "." in m.group() else str(round(new))

    return _NUMBER.sub(change, text)


def _subject(project: str) -> str:
    """What a project is about, without its year, batch and document number."""
    text = re.sub(r"\d{4}年(度)?|（[^）]*）|\([^)]*\)|第[一二三四五六七八九十\d]+批", "", project)
    return text.strip(" -—_")[:30]


def distinct_share(tables: list[Table]) -> dict[str, float]:
    """Shares of distinct texts among the index documents: what is embedded, what is searched."""
    docs = [d for t in tables for d in table_docs(t)]
    return {
        "documents": len(docs),
        "embedded": len({d.embed_text for d in docs}) / max(len(docs), 1),
        "searched": len({d.text for d in docs}) / max(len(docs), 1),
        "tables": len({t.id for t in tables}) / max(len(tables), 1),
    }


def checked(n: int) -> list[Table]:
    """`n` generated tables, after printing how distinct they are; stops under 95%."""
    tables = generated(n)
    share = distinct_share(tables)
    print(
        f"{n} generated tables, {share['documents']:.0f} index documents: distinct texts "
        f"{share['embedded']:.1%} embedded, {share['searched']:.1%} searched, "
        f"{share['tables']:.1%} of table ids (required ≥ {MIN_DISTINCT:.0%})",
        flush=True,
    )
    if min(share["embedded"], share["searched"], share["tables"]) < MIN_DISTINCT:
        raise SystemExit("the generated tables are not distinct enough to measure anything")
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000)
    args = parser.parse_args()
    tables = checked(args.tables)
    t = tables[0]
    print(f"e.g. {t.unit_name}｜{t.project}｜{t.purpose[:60]}…")
    for ind in t.indicators[:3]:
        print(f"     {ind.level1}｜{ind.level2}｜{ind.name}：{ind.value.raw}（{ind.description}）")


if __name__ == "__main__":
    main()

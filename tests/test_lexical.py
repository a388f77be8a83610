"""The lexical index in segments: adding one document set at a time scores like one index built
at once, removal hides, re-adding replaces, and what is saved loads back."""

import pytest

from jixiao.documents import policy_docs, table_docs
from jixiao.lexical import FANOUT, Entry, Lexical
from jixiao.policy import builtin_notes
from jixiao.seed import load_seed

QUERIES = ["法律援助案件数量", "普法宣传活动场次", "满意度", "社区矫正 人员", "预算执行率 2023"]


def entries_of(tables) -> list[list[Entry]]:
    return [[Entry(d.id, d.kind, d.text, d.meta) for d in table_docs(t)] for t in tables]


@pytest.fixture(scope="module")
def per_table():
    seed = load_seed()
    tables = []
    for i in range(12):  # 168 tables: enough for merges of two size classes
        for t in seed:
            copy = t.model_copy(deep=True)
            copy.project = f"{t.project}（第{i}批）"
            tables.append(copy)
    notes = [Entry(d.id, d.kind, d.text, d.meta) for d in policy_docs(builtin_notes())]
    return entries_of(tables) + [notes]


def scores(index: Lexical, query: str) -> dict[str, float]:
    return {i: round(s, 3) for i, s, _, _ in index.top(query, 10_000)}


def test_one_table_at_a_time_scores_as_one_index_and_keeps_few_segments(per_table):
    whole = Lexical().adding([e for es in per_table for e in es])
    grown = Lexical()
    for es in per_table:
        grown = grown.adding(es)
    assert len(grown.parts) < 3 * FANOUT  # merged as it grows, never one segment per table
    assert grown.ids() == whole.ids()
    for q in QUERIES:
        assert scores(grown, q) == scores(whole, q)


def test_hits_carry_text_and_citation_and_filter_by_kind_and_unit(per_table):
    index = Lexical()
    for es in per_table:
        index = index.adding(es)
    [(doc_id, _, text, meta)] = index.top("法律援助案件", 1, kind="indicator")
    assert doc_id.startswith("indicator:") and "法律援助" in text and meta["row"] >= 1
    unit = "天津市滨海新区法律援助中心"
    assert unit in index.units()
    found = index.top("经费", 50, units=[unit])
    assert found and all(m["unit"] == unit for _, _, _, m in found)
    assert all(i.startswith("note:") for i, *_ in index.top("成本 预算", 20, kind="policy"))


def test_removed_documents_are_gone_and_a_new_copy_replaces_the_old(per_table, tmp_path):
    index = Lexical()
    for es in per_table:
        index = index.adding(es)
    first = per_table[0]
    gone = index.removing(e.id for e in first)
    assert not {e.id for e in first} & gone.ids()
    assert all(i not in {e.id for e in first} for i, *_ in gone.top(first[0].text, 500))
    changed = [Entry(e.id, e.kind, e.text + " zqxuniq", e.meta) for e in first]
    again = gone.adding(changed).adding(changed)  # the same ids twice: one live copy each
    hits = again.top("zqxuniq", 100)
    assert sorted(i for i, *_ in hits) == sorted(e.id for e in first)
    again.save(tmp_path / "lexical")
    loaded = Lexical.load(tmp_path / "lexical")
    assert loaded.ids() == again.ids()
    for q in [*QUERIES, "zqxuniq"]:
        assert scores(loaded, q) == scores(again, q)
    segments = {p.name for p in (tmp_path / "lexical").iterdir() if p.is_dir()}
    assert segments == {s.name for s, _ in again.parts}  # merged-away segments are deleted

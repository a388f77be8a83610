"""The offline answerer: the common shapes of question answered from the typed library through
the tools, every figure copied from a table, and a refusal rather than an answer from a weak match.

- a field, category or row of a named project (or of the one discussed last);
- projects matching conditions (`chat.projects`): listed, counted, summed, the highest;
- two projects compared;
- anything else: the best cited passages and rows, labelled 搜索结果, or 资料库中没有….
"""

from __future__ import annotations

import re

from jixiao.catalogue import CATALOGUE
from jixiao.chat import intent, names, render, sources
from jixiao.chat.answer import Cited
from jixiao.chat.categories import NAMES
from jixiao.chat.conversation import Conversation
from jixiao.chat.names import SEP
from jixiao.chat.projects import across_projects
from jixiao.chat.render import Reply
from jixiao.chat.tool_io import Aggregate, FindTables, ReadRow, ReadTable, ReviewTable
from jixiao.chat.transcript import Transcript
from jixiao.chat.unmatched import clarify, near_miss, search
from jixiao.chat.views import best_rows, cite_field
from jixiao.model import Table

SUBJECT_CODES = ["satisfaction_wrong_subject", "satisfaction_subject_unspecified"]
_SPLIT = re.compile(r"和|与|跟|及|、|比|还是|对比|相比|同")


def respond(calls: Transcript, question: str, conversation: Conversation | None) -> Reply:
    """Answer one question with the tools, the conversation giving the project of a follow-up."""
    it = intent.read(question)
    conv = conversation or Conversation()
    found = calls.call("find_tables", FindTables(name=question))
    named = [calls.tools.table(b.table_id) for b in found.tables]
    if found.unexplained:
        return near_miss(calls, found.unexplained[0], found.near)
    if unknown := calls.tools.names.unknown_units(question):
        return near_miss(calls, unknown[0], [], unit=True)
    units = calls.tools.names.units_in(question)
    project_named = bool(named) and not found.by_unit
    if it.compare or (it.total and project_named):
        each = _each_named(calls, question)
        if it.compare and len(each) == 2:
            return compare(calls, it, each)
        if len(each) >= 2:  # 司法所经费和司法所规范化建设经费的预算合计
            named = each
    if it.count_indicators and not project_named and not it.pronoun:
        return across_projects(calls, it, [], units, None)
    if it.about_projects:
        one_project = project_named and len(named) == 1 and not it.listing and not it.count
        one_project = one_project or (project_named and it.total and len(named) == 1)
        if not one_project and not (project_named and it.extreme and not it.listing):
            base = conv.listed if it.pronoun and conv.listed else None
            return across_projects(calls, it, named if project_named else [], units, base)
    if it.units and not project_named:
        return list_units(calls, units)
    focus = named if project_named or (found.by_unit and len(named) == 1) else []
    if not focus and named and found.by_unit:
        return across_projects(calls, it, [], units, None)
    if not focus:
        focus = follow_up(calls, it, question, conv)
    if focus:
        if not it.asks_field and conv.asked and not _own_words(question, focus):
            it = intent.inherit(it, conv.asked)  # 另一个司法所规范化建设经费呢？
        return about(calls, it, question, focus)
    if it.asks_field and not it.policy:
        return clarify(calls)
    return search(calls, question)


def _own_words(question: str, focus: list[Table]) -> str:
    """What a question says beyond the names of the projects it is about."""
    rest = intent.residual(
        names.strip(question, [n for t in focus for n in (t.project, t.unit_name)])
    )
    return "".join(w for w in rest.split(SEP) if len(w) >= 2 and not intent.PRONOUN.fullmatch(w))


def follow_up(
    calls: Transcript, it: intent.Intent, question: str, conv: Conversation
) -> list[Table]:
    """The project(s) a question without a name of its own is about: the last discussed, when it
    points back (它, 那…呢), asks a field or names one of its rows; `另一个` is the one before."""
    known = calls.tools.sources.tables
    if intent.OTHER.search(question):
        ids = [i for i in reversed(conv.seen) if i not in conv.focus]
        return [known[ids[0]]] if ids and ids[0] in known else []
    last = [known[i] for i in conv.focus if i in known]
    if not last or (it.policy and not it.pronoun):
        return []
    if it.pronoun or it.asks_field:
        return last
    rest = intent.residual(question)
    return last if len(it.question) <= 12 and any(best_rows(t, rest) for t in last) else []


def about(calls: Transcript, it: intent.Intent, question: str, focus: list[Table]) -> Reply:
    """What the question asks of each project it names (at most 5 of the same name)."""
    texts, cited, refused = [], [], True
    for t in focus[:5]:
        text, more, missing = about_one(calls, it, question, t)
        texts.append(text)
        cited += more
        refused = refused and missing
    if len(focus) > 5:
        texts.append("另有同名的项目未列出；请写出更完整的项目名称。")
    kind = "refusal" if refused else "answer"
    focus_ids = [t.id for t in focus[:5]]
    return Reply("\n\n".join(texts), cited, kind, refused, focus_ids, asked=intent.asked(it))


def about_one(
    calls: Transcript, it: intent.Intent, question: str, t: Table
) -> tuple[str, list[Cited], bool]:
    """(text, citations, whether the table lacks what was asked) for one project."""
    if refusal := _not_this_table(calls, it, question, t):
        return refusal
    blocks: list[render.Block] = []
    if it.review:
        blocks.append(review(calls, t))
    lacking = False
    if it.fields:
        calls.call("read_table", ReadTable(table_id=t.id, fields=it.fields, rows=False))
        blocks.append(render.fields(t, it.fields))
        lacking = not any(f in sources.field_lines(t) for f in it.fields)
    blocks += categories(calls, it, t)
    if it.conditions.findings and not it.review:
        blocks.append(findings(calls, t, it.conditions.findings))
    shown = {c.citation.row for b in blocks for c in b[1]}
    spelled = [n for n in rows_named(t, question) if n not in shown]
    if blocks and spelled:  # 绩效目标里，农村公路养护里程定的是多少: the row it names, too
        calls.call("read_row", ReadRow(table_id=t.id, row=spelled[0]))
        blocks.append(render.rows(t, spelled, "指标"))
    if blocks:
        text = "\n\n".join(b[0] for b in blocks)
        return text, [c for b in blocks for c in b[1]], lacking and len(blocks) == 1
    rest = intent.residual(names.strip(question, [t.project, t.unit_name]))
    rows = calls.call("read_row", ReadRow(table_id=t.id, query=rest)).rows
    if rows:
        text, cited = render.rows(t, [r.row for r in rows], "相关指标")
        return text, cited, False
    words = render.without_figures("、".join(w for w in rest.split(SEP) if len(w) >= 2))
    if words:
        text = f"{sources.table_name(t)}的表中没有关于“{words}”的内容。表中有：预算数、资金用途、绩效目标和各项指标。"
        return text, [cite_field(t, "project")], True
    calls.call("read_table", ReadTable(table_id=t.id))
    text, cited = render.fields(t, ["budget_total", "purpose", "goals"])
    more, more_cited = render.rows(t, list(range(1, len(t.indicators) + 1)), "指标")
    return f"{text}\n{more}", cited + more_cited, False


def _not_this_table(
    calls: Transcript, it: intent.Intent, question: str, t: Table
) -> tuple[str, list[Cited], bool] | None:
    """A refusal when the table cannot answer: another year than the one asked, or what was
    done rather than planned (a target table holds targets only)."""
    name = sources.table_name(t)
    year = it.conditions.year
    stated = t.year or next((int(y) for y in re.findall(r"(20\d\d)年", t.project + t.title)), None)
    if year and stated != year:
        said = f"是{stated}年的表" if stated else "没有写明年度"
        text = f"资料库中的{name}{said}，没有问题所说年度的表；如要看这张表，请不写年度再问。"
        return text, [cite_field(t, "year" if t.year else "project")], True
    if it.actual:
        rest = intent.residual(names.strip(question, [t.project, t.unit_name]))
        rows = calls.call("read_row", ReadRow(table_id=t.id, query=rest)).rows
        text = f"资料库中没有{name}的实际完成情况：绩效目标表只记目标，实际数要看绩效自评或决算。"
        if not rows:
            return text, [cite_field(t, "project")], True
        more, cited = render.rows(t, [r.row for r in rows], "目标")
        return f"{text}\n{more}", cited, True
    return None


def rows_named(t: Table, question: str) -> list[int]:
    """The rows whose whole name (four characters or more) the question spells out."""
    q = names.normalize(question)
    return [
        n
        for n, ind in enumerate(t.indicators, start=1)
        if len(ind.name) >= 4 and names.normalize(ind.name) in q
    ]


def categories(calls: Transcript, it: intent.Intent, t: Table) -> list[render.Block]:
    """The rows of the categories asked for, all rows, their count, or whose satisfaction."""
    name = sources.table_name(t)
    blocks: list[render.Block] = []
    if it.count_indicators:
        key = it.categories[0] if it.categories else None
        agg = calls.call(
            "aggregate", Aggregate(op="count", of="rows", table_ids=[t.id], category=key)
        )
        title = NAMES[key] if key else "指标"
        numbers = [c.citation.row for c in agg.cited if c.citation.row]
        text, cited = render.rows(t, numbers, title)  # type: ignore[arg-type]
        return [(f"{name}共有{agg.items[0].text}{title}。\n{text}", cited)]
    for key in it.categories or (["__all__"] if it.all_indicators else []):
        view = calls.call(
            "read_table", ReadTable(table_id=t.id, category=None if key == "__all__" else key)
        )
        numbers = [r.row for r in view.rows]
        title = "指标" if key == "__all__" else NAMES[key]
        if not numbers:
            blocks.append((f"{name}的表中没有{title}。", [cite_field(t, "project")]))
            continue
        text, cited = render.rows(t, numbers, title)
        if key == "满意度" and it.subject:
            who = [w for n in numbers if (w := render.subject(t.indicators[n - 1].name))]
            said = "、".join(dict.fromkeys(who))
            text += f"\n调查对象：{said}。" if said else "\n指标名称没有写明调查对象。"
            note, noted = findings(calls, t, SUBJECT_CODES, quiet=True)
            text, cited = (f"{text}\n{note}", cited + noted) if note else (text, cited)
        blocks.append((text, cited))
    return blocks


def review(calls: Transcript, t: Table) -> render.Block:
    outcome = calls.call("review_table", ReviewTable(table_id=t.id))
    name = sources.table_name(t)
    if not outcome.findings:
        return f"{name}：审阅没有发现错误或警告级的问题。", [cite_field(t, "project")]
    lines = [f"{name}审阅发现的问题（错误和警告，共{len(outcome.findings)}个）："]
    for f, c in zip(outcome.findings, outcome.cited, strict=True):
        where = c.label.split(" · ", 1)[1] if f.row and " · " in c.label else "整表"
        level = "错误" if f.severity == "error" else "警告"
        lines.append(
            f"- {where}：{f.title}（{level}）。{f.message}"
            + (f"建议：{f.suggestion}" if f.suggestion else "")
        )
    return "\n".join(lines), outcome.cited


def findings(calls: Transcript, t: Table, codes: list[str], quiet: bool = False) -> render.Block:
    """Whether the review finds these problems in the table (成本超过预算…), and where; `quiet`:
    nothing when it finds none."""
    outcome = calls.call("review_table", ReviewTable(table_id=t.id, min_severity="info"))
    hits = [(f, c) for f, c in zip(outcome.findings, outcome.cited, strict=True) if f.code in codes]
    titles = "、".join(dict.fromkeys(CATALOGUE[code].title for code in codes))
    if not hits:
        return (
            ("", []) if quiet else (f"审阅没有发现“{titles}”的问题。", [cite_field(t, "project")])
        )
    if quiet:
        return "审阅提示：" + "".join(f.message for f, _ in hits), [c for _, c in hits]
    lines = [f"审阅发现“{titles}”：" + "".join(f.message for f, _ in hits)]
    return "\n".join(lines), [c for _, c in hits]


def compare(calls: Transcript, it: intent.Intent, pair: list[Table]) -> Reply:
    of = next((f for f in it.fields if f.startswith("budget")), "budget_total")
    agg = calls.call("aggregate", Aggregate(op="compare", of=of, table_ids=[t.id for t in pair]))
    label = sources.FIELDS[of]
    lines = [f"- {i.name}：{label} {i.text}" for i in agg.items]
    if agg.value is not None and len(agg.items) == 2:
        first, second = agg.items
        lines.append(f"{first.name}比{second.name}多{agg.text}。")
    return Reply("\n".join(lines), agg.cited, focus=[t.id for t in pair])


def _each_named(calls: Transcript, question: str) -> list[Table]:
    """The projects named on either side of 和/与/比…, each part matched on its own."""
    found: list[Table] = []
    for part in _SPLIT.split(question):
        if len(part) < 2:
            continue
        got = calls.tools.names.match(part)
        if got.tables and not got.by_unit and not got.unexplained and got.tables[0] not in found:
            found.append(got.tables[0])
    return found


def list_units(calls: Transcript, units: list[str]) -> Reply:
    """The units of the library (those named, when the question names some), each with its
    tables."""
    tables = [t for t in calls.tools.tables if t.unit_name and (not units or t.unit_name in units)]
    found = calls.call("find_tables", FindTables(table_ids=[t.id for t in tables], k=500))
    by_unit: dict[str, list[Table]] = {}
    for b in found.tables:
        by_unit.setdefault(b.unit, []).append(calls.tools.table(b.table_id))
    lines = [f"资料库中的单位（{'、'.join(units) if units else '全部'}）："]
    cited = []
    for unit, group in by_unit.items():
        lines.append(f"- {unit}：" + "、".join(sources.table_name(t) for t in group))
        cited += [cite_field(t, "unit") for t in group]
    return Reply("\n".join(lines), cited, listed=[t.id for t in tables])

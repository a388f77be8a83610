"""The words of a 绩效目标表: header-field labels, grid column names, cell cleaning, goals."""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.safe_text import has_illegal, xml_safe

# Header fields above or inside the table, by normalized label (see `label_key`).
FIELD_LABELS: dict[str, str] = {
    **dict.fromkeys(["项目名称"], "project"),
    **dict.fromkeys(
        [
            "预算数",
            "年度资金总额",
            "资金总额",
            "预算金额",
            "项目预算",
            "年度预算数",
            "预算总额",
            "年度预算",
            "项目资金总额",
            "资金总额合计",
            "预算资金",
        ],
        "budget_total",
    ),
    **dict.fromkeys(
        ["财政资金", "财政拨款", "本级财政资金", "财政性资金", "一般公共预算资金", "当年财政拨款"],
        "budget_fiscal",
    ),
    **dict.fromkeys(["其他资金", "其他来源资金"], "budget_other"),
    **dict.fromkeys(
        ["预算规模及资金用途", "资金用途", "项目概况", "项目内容", "主要内容", "项目资金用途"],
        "purpose",
    ),
    **dict.fromkeys(
        [
            "绩效目标",
            "年度绩效目标",
            "年度目标",
            "总体目标",
            "年度总体目标",
            "实施目标",
            "项目绩效目标",
        ],
        "goals",
    ),
    **dict.fromkeys(["单位名称", "预算单位", "实施单位", "预算单位名称", "申报单位"], "unit"),
    **dict.fromkeys(["部门名称"], "unit:department"),
    **dict.fromkeys(["主管部门"], "unit:supervisor"),
    **dict.fromkeys(["年度", "预算年度"], "year"),
}

# Unit labels by whom they name, best first: the unit that spends the money and files the
# table (单位名称, 预算单位, 实施单位, 项目单位, 申报单位), a department (部门名称), then the
# supervising department, the level nearest the money first (区级主管部门 before 市级, 省级).
UNIT_ROLES = (
    "unit",
    "unit:department",
    "unit:supervisor",
    "unit:supervisor:city",
    "unit:supervisor:province",
)

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MONEY_UNIT = re.compile(r"(?:金额|资金)?单位\s*[:：]\s*(万元|元)")
_UNIT_LINE = re.compile(r"^(\d{6})\s*[-－—]?\s*([^\d\s\-－—].*)$")
_TITLE = re.compile(r"^\s*(?:\d+\s*[.、．]\s*)?(.*绩效目标(?:申报)?表)\s*$")
_INLINE_FIELD = re.compile(r"^([^:：]{2,16})\s*[:：]\s*(.+)$")
_LABEL_AMOUNT = re.compile(r"^([^:：\d]{2,16}?)\s*[:：]?\s*(\d[\d,]*(?:\.\d+)?\s*(?:万元|元)?)$")
_BRACKET_CODE = re.compile(r"^[\[【(（](\d{3,9})[\]】)）]\s*(\S.*)$|^(\d{3,9})\s*[-－—]\s*(\S.*)$")


def clean(text: str | None, artifacts: list[str]) -> str:
    """Strip a cell and remove extraction residue such as `[bookmark: _GoBack]` and characters
    no document can hold (control characters), recording what was removed."""
    if not text:
        return ""
    found = _BOOKMARK.findall(text)
    if found:
        artifacts.extend(found)
        text = _BOOKMARK.sub("", text)
    if has_illegal(text):
        artifacts.append("控制字符（已删除）")
        text = xml_safe(text)
    return text.strip()


def label_key(text: str) -> str:
    """Normalize a label cell: no spaces, stars, numbering, `其中`, colon or money unit."""
    t = re.sub(r"\s+", "", text).lstrip("*＊")
    t = re.sub(r"^【(.+)】$", r"\1", t)  # 【总体目标】
    t = re.sub(r"[（(](?:单位[:：])?(?:万元|元)[)）]", "", t)
    # A fill-in note after the label: 年度绩效目标(文字), 项目名称（必填）.
    t = re.sub(r"[（(](?:文字|必填|选填|简述|概述|限\d+字)[^)）]{0,6}[)）]$", "", t)
    t = t.removeprefix("其中").lstrip(":：")
    t = re.sub(r"^\d[.、．]|^[（(][一二三四五六七八九十]{1,2}[)）]", "", t)
    return t.rstrip(":：")


# Labels matched by their shape when they are not in FIELD_LABELS; a meaning starting with `-` is a
# label we recognise (so its value is not taken for another field) and leave out of the table.
_FIELD_PATTERNS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(p), field)
    for p, field in [
        # Who a unit label names (see UNIT_ROLES); before `代码$`, so 主管部门及代码 is one.
        (r"^(?:项目)?省级主管(?:预算)?(?:部门|单位)(?:名称|及代码)?$", "unit:supervisor:province"),
        (r"^(?:项目)?市级主管(?:预算)?(?:部门|单位)(?:名称|及代码)?$", "unit:supervisor:city"),
        (
            r"^(?:项目)?(?:区级|县级)?主管(?:预算)?(?:部门|单位)(?:名称|及代码)?$",
            "unit:supervisor",
        ),
        (r"^部门(?:名称|及代码)?$", "unit:department"),
        (
            r"^(?:预算|具体实施|实施|申报|绩效编制|项目)?(?:部门|单位)(?:[(（]单位[)）])?"
            r"(?:名称|及代码)?$",
            "unit",
        ),
        (r"执行率|权重|科目|编码$|代码$|负责人|联系|电话|日期|期限|属性|类型|来源$", None),
        (r"中期", "-midterm"),
        (r"上年结转|结转资金", "-carryover"),
        (r"^(?:项目|专项)(?:[(（](?:项目|专项)[)）])?名称$|^二级项目名称$", "project"),
        (r"^一[*＊]?级项目名称$", "-program"),  # the programme above the project (甘肃 一体化)
        (
            r"^(?:当年|本年)?(?:中央|省级|市级|县级|区级|本级|上级)?财政"
            r"(?:拨款|资金|性资金|补助)(?:数|资金)?(?:小计|合计)?$",
            "budget_fiscal",
        ),
        (r"^其他(?:来源)?资金(?:数)?$|^(?:自有资金|其他收入)(?:小计|合计)?$", "budget_other"),
        (r"^(?:年度|本年度?|当年)?预算安排(?:数)?$|^(?:项目)?总投资$", "budget_total"),
        (r"申请.*(?:预算|资金)", "budget_total"),
        (r"(?:预算|资金|金额|投资|经费)(?:总额|总量|总计|合计|金额|规模)$", "budget_total"),
        (r"^(?:项目|年度|本年度?|当年)(?:预算|资金|金额)(?:数)?$", "budget_total"),
        # `总体目标 年度目标`: a merged side label and the row's own label read as one.
        (r"^(?:(?:当年|年度|整体|总体|项目)*(?:绩效)?总?目标)+(?:总体描述)?$", "goals"),
        (r"^绩效目标总体描述$|^(?:当年|年度)?整体绩效目标$|^年度绩效总目标$", "goals"),
        (r"资金用途|项目概况|项目概述|项目(?:实施)?内容$|^项目(?:总体|基本)?情况$", "purpose"),
    ]
]


@lru_cache(maxsize=4096)
def field_of(text: str) -> str | None:
    """The header field a label cell names (`其中：财政    资金` → `budget_fiscal`), else None."""
    if not text or len(text) > 24:
        return None
    key = label_key(text)
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    if len(key) < 2 or len(key) > 16:
        return None
    for pattern, field in _FIELD_PATTERNS:
        if pattern.search(key):
            return field
    return None


def inline_fields(text: str) -> list[tuple[str, str]]:
    """`项目名称：X` in one cell → [("project", "X")]; one per line (`资金总额:16\n其中：…`)."""
    found = []
    for line in text.splitlines():
        m = _INLINE_FIELD.match(line.strip()) or _LABEL_AMOUNT.match(line.strip())
        if not (m and (field := field_of(m[1]))):
            continue
        value = m[2].strip()
        if field.startswith("budget"):
            # `预算数：50万元，其中财政资金50万元`: the amount, then more labelled amounts.
            first, *rest = re.split(r"[，,；;]\s*", value)
            found.append((field, first))
            found += inline_fields("\n".join(rest)) if rest else []
        else:
            found.append((field, value))
    return found


def money_unit_in(text: str) -> str | None:
    """`单位：元` / `金额单位：万元` / `预算数（万元）` → the money unit named, else None."""
    m = _MONEY_UNIT.search(text)
    if m:
        return m[1]
    m = re.search(r"[（(](万元|元)[)）]", text)
    return m[1] if m and len(text) <= 24 else None


def unit_line(text: str) -> tuple[str, str] | None:
    """`343101天津市滨海新区司法局` → ("343101", "天津市滨海新区司法局")."""
    m = _UNIT_LINE.match(text)
    return (m[1], m[2].strip()) if m else None


def bracket_code(text: str) -> tuple[str, str] | None:
    """`[077]淮北市文化旅游体育局` / `324001-甘孜州…` → ("077", "淮北市文化旅游体育局")."""
    m = _BRACKET_CODE.match(text)
    if not m:
        return None
    return (m[1], m[2].strip()) if m[1] else (m[3], m[4].strip())


_SEVERAL_UNITS = re.compile(r"及各|、|[，,；;]|等(?:单位)?$")


def unit_of(fields: dict[str, str], code: str = "") -> tuple[str, str]:
    """(code, name) of the table's unit from its unit fields: the best role given (UNIT_ROLES),
    its code split off (`[077]…`, `(433001)…`, `324001-…`), or the code another role prints
    beside the same name (主管部门及代码 `[066]六安市农业农村局` | 实施单位 `六安市农业农村局`).

    An 实施单位 that lists several units (`瑞安市教育局及各普惠性民办幼儿园`) names no one unit:
    the next role given is the table's.
    """
    named = [unit_line(t) or bracket_code(t) or ("", t) for t in map(fields.get, UNIT_ROLES) if t]
    named = [(c, n) for c, n in named if n]
    if not named:
        return code, ""
    best_code, name = next((u for u in named if not _SEVERAL_UNITS.search(u[1])), named[0])
    if not code:
        code = best_code or next((c for c, n in named if c and n == name), "")
    return code, name


def title_of(text: str) -> str | None:
    """A table title (`1.XX经费绩效目标表`) without its running number, else None."""
    m = _TITLE.match(text)
    return m[1].strip() if m and len(text) <= 200 else None


def split_goals(text: str) -> list[str]:
    """Numbered goals `1.… 2.…` (one per line or inline) → their texts, numbers removed."""
    text = text.strip()
    if not text:
        return []
    # `1.2026年…` is goal 1 about 2026, not the number 1.2026.
    number = r"(?:^|(?<=[\s；;。]))(\d{1,2})\s*[.、．)）](?:(?!\d)|(?=(?:19|20)\d\d年))"
    marks = list(re.finditer(number, text))
    expected, starts = 1, []
    for m in marks:
        if int(m[1]) == expected:
            starts.append(m)
            expected += 1
    if not starts:
        return [line.strip() for line in text.splitlines() if line.strip()]
    goals = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        goal = re.sub(r"\s*\n\s*", "", text[m.end() : end]).strip()
        if goal:
            goals.append(goal)
    return goals


_YEAR_LINE = re.compile(r"^[（(]?\s*(20\d{2})\s*(?:年度?)?\s*[)）]?\s*(?:年度)?$")


def year_line(text: str) -> int | None:
    """The year a line under the title gives (`(2022年度)`, `（2021年）`, `( 2024 年度)`,
    `(2020)年度`), else None; a bare number is not one."""
    m = _YEAR_LINE.match(text.strip())
    return int(m[1]) if m and m[0].strip() != m[1] else None


def year_of(*texts: str) -> int | None:
    """The first `20XX年` in the project name or title, as the table's year."""
    for text in texts:
        m = re.search(r"(20\d{2})\s*年", text or "")
        if m:
            return int(m[1])
    return None

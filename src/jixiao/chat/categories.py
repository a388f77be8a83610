"""The indicator categories people ask about (时效, 满意度…) and which rows belong to each.

A row belongs by its level-1 or level-2 label (either framework: 成本 is level 2 in the classic
one and level 1 in 2021's); a table printed without category labels is judged by the row's name.
"""

from __future__ import annotations

import re

from jixiao.model import Indicator, Table

# key → (words in a question that name it, regex over the row's labels, regex over a bare name)
CATEGORIES: dict[str, tuple[tuple[str, ...], str, str | None]] = {
    "数量": (("数量指标", "数量"), "数量", None),
    "质量": (("质量指标", "质量"), "质量", None),
    "时效": (
        (
            "时效指标",
            "时效",
            "时限",
            "完成时间",
            "完成时限",
            "截止时间",
            "什么时候",
            "何时",
            "完工",
        ),
        "时效",
        "及时|时限|期限|按时|时间",
    ),
    "成本": (("成本指标", "成本"), "成本", "成本|费用|经费"),
    "经济效益": (("经济效益指标", "经济效益"), "经济效益", None),
    "社会效益": (("社会效益指标", "社会效益"), "社会效益", None),
    "生态效益": (("生态效益指标", "生态效益"), "生态", None),
    "可持续影响": (("可持续影响指标", "可持续影响", "可持续"), "可持续", None),
    "满意度": (("满意度指标", "满意度", "满意率"), "满意", "满意"),
    "产出": (("产出指标",), "产出", None),
    "效益": (("效益指标",), "效益", None),
}
NAMES = {key: f"{key}指标" for key in CATEGORIES}


def in_category(ind: Indicator, key: str) -> bool:
    """Whether a row belongs to the category `key` (a key of `CATEGORIES`)."""
    _, labels, bare = CATEGORIES[key]
    text = f"{ind.level1}{ind.level2}"
    if text.strip():
        return bool(re.search(labels, text)) or (key == "满意度" and "满意度" in ind.name)
    return bool(bare and re.search(bare, ind.name))


def rows_in(table: Table, key: str) -> list[int]:
    """The 1-based rows of `table` in category `key`."""
    return [n for n, ind in enumerate(table.indicators, start=1) if in_category(ind, key)]


def asked(question: str) -> list[str]:
    """The categories a question names, longest words first (`满意度指标` before `满意度`)."""
    words = sorted(
        ((w, key) for key, (ws, _, _) in CATEGORIES.items() for w in ws), key=lambda p: -len(p[0])
    )
    found: list[str] = []
    rest = question
    for word, key in words:
        if word in rest:
            rest = rest.replace(word, "｜")
            if key not in found:
                found.append(key)
    return found

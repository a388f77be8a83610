"""Which table a question names: project (or unit) names matched by their distinctive character
pairs, so `普法宣传` finds 普法宣传专项经费 and `社区矫正经费` the long transfer-fund title, while a
name that only shares the generic words (`环保专项经费`) finds nothing.

A name the question spells out (a span ending in 经费, 项目, 资金…) must be explained by the table
found — its project, unit or indicator names — or the match is a near miss, refused with the
close names that do exist.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field

from jixiao.chat.sources import table_name
from jixiao.model import Table

# Words every project name shares; they never identify a project on their own.
GENERIC = (
    "专项经费",
    "工作经费",
    "专项资金",
    "项目经费",
    "经费",
    "资金",
    "专项",
    "工作",
    "项目",
    "费用",
    "天津市",
    "滨海新区",
    "年度",
)
SUFFIXES = r"专项经费|工作经费|专项资金|经费|资金|项目|工程|补贴|补助|赛事|费|[一二三四五六七八九十\d]+期|第[一二三四五六七八九十\d]+批"
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+[批期次]|[一二三四五六七八九十\d]+期")
UNIT_SUFFIXES = r"局|中心|委员会|办公室|政府|党校|学校|医院|馆|院|站|街道|办事处|镇|乡|厅|委|社"
ABBREVIATIONS = {"法援": "法律援助"}  # the domain's own short forms
# Words that end a name in a question (what is asked comes after them).
_BOUNDARY = re.compile(
    r"[\s，。？！、,.?!：:；;“”\"'（）()]|的|是|和|与|及|跟|呢|吗|有|在|请问|多少|什么|哪些|哪个|哪几|"
    r"几个|几次|预算|财政资金|财政拨款|其他资金|资金用途|用途|金额|绩效目标|目标|指标|满意度|时效|数量|"
    r"质量|成本|效益|问题|情况|其中|当年|本年度|今年|去年|明年|申请|计划|要求|"
    r"超过|超出|高于|低于|大于|小于|多于|少于|不少于|不超过|以上|以下|包括|属于|没有|缺少|"
    r"了|都|也|还|最|只"
)
_LEADING = re.compile(
    r"^(?:这个|那个|这两个|那两个|这几个|那几个|两个|几个|另一个|另外一个|该|本|所有|全部|各|哪些|这些|那些|其)+"
)
# A place at the start of a name: 宁河区…, 金寨经开区…, 北京市….
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:省|自治区|市|州|盟|县|区|旗|镇|乡))(.+)$")
SEP = "|"  # what stands where words were taken out of a question (NFKC keeps it)
_HAN = re.compile(r"[\u3400-\u9fff]{2}")
MIN_SCORE = 3.0  # one distinctive pair of characters (found in one table's names) is enough
CLOSE = 0.85  # tables within this share of the best score are matched too
COVERED = 0.75  # share of a spelled-out name's own characters the table's names must explain


def normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    for short, full in ABBREVIATIONS.items():
        t = t.replace(short, full)
    return re.sub(r"\s+", "", t)


def pairs(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters in `text` (figures and latin letters name no
    project: `2023年` is in many names)."""
    t = normalize(text)
    return {t[i : i + 2] for i in range(len(t) - 1) if _HAN.fullmatch(t[i : i + 2])}


@dataclass
class Match:
    """Tables a question names, best first, and the spelled-out names nothing explains."""

    tables: list[Table] = field(default_factory=list)
    score: float = 0.0
    by_unit: bool = False  # only the unit's name matched, not a project's
    unexplained: list[str] = field(default_factory=list)
    close: list[str] = field(default_factory=list)  # existing names close to the unexplained


class Names:
    """The names of the library's tables, weighted by how few tables share each character pair."""

    def __init__(self, tables: list[Table]) -> None:
        self.tables = tables
        self._project = {t.id: pairs(t.project) for t in tables}
        self._unit = {t.id: pairs(t.unit_name) for t in tables}
        df = _frequencies(self._project[t.id] | self._unit[t.id] for t in tables)
        n = max(len(tables), 1)
        self._idf = {p: math.log(n / c) + 0.5 for p, c in df.items()}
        self._units = sorted({t.unit_name for t in tables if t.unit_name})
        self._unit_idf = {
            p: math.log(len(self._units) / c) + 0.5
            for p, c in _frequencies(pairs(u) for u in self._units).items()
        }
        generic = set().union(*(pairs(w) for w in GENERIC))
        for p in generic:
            self._idf[p] = min(self._idf.get(p, 0.0), 0.3)

    def match(self, question: str) -> Match:
        """The tables `question` names; empty when no name is matched distinctly enough.

        A project is named by pairs of its own (not its unit's): `司法局的项目` names a unit,
        `司法局工作专项经费` a project. Two pairs at least: one (`系统`) is a word, not a name."""
        q = pairs(question)
        scored = []
        for t in self.tables:
            own = q & (self._project[t.id] - self._unit[t.id])
            shared = q & self._unit[t.id]
            project = sum(self._idf[p] for p in own) if len(own) >= 2 else 0.0
            unit = sum(self._idf[p] for p in shared) if len(own | shared) >= 2 else 0.0
            scored.append((project + 0.5 * unit, project, t))
        best = max((s for s, _, _ in scored), default=0.0)
        if best < MIN_SCORE:
            return self._unexplained(question, Match())
        top = sorted((x for x in scored if x[0] >= CLOSE * best), key=lambda x: -x[0])
        by_unit = all(p < MIN_SCORE for _, p, _ in top)
        found = Match([t for _, _, t in top], best, by_unit)
        return self._unexplained(question, found)

    def _unexplained(self, question: str, found: Match) -> Match:
        """Spelled-out names in the question that the matched tables do not explain."""
        spans = spelled_names(question)
        if spans:
            spans = [s for s in spans if not any(self.explains(t, s) for t in found.tables[:5])]
            # A span another table explains names that table, not a project missing from the library.
            spans = [s for s in spans if not any(self.explains(t, s) for t in self.tables)]
        found.unexplained = spans
        if found.unexplained:
            found.close = self.close(found.unexplained[0])
        return found

    def explains(self, t: Table, span: str) -> bool:
        """Whether table `t`'s names explain a spelled-out name; a leading place (`宁河区…`) may
        be missing from them, unless the table's unit names another place. A phase or batch
        (`二期`, `第二批`) must be the table's own."""
        if not set(_ORDINAL.findall(span)) <= set(_ORDINAL.findall(normalize(t.project))):
            return False
        known = self._known(t)
        if _explained(span, known):
            return True
        m = _PLACE.match(_content(span))
        if not m or len(m[2]) < 2 or not _explained(m[2], known):
            return False
        own = _PLACE.match(t.unit_name)
        return own is None or bool(pairs(m[1]) & self._unit[t.id])

    def _known(self, t: Table) -> set[str]:
        """The character pairs of a table's project, unit and indicator names."""
        known = self._project[t.id] | self._unit[t.id]
        for ind in t.indicators:
            known |= pairs(ind.name)
        return known

    def units(self, question: str) -> list[str]:
        """The unit names `question` names (`司法局` → 天津市滨海新区司法局), best first; two
        pairs of a unit's name at least."""
        q = pairs(question)
        scored = []
        for u in self._units:
            shared = q & pairs(u)
            scored.append((sum(self._unit_idf[p] for p in shared) if len(shared) >= 2 else 0, u))
        best = max((s for s, _ in scored), default=0.0)
        if best < MIN_SCORE:
            return []
        return [u for s, u in sorted(scored, key=lambda x: -x[0]) if s >= CLOSE * best]

    def units_in(self, question: str) -> list[str]:
        """The units a question names, each part around 和/与/及 on its own (`司法局和法律援助
        中心`)."""
        found: list[str] = []
        for part in re.split(r"和|与|及|、|以及", question):
            found += [u for u in self.units(part) if u not in found]
        return found

    def units_spelled(self, text: str) -> list[str]:
        """The units whose name explains all of `text` (`六安市` → both units of 六安市)."""
        return [u for u in self._units if _explained(text, pairs(u))] if len(text) >= 2 else []

    def unknown_units(self, question: str) -> list[str]:
        """Spans of the question that read as a unit's name (`北京市教育局`) and that no unit
        or project of the library explains."""
        known = set().union(*self._project.values(), *self._unit.values())
        return [s for s in spelled(question, UNIT_SUFFIXES) if not _explained(s, known)]

    def close(self, text: str, n: int = 3) -> list[str]:
        """Names in the library that look like `text` (for a refusal to suggest)."""
        names = sorted({table_name(t) for t in self.tables})
        target = _content(normalize(text)) or text
        rated = sorted(
            names,
            key=lambda name: (
                -difflib.SequenceMatcher(None, target, _content(name)).ratio()
                - len(pairs(target) & pairs(name)) / max(len(pairs(target)), 1)
            ),
        )
        return rated[:n]


def spelled_names(question: str) -> list[str]:
    """Spans of the question that read as a project's name: they end in 经费, 项目, 资金… and say
    more than those generic words."""
    return spelled(question, SUFFIXES)


def spelled(question: str, suffixes: str) -> list[str]:
    spans = []
    for segment in _BOUNDARY.split(normalize(question)):
        m = re.match(rf"^(.*(?:{suffixes}))$", segment or "")
        if not m:
            continue
        span = _LEADING.sub("", m[1])
        if len(_content(span)) >= 2:
            spans.append(span)
    return spans


def strip(question: str, names: list[str]) -> str:
    """The question with every run of two or more characters that occurs in one of `names`
    taken out (`去年普法宣传计划办多少场活动` less 普法宣传专项经费 → `去年|计划办多少场活动`)."""
    q = normalize(question)
    names = [normalize(n) for n in names if n]
    out, i = [], 0
    while i < len(q):
        j = i + 2
        while j <= len(q) and any(q[i:j] in n for n in names):
            j += 1
        if j - 1 - i >= 2:
            out.append(SEP)
            i = j - 1
        else:
            out.append(q[i])
            i += 1
    return "".join(out)


def _frequencies(sets) -> dict[str, int]:
    df: dict[str, int] = {}
    for s in sets:
        for p in s:
            df[p] = df.get(p, 0) + 1
    return df


def _explained(span: str, known: set[str]) -> bool:
    """Whether most of a spelled-out name's own characters sit in pairs the names know."""
    content = _content(span)
    covered = {
        i + j for i in range(len(content) - 1) if content[i : i + 2] in known for j in (0, 1)
    }
    return bool(content) and len(covered) >= COVERED * len(content)


def _content(name: str) -> str:
    """A name without the generic words and the year (`2023年…社区矫正经费` → `…社区矫正`)."""
    t = re.sub(r"（[^）]*）|\([^)]*\)|【[^】]*】|\d{4}年?", "", name)
    for word in GENERIC + ("费",):
        t = t.replace(word, "")
    return re.sub(r"[^\u4e00-\u9fff]", "", t)

"""The registry: every rule with its code, severity, detection kind and policy basis."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jixiao.model import Finding
from jixiao.rules._context import Context

# Policy sources (DOMAIN.md §3). Where DOMAIN marks a rule [memory], only the document is cited.
P2011 = "《财政支出绩效评价管理暂行办法》（财预〔2011〕285号）"
P2015 = "《中央部门预算绩效目标管理办法》（财预〔2015〕88号）"
P2020 = "《项目支出绩效评价管理办法》（财预〔2020〕10号）"
P2021 = "《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》（财预〔2021〕101号）"
TJ2020 = "天津市财政局 津财绩效〔2020〕16号"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # default; a rule may lower it for a less certain hit
    detect: str  # "D" deterministic or "H" heuristic (DOMAIN.md §4)
    basis: str
    check: Callable[[Context], Iterable[Finding]]

    def __call__(self, ctx: Context) -> list[Finding]:
        return list(self.check(ctx))


RULES: list[Rule] = []


def rule(code: str, severity: str, detect: str, basis: str):
    """Register `check(ctx)` as the rule for `code`."""

    def register(check: Callable[[Context], Iterable[Finding]]) -> Rule:
        r = Rule(code, severity, detect, basis, check)
        RULES.append(r)
        return r

    return register

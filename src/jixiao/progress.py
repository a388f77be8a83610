"""How long jobs say how far they are: named stages, each counted or open-ended.

The core reports through a `Progress` it is given (`Workspace(progress=...)`), never through a
global; front ends decide what to show (the command line draws bars on a terminal only).
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def stage(self, label: str, total: int | None = None) -> None:
        """A new stage begins, e.g. "建立索引（向量）"; `total` None: its length is unknown."""

    def advance(self, n: int = 1) -> None:
        """`n` more of the current stage's `total` are done."""


class NullProgress:
    """Reports nowhere: the default."""

    def stage(self, label: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

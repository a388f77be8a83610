"""Progress of long jobs in the browser: the one shared `Workspace` reports its stages to the
progress bar of whichever session's request is running in the calling thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Bar = Callable[..., object]  # a gr.Progress: bar(fraction or None, desc=...)


class SessionProgress:
    """A `jixiao.progress.Progress` that forwards to the bar the current thread registered."""

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def to(self, bar: Bar | None) -> Iterator[None]:
        """Within the block, this thread's stages go to `bar` (a gradio request's progress)."""
        self._local.bar, self._local.label = bar, ""
        self._local.total, self._local.done = None, 0
        try:
            yield
        finally:
            self._local.bar = None

    def stage(self, label: str, total: int | None = None) -> None:
        self._local.label, self._local.total, self._local.done = label, total, 0
        self._show()

    def advance(self, n: int = 1) -> None:
        self._local.done = getattr(self._local, "done", 0) + n
        self._show()

    def _show(self) -> None:
        bar = getattr(self._local, "bar", None)
        if bar is None:
            return
        total, done = self._local.total, self._local.done
        if total:
            bar(min(done / total, 1.0), desc=f"{self._local.label}（{done}/{total}）")
        else:
            bar(None, desc=f"{self._local.label}…")


def file_progress(bar: Bar | None, total: int, label: str) -> Callable:
    """A `review(progress=...)` callback: one step a file, named."""
    count = [0]

    def step(path) -> None:
        count[0] += 1
        if bar is not None:
            bar(
                min(count[0] / max(total, 1), 1.0), desc=f"{label}（{count[0]}/{total}）{path.name}"
            )

    return step

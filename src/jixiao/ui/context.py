"""What every tab shares: the one `Workspace` (library, index, model) and the progress that
routes its stages to the browser of the session that asked."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.ui.progress import SessionProgress
from jixiao.workspace import Workspace


@dataclass
class Context:
    ws: Workspace
    progress: SessionProgress = field(default_factory=SessionProgress)

    @classmethod
    def open(cls, ws: Workspace | None = None) -> Context:
        """A context over `ws`, or over a new `Workspace` from the environment's settings."""
        progress = SessionProgress()
        if ws is None:
            return cls(Workspace(progress=progress), progress)
        ws.progress = progress  # before the index opens: it keeps the progress it is given
        return cls(ws, progress)

    def model_label(self) -> str:
        """Which model adds judgement, in Chinese: `未配置（离线）` or its name."""
        model = self.ws.model
        if model is None:
            return "未配置，离线运行（规则审核、资料库检索）"
        return str(getattr(model, "label", None) or type(model).__name__)

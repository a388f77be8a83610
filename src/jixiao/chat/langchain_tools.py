"""The assistant's tools declared with langchain-core, for a model's tool loop.

One `StructuredTool` per entry of `chat.TOOLS`: its arguments are the tool's pydantic input, its
call goes through the answer's `Transcript` (the record the check trusts), and its result comes
back both ways — as the `ToolMessage`'s artifact, the typed `ToolResult` with its citations, and as
the text the model reads: the result as JSON, every source it cites numbered (S1, S2 …) in a
`Ledger`, so the model's answer cites a source by its number and the quote it relies on.
"""

from __future__ import annotations

import json
import re
import threading

from langchain_core.tools import StructuredTool, ToolException
from pydantic import ValidationError

from jixiao.chat.answer import Cited
from jixiao.chat.tool_io import ToolResult
from jixiao.chat.transcript import TOOLS, Spec, Transcript
from jixiao.errors import JixiaoError

# What the model reads of a result besides its sources: the fields, rows and passages a result
# lists are the sources' own texts, so they are not sent twice.
_SHOWN_AS_SOURCES = {"cited", "fields", "rows", "passages"}


class Ledger:
    """The sources the tool results of one answer showed the model, numbered S1, S2 … in order."""

    def __init__(self) -> None:
        self.by_number: dict[str, Cited] = {}
        self._numbers: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def number(self, cited: Cited) -> str:
        key = (cited.citation.model_dump_json(), cited.quote)
        with self._lock:
            if key not in self._numbers:
                self._numbers[key] = f"S{len(self._numbers) + 1}"
                self.by_number[self._numbers[key]] = cited
            return self._numbers[key]

    def get(self, ref: str) -> Cited | None:
        """The source a model cites as `S3` (or `s3`, `〔S3〕`, `[S3]`), or by its label."""
        bare = ref.strip().strip("〔〕[]【】（）() ")
        if re.fullmatch(r"[sS]\d+", bare):
            return self.by_number.get(bare.upper())
        return next((c for c in self.by_number.values() if c.label == bare), None)


def langchain_tools(calls: Transcript, ledger: Ledger) -> list[StructuredTool]:
    """The tools over `calls`' library, each call recorded in `calls`, each source in `ledger`."""
    return [_tool(spec, calls, ledger) for spec in TOOLS]


def _tool(spec: Spec, calls: Transcript, ledger: Ledger) -> StructuredTool:
    def run(**arguments) -> tuple[str, ToolResult]:
        try:
            result = calls.call(spec.name, arguments)
        except JixiaoError as exc:  # a table id that does not exist, a row past the last …
            raise ToolException(str(exc)) from None
        return for_model(result, ledger), result

    return StructuredTool.from_function(
        func=run,
        name=spec.name,
        description=(spec.input.__doc__ or spec.name).strip(),
        args_schema=spec.input,
        response_format="content_and_artifact",
        handle_tool_error=lambda exc: f"错误：{exc}",
        handle_validation_error=_invalid,
    )


def for_model(result: ToolResult, ledger: Ledger) -> str:
    """A tool result as the model reads it: JSON, its sources numbered for citing."""
    data = result.model_dump(mode="json", exclude=_SHOWN_AS_SOURCES, exclude_defaults=True)
    seen: dict[str, Cited] = {}
    for c in result.cited:
        seen.setdefault(ledger.number(c), c)
    data["sources"] = [{"id": n, "label": c.label, "text": c.quote} for n, c in seen.items()]
    return json.dumps(data, ensure_ascii=False)


def _invalid(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        said = "；".join(
            f"{'.'.join(str(p) for p in e['loc']) or '参数'}: {e['msg']}" for e in exc.errors()[:6]
        )
    else:
        said = str(exc)
    return f"参数不对：{said}"

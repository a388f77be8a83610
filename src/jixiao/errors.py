"""Problems a user can cause with their input, each one sentence in Chinese naming the file and
place: what happened and what the user can do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


# A dataclass, not a pydantic model: every command imports this module, and `jixiao --help`
# should not pay for building pydantic models.
@dataclass(kw_only=True)
class Problem:
    """Something wrong with an input file: `error` when nothing of it could be read."""

    file: str
    place: str = ""
    message: str
    severity: Literal["error", "warning"] = "warning"
    internal: bool = False  # jixiao's own fault, not the file's: exit code 3, please report it

    def __str__(self) -> str:
        where = f"{self.file}，{self.place}" if self.place else self.file
        return f"{where}：{self.message}"


class JixiaoError(Exception):
    """An error a user can cause: one sentence to show them, and a code for scripts and the UI."""

    code = "error"


class NotFound(JixiaoError):
    """Something asked for by name or id that is not there."""

    code = "not_found"


class UsageError(JixiaoError):
    """Options that cannot go together, or a value outside what an option takes."""

    code = "usage"


class ReadError(JixiaoError):
    """A file that cannot be read at all; the message names the file and the place."""

    code = "unreadable_file"

    def __init__(self, file: str, message: str, place: str = "") -> None:
        self.problem = Problem(file=file, place=place, message=message, severity="error")
        super().__init__(str(self.problem))

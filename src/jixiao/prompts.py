"""Prompt templates: files in `prompts/`, rendered with `$variables`, identified by name + hash.

An installed jixiao reads them from inside the package (the wheel carries `prompts/` as
`jixiao/data/prompts`); a source checkout, editable or not installed at all, from `prompts/`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from jixiao.errors import NotFound


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]

    @property
    def label(self) -> str:
        """`review@1a2b3c4d5e6f`: what a call records about the prompt it used."""
        return f"{self.name}@{self.hash}"

    def render(self, **variables: str) -> str:
        """The prompt with its `$variables` filled; a missing variable is an error, not a gap."""
        return Template(self.text).substitute(**variables)


def folder() -> Traversable:
    """Where the prompt files are: inside the installed package, else the checkout's prompts/."""
    packaged = resources.files("jixiao").joinpath("data", "prompts")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


def load(name: str, where: Traversable | None = None) -> Prompt:
    """The prompt `name` (`review` → review.md)."""
    path = (where or folder()).joinpath(f"{name}.md")
    if not path.is_file():
        raise NotFound(f"没有提示词文件 {name}.md（应在 prompts/ 中）")
    return Prompt(name, path.read_text(encoding="utf-8"))

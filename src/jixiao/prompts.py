"""Prompt templates: files in `prompts/`, rendered with `$variables`, identified by name + hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from string import Template

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


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


def load(name: str, folder: Path = PROMPTS) -> Prompt:
    path = folder / f"{name}.md"
    return Prompt(name, path.read_text(encoding="utf-8"))

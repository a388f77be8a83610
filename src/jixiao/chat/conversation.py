"""A conversation: the turns so far and what they were about, so a follow-up (`它的时效指标呢？`,
`那预算呢？`, `这些项目的预算合计呢？`) resolves against the project or list discussed last."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from jixiao.chat.answer import Answer


@dataclass
class Turn:
    question: str
    answer: Answer


@dataclass
class Conversation:
    """One user's conversation; safe to share between the threads of a web server."""

    turns: list[Turn] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)  # table ids of the project(s) discussed last
    listed: list[str] = field(default_factory=list)  # table ids of the last list of projects
    seen: list[str] = field(default_factory=list)  # every table discussed, in order (另一个)
    asked: dict = field(default_factory=dict)  # what the last question asked of a project
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remember(
        self,
        question: str,
        answer: Answer,
        focus: list[str] | None = None,
        listed: list[str] | None = None,
        asked: dict | None = None,
    ) -> None:
        """Add a turn; what it was about replaces what the conversation was about, when known."""
        with self._lock:
            self.turns.append(Turn(question, answer))
            if focus:
                self.focus = list(focus)
                self.seen += [i for i in focus if i not in self.seen[-len(focus) :]]
            if asked:
                self.asked = dict(asked)
            if listed:
                self.listed = list(listed)
                self.seen += [i for i in listed if i not in self.seen]

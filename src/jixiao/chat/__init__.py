"""Asking the library (issue 13): answers with exact figures and citations, offline by default.

The public surface: `ask` (a question → a checked `Answer`), `Conversation` (follow-ups),
`Tools` (the tools over the typed library, for a model's tool loop) and the `Answer` types.
"""

from jixiao.chat.answer import OFFLINE, Answer, Cited, ToolRecord
from jixiao.chat.assistant import ask
from jixiao.chat.conversation import Conversation
from jixiao.chat.tools import Tools
from jixiao.chat.transcript import TOOLS, Transcript

__all__ = [
    "OFFLINE",
    "TOOLS",
    "Answer",
    "Cited",
    "Conversation",
    "ToolRecord",
    "Tools",
    "Transcript",
    "ask",
]

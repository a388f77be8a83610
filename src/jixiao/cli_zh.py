"""The command line's own words in Chinese: click's and typer's help headings and usage errors.

click marks every string it shows with gettext (`_`, `ngettext`) but ships no translations, and
typer keeps its help headings in module constants. `install()` points both at the table below, so
`jixiao review --help` says 用法 / 参数 / 选项 and a wrong flag is refused in one Chinese sentence.
A string click adds later and this table lacks is shown as click wrote it (English), never lost.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types
from rich.text import Text

ZH: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用 “{command} {option}” 查看用法。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少子命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "No such command {name!r}.": "没有子命令 {name!r}。",
    "No such option: {name}": "没有选项 {name}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "是不是 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是以下之一：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not {choice}.": "{value!r} 不可用，只能是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不可用，只能是 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Aborted!": "已中止。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
}

# typer's rich help: its headings are module constants, read when help is drawn.
TYPER = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "用 [blue]“{command_path} {help_option}”[/] 查看用法。",
    "DEPRECATED_STRING": "（已弃用）",
}


def gettext(message: str) -> str:
    return ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Point click's and typer's user-facing strings at Chinese (idempotent)."""
    for module in (
        click.core,
        click.formatting,
        click.decorators,
        click.exceptions,
        click.parser,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    # typer draws help with typer.rich_utils, which loads markdown, syntax highlighting and
    # tracebacks (~40 ms): only help needs it, so its words are put in when it is imported.
    if "typer.rich_utils" in sys.modules:
        _translate_help(sys.modules["typer.rich_utils"])
    elif not any(isinstance(f, _WhenImported) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenImported("typer.rich_utils", _translate_help))


def _translate_help(rich_help) -> None:
    for name, text in TYPER.items():
        setattr(rich_help, name, text)
    make_text = rich_help._make_rich_text
    if not getattr(make_text, "folds", False):
        rich_help._make_rich_text = _folding(make_text)


class _WhenImported(importlib.abc.MetaPathFinder):
    """Runs `then(module)` right after the module `name` is first imported."""

    def __init__(self, name: str, then) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        original, then = spec.loader, self.then

        class Loader(importlib.abc.Loader):
            def create_module(self, spec):
                return original.create_module(spec)

            def exec_module(self, module):
                original.exec_module(module)
                then(module)

        spec.loader = Loader()
        return spec


def _folding(make_text):
    """rich wraps only at spaces; Chinese help has none, so a sentence would be cut with `…`.
    Folding breaks it between characters instead."""

    def make(**kwargs):
        text = make_text(**kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text

    make.folds = True  # type: ignore[attr-defined]
    return make


def usage_error(exc: click.exceptions.UsageError) -> str:
    """One Chinese sentence for a usage error, with where to look for help."""
    message = exc.format_message().replace("。 （", "（").replace("。 ", "，").rstrip("。.")
    ctx = exc.ctx
    sep = " " if message.endswith(("？", "）")) else "；"
    where = f"{sep}用 “{ctx.command_path} --help” 查看用法" if ctx is not None else ""
    return f"{message}{where}。"

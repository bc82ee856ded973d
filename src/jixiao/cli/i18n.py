"""Help in Chinese by default, in English when JIXIAO_LANG (or the locale) says ``en``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click


def language() -> str:
    for var in ("JIXIAO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def t(zh: str, en: str) -> str:
    """The Chinese or the English text, by the user's language."""
    return en if language() == "en" else zh


_SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix or t("用法：", "Usage: "))

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(t(_SECTIONS.get(name, name), name)):
            yield


class Context(click.Context):
    formatter_class = Formatter


def _help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    option = click.Command.get_help_option(command, ctx)
    if option is not None:
        option.help = t("显示本帮助并退出", "Show this message and exit.")
    return option


class Command(click.Command):
    context_class = Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)


class Group(click.Group):
    context_class = Context
    command_class = Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)


def usage_message(error: click.ClickException) -> str:
    """Click's own (English) usage errors, said in Chinese."""
    if isinstance(error, click.NoSuchOption):
        return t(f"没有这个选项：{error.option_name}", f"No such option: {error.option_name}")
    if isinstance(error, click.MissingParameter) and error.param is not None:
        name = error.param.opts[0] if getattr(error.param, "opts", None) else error.param.name
        return t(f"缺少参数：{name}", f"Missing parameter: {name}")
    if isinstance(error, click.BadParameter) and error.param is not None:
        name = error.param.opts[0] if getattr(error.param, "opts", None) else error.param.name
        return t(
            f"参数 {name} 的值无效：{error.message}", f"Invalid value for {name}: {error.message}"
        )
    if isinstance(error, click.UsageError) and "No such command" in error.message:
        return t(f"没有这个命令：{error.message.split(chr(39))[1]}", error.message)
    return error.format_message()


def kwargs(**extra: Any) -> dict[str, Any]:
    """Settings shared by every command."""
    return {
        "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100},
        **extra,
    }

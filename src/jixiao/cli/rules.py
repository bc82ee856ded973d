"""``jixiao rules [CODE]``: the rule catalogue, or one rule explained.

A rule's documentation is its module docstring: the line ``CODE 标题.``, then paragraphs
opening with 检查：, 原因：, 错误示例：, 正确示例：, 选项：. Docstrings are wrapped at
the source's line length; here paragraphs are joined again (no space between Chinese
characters) and laid out for a terminal or for Markdown (docs/rules.md).
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import click

from jixiao.audit import CATALOGUE, Rule
from jixiao.audit.rule import Option, show
from jixiao.cli.i18n import Command, kwargs, t

SECTIONS = ("检查：", "原因：", "错误示例：", "正确示例：", "选项：")
# No line may start with these (避头) nor end with the openers (避尾).
_NO_START = "，。、；：！？）》」』”’】%,.;:!?)]"
_NO_END = "（《「『“‘【([`"
_INDENT = "  "


@click.command(
    "rules",
    cls=Command,
    short_help=t("列出审核规则，或解释一条规则", "List the review rules, or explain one"),
    help=t(
        "不带参数时按类别列出全部审核规则；给出编号（如 FD01）时显示该规则检查什么、"
        "为什么、错误与正确示例，以及可在审核设置文件中调整的选项。",
        "List all review rules by family; with a code (e.g. FD01) explain that rule.",
    ),
    **kwargs(),
)
@click.argument("code", required=False)
@click.option(
    "--markdown",
    is_flag=True,
    help=t(
        "输出全部规则的 Markdown 文档（docs/rules.md）",
        "Print the whole catalogue as Markdown (docs/rules.md)",
    ),
)
def rules_command(code: str | None, markdown: bool) -> int:
    if markdown:
        click.echo(catalogue_markdown(), nl=False)
        return 0
    width = min(shutil.get_terminal_size((100, 24)).columns, 100) - 1
    if code is None:
        click.echo(catalogue_text(width))
        return 0
    found = CATALOGUE.rules.get(code.upper())
    if found is None:
        raise click.UsageError(
            t(
                f"没有编号为 {code} 的规则（jixiao rules 列出全部）",
                f"No rule {code} (jixiao rules lists them)",
            )
        )
    click.echo(rule_text(found, width))
    return 0


# ---- reading the docstrings ----------------------------------------------------------


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def join_lines(lines: list[str]) -> str:
    """One paragraph from its wrapped lines: a space only between two narrow characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not (_wide(text[-1]) or _wide(line[0])):
            text += " "
        text += line
    return text


def paragraphs(doc: str) -> list[str]:
    """The docstring's paragraphs after its first line (``CODE 标题.``), each on one line."""
    out: list[str] = []
    block: list[str] = []
    for line in [*doc.splitlines()[1:], ""]:
        if line.strip():
            block.append(line)
        elif block:
            out.append(join_lines(block).replace("``", "`"))  # reST ``name`` → `name`
            block = []
    return out


def split_heading(paragraph: str) -> tuple[str | None, str]:
    """(``检查：``, the rest) for a paragraph that opens with a section heading."""
    for heading in SECTIONS:
        if paragraph.startswith(heading):
            return heading, paragraph[len(heading) :].strip()
    return None, paragraph


def family_of(rule: type[Rule]) -> tuple[str, str]:
    """(heading, description) from the rule's family package docstring: ``FD 资金执行：…``."""
    package = sys.modules.get(rule.__module__.rpartition(".")[0])
    first = ((package.__doc__ if package else None) or rule.code[:2]).strip().splitlines()[0]
    heading, _, description = first.partition("：")
    return heading.strip(), description.strip()


def families() -> Iterator[tuple[tuple[str, str], list[type[Rule]]]]:
    """The catalogue's rules grouped by family, in catalogue order."""
    groups: dict[tuple[str, str], list[type[Rule]]] = {}
    for rule in CATALOGUE.rules.values():
        groups.setdefault(family_of(rule), []).append(rule)
    yield from groups.items()


def default_text(value: Any, code: bool = False) -> str:
    """An option's default as a reader writes it: 0, 否, 无、/、—, 优秀→优 (Markdown: code)."""

    def item(text: str) -> str:
        return f"`{text}`" if code else text

    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int):
        return item(show(value))
    if isinstance(value, str):
        return item(value)
    if isinstance(value, Mapping):
        return "、".join(item(f"{k}→{v}") for k, v in value.items())
    if isinstance(value, tuple | list):
        return "、".join(
            item("/".join(map(str, v)) if isinstance(v, tuple | list) else str(v)) for v in value
        )
    return item(str(value))


# ---- terminal ------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if _wide(c) else 1 for c in text)


def _tokens(text: str) -> Iterator[str]:
    """Units a line may break between: a run of narrow non-space characters, one wide
    character, or one space."""
    run = ""
    for char in text:
        if char == " " or _wide(char):
            if run:
                yield run
                run = ""
            yield char
        else:
            run += char
    if run:
        yield run


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap mixed Chinese/ASCII text to ``width`` display columns, keeping 避头尾."""
    lines: list[str] = []
    line = indent
    for token in _tokens(text):
        if token == " " and not line.strip():
            continue  # no line opens with a space
        fits = _width(line) + _width(token) <= width
        if fits or line.strip() == "" or token == " " or token[0] in _NO_START:
            line += token
            continue
        carry = ""
        while line.strip() and line[-1] in _NO_END and len(line) > len(indent):
            line, carry = line[:-1], line[-1] + carry
        lines.append(line.rstrip())
        line = indent + carry + token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def catalogue_text(width: int) -> str:
    """``jixiao rules``: every rule by family, one line each."""
    out: list[str] = []
    for (heading, description), rules in families():
        out.append(f"{heading}：{description}" if description else heading)
        out += [f"{_INDENT}{r.code}  {r.severity.label}  {r.title}" for r in rules]
        out.append("")
    out.append("用 jixiao rules 编号（如 jixiao rules FD01）查看一条规则的说明和选项。")
    return "\n".join(out)


def rule_text(rule: type[Rule], width: int) -> str:
    """``jixiao rules CODE``: the rule's documentation laid out for a terminal."""
    heading, _ = family_of(rule)
    out = [
        f"{rule.code} {rule.title}",
        f"默认级别：{rule.severity.label}　名称：{rule.name}　类别：{heading}",
    ]
    for paragraph in paragraphs(rule.doc()):
        section, body = split_heading(paragraph)
        out.append("")
        if section is not None:
            out.append(click.style(section, bold=True))
        out += wrap(body, width, _INDENT)
    if rule.options:
        out += ["", click.style("选项一览：", bold=True)]
        for option in rule.options:
            out += wrap(f"{option.name}：{option.doc}", width, _INDENT)
            out += wrap(f"默认：{default_text(option.default)}", width, _INDENT * 3)
    hint, *example = _settings_hint(rule)
    out += ["", *wrap(hint, width), *example]
    return "\n".join(out)


def _settings_hint(rule: type[Rule]) -> list[str]:
    """How to change this rule in an audit settings file (``jixiao check --config``)."""
    lines = [
        "在审核设置文件（jixiao check --config 文件）中可停用本规则、调整级别"
        + ("或修改选项" if rule.options else "")
        + "，例如：",
        f"{_INDENT}rules:",
        f"{_INDENT * 2}{rule.code}:",
        f"{_INDENT * 3}severity: warning    # 级别：error、warning、info",
    ]
    if rule.options:
        option: Option = rule.options[0]
        lines += [f"{_INDENT * 3}options:", f"{_INDENT * 4}{option.name}: <值>"]
    else:
        lines.append(f"{_INDENT * 3}# enabled: false     # 停用本规则")
    return lines


# ---- Markdown ------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def catalogue_markdown() -> str:
    """docs/rules.md: every rule's documentation, generated from the catalogue."""
    lines = [
        "# 审核规则",
        "",
        "由 `jixiao rules --markdown` 从规则目录生成，请勿手工修改。"
        "命令行中用 `jixiao rules` 列出全部规则，`jixiao rules 编号` 查看一条规则。",
        "",
        "每条规则都可在审核设置文件（`jixiao check --config 文件`）中停用、调整级别或修改选项：",
        "",
        "```yaml",
        "rules:",
        "  DV03: {enabled: false}                # 停用",
        "  TG01: {severity: warning}             # 级别：error 错误 / warning 警告 / info 提示",
        "  FD01: {options: {tolerance: 0.01}}    # 选项",
        "min_confidence: 0.85   # 识别可信度低于此值的表（由失去表格结构的文字重建、",
        "                       # 数值关系对不上），其发现一律以提示报出，请先核对原件",
        "min_confidence_for_blanks: 0.95  # 低于此值（文字重建的表），“未填”类发现以提示报出",
        "```",
        "",
        "| 编号 | 默认级别 | 规则 |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| [{r.code}](#{r.code.lower()}) | {r.severity.label} | {_cell(r.title)} |"
        for r in CATALOGUE.rules.values()
    ]
    for (heading, description), rules in families():
        lines += ["", f"## {heading}"]
        if description:
            lines += ["", description]
        for rule in rules:
            lines += _rule_markdown(rule)
    return "\n".join(lines) + "\n"


def _rule_markdown(rule: type[Rule]) -> list[str]:
    lines = [
        "",
        f"### {rule.code}",
        "",
        f"**{rule.title}**　默认级别：{rule.severity.label}；名称 `{rule.name}`",
    ]
    for paragraph in paragraphs(rule.doc()):
        section, body = split_heading(paragraph)
        # **检查**：, not **检查：**: CommonMark does not close bold after 全角 punctuation
        lines += ["", f"**{section[:-1]}**：{body}" if section else body]
    if rule.options:
        lines += ["", "| 选项 | 默认值 | 说明 |", "| --- | --- | --- |"]
        lines += [
            f"| `{o.name}` | {_cell(default_text(o.default, code=True))} | {_cell(o.doc)} |"
            for o in rule.options
        ]
    return lines

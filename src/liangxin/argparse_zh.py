"""argparse's own words in Chinese: 用法、选项、错误, for ``liangxin`` and ``liangxin web``.

argparse looks its texts up through the module's ``_``/``ngettext`` (gettext) at the moment it
shows them, and Django's management commands use argparse too; ``use_chinese`` points both
names at this catalogue, so every help page and usage error of the program reads in Chinese.
Texts without an entry (another Python's wording) are shown as they are.
"""

from __future__ import annotations

import argparse

CATALOGUE = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是：%(matches)s"
    ),
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选择：%(value)r（可选：%(choices)s）"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个值",
}


def _translate(text: str) -> str:
    return CATALOGUE.get(text, text)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    return PLURALS.get((singular, plural), singular if n == 1 else plural)


class HelpFormatter(argparse.HelpFormatter):
    """Each option's help on the line under it: argparse aligns columns by characters, and a
    Chinese metavar (两个字宽) would push the help of its line out of line with the others."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 6,
                 width: int | None = None) -> None:  # fmt: skip
        super().__init__(prog, indent_increment, max_help_position, width)


class ArgumentParser(argparse.ArgumentParser):
    """A parser whose help reads well in Chinese; its subcommands' parsers are of this class
    too (argparse makes them of the parent's class)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def use_chinese() -> None:
    """From now on argparse (and every parser built on it) speaks Chinese."""
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _translate_plural  # type: ignore[attr-defined]

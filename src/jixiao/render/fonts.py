"""Fonts for government documents (公文): the names Word expects, and what this machine has.

A report is written with the official font names (仿宋_GB2312, 黑体, 方正小标宋简体…) so it
looks right on the recipient's Windows/WPS. When this machine converts it to PDF or draws a
chart, the names are resolved to installed CJK fonts (Debian's Noto CJK by default).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import warnings
from dataclasses import dataclass

LATIN = "Times New Roman"


@dataclass(frozen=True, slots=True)
class FontPlan:
    """Which East Asian font each kind of text uses (the Latin font is ``latin``)."""

    body: str = "仿宋_GB2312"  # 正文、表格
    heading: str = "黑体"  # 一级标题 一、…
    subheading: str = "楷体_GB2312"  # 二级标题 （一）…
    title: str = "方正小标宋简体"  # 报告标题
    latin: str = LATIN


OFFICIAL = FontPlan()

# Candidates for each role, best first: the Windows/WPS names, then free fonts.
_BODY = ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "宋体", "SimSun")
_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN")
_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei")
_CANDIDATES = {
    "body": (*_BODY, *_SERIF, *_SANS),
    "heading": ("黑体", "SimHei", *_SANS, *_SERIF),
    "subheading": ("楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", *_SERIF, *_SANS),
    "title": ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体", "SimSun", *_SERIF, *_SANS),
}


@functools.cache
def installed_cjk_families() -> tuple[str, ...]:
    """Family names of the installed fonts that cover Chinese (fontconfig, else matplotlib)."""
    names: set[str] = set()
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            listing = subprocess.run(
                [fc_list, ":lang=zh", "family"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        for line in listing.splitlines():
            names.update(part.strip() for part in line.split(",") if part.strip())
    if not names:
        from matplotlib import font_manager

        names = {f.name for f in font_manager.fontManager.ttflist if _looks_cjk(f.name)}
    return tuple(sorted(names))


def _looks_cjk(name: str) -> bool:
    return "CJK" in name or any("\u4e00" <= ch <= "\u9fff" for ch in name) or "Han " in name


def _pick(role: str, available: frozenset[str], fallback: str) -> str:
    return next((name for name in _CANDIDATES[role] if name in available), fallback)


def installed_plan() -> FontPlan:
    """The official plan with every role mapped to a font this machine has.

    Without any CJK font the official names are kept (LibreOffice then substitutes on its
    own, and the Chinese text may come out as boxes) and a warning says so.
    """
    available = frozenset(installed_cjk_families())
    if not available:
        warnings.warn(
            "本机没有找到中文字体，生成的 PDF 中汉字可能无法显示"
            "（Debian/Ubuntu：apt-get install fonts-noto-cjk）",
            RuntimeWarning,
            stacklevel=2,
        )
        return OFFICIAL
    any_font = sorted(available)[0]
    return FontPlan(
        body=_pick("body", available, any_font),
        heading=_pick("heading", available, any_font),
        subheading=_pick("subheading", available, any_font),
        title=_pick("title", available, any_font),
    )

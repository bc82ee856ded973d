"""Small bar charts as inline SVG, drawn on the server (no JavaScript, no chart library)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

FONT = "'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    colour: str = "#3b6fb6"
    note: str = ""  # shown on hover (<title>)


def _text_width(text: str, size: float) -> float:
    """Rough width: a CJK character is one em, other characters about half an em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    width: int = 480,
    bar_height: int = 22,
    gap: int = 8,
    font_size: int = 13,
) -> Markup:
    """Horizontal bars, one per line: the label on the left, the value after the bar.

    Horizontal bars keep long Chinese labels readable; the scale starts at zero and the
    longest bar fills the plot. An empty chart says so instead of drawing nothing.
    """
    top = font_size + 14
    label_width = max((_text_width(b.label, font_size) for b in bars), default=0) + 10
    value_width = max((_text_width(_number(b.value), font_size) for b in bars), default=0) + 10
    plot = max(40.0, width - label_width - value_width)
    height = top + max(1, len(bars)) * (bar_height + gap) + gap
    biggest = max((b.value for b in bars), default=0)
    parts = [
        f'<svg class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(FONT)}" font-size="{font_size}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="{font_size + 2}" font-weight="bold">{escape(title)}</text>',
    ]
    if not bars or biggest <= 0:
        parts.append(f'<text x="0" y="{top + bar_height}" fill="#666">暂无数据</text>')
    for k, bar in enumerate(bars if biggest > 0 else ()):
        y = top + gap + k * (bar_height + gap)
        length = plot * max(0.0, bar.value) / biggest
        middle = y + bar_height / 2 + font_size * 0.35
        hover = escape(bar.note or f"{bar.label}：{_number(bar.value)}")
        parts += [
            f'<g class="bar"><title>{hover}</title>',
            f'<text x="{label_width - 6:.1f}" y="{middle:.1f}" text-anchor="end">'
            f"{escape(bar.label)}</text>",
            f'<rect x="{label_width:.1f}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}" fill="{escape(bar.colour)}"/>',
            f'<text x="{label_width + length + 4:.1f}" y="{middle:.1f}">'
            f"{escape(_number(bar.value))}</text></g>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))

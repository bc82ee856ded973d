"""Charts for a report: how far each numeric indicator got, and how much budget was spent.

Drawn with matplotlib's Agg canvas (no display, no pyplot state) in a Chinese font found on
the machine. The PNG bytes are deterministic: fixed size and dpi, no software or time
stamp in the metadata. The canvas's pixels are written as PNG here (RGB, rows unfiltered,
deflated): the same pixels as ``savefig`` gives, in a third of the time and a smaller file.
"""

from __future__ import annotations

import functools
import struct
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.model import Evaluation, Indicator
from jixiao.scoring import EvaluationScore, IndicatorScore
from jixiao.values import Direction, ValueKind, align, parse_value

DPI = 150
WIDTH_IN = 6.3  # shown about 15 cm wide in the report, so the text keeps its size
CLIP = Decimal(300)  # bars longer than 300 % are cut (the label still shows the ratio)
_MET, _SHORT, _BUDGET = "#3a7d44", "#d9822b", "#8fa9c8"
_PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "黑体")


@dataclass(frozen=True, slots=True)
class Completion:
    """One numeric indicator: actual ÷ target in percent, and whether it met its target."""

    name: str
    percent: Decimal
    met: bool


@functools.cache
def chart_font() -> str | None:
    """A font family matplotlib can draw Chinese with; ``None`` (and a warning) if none."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = next((n for n in _PREFERRED if n in names), None)
    found = found or next((n for n in sorted(names) if "CJK" in n), None)
    if found is None:
        warnings.warn(
            "本机没有找到中文字体，图表中的汉字可能显示为方框"
            "（Debian/Ubuntu：apt-get install fonts-noto-cjk）",
            RuntimeWarning,
            stacklevel=2,
        )
    return found


def _ratio(indicator: Indicator) -> tuple[Decimal, Direction] | None:
    target, actual = parse_value(indicator.target), parse_value(indicator.actual)
    if target.kind is not ValueKind.QUANTITY or actual.kind is not ValueKind.QUANTITY:
        return None
    assert target.quantity is not None and actual.quantity is not None
    aligned = align(target.quantity, actual.quantity)
    if isinstance(aligned, str) or aligned.target == 0:
        return None
    return aligned.actual / aligned.target, target.direction


def completions(evaluation: Evaluation, score: EvaluationScore | None = None) -> list[Completion]:
    """The numeric indicators of one table (not its sub-directions), in table order.

    With a ``score`` the engine's ratio and direction are used (the scheme may give a
    direction the text does not state); otherwise target and actual are read here.
    """
    scored: dict[int, IndicatorScore] = {}
    if score is not None:
        scored = {id(item.indicator): item for item in score.indicators}
    out: list[Completion] = []
    for number, indicator in enumerate(evaluation.indicators, start=1):
        item = scored.get(id(indicator))
        if item is not None and item.ratio is not None:
            ratio, direction = item.ratio, item.direction
        else:
            found = _ratio(indicator)
            if found is None:
                continue
            ratio, direction = found
        percent = (ratio * 100).quantize(Decimal("0.1"))
        met = ratio <= 1 if direction is Direction.NEGATIVE else ratio >= 1
        out.append(Completion(indicator.name or f"指标{number}", percent, met))
    return out


def _short(name: str, limit: int = 14) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _png(draw: Any, height: float) -> bytes:
    """Run ``draw(figure)`` in the Chinese font and return the PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = chart_font()
    rc: dict[str, Any] = {"axes.unicode_minus": False, "svg.hashsalt": "jixiao"}
    if font is not None:
        rc["font.family"] = [font]
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        canvas: Any = FigureCanvasAgg(figure)
        draw(figure)
        figure.tight_layout()
        canvas.draw()  # what savefig draws at the figure's own dpi
        return _encode(canvas.buffer_rgba())


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _encode(rgba: Any) -> bytes:
    """An RGBA pixel buffer as PNG: RGB when every pixel is opaque (a chart's always are),
    each row unfiltered, deflated at zlib's default level, with the dpi (pHYs) and nothing
    else (no time, no software)."""
    import numpy as np

    pixels = np.asarray(rgba)
    height, width = pixels.shape[:2]
    opaque = bool((pixels[..., 3] == 255).all())
    if opaque:
        pixels = pixels[..., :3]
    rows = np.zeros((height, 1 + width * pixels.shape[2]), dtype=np.uint8)  # filter 0
    rows[:, 1:] = pixels.reshape(height, -1)
    per_metre = round(DPI / 0.0254)
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)),
            _chunk(b"IEND", b""),
        )
    )


def completion_chart(evaluation: Evaluation, score: EvaluationScore | None = None) -> bytes | None:
    """A bar per numeric indicator (实际完成值 ÷ 年度指标值, %), a line at 100 %."""
    items = completions(evaluation, score)
    if not items:
        return None

    def draw(figure: Any) -> None:
        axes = figure.add_subplot()
        labels = [_short(item.name) for item in reversed(items)]
        values = [float(min(item.percent, CLIP)) for item in reversed(items)]
        colours = [_MET if item.met else _SHORT for item in reversed(items)]
        bars = axes.barh(range(len(items)), values, color=colours, height=0.6)
        axes.set_yticks(range(len(items)), labels)
        axes.axvline(100, color="#b22222", linestyle="--", linewidth=1)
        for bar, item in zip(bars, reversed(items), strict=True):
            axes.text(
                bar.get_width() + 2,
                bar.get_y() + bar.get_height() / 2,
                f"{item.percent}%",
                va="center",
                fontsize=8,
            )
        axes.set_xlim(0, max(120.0, max(values) * 1.18))
        axes.set_xlabel("实际完成值 ÷ 年度指标值（%），虚线为 100%")
        axes.set_title("绩效指标完成情况", fontsize=11)
        axes.spines[["top", "right"]].set_visible(False)

    return _png(draw, 1.2 + 0.32 * len(items))


def _funded(evaluation: Evaluation) -> list[Evaluation]:
    tables = [evaluation, *evaluation.children]
    return [e for e in tables if e.funds.annual_budget is not None and e.funds.executed is not None]


def _bar_name(table: Evaluation, parent: Evaluation, several: bool) -> str:
    """合计 for the fund, a sub-direction's own part of its name (after the fund's name)."""
    if table is parent:
        return "合计" if several else _short(table.name or "本项目", 10)
    name = table.name or "支出方向"
    if parent.name and name.startswith(parent.name) and len(name) > len(parent.name):
        name = name[len(parent.name) :].strip("（）() -－—")
    return _short(name, 10)


def execution_chart(evaluation: Evaluation) -> bytes | None:
    """全年预算数 beside 全年执行数 (万元) with the execution rate, for a table and its
    sub-directions; ``None`` when no table has both figures."""
    tables = _funded(evaluation)
    if not tables:
        return None

    def draw(figure: Any) -> None:
        axes = figure.add_subplot()
        names = [_bar_name(e, evaluation, len(tables) > 1) for e in tables]
        budget = [float(e.funds.annual_budget or 0) for e in tables]
        executed = [float(e.funds.executed or 0) for e in tables]
        xs = range(len(tables))
        axes.bar([x - 0.2 for x in xs], budget, width=0.4, color=_BUDGET, label="全年预算数")
        axes.bar([x + 0.2 for x in xs], executed, width=0.4, color=_MET, label="全年执行数")
        top = max([*budget, *executed, 1.0])
        for x, e in zip(xs, tables, strict=True):
            planned, spent = e.funds.annual_budget, e.funds.executed
            if planned:
                rate = (Decimal(spent or 0) / planned * 100).quantize(Decimal("0.01"))
                axes.text(
                    x + 0.2, float(spent or 0) + top * 0.02, f"{rate}%", ha="center", fontsize=8
                )
        axes.set_xticks(list(xs), names, rotation=20 if len(tables) > 3 else 0, fontsize=8)
        axes.set_ylim(0, top * 1.15)
        axes.set_ylabel("万元")
        axes.set_title("预算执行情况（标注为执行率）", fontsize=11)
        axes.legend(fontsize=8, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)

    return _png(draw, 3.4)


def charts_for(
    evaluation: Evaluation, score: EvaluationScore | None = None, *, execution: bool = True
) -> list[tuple[str, bytes]]:
    """The charts of one table: (kind, PNG) for ``completion`` and, with ``execution``,
    ``execution`` (left out for a sub-direction: its parent's chart covers it)."""
    drawn = [("completion", completion_chart(evaluation, score))]
    if execution:
        drawn.append(("execution", execution_chart(evaluation)))
    return [(kind, png) for kind, png in drawn if png is not None]


def write_charts(
    evaluation: Evaluation,
    directory: str | Path,
    score: EvaluationScore | None = None,
) -> list[Path]:
    """PNG files for a table and each sub-direction: ``01-completion.png``, ``01-execution.png``…

    Numbers follow the tables in document order (the table itself is 01).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    scores: Sequence[EvaluationScore | None] = (
        score.walk() if score is not None else [None] * len(evaluation.walk())
    )
    written: list[Path] = []
    for number, (table, scored) in enumerate(zip(evaluation.walk(), scores, strict=True), start=1):
        for kind, png in charts_for(table, scored, execution=number == 1):
            path = folder / f"{number:02d}-{kind}.png"
            path.write_bytes(png)
            written.append(path)
    return written

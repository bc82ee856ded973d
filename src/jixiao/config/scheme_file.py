"""Scoring-scheme files: declared keys, validated, merged along ``extends``, built into a Scheme."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any, Literal

from jixiao.loading import Loaded, LoadError, Path, Problem, decode, load_bytes, load_data
from jixiao.scoring import ExecutionRule, GradeBand, Level1Spec, Scheme
from jixiao.values import Direction, Tier

DEFAULT_SCHEME = "national-2020"
DirectionName = Literal["positive", "negative", "equal", "unknown"]


@dataclass(frozen=True, slots=True)
class Level1File:
    """一级指标及其分值"""

    name: str
    weight: Decimal
    aliases: tuple[str, ...] = ()
    level2: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True, slots=True)
class StepFile:
    """执行率分档：执行率不低于 min_rate（%）时得分值的 fraction"""

    min_rate: Decimal
    fraction: Decimal


@dataclass(frozen=True, slots=True)
class ExecutionFile:
    """预算执行得分的算法"""

    formula: Literal["linear", "steps"] = "linear"
    rate_decimals: int = 2
    steps: tuple[StepFile, ...] = ()


@dataclass(frozen=True, slots=True)
class QualitativeFile:
    """定性指标三档（占分值的比例区间）"""

    achieved: tuple[Decimal, ...]
    partial: tuple[Decimal, ...]
    not_achieved: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class GradeFile:
    """等级：总分不低于 min 为 grade"""

    min: Decimal
    grade: str


@dataclass(frozen=True, slots=True)
class DirectionsFile:
    """没有比较符时的指标方向"""

    default: DirectionName = "positive"
    level2: Mapping[str, DirectionName] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SchemeFile:
    """评分方案文件"""

    name: str
    title: str
    funds_weight: Decimal
    level1: tuple[Level1File, ...]
    qualitative: QualitativeFile
    grades: tuple[GradeFile, ...]
    description: str = ""
    extends: str | None = None
    execution: ExecutionFile = field(default_factory=ExecutionFile)
    reverse_formula: Literal["ratio", "linear"] = "ratio"
    compound: Literal["mean", "min"] = "mean"
    over_achievement: Decimal = Decimal("1.5")
    score_decimals: int = 2
    directions: DirectionsFile = field(default_factory=DirectionsFile)


# The schemes shipped with jixiao, beside this module (found by its own path: importlib's
# resources, with the tempfile and archive modules it loads, were a twentieth of the start-up
# of ``jixiao check`` on one file)
SCHEMES = FilePath(__file__).resolve().parent / "schemes"


def bundled_schemes() -> list[str]:
    """Names of the schemes shipped with jixiao."""
    return sorted(
        p.name.removesuffix(".yaml") for p in SCHEMES.iterdir() if p.name.endswith(".yaml")
    )


def _locate(name_or_path: str) -> str:
    if name_or_path.endswith((".yaml", ".yml", ".json")) or "/" in name_or_path:
        return name_or_path
    path = SCHEMES / f"{name_or_path}.yaml"
    if not path.is_file():
        known = "、".join(bundled_schemes())
        raise LoadError.single(
            name_or_path, f"未知的评分方案“{name_or_path}”（可用：{known}，或给出方案文件路径）"
        )
    return str(path)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _raw(name_or_path: str, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], Loaded]:
    return _extended(load_data(_locate(name_or_path)), seen)


def _extended(
    loaded: Loaded, seen: tuple[str, ...] = (), *, bundled_only: bool = False
) -> tuple[dict[str, Any], Loaded]:
    data = loaded.data
    if not isinstance(data, dict):
        raise LoadError.single(loaded.file, "评分方案文件应为一组键值", 1)
    parent = data.get("extends")
    if parent is None:
        return data, loaded
    if not isinstance(parent, str) or parent in seen:
        raise LoadError.single(
            loaded.file, f"extends 无效或形成循环：{parent}", loaded.line(("extends",))
        )
    if bundled_only and parent not in bundled_schemes():
        known = "、".join(bundled_schemes())
        raise LoadError.single(
            loaded.file,
            f"extends：上传的方案只能在自带方案之上修改（可用：{known}），不能是“{parent}”",
            loaded.line(("extends",)),
        )
    base, _ = _raw(parent, (*seen, parent))
    return _merge(base, data), loaded


def load_scheme(name_or_path: str = DEFAULT_SCHEME) -> Scheme:
    """A bundled scheme by name, or a scheme file by path; ``LoadError`` when invalid."""
    return _scheme(*_raw(name_or_path))


def scheme_from_bytes(content: bytes, file_name: str) -> Scheme:
    """An uploaded scheme file, checked exactly as ``load_scheme`` checks a file on disk
    (messages name ``file_name``). Its ``extends`` may only name a bundled scheme: an
    upload must not make the server read its own files."""
    return _scheme(*_extended(load_bytes(content, file_name), bundled_only=True))


def _scheme(data: dict[str, Any], loaded: Loaded) -> Scheme:
    merged = Loaded(loaded.file, data, loaded.lines)
    spec = decode(SchemeFile, merged)
    _check(spec, merged)
    return _build(spec)


def _check(spec: SchemeFile, loaded: Loaded) -> None:
    problems: list[Problem] = []

    def fail(path: Path, message: str) -> None:
        problems.append(Problem(loaded.file, message, loaded.line(path), path))

    for tier in ("achieved", "partial", "not_achieved"):
        bounds = getattr(spec.qualitative, tier)
        if len(bounds) != 2 or not Decimal(0) <= bounds[0] <= bounds[1] <= Decimal(1):
            fail(("qualitative", tier), "应为 [下限, 上限]，且 0 ≤ 下限 ≤ 上限 ≤ 1")
    minimums = [g.min for g in spec.grades]
    if minimums != sorted(minimums, reverse=True) or not minimums:
        fail(("grades",), "等级应按分数下限从高到低排列")
    if spec.execution.formula == "steps" and not spec.execution.steps:
        fail(("execution", "steps"), "formula 为 steps 时须列出分档")
    for i, level in enumerate(spec.level1):
        if level.weight < 0:
            fail(("level1", i, "weight"), "分值不能为负")
    if spec.over_achievement <= 1:
        fail(("over_achievement",), "超额完成阈值应大于 1（如 1.5 即 150%）")
    if not 0 <= spec.score_decimals <= 6 or not 0 <= spec.execution.rate_decimals <= 6:
        fail(("score_decimals",), "小数位应在 0 到 6 之间")
    if problems:
        raise LoadError(problems)


def _build(spec: SchemeFile) -> Scheme:
    q = spec.qualitative
    return Scheme(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        funds_weight=spec.funds_weight,
        level1=tuple(
            Level1Spec(x.name, x.weight, x.level2, x.aliases, x.required) for x in spec.level1
        ),
        execution=ExecutionRule(
            formula=spec.execution.formula,
            steps=tuple(
                (s.min_rate, s.fraction)
                for s in sorted(spec.execution.steps, key=lambda s: s.min_rate, reverse=True)
            ),
            rate_decimals=spec.execution.rate_decimals,
        ),
        reverse_formula=spec.reverse_formula,
        compound=spec.compound,
        qualitative={
            Tier.ACHIEVED: (q.achieved[0], q.achieved[1]),
            Tier.PARTIAL: (q.partial[0], q.partial[1]),
            Tier.NOT_ACHIEVED: (q.not_achieved[0], q.not_achieved[1]),
        },
        over_achievement=spec.over_achievement,
        grades=tuple(GradeBand(g.min, g.grade) for g in spec.grades),
        score_decimals=spec.score_decimals,
        default_direction=Direction(spec.directions.default),
        level2_directions={k: Direction(v) for k, v in spec.directions.level2.items()},
    )

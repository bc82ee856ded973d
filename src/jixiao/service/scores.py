"""Scores as plain data for ``--format json`` (and the web API): reported beside recomputed."""

from __future__ import annotations

from typing import Any

from jixiao.scoring import EvaluationScore, IndicatorScore


def _indicator(item: IndicatorScore) -> dict[str, Any]:
    ind = item.indicator
    return {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "target": ind.target,
        "actual": ind.actual,
        "weight": ind.weight,
        "reported_score": ind.score,
        "score": item.expected(),
        "score_range": [item.low, item.high] if item.determined else None,
        "rule": item.rule.value,
        "direction": item.direction.value,
        "ratio": round(item.ratio, 4) if item.ratio is not None else None,
        "over_achieved": item.over_achieved,
        "explanation": item.explanation,
        "note": item.note,
    }


def score_to_data(result: EvaluationScore) -> dict[str, Any]:
    ev = result.evaluation
    return {
        "kind": ev.kind,
        "name": ev.name,
        "year": ev.year,
        "scheme": result.scheme_name,
        "scheme_title": result.scheme_title,
        "funds": {
            "weight": result.funds.weight,
            "reported_rate": ev.funds.rate,
            "rate": result.funds.rate,
            "reported_score": ev.funds.score,
            "score": result.funds.score,
            "explanation": result.funds.explanation,
        },
        "indicators": [_indicator(item) for item in result.indicators],
        "total": {"weight": ev.total.weight, "reported": ev.total.score, "score": result.total},
        "grade": {"reported": ev.grade, "grade": result.grade},
        "undetermined": len(result.undetermined),
        "children": [score_to_data(child) for child in result.children],
    }

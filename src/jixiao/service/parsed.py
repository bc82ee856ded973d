"""Parse results as plain data: the shape of ``jixiao parse --format json`` (contract §2)."""

from __future__ import annotations

from typing import Any

from jixiao.ingest import Problem
from jixiao.loading import encode
from jixiao.model import Evaluation
from jixiao.service.reading import ReadReport


def _problem(problem: Problem) -> dict[str, Any]:
    return {"message": problem.message, "source": encode(problem.source)}


def _flat(evaluations: tuple[Evaluation, ...]) -> list[Evaluation]:
    out: list[Evaluation] = []
    for evaluation in evaluations:
        out.extend(evaluation.walk())
    return out


def parsed_to_data(parsed: ReadReport) -> dict[str, Any]:
    """One object per file: evaluations (flat, in order; a fund also carries its children),
    other tables, the narrative, what could not be read (errors) and what was repaired (notes)."""
    report = parsed.report
    data: dict[str, Any] = {
        "source": parsed.name,
        "evaluations": [],
        "tables": [],
        "narrative": None,
        "errors": [_problem(p) for p in parsed.errors],
        "notes": [_problem(p) for p in parsed.notes],
    }
    if report is None:
        return data
    data["evaluations"] = [encode(e) for e in _flat(report.evaluations)]
    for basic in report.basic_data:
        data["tables"].append({"kind": "basic_data", "title": basic.title, **encode(basic)})
    for allocation in report.allocations:
        data["tables"].append(
            {"kind": "allocation", "title": allocation.title, **encode(allocation)}
        )
    for table in parsed.other_tables:
        data["tables"].append(
            {"kind": "other", "title": None, "cells": table.texts(), "source": encode(table.source)}
        )
    data["narrative"] = {
        "title": report.title,
        "unit": report.unit,
        "year": report.year,
        "date": report.date,
        "sections": encode(report.sections),
    }
    return data

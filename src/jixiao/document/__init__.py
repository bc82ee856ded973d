"""Evaluation documents: the contract's YAML / JSON shape, loaded, validated and written."""

from jixiao.document.evaluation_file import SUFFIXES as EVALUATION_SUFFIXES
from jixiao.document.evaluation_file import (
    dump_json,
    dump_yaml,
    evaluation_schema,
    evaluation_to_data,
    load_evaluation,
    load_evaluation_bytes,
    with_line_sources,
)

__all__ = [
    "EVALUATION_SUFFIXES",
    "dump_json",
    "dump_yaml",
    "evaluation_schema",
    "evaluation_to_data",
    "load_evaluation",
    "load_evaluation_bytes",
    "with_line_sources",
]

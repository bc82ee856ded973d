"""Evaluation documents: the contract's YAML / JSON shape, loaded, validated and written."""

from jixiao.document.evaluation_file import (
    dump_json,
    dump_yaml,
    evaluation_schema,
    evaluation_to_data,
    load_evaluation,
    with_line_sources,
)

__all__ = [
    "dump_json",
    "dump_yaml",
    "evaluation_schema",
    "evaluation_to_data",
    "load_evaluation",
    "with_line_sources",
]

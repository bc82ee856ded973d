"""The one facade the CLI (and later the web app) calls: load, score, describe."""

from jixiao.service.audit import CheckedFile, checked_to_data, finding_to_data
from jixiao.service.facade import ScoredFile, Service, sample_files
from jixiao.service.parsed import parsed_to_data
from jixiao.service.scores import score_to_data

__all__ = [
    "CheckedFile",
    "ScoredFile",
    "Service",
    "checked_to_data",
    "finding_to_data",
    "parsed_to_data",
    "sample_files",
    "score_to_data",
]

"""The one facade the CLI and the web app call: read, score, check, describe."""

from jixiao.service.audit import CheckedFile, checked_to_data, finding_to_data
from jixiao.service.facade import ScoredFile, Service, sample_files
from jixiao.service.parsed import parsed_to_data
from jixiao.service.reading import READABLE, ReadReport, read_report
from jixiao.service.scores import score_to_data

__all__ = [
    "READABLE",
    "CheckedFile",
    "ReadReport",
    "ScoredFile",
    "Service",
    "checked_to_data",
    "finding_to_data",
    "parsed_to_data",
    "read_report",
    "sample_files",
    "score_to_data",
]

"""Ingestion: files in every format → the model, every value traced to its place."""

from jixiao.ingest.parse import ParsedFile, Problem, parse_bytes, parse_file, read_file

__all__ = ["ParsedFile", "Problem", "parse_bytes", "parse_file", "read_file"]

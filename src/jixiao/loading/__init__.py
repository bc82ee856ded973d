"""Reading YAML and JSON with the line of every key, and precise load errors."""

from jixiao.loading.codec import decode, decode_stored, encode, json_schema
from jixiao.loading.errors import LoadError, Problem
from jixiao.loading.tree import Loaded, Path, load_bytes, load_data, load_text

__all__ = [
    "LoadError",
    "Loaded",
    "Path",
    "Problem",
    "decode",
    "decode_stored",
    "encode",
    "json_schema",
    "load_bytes",
    "load_data",
    "load_text",
]

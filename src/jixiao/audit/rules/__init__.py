"""The rule catalogue: explicit registration, family by family (codes never reused).

Each family is a folder whose ``__init__`` lists its codes in ``CODES``; each rule is the
module of that name holding the class of that name (``funds/FD01.py`` → ``FD01``).
"""

from __future__ import annotations

import importlib

from jixiao.audit.rule import Catalogue, Rule

FAMILIES = (
    "funds",
    "weights",
    "scores",
    "deviation",
    "targets",
    "values",
    "completeness",
    "naming",
    "cross",
)

CATALOGUE = Catalogue()


def _load() -> None:
    for family in FAMILIES:
        package = importlib.import_module(f"jixiao.audit.rules.{family}")
        for code in package.CODES:
            module = importlib.import_module(f"jixiao.audit.rules.{family}.{code}")
            rule: type[Rule] = getattr(module, code)
            CATALOGUE.add(rule)


_load()

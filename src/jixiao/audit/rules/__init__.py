"""The rule catalogue: explicit registration, family by family (codes never reused)."""

from __future__ import annotations

import importlib

from jixiao.audit.rule import Catalogue, Rule

FAMILIES: dict[str, tuple[str, ...]] = {
    "funds": ("FD01", "FD02"),
}

CATALOGUE = Catalogue()


def _load() -> None:
    for family, codes in FAMILIES.items():
        for code in codes:
            module = importlib.import_module(f"jixiao.audit.rules.{family}.{code}")
            rule: type[Rule] = getattr(module, code)
            CATALOGUE.add(rule)


_load()

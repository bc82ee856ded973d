"""Evaluation files (YAML, JSON) from anyone who can upload: aliases that multiply, nesting
without end. Each is refused with a message naming the file, quickly and in little memory."""

from __future__ import annotations

import resource
import time

import pytest

from jixiao.loading import LoadError, load_text
from jixiao.loading.tree import MAX_DEPTH


def _alias_bomb(levels: int, width: int = 10) -> str:
    """``a0: &a0 [x, x, …]``, ``a1: &a1 [*a0, *a0, …]``…: width ** levels values."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_aliases_that_multiply_are_refused_quickly() -> None:
    text = _alias_bomb(9)  # 10⁹ values from 500-odd bytes
    assert len(text) < 600
    before, start = _peak_mib(), time.monotonic()
    with pytest.raises(LoadError) as caught:
        load_text(text, "bomb.yaml")
    assert time.monotonic() - start < 2
    assert _peak_mib() - before < 200
    assert "别名" in str(caught.value) and "bomb.yaml" in str(caught.value)


def test_aliases_that_repeat_a_little_still_load() -> None:
    text = "base: &b {weight: 10, score: 9}\nrows: [*b, *b, *b]\n"
    assert load_text(text, "ok.yaml").data["rows"][2] == {"weight": 10, "score": 9}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("[" * 5000 + "]" * 5000, "deep.json"),
        ("[" * 5000 + "]" * 5000, "deep.yaml"),
        ("a:\n" + "".join(" " * (2 * n) + f"k{n}:\n" for n in range(1, 200)), "deep.yaml"),
    ],
)
def test_nesting_without_end_is_refused(text: str, name: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text, name, json_only=name.endswith(".json"))
    assert name in str(caught.value)


def test_nesting_of_a_real_document_loads() -> None:
    text = "a:\n" + "".join(" " * (2 * n) + f"k{n}:\n" for n in range(1, MAX_DEPTH - 2))
    load_text(text + " " * (2 * MAX_DEPTH) + "x: 1\n", "fine.yaml")

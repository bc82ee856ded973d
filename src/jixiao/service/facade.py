"""Service: the operations users reach through the CLI and the web, over the pure core."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.config import DEFAULT_SCHEME, bundled_schemes, load_scheme
from jixiao.document import evaluation_schema, load_evaluation
from jixiao.model import Evaluation
from jixiao.scoring import EvaluationScore, Scheme, score_evaluation


@dataclass(frozen=True, slots=True)
class ScoredFile:
    path: str
    evaluation: Evaluation
    scheme: Scheme
    score: EvaluationScore


def sample_files() -> list[Path]:
    """The hand-written sample evaluations shipped with jixiao."""
    folder = resources.files("jixiao") / "samples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".json")))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around a batch of scoring.

    Scoring builds only acyclic tuples, which reference counting frees at once; the cycle
    collector would meanwhile rescan every cached value and verdict again and again, and
    on a province that rescanning costs more than the scoring itself (see bench/).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Service:
    """Loads inputs and schemes (each scheme once) and scores evaluations."""

    def __init__(self, scheme_override: str | None = None) -> None:
        self.scheme_override = scheme_override
        self._schemes: dict[str, Scheme] = {}

    def scheme(self, name: str | None = None) -> Scheme:
        key = self.scheme_override or name or DEFAULT_SCHEME
        if key not in self._schemes:
            self._schemes[key] = load_scheme(key)
        return self._schemes[key]

    def score(self, evaluation: Evaluation) -> EvaluationScore:
        return score_evaluation(evaluation, self.scheme(evaluation.scheme))

    def score_many(self, evaluations: Iterable[Evaluation]) -> list[EvaluationScore]:
        """Score a batch (a directory, a province) with the cycle collector paused."""
        with gc_paused():
            return [self.score(evaluation) for evaluation in evaluations]

    def score_file(self, path: str | Path) -> ScoredFile:
        evaluation = load_evaluation(path)
        scheme = self.scheme(evaluation.scheme)
        return ScoredFile(str(path), evaluation, scheme, score_evaluation(evaluation, scheme))

    @staticmethod
    def schema() -> dict[str, Any]:
        return evaluation_schema()

    @staticmethod
    def schemes() -> list[Scheme]:
        return [load_scheme(name) for name in bundled_schemes()]

"""Service: the operations users reach through the CLI and the web, over the pure core."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.audit import AuditSettings
from jixiao.config import DEFAULT_SCHEME, bundled_schemes, load_scheme
from jixiao.document import evaluation_schema
from jixiao.ingest import Problem
from jixiao.model import Evaluation, SourceRef
from jixiao.scoring import EvaluationScore, Scheme, score_evaluation
from jixiao.service.audit import CheckedFile, check_failed, check_file, check_one
from jixiao.service.batch import Tick, run_batch
from jixiao.service.reading import READABLE, ReadReport, read_report


@dataclass(frozen=True, slots=True)
class ScoredFile:
    path: str
    evaluation: Evaluation
    scheme: Scheme
    score: EvaluationScore


def sample_files() -> list[Path]:
    """The hand-written sample evaluations shipped with jixiao (beside the package's
    modules; importlib's resources are not loaded for this)."""
    folder = Path(__file__).resolve().parents[1] / "samples"
    return sorted(p for p in folder.iterdir() if p.name.endswith((".yaml", ".json")))


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


def _parse_one(_context: None, path: Path) -> ReadReport:
    return read_report(path)


def _parse_failed(path: Path, reason: str) -> ReadReport:
    message = f"读取 {path} 时{reason}，已跳过该文件"
    return ReadReport(str(path), errors=(Problem(message, SourceRef(file=str(path))),))


def _weights(scheme: Scheme) -> dict[str, Any]:
    return {spec.name: spec.weight for spec in scheme.level1}


class Service:
    """Loads inputs and schemes (each scheme once) and scores evaluations."""

    def __init__(
        self, scheme_override: str | None = None, default_scheme: Scheme | None = None
    ) -> None:
        """``default_scheme`` replaces the national default (an instance's chosen or
        uploaded scheme; files may still name it)."""
        self.scheme_override = scheme_override
        self.default_name = default_scheme.name if default_scheme else DEFAULT_SCHEME
        self._schemes: dict[str, Scheme] = {}
        if default_scheme is not None:
            self._schemes[default_scheme.name] = default_scheme

    def scheme(self, name: str | None = None) -> Scheme:
        key = self.scheme_override or name or self.default_name
        if key not in self._schemes:
            self._schemes[key] = load_scheme(key)
        return self._schemes[key]

    def scheme_for(self, evaluation: Evaluation) -> Scheme:
        """The scheme the file names; else the default when the table declares no 一级
        weights or the default's; else the bundled one whose weights it declares (芦淞区's
        40/20/10/20); else the default."""
        if self.scheme_override or evaluation.scheme:
            return self.scheme(evaluation.scheme)
        declared = dict(evaluation.level1_weights)
        default = self.scheme()
        if not declared or _weights(default) == declared:
            return default
        for name in bundled_schemes():
            candidate = self.scheme(name)
            if _weights(candidate) == declared:
                return candidate
        return default

    def score(self, evaluation: Evaluation) -> EvaluationScore:
        return score_evaluation(evaluation, self.scheme_for(evaluation))

    def check(
        self,
        path: str | Path,
        settings: AuditSettings | None = None,
        previous: Sequence[Evaluation] = (),
    ) -> CheckedFile:
        """Check one file; ``previous``: last year's tables to compare with (TG03–TG05)."""
        return check_file(self, path, settings or AuditSettings(), tuple(previous))

    def check_many(
        self,
        paths: Sequence[Path],
        settings: AuditSettings | None = None,
        *,
        jobs: int | None = None,
        tick: Tick | None = None,
        previous: Sequence[Evaluation] = (),
    ) -> list[CheckedFile]:
        """``check`` for every path, in order; on ``jobs`` processes (default: one per CPU,
        1 = in this process). A file whose check crashes gets an error and the rest goes on."""
        context = (self, settings or AuditSettings(), tuple(previous))
        return run_batch(check_one, context, paths, check_failed, jobs=jobs, tick=tick)

    @staticmethod
    def parse(path: str | Path) -> ReadReport:
        return read_report(path)

    @staticmethod
    def parse_many(
        paths: Sequence[Path], *, jobs: int | None = None, tick: Tick | None = None
    ) -> list[ReadReport]:
        """``parse`` for every path, in order, like ``check_many``."""
        return run_batch(_parse_one, None, paths, _parse_failed, jobs=jobs, tick=tick)

    @staticmethod
    def expand(paths: Iterable[str | Path]) -> list[Path]:
        """Files as given, and the readable files inside directories, in a stable order."""
        out: list[Path] = []
        for item in map(Path, paths):
            if item.is_dir():
                out.extend(
                    sorted(
                        p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in READABLE
                    )
                )
            else:
                out.append(item)
        return out

    def evaluations_in(self, path: str | Path) -> list[Evaluation]:
        """The evaluations of an evaluation file, or of any readable report; ``LoadError``
        naming the file and each place when it cannot be read."""
        read = read_report(path)
        if read.errors:
            raise read.load_error()
        return list(read.report.evaluations) if read.report else []

    def score_many(self, evaluations: Iterable[Evaluation]) -> list[EvaluationScore]:
        """Score a batch (a directory, a province) with the cycle collector paused.

        The scheme is chosen once per distinct (named scheme, declared 一级 weights). The
        scores, acyclic tuples kept as long as the caller keeps the batch, then go straight
        to the collector's oldest generation (``gc.freeze`` + ``gc.unfreeze``, two list
        splices): otherwise the first young collection after the pause would trace every
        one of them (over a second for a province) only to find them all alive.
        """
        chosen: dict[tuple[Any, ...], Scheme] = {}
        scored: list[EvaluationScore] = []
        with gc_paused():
            for evaluation in evaluations:
                key = (evaluation.scheme, tuple(evaluation.level1_weights.items()))
                scheme = chosen.get(key)
                if scheme is None:
                    scheme = chosen[key] = self.scheme_for(evaluation)
                scored.append(score_evaluation(evaluation, scheme))
            gc.freeze()
            gc.unfreeze()
        return scored

    def score_file(self, path: str | Path) -> list[ScoredFile]:
        out = []
        for evaluation in self.evaluations_in(path):
            scheme = self.scheme_for(evaluation)
            out.append(
                ScoredFile(str(path), evaluation, scheme, score_evaluation(evaluation, scheme))
            )
        return out

    @staticmethod
    def schema() -> dict[str, Any]:
        return evaluation_schema()

    @staticmethod
    def schemes() -> list[Scheme]:
        return [load_scheme(name) for name in bundled_schemes()]

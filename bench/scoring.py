"""Scoring throughput on a synthetic province (1,000,000 indicators in 60,000 evaluations).

Runs on one core. Reports, as medians over --repeat runs: value parsing alone with a cold
cache; the scoring engine called once per evaluation (cyclic GC left on); the service's
batch call ``Service.score_many`` (what the CLI and web use: GC paused) on a cold cache (a
new batch) and on a warm one (the batch rescored); ratios against the cold batch; then
peak memory.
Goal (README): full cold scoring under 5 s, memory under 2 GiB.

    python bench/scoring.py [--evaluations 60000] [--indicators 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jixiao.scoring import score_evaluation
from jixiao.service import Service
from jixiao.values import assess, parse_value
from province import province


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evaluations", type=int, default=60_000)
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    evaluations = province(args.evaluations, args.indicators)
    built = time.perf_counter() - started
    strings = {s for ev in evaluations for i in ev.indicators for s in (i.target, i.actual)}
    keys = {(i.target, i.actual, i.weight, i.level2) for ev in evaluations for i in ev.indicators}
    print(
        f"province: {args.evaluations} evaluations, {args.indicators} indicators, "
        f"{len(strings)} distinct value strings, {len(keys)} distinct (target, actual, "
        f"weight, 二级) combinations (built in {built:.1f} s)"
    )
    del strings, keys

    service = Service()
    scheme = service.scheme()

    def parse_only() -> None:
        for ev in evaluations:
            for item in ev.indicators:
                parse_value(item.target)
                parse_value(item.actual)

    def engine_loop() -> None:
        for ev in evaluations:
            score_evaluation(ev, scheme)

    def service_batch() -> None:
        service.score_many(evaluations)

    runs = (
        ("parse only, cold", parse_only, True),
        ("engine loop, cold", engine_loop, True),
        ("score_many, cold", service_batch, True),
        ("score_many, warm", service_batch, False),
    )
    timings: dict[str, list[float]] = {label: [] for label, _, _ in runs}
    for _ in range(args.repeat):
        for label, work, cold in runs:
            if cold:  # forget every string read and every verdict reached
                parse_value.cache_clear()
                assess.cache_clear()
                scheme.memo.clear()
            t0 = time.perf_counter()
            work()
            timings[label].append(time.perf_counter() - t0)

    cold = statistics.median(timings["score_many, cold"])
    print(f"{'run':<20}{'median s':>10}{'µs/indicator':>15}{'vs score_many cold':>20}")
    for label, values in timings.items():
        median = statistics.median(values)
        print(
            f"{label:<20}{median:>10.2f}{median / args.indicators * 1e6:>15.2f}"
            f"{median / cold:>20.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MiB")
    print(
        f"goal: cold scoring < 5 s -> {'met' if cold < 5 else 'NOT met'}; "
        f"memory < 2048 MiB -> {'met' if peak < 2048 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()

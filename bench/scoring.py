"""Scoring throughput on a synthetic province (1,000,000 indicators in 60,000 evaluations).

Runs on one core. Reports, as medians over --repeat runs: value parsing alone with a cold
cache, full scoring with a cold cache (the realistic case: a new batch), and full scoring
with a warm cache (a batch rescored), with the ratio between them; then peak memory.
Goal (README): full cold scoring under 5 s, memory under 2 GiB.

    python bench/scoring.py [--evaluations 60000] [--indicators 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jixiao.config import load_scheme
from jixiao.scoring import score_evaluation
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
    scheme = load_scheme("national-2020")
    strings = {s for ev in evaluations for i in ev.indicators for s in (i.target, i.actual)}
    keys = {(i.target, i.actual, i.weight, i.level2) for ev in evaluations for i in ev.indicators}
    print(
        f"province: {args.evaluations} evaluations, {args.indicators} indicators, "
        f"{len(strings)} distinct value strings, {len(keys)} distinct (target, actual, "
        f"weight, 二级) combinations (built in {built:.1f} s)"
    )
    del strings, keys
    # The province is built once and only read from here on: take it out of the cyclic
    # garbage collector's sight, as a batch job would, so that collections do not rescan
    # a million indicators over and over.
    gc.collect()
    gc.freeze()

    def parse_only() -> None:
        for ev in evaluations:
            for item in ev.indicators:
                parse_value(item.target)
                parse_value(item.actual)

    def score_all() -> None:
        for ev in evaluations:
            score_evaluation(ev, scheme)

    timings: dict[str, list[float]] = {
        "parse, cold cache": [],
        "score, cold cache": [],
        "score, warm cache": [],
    }
    for _ in range(args.repeat):
        for label, work, cold in (
            ("parse, cold cache", parse_only, True),
            ("score, cold cache", score_all, True),
            ("score, warm cache", score_all, False),
        ):
            if cold:  # forget every string read and every verdict reached
                parse_value.cache_clear()
                assess.cache_clear()
                scheme.memo.clear()
            t0 = time.perf_counter()
            work()
            timings[label].append(time.perf_counter() - t0)

    cold = statistics.median(timings["score, cold cache"])
    print(f"{'run':<20}{'median s':>10}{'µs/indicator':>15}{'vs cold score':>15}")
    for label, values in timings.items():
        median = statistics.median(values)
        print(
            f"{label:<20}{median:>10.2f}{median / args.indicators * 1e6:>15.2f}"
            f"{median / cold:>15.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MiB")
    print(
        f"goal: cold scoring < 5 s -> {'met' if cold < 5 else 'NOT met'}; "
        f"memory < 2048 MiB -> {'met' if peak < 2048 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()

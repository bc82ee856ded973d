"""Scoring throughput on a synthetic province (1,000,000 indicators in 60,000 evaluations).

Runs on one core. Reports, as medians over --repeat runs, wall time and the process's CPU
time: value parsing alone with a cold cache; the scoring engine called once per evaluation
(cyclic GC left on); the service's batch call ``Service.score_many`` (what the CLI and web
use: GC paused) on a cold cache (a new batch) and on a warm one (the batch rescored);
ratios against the cold batch (CPU time, measured in the same run); then peak memory. The
machine (processor, cores, Python) and its load average before and after are printed: on a
shared machine the wall time grows with the load, the CPU time and the ratios much less.
Goal (README): full cold scoring under 5 s, memory under 2 GiB.

    python bench/scoring.py [--evaluations 60000] [--indicators 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
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
    cpu: dict[str, list[float]] = {label: [] for label, _, _ in runs}
    print(f"machine: {machine()}; load average before: {load_average()}")
    for _ in range(args.repeat):
        for label, work, cold in runs:
            if cold:  # forget every string read and every verdict reached
                parse_value.cache_clear()
                assess.cache_clear()
                scheme.memo.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            work()
            timings[label].append(time.perf_counter() - t0)
            cpu[label].append(time.process_time() - c0)

    print(f"load average after: {load_average()}")
    cold = statistics.median(cpu["score_many, cold"])
    head = f"{'run':<20}{'wall s':>9}{'CPU s':>9}{'µs/indicator (CPU)':>21}"
    print(head + f"{'vs score_many cold':>20}")
    for label, values in timings.items():
        median, used = statistics.median(values), statistics.median(cpu[label])
        print(
            f"{label:<20}{median:>9.2f}{used:>9.2f}{used / args.indicators * 1e6:>21.2f}"
            f"{used / cold:>20.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MiB")
    print(
        f"goal: cold scoring < 5 s (CPU time) -> {'met' if cold < 5 else 'NOT met'}; "
        f"memory < 2048 MiB -> {'met' if peak < 2048 else 'NOT met'}"
    )


def machine() -> str:
    """The processor, its cores and the Python running this."""
    model = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):  # noqa: SIM115
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load_average() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


if __name__ == "__main__":
    main()

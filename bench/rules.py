"""Each audit rule's time on reports of 100, 1,000 and 10,000 indicators.

The reports are made by tests/big_report.py: a 专项's overall table with half of the
indicators and sub-direction tables of 100 with the rest, a narrative stating about one
indicator's figure in three, funds sentences, changes over last year, names cut short.
Each rule runs alone (``run_audit`` with that rule only) --repeat times on the report
already read and scored; the table gives the median CPU time of this process (other work
on the machine does not count; the cyclic GC paused while timing), the time per indicator
at the largest size, and the growth: what an indicator costs at the largest size divided by
what it costs at the size before (1.0 for a rule linear in the report; 10 for one that
compares everything with everything). Last, the whole catalogue at once (what ``check``
runs: the narrative cut into sentences once for all). With ``--src DIR`` the same is
measured in a subprocess on another checkout's ``src`` (an older commit, say) and the two
are shown side by side with the ratio. The load average is printed before and after.

    python bench/rules.py [--sizes 100 1000 10000] [--repeat 5] [--src DIR]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.big_report import big_report, checked_tables  # noqa: E402

from jixiao.audit import AuditSettings, run_audit  # noqa: E402
from jixiao.audit.rules import CATALOGUE  # noqa: E402

ALL = "all rules"


def measure(sizes: list[int], repeat: int) -> dict[str, dict[int, float]]:
    """rule code (and ``ALL``) → size → median CPU seconds."""
    settings = AuditSettings()
    out: dict[str, dict[int, float]] = {}
    for size in sizes:
        report = big_report(size)
        tables = checked_tables(report)
        runs = {code: {code: rule} for code, rule in CATALOGUE.rules.items()}
        runs[ALL] = dict(CATALOGUE.rules)
        for code, rules in runs.items():
            times = []
            for _ in range(repeat):
                gc.collect()
                gc.disable()
                started = time.process_time()
                run_audit(tables, report, settings, rules)
                times.append(time.process_time() - started)
                gc.enable()
            out.setdefault(code, {})[size] = statistics.median(times)
    return out


def show(results: dict[str, dict[int, float]], sizes: list[int]) -> None:
    head = "".join(f"{f'{s:,} ms':>12}" for s in sizes)
    print(f"{'rule':<10}{head}{'µs/indicator':>14}{'growth':>8}")
    last, before = sizes[-1], sizes[-2] if len(sizes) > 1 else sizes[-1]
    order = sorted(results, key=lambda c: (c == ALL, -results[c][last]))
    for code in order:
        times = results[code]
        cells = "".join(f"{times[s] * 1000:>12.1f}" for s in sizes)
        per = times[last] / last * 1e6
        growth = (times[last] / last) / max(times[before] / before, 1e-9)
        print(f"{code:<10}{cells}{per:>14.1f}{growth:>8.2f}")


def compare(now: dict[str, dict[int, float]], then: dict[str, dict[int, float]]) -> None:
    sizes = sorted(next(iter(now.values())))
    print(f"\nside by side ({'--src'} first, then this checkout; ratio = --src ÷ this):")
    head = "".join(f"{f'{s:,}: before / now':>26}{'ratio':>7}" for s in sizes)
    print(f"{'rule':<10}{head}")
    last = sizes[-1]
    shown = [c for c in then if c in now and (then[c][last] >= 0.001 or c == ALL)]
    for code in sorted(shown, key=lambda c: (c == ALL, -then[c][last])):
        cells = "".join(
            f"{then[code][s] * 1000:>14.1f} / {now[code][s] * 1000:>9.1f}"
            f"{then[code][s] / max(now[code][s], 1e-9):>7.1f}"
            for s in sizes
        )
        print(f"{code:<10}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--src", type=Path, help="another checkout's src, measured beside")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.sizes, args.repeat)))
        return
    load = os.getloadavg()
    then = None
    if args.src is not None:
        env = {**os.environ, "PYTHONPATH": str(args.src.resolve())}
        command = [sys.executable, __file__, "--json", "--repeat", str(args.repeat), "--sizes"]
        done = subprocess.run(
            [*command, *map(str, args.sizes)], env=env, capture_output=True, text=True, check=True
        )
        then = {k: {int(s): t for s, t in v.items()} for k, v in json.loads(done.stdout).items()}
    now = measure(args.sizes, args.repeat)
    after = os.getloadavg()
    print(
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} before, {after[0]:.2f} after; "
        f"medians of {args.repeat}, CPU time of this process, one rule at a time"
    )
    show(now, args.sizes)
    if then is not None:
        compare(now, then)


if __name__ == "__main__":
    main()

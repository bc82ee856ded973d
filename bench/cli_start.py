"""How long ``jixiao`` takes to start: ``--version``, ``--help`` and ``check`` on one file.

Each command runs as a new process the way the installed ``jixiao`` script starts it
(``from jixiao.cli.main import main``), --repeat times, interleaved with ``python -c pass``
(the interpreter's own start-up, the floor no command can go under); the table gives
medians and each command's ratio to that floor, measured in the same run. With ``--src
DIR`` the same commands also run from another checkout's ``src`` (an older commit, say),
side by side. Compiled bytecode is written first (one warm-up run of each, without
PYTHONDONTWRITEBYTECODE), as an installed package has it. The machine's load average is
printed before and after: on a busy machine every figure grows, the ratios less so.
Goals (issue 16.2): ``--version`` under 3 × ``python -c pass``, ``check`` on one file
under 0.25 s on a quiet machine.

    python bench/cli_start.py [--repeat 21] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_FILE = ROOT / "src" / "jixiao" / "samples" / "reports" / "003_cb5d8704452e17fc.txt"
# what the console script ``jixiao`` does
ENTRY = "import re, sys; from jixiao.cli.main import main; sys.exit(main())"
COMMANDS: dict[str, list[str]] = {
    "jixiao --version": ["--version"],
    "jixiao --help": ["--help"],
    "jixiao check one.txt": ["check", str(ONE_FILE)],
}


def environment(src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``command``."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-2000:]}")
    return took, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--src", type=Path, help="another checkout's src, run side by side")
    args = parser.parse_args()
    python = sys.executable
    runs: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([python, "-c", "pass"], environment(None))
    }
    sources = {"": None, **({" (--src)": args.src.resolve()} if args.src else {})}
    for suffix, src in sources.items():
        for label, argv in COMMANDS.items():
            runs[label + suffix] = ([python, "-c", ENTRY, *argv], environment(src))
    for command, env in runs.values():  # write the bytecode, warm the file cache
        seconds(command, env)
    load = os.getloadavg()
    timings: dict[str, list[float]] = {label: [] for label in runs}
    cpu: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(args.repeat):
        for label, (command, env) in runs.items():
            took, used = seconds(command, env)
            timings[label].append(took)
            cpu[label].append(used)
    after = os.getloadavg()
    floor = statistics.median(timings["python -c pass"])
    cpu_floor = statistics.median(cpu["python -c pass"])
    print(
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} before, {after[0]:.2f} after; "
        f"medians of {args.repeat}, each run a new process; CPU = user + system time"
    )
    print(f"{'command':<32}{'wall ms':>9}{'min ms':>8}{'× pass':>8}{'CPU ms':>8}{'× pass':>8}")
    for label, values in timings.items():
        wall, used = statistics.median(values), statistics.median(cpu[label])
        print(
            f"{label:<32}{wall * 1000:>9.1f}{min(values) * 1000:>8.1f}{wall / floor:>8.2f}"
            f"{used * 1000:>8.1f}{used / cpu_floor:>8.2f}"
        )
    version = statistics.median(timings["jixiao --version"]) / floor
    check = statistics.median(timings["jixiao check one.txt"])
    verdict = "met" if version < 3 else "NOT met"
    print(f"goal --version < 3 × python -c pass: {version:.2f} ({verdict})")
    print(f"goal check one.txt < 0.25 s: {check:.3f} s ({'met' if check < 0.25 else 'NOT met'})")


if __name__ == "__main__":
    main()

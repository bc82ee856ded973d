"""``jixiao check`` on a directory of 1,000 documents, and the rules beside the scoring.

Builds a directory of mixed documents: 70 % text reports (the five seeds, as they are, in
GB18030 as Chinese Windows saves them, with Windows line ends, and with a line of their
own added at the end) and 10 % each of docx, xlsx and html (seed 004's project table as the
official form, made like bench/ingest.py makes them; the xlsx half with a formula total,
the html half as a GB2312 page). Then, as medians over --repeat runs:
- the whole command ``jixiao check DIR --format json`` as a subprocess, start-up included,
  with ``--jobs 1`` (one process) and ``--jobs 2`` (a pool of two): documents per second
  and the speed-up, the two outputs checked identical; and ``jixiao check`` on one file
  (the start-up a user waits for);
- on the synthetic province of bench/province.py (one evaluation per document), scoring
  alone (``Service.score_many``, as bench/scoring.py) and the rule catalogue alone
  (``run_audit`` over the already-scored evaluations): evaluations per second side by side.
Goal (README): 1,000 documents in under 60 s on 2 cores.

    python bench/check.py [--documents 1000] [--repeat 3] [--evaluations 6000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests import office_docs  # noqa: E402

from jixiao.audit import AuditSettings, Checked, TableRef, run_audit  # noqa: E402
from jixiao.model import Report  # noqa: E402
from jixiao.service import Service  # noqa: E402
from jixiao.values import assess, parse_value  # noqa: E402
from province import province  # noqa: E402

SEEDS = sorted((ROOT / "src" / "jixiao" / "samples" / "reports").glob("*.txt"))


def _text_variant(seed: Path, target: Path, variant: int, number: int) -> None:
    text = seed.read_text(encoding="utf-8")
    if variant == 1:
        target.write_bytes(text.encode("gb18030"))
    elif variant == 2:
        target.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    elif variant == 3:
        target.write_text(f"{text}\n备注：本地汇总第 {number} 份。\n", encoding="utf-8")
    else:
        shutil.copy(seed, target)


def build(folder: Path, documents: int) -> dict[str, int]:
    """``documents`` files in ``folder``; how many of each format."""
    made = folder.parent / "sources"
    made.mkdir()
    sources: dict[str, list[Path]] = {
        "docx": [office_docs.build_docx(made / "form.docx")],
        "xlsx": [
            office_docs.build_xlsx(made / "form.xlsx"),
            office_docs.build_xlsx(made / "formula.xlsx", formula=True),
        ],
        "html": [
            office_docs.build_html(made / "form.html"),
            office_docs.build_html(made / "gb.html", encoding="gb18030", declare="gb2312"),
        ],
    }
    office = documents // 10
    counts = {"txt": documents - 3 * office, **{kind: office for kind in sources}}
    for number in range(counts["txt"]):
        seed = SEEDS[number % len(SEEDS)]
        variant = (number // len(SEEDS)) % 4
        _text_variant(seed, folder / f"report{number:05}.txt", variant, number)
    for kind, paths in sources.items():
        for number in range(office):
            shutil.copy(paths[number % len(paths)], folder / f"form{number:05}.{kind}")
    return counts


def run_check(args: list[str]) -> tuple[float, bytes]:
    command = [sys.executable, "-m", "jixiao.cli.main", "check", *args, "--format", "json"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"jixiao check failed ({done.returncode}): {done.stderr.decode()}")
    return seconds, done.stdout


def median_of(repeat: int, work: Callable[[], float]) -> float:
    return statistics.median(work() for _ in range(repeat))


def bench_command(folder: Path, counts: dict[str, int], repeat: int) -> None:
    total = sum(counts.values())
    mix = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    print(f"jixiao check DIR --format json: {total} documents ({mix}), medians of {repeat}")
    outputs: dict[int, bytes] = {}
    timings: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeat):
        for jobs in timings:
            seconds, outputs[jobs] = run_check([str(folder), "--jobs", str(jobs)])
            timings[jobs].append(seconds)
    results = json.loads(outputs[1])
    assert len(results) == total and outputs[1] == outputs[2], "--jobs 2 differs from --jobs 1"
    crashed = sum(any("已跳过" in e["message"] for e in r["errors"]) for r in results)
    assert not crashed, f"{crashed} documents failed in the benchmark"
    single = statistics.median(timings[1])
    print(f"{'run':<12}{'median s':>10}{'docs/s':>9}{'speed-up':>10}")
    for jobs, values in timings.items():
        median = statistics.median(values)
        label = f"--jobs {jobs}"
        print(f"{label:<12}{median:>10.2f}{total / median:>9.1f}{single / median:>10.2f}")
    one = median_of(repeat, lambda: run_check([str(SEEDS[1])])[0])
    print(f"{'one file':<12}{one:>10.2f}   (start-up included)")
    pair = statistics.median(timings[2])
    per_thousand = pair * 1000 / total
    verdict = "met" if per_thousand < 60 else "NOT met"
    scaled = "" if total == 1000 else f" (scaled from {total})"
    print(f"goal: 1,000 documents < 60 s on 2 cores -> {per_thousand:.1f} s{scaled}, {verdict}")


def bench_rules(evaluations: int, indicators: int, repeat: int) -> None:
    province_ = province(evaluations, indicators)
    service = Service()
    settings = AuditSettings()
    print(
        f"\nprovince: {evaluations} evaluations, {indicators} indicators, one per document; "
        f"one core, medians of {repeat}"
    )
    scores = service.score_many(province_)
    documents = [
        (
            [Checked(ev, score, service.scheme_for(ev), TableRef(1, ev.name), None)],
            Report(evaluations=(ev,)),
        )
        for ev, score in zip(province_, scores, strict=True)
    ]

    def scoring() -> float:
        parse_value.cache_clear()
        assess.cache_clear()
        service.scheme().memo.clear()  # the province names no scheme: all use the default
        started = time.perf_counter()
        service.score_many(province_)
        return time.perf_counter() - started

    def rules() -> float:
        started = time.perf_counter()
        for tables, report in documents:
            run_audit(tables, report, settings)
        return time.perf_counter() - started

    findings = sum(len(run_audit(tables, report, settings)) for tables, report in documents)
    score_s, audit_s = median_of(repeat, scoring), median_of(repeat, rules)
    print(f"{'stage':<26}{'median s':>10}{'evaluations/s':>15}{'vs scoring':>12}")
    for label, seconds in (("scoring (score_many, cold)", score_s), ("rules (run_audit)", audit_s)):
        rate = evaluations / seconds
        print(f"{label:<26}{seconds:>10.2f}{rate:>15.0f}{seconds / score_s:>12.1f}")
    print(f"{findings} findings, {findings / evaluations:.1f} per evaluation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--evaluations", type=int, default=6000)
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="200 documents, 1,000 evaluations")
    args = parser.parse_args()
    if args.quick:
        args.documents, args.repeat, args.evaluations, args.indicators = 200, 1, 1000, 16_700
    base = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        folder = base / "reports"
        folder.mkdir()
        counts = build(folder, args.documents)
        bench_command(folder, counts, args.repeat)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    bench_rules(args.evaluations, args.indicators, args.repeat)


if __name__ == "__main__":
    main()

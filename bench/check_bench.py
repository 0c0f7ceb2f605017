"""Reports per second for checking parsed reports against every rule (the whole GX run).

Run: `.venv/bin/python bench/check_bench.py [--reports N] [--chunk N] [--records DIR]`.
The records are the real samples and the seed, read once and copied into N reports of N/3
agencies over three years (so the cross-year rules are paired and checked), one in ten with a
changed cell; or, with `--records DIR`, the `xxgk parse --json` records in DIR (a synthetic
province's truth/). Timed: pairing with last year, building the frames, one GX run per chunk,
mapping results to findings. Not timed: importing GX and building its context (printed apart,
paid once per process).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectors.reading import read_report  # noqa: E402
from expectations.frame import build_frame  # noqa: E402
from expectations.pairing import pair_previous  # noqa: E402
from form.record import Report  # noqa: E402

SAMPLES = ROOT / "flows" / "samples"
SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_1a283dc4be3df628.txt"


def sample_records(n: int, seed: int = 0) -> list[Report]:
    """n reports copied from the real ones: n/3 agencies, three years each, 10 % with a changed cell."""
    base = [read_report(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".txt", ".html", ".pdf")]
    base.append(read_report(SEED))
    rng = random.Random(seed)
    out = []
    for i in range(n):
        b = base[i % len(base)]
        cells = dict(b.cells)
        if rng.random() < 0.1:
            cid = rng.choice([c for c in cells if c.startswith("t3.")])
            cells[cid] = (cells[cid] or 0) + rng.choice((1, 2, 5))
        agency = f"{'东西南北'[i % 4]}{i // 3}县{'人民政府' if i % 5 == 0 else '教育局'}"
        source = b.source.model_copy(
            update={"path": f"bench/{i}{Path(b.source.path).suffix}", "sha256": f"{i:064x}"}
        )
        out.append(
            b.model_copy(update={"agency": agency, "year": 2021 + i % 3, "cells": cells, "source": source})
        )
    return out


def file_records(folder: Path, n: int) -> list[Report]:
    paths = sorted(folder.glob("*.json"))[:n]
    return [
        Report.model_validate(
            {"source": {"path": str(p), "sha256": "", "media_type": ""}, **json.loads(p.read_text("utf-8"))}
        )
        for p in paths
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=5_000, help="reports per GX run (default 5000)")
    parser.add_argument(
        "--records", type=Path, help="a folder of `xxgk parse --json` records instead of the samples"
    )
    args = parser.parse_args()

    reports = file_records(args.records, args.reports) if args.records else sample_records(args.reports)

    started = time.perf_counter()
    from expectations.findings import map_findings
    from expectations.validate import Validator

    validator = Validator()
    startup = time.perf_counter() - started

    validator.validate(build_frame(reports[:10]))  # warm caches
    timings = {"pair": 0.0, "frame": 0.0, "gx": 0.0, "findings": 0.0}
    started = time.perf_counter()
    t = time.perf_counter()
    previous = pair_previous(reports, reports)
    timings["pair"] += time.perf_counter() - t
    findings = 0
    for start in range(0, len(reports), args.chunk):
        chunk, chunk_prev = reports[start : start + args.chunk], previous[start : start + args.chunk]
        t = time.perf_counter()
        frame = build_frame(chunk, chunk_prev)
        timings["frame"] += time.perf_counter() - t
        t = time.perf_counter()
        outcomes = validator.validate(frame)
        timings["gx"] += time.perf_counter() - t
        t = time.perf_counter()
        findings += sum(len(f) for f in map_findings(chunk, frame, outcomes))
        timings["findings"] += time.perf_counter() - t
    elapsed = time.perf_counter() - started

    print(f"{'command':<28} {'reports':>8} {'seconds':>8} {'reports/s':>10}")
    print(
        f"{'check (pair+frame+GX+map)':<28} {len(reports):>8} {elapsed:>8.2f} {len(reports) / elapsed:>10.0f}"
    )
    print(
        f"  chunks of {args.chunk}: {validator.runs - 1} GX runs; "
        + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
        + f"; {findings} findings"
    )
    print(f"  not timed: GX import and context {startup:.2f}s (once per process)")


if __name__ == "__main__":
    main()

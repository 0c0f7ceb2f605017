"""Fuzz the readers: mutated real and generated reports through `report_from_bytes`.

Run: `.venv/bin/python bench/fuzz.py [--per-reader 10000] [--workers 2] [--seed 0] [--limit 10]
[--json-out FILE]` (`--json-out`: the totals as JSON, the "fuzz" section RELIABILITY.md is written from).
Every input must be read, or refused with `UnreadableFile`; any other exception, or a read that
takes more than `--limit` seconds of CPU time (or six times that of wall time, for a read that
blocks), is a failure. Failures are written to `--out`
(default bench/fuzz-failures/) as the input bytes plus a line saying what happened, and the run
exits 1. The mutations are in `tests/connectors/fuzzing.py`; `make test` runs a short version.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.connectors import fuzzing  # noqa: E402


def _part(args: tuple[int, int, float, tuple[str, ...], bool]) -> fuzzing.Tally:
    per_reader, seed, limit, readers, whole_pdfs = args
    logging.disable(logging.WARNING)  # pdfminer's complaints about broken fonts
    corpus = {kind: files for kind, files in fuzzing.seeds(whole_pdfs=whole_pdfs).items() if kind in readers}
    return fuzzing.run(corpus, per_reader, seed=seed, limit=limit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-reader", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds of CPU time an input may take (wall: 6 times)")
    parser.add_argument("--readers", default=",".join(fuzzing.READERS), help="comma-separated (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "fuzz-failures")
    parser.add_argument("--json-out", type=Path, help="write the totals here as JSON")
    parser.add_argument("--whole-pdfs", action="store_true", help="also mutate the whole six-page sample PDF")
    args = parser.parse_args()

    share = -(-args.per_reader // args.workers)
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        readers = tuple(args.readers.split(","))
        calls = [(share, args.seed * 1000 + w, args.limit, readers, args.whole_pdfs) for w in range(args.workers)]
        parts = list(pool.map(_part, calls))
    wall = time.perf_counter() - started
    total = fuzzing.Tally()
    for part in parts:
        for name in ("inputs", "read", "refused", "seconds", "by_seed"):
            getattr(total, name).update(getattr(part, name))
        total.failures.extend(part.failures)

    print(f"fuzz: {args.workers} workers, seed {args.seed}, limit {args.limit:g} s, {wall:.0f} s wall")
    print(f"{'reader':<6} {'inputs':>7} {'read':>7} {'refused':>8} {'failed':>7} {'hangs':>6} {'ms/input':>9}")
    failed = Counter(f.reader for f in total.failures)
    hangs = Counter(f.reader for f in total.failures if f.kind == "hang")
    for reader in fuzzing.READERS:
        n = total.inputs[reader]
        if n:
            print(f"{reader:<6} {n:>7} {total.read[reader]:>7} {total.refused[reader]:>8} {failed[reader]:>7} "
                  f"{hangs[reader]:>6} {1000 * total.seconds[reader] / n:>9.1f}")
    kinds = Counter((f.reader, f.kind, f.message) for f in total.failures)
    for (reader, kind, message), count in kinds.most_common(20):
        print(f"  {count:>5} × {reader}: {kind}: {message}")
    if total.failures:
        args.out.mkdir(parents=True, exist_ok=True)
        for i, f in enumerate(total.failures):
            (args.out / f"{i:05d}.{f.reader}").write_bytes(f.data)
            with (args.out / "failures.txt").open("a", encoding="utf-8") as log:
                log.write(f"{i:05d}.{f.reader}\t{f.seed_name}\t{f.kind}\t{f.message}\n")
        print(f"inputs that failed: {args.out}")
    print(f"RESULT inputs={sum(total.inputs.values())} failures={len(total.failures) - sum(hangs.values())} "
          f"hangs={sum(hangs.values())}")
    if args.json_out:
        _write_json(args, total, wall)
    sys.exit(1 if total.failures else 0)


def _write_json(args: argparse.Namespace, total: fuzzing.Tally, wall: float) -> None:
    """The run's totals for bench/reliability_report.py (section "fuzz")."""
    per_reader = {}
    for reader in fuzzing.READERS:
        n = total.inputs[reader]
        if not n:
            continue
        mine = [f for f in total.failures if f.reader == reader]
        per_reader[reader] = {
            "inputs": n,
            "read": total.read[reader],
            "refused": total.refused[reader],
            "foreign_exceptions": sum(f.kind != "hang" for f in mine),
            "hangs": sum(f.kind == "hang" for f in mine),
            "ms_per_input": round(1000 * total.seconds[reader] / n, 1),
            "seeds": {name: count for (r, name), count in sorted(total.by_seed.items()) if r == reader},
        }
    figures = {
        "section": "fuzz",
        "workers": args.workers,
        "seed": args.seed,
        "limit_seconds": args.limit,
        "wall_seconds": round(wall, 1),
        "per_reader": per_reader,
        "failures": [
            {"reader": f.reader, "seed": f.seed_name, "kind": f.kind, "message": f.message[:300]}
            for f in total.failures[:50]
        ],
    }
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

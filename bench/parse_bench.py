"""Files per second for each reader on the real samples (and the seed laid out as a .docx).

Run: `make bench` or `.venv/bin/python bench/parse_bench.py [--seconds S]`. Each reader parses its
files repeatedly for about S seconds, from bytes in memory to a finished Report.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectors.reading import report_from_bytes  # noqa: E402
from connectors.text_reader import read_text  # noqa: E402
from tests.connectors.docx_build import docx_bytes  # noqa: E402

SAMPLES = ROOT / "flows" / "samples"
SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_1a283dc4be3df628.txt"


def corpus() -> dict[str, list[tuple[str, bytes]]]:
    files: dict[str, list[tuple[str, bytes]]] = {"text": [], "html": [], "pdf": [], "docx": []}
    for path in sorted(SAMPLES.iterdir()):
        kind = {".txt": "text", ".html": "html", ".pdf": "pdf"}.get(path.suffix)
        if kind:
            files[kind].append((path.name, path.read_bytes()))
    files["text"].append((SEED.name, SEED.read_bytes()))
    seed_doc = read_text(SEED.read_bytes())
    files["docx"].append(("seed-merged.docx", docx_bytes(seed_doc, merge=True)))
    files["docx"].append(("seed-split.docx", docx_bytes(seed_doc, merge=True, split_table_at=12)))
    return files


def measure(files: list[tuple[str, bytes]], seconds: float) -> tuple[int, float]:
    done, started = 0, time.perf_counter()
    while True:
        for name, data in files:
            report_from_bytes(data, name)
            done += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done, elapsed


def province_corpus(agencies: int) -> dict[str, list[tuple[str, bytes]]]:
    """A generated province's files by format (every layout variant the generator knows)."""
    import tempfile

    from synth.province import generate

    files: dict[str, list[tuple[str, bytes]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp, agencies, range(2019, 2025), ("docx", "html", "txt"), 0.1, seed=1)
        for path in sorted((Path(tmp) / "reports").iterdir()):
            files.setdefault(path.suffix.lstrip("."), []).append((path.name, path.read_bytes()))
    return files


def _report(title: str, groups: dict[str, list[tuple[str, bytes]]], seconds: float) -> None:
    print(title)
    print(f"{'reader':<6} {'files':>5} {'parsed':>7} {'seconds':>8} {'files/s':>9}")
    for kind, files in groups.items():
        measure(files[:5], 0.2)  # warm caches and imports
        done, elapsed = measure(files, seconds)
        print(f"{kind:<6} {len(files):>5} {done:>7} {elapsed:>8.2f} {done / elapsed:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--agencies", type=int, default=40, help="size of the generated province")
    args = parser.parse_args()
    _report("real samples (and the seed as .docx):", corpus(), args.seconds)
    _report(f"generated province ({args.agencies} agencies, 2019-2024):", province_corpus(args.agencies), args.seconds)


if __name__ == "__main__":
    main()

"""Files per second for each reader on the real samples (and the seed laid out as a .docx).

Run: `make bench` or `.venv/bin/python bench/parse_bench.py [--seconds S]`. Each reader parses its
files repeatedly for about S seconds, from bytes in memory to a finished Report. Then every file of
a generated province is parsed once, as ingest parses it (nothing remembered from an earlier pass
over the same file): ms per file, CPU and wall. `--corpus DIR` reads a province already generated
(its reports/ folder or any folder of reports) instead; `--profile FORMAT` prints where that pass
spends its time for one format.
"""

from __future__ import annotations

import argparse
import contextlib
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


def folder_corpus(folder: Path) -> dict[str, list[tuple[str, bytes]]]:
    """The report files of a folder (a province's reports/ when given the province) by format."""
    if (folder / "reports").is_dir():
        folder = folder / "reports"
    files: dict[str, list[tuple[str, bytes]]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in (".docx", ".html", ".txt", ".pdf"):
            files.setdefault(path.suffix.lstrip("."), []).append((path.name, path.read_bytes()))
    return files


def _one_pass(files: list[tuple[str, bytes]]) -> tuple[float, float]:
    """(CPU, wall) seconds to parse every file once."""
    cpu, wall = time.process_time(), time.perf_counter()
    for name, data in files:
        with contextlib.suppress(Exception):  # an unreadable file costs its time like any other
            report_from_bytes(data, name)
    return time.process_time() - cpu, time.perf_counter() - wall


def _report_once(title: str, groups: dict[str, list[tuple[str, bytes]]]) -> None:
    print(title)
    print(f"{'reader':<6} {'files':>5} {'cpu ms/file':>12} {'wall ms/file':>13}")
    total_cpu = total_wall = count = 0.0
    for kind, files in groups.items():
        cpu, wall = _one_pass(files)
        print(f"{kind:<6} {len(files):>5} {1000 * cpu / len(files):>12.2f} {1000 * wall / len(files):>13.2f}")
        total_cpu, total_wall, count = total_cpu + cpu, total_wall + wall, count + len(files)
    if count:
        print(f"{'all':<6} {int(count):>5} {1000 * total_cpu / count:>12.2f} {1000 * total_wall / count:>13.2f}")


def _profile(files: list[tuple[str, bytes]], lines: int = 25) -> None:
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(_one_pass, files)
    pstats.Stats(profile).sort_stats("tottime").print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--agencies", type=int, default=40, help="size of the generated province")
    parser.add_argument("--corpus", type=Path, help="a generated province (or folder of reports) to read instead")
    parser.add_argument("--profile", metavar="FORMAT", help="profile the single pass over this format's files")
    args = parser.parse_args()
    _report("real samples (and the seed as .docx):", corpus(), args.seconds)
    if args.corpus:
        province, title = folder_corpus(args.corpus), f"{args.corpus}"
    else:
        province, title = province_corpus(args.agencies), f"generated province ({args.agencies} agencies, 2019-2024)"
    _report(f"{title}, repeated:", province, args.seconds)
    _report_once(f"{title}, each file once:", province)
    if args.profile:
        _profile(province[args.profile])


if __name__ == "__main__":
    main()

"""Does a change to the readers leave every Report as it was? A digest of every file's reading.

Run: `.venv/bin/python bench/parse_identity.py --write OUT.json [--corpus DIR ...] [--fuzz N]` on
the code before a change, then `--check OUT.json` (same options) on the code after it. Each input is
read as ingest reads it (`reading_of`), and its outcome (the Report as JSON, cells in their order,
but its bytes' sha256, or the reason it has none) is kept as a sha256; `--check` prints how many inputs it compared and
names every one whose outcome changed (exit 1). Inputs: the samples (flows/samples and
../shared/samples; scans left out: OCR is not the readers' text path), the seeds, the seed laid
out as .docx (merged and split tables), every report of each `--corpus` (a generated province),
and `--fuzz N` mutated inputs a reader (tests/connectors/fuzzing.py, seed 0: damaged packages,
odd markup, the fallbacks' paths).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectors.reading import reading_of  # noqa: E402
from connectors.text_reader import read_text  # noqa: E402
from tests.connectors import fuzzing  # noqa: E402
from tests.connectors.docx_build import docx_bytes  # noqa: E402

SAMPLE_DIRS = (ROOT / "flows" / "samples", ROOT.parent / "shared" / "samples")
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
_KINDS = (".docx", ".html", ".txt", ".pdf")


def _files(folder: Path, tag: str) -> Iterator[tuple[str, bytes]]:
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in _KINDS:
            yield f"{tag}/{path.name}", path.read_bytes()


def inputs(corpora: list[Path], fuzz: int) -> Iterator[tuple[str, bytes]]:
    """(key, bytes) of every input, in a fixed order."""
    for folder in SAMPLE_DIRS:
        if folder.is_dir():
            yield from _files(folder, folder.parent.name + "-" + folder.name)
    yield from _files(SEEDS, "seeds")
    for seed in sorted(SEEDS.glob("*.txt")):
        doc = read_text(seed.read_bytes())
        yield f"seeds/{seed.stem}-merged.docx", docx_bytes(doc, merge=True)
        yield f"seeds/{seed.stem}-split.docx", docx_bytes(doc, merge=True, split_table_at=12)
        yield f"seeds/{seed.stem}-plain.docx", docx_bytes(doc)
    for folder in corpora:
        reports = folder / "reports" if (folder / "reports").is_dir() else folder
        yield from _files(reports, folder.name)
    if fuzz:
        logging.disable(logging.WARNING)
        corpus = {k: v for k, v in fuzzing.seeds().items() if k != "pdf"}
        for n, (kind, name, data) in enumerate(fuzzing.inputs(corpus, fuzz, seed=0)):
            yield f"fuzz/{kind}/{n}/{name}", data


def outcome(data: bytes, key: str) -> str:
    """The sha256 of what reading the bytes gives: the report's JSON, or the reason it has none."""
    reading = reading_of(data, key)
    # the bytes' sha256 is left out: inputs built in the run (zip timestamps) differ by it alone
    report = reading.report
    text = report.model_dump_json(exclude={"source": {"sha256"}}) if report is not None else f"reason: {reading.reason}"
    return hashlib.sha256(text.encode()).hexdigest()


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # report_metadata's year from the text breaks a tie between years by set order, which
        # string hashing randomises per process: a fixed seed makes two runs comparable
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, help="record every input's outcome here")
    mode.add_argument("--check", type=Path, help="compare every input's outcome with this record")
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="a generated province")
    parser.add_argument("--fuzz", type=int, default=0, help="mutated inputs per reader (docx, html, txt)")
    args = parser.parse_args()

    started, cpu = time.perf_counter(), time.process_time()
    digests = {key: outcome(data, key) for key, data in inputs(args.corpus, args.fuzz)}
    spent = f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU"
    if args.write:
        args.write.write_text(json.dumps(digests, indent=0, ensure_ascii=False))
        print(f"{len(digests)} outcomes written to {args.write} ({spent})")
        return
    before = json.loads(args.check.read_text())
    changed = [k for k, d in digests.items() if k in before and before[k] != d]
    missing = sorted(set(before) ^ set(digests))
    compared = len(set(before) & set(digests))
    print(f"{compared} inputs compared ({spent}): {len(changed)} changed, {len(missing)} not in both")
    for key in changed[:50]:
        print(f"  changed: {key}")
    for key in missing[:20]:
        print(f"  only in one: {key}")
    sys.exit(1 if changed or missing else 0)


if __name__ == "__main__":
    main()

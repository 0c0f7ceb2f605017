"""The OCR reader on scanned material (bench/ocr_material.py): cells right after repair, cells
silently wrong (must be 0), agency/year/version right, the repair's record, seconds per page.

Run: `nice -n 10 .venv/bin/python bench/ocr_bench.py MATERIAL [--limit N] [--dpi 200 300] [--jobs 2]`.
Scans are read as ingest reads them (`connectors.reading.report_from_bytes`), one process per core.
A cell is right when its value equals the truth; a wrong cell named `ocr.uncertain` is held for
review, any other wrong cell is *silently wrong*. CPU s/page is the reader's own CPU time (the
figure that holds on an idle machine); wall s/page is what this (possibly shared) machine gave.

`--engines PAGE.png ...` instead compares RapidOCR and Tesseract (chi_sim) on page images: the
share of the page's printed numbers each finds, and seconds per page.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


#: The reader's stages timed apart (CPU seconds): the rest is rendering, layout, building, repair.
STAGES = ("straighten", "detect", "recognise")


def _timed(stages: Counter) -> None:
    """Count the CPU time of each stage of this process's OCR engine into `stages`."""
    from connectors import ocr_engine

    for name in STAGES:
        inner = getattr(ocr_engine, name)
        if getattr(inner, "timed", False):
            continue

        def outer(*args, _inner=inner, _name=name, **kwargs):
            t = time.process_time()
            try:
                return _inner(*args, **kwargs)
            finally:
                stages[_name] += time.process_time() - t

        outer.timed = True  # type: ignore[attr-defined]
        setattr(ocr_engine, name, outer)


_STAGES: Counter = Counter()


def _one(path: str) -> dict:
    """Read one scan and score it against its truth."""
    from connectors.reading import reading_of

    _timed(_STAGES)
    data = Path(path).read_bytes()
    truth = json.loads(Path(path + ".truth.json").read_text(encoding="utf-8"))
    _STAGES.clear()
    cpu, wall = time.process_time(), time.perf_counter()
    reading = reading_of(data, path)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pages = _pages(data)
    stages = {k: round(_STAGES[k], 3) for k in STAGES}
    out = {"file": Path(path).name, "pages": pages, "cpu": cpu, "wall": wall, "dpi": _dpi(path), "stages": stages}
    if reading.report is None:
        return {**out, "reason": reading.reason, "cells": len(truth["cells"]), "right": 0, "silent": len(truth["cells"]), "uncertain_wrong": 0, "meta": False, "corrected": 0, "uncertain": 0}
    r = reading.report
    uncertain = {n.cell for n in r.ocr if n.uncertain}
    wrong = {c for c, v in truth["cells"].items() if r.cells.get(c) != v}
    carried = _with_last_year(r, path)
    carry_wrong = {c for c, v in truth["cells"].items() if carried.cells.get(c) != v}
    carry_uncertain = {n.cell for n in carried.ocr if n.uncertain}
    return {
        **out,
        "carry_right": len(truth["cells"]) - len(carry_wrong),
        "carry_silent": len(carry_wrong - carry_uncertain),
        "carry_settled": sum(1 for n in carried.ocr if n.carryover),
        "carry_review": bool(carry_uncertain),
        "cells": len(truth["cells"]),
        "right": len(truth["cells"]) - len(wrong),
        "silent": len(wrong - uncertain),
        "silent_cells": sorted(wrong - uncertain)[:10],
        "uncertain_wrong": len(wrong & uncertain),
        "meta": (r.agency, r.year, r.version) == (truth["agency"], truth["year"], truth["version"]),
        "meta_read": [r.agency, r.year, r.version],
        "corrected": sum(1 for n in r.ocr if not n.uncertain),
        "uncertain": len(uncertain),
    }


def _with_last_year(report, path: str):
    """The report settled with last year's carryover as ingest settles it, last year's report
    being the same agency's previous-year scan's truth (as the warehouse holds it once loaded)."""
    from form.ocr_repair import with_carryover
    from form.record import Report

    m = re.match(r"(.+)_(\d{4})_(\d+dpi.*)$", Path(path).name)
    if not m:
        return report
    agency, year = m.group(1), int(m.group(2))
    last = sorted(Path(path).parent.glob(f"{agency}_{year - 1}_*.truth.json"))
    if not last:
        return report
    cells = json.loads(last[0].read_text(encoding="utf-8"))["cells"]
    return with_carryover(report, Report(source=report.source, cells=cells))


def _pages(data: bytes) -> int:
    if data[:4] == b"%PDF":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        n = len(pdf)
        pdf.close()
        return n
    import io

    from PIL import Image

    return getattr(Image.open(io.BytesIO(data)), "n_frames", 1)


def _dpi(path: str) -> int:
    m = re.search(r"_(\d+)dpi", path)
    return int(m.group(1)) if m else 0


def bench(material: Path, limit: int | None, dpis: list[int] | None, jobs: int) -> dict:
    files = sorted(p for p in material.iterdir() if p.suffix in (".pdf", ".tif", ".png", ".jpg") and Path(str(p) + ".truth.json").exists())
    if dpis:
        files = [p for p in files if _dpi(str(p)) in dpis]
    if limit and len(files) > limit:
        files = sorted(random.Random(15).sample(files, limit))  # a fixed sample across dpi, seal and format
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        rows = list(pool.map(_one, map(str, files)))
    elapsed = time.perf_counter() - started
    by_dpi: dict[int, Counter] = {}
    for row in rows:
        c = by_dpi.setdefault(row["dpi"], Counter())
        for k in ("cells", "right", "silent", "uncertain_wrong", "corrected", "uncertain", "pages"):
            c[k] += row[k]
        for k in ("carry_right", "carry_silent", "carry_settled", "carry_review"):
            c[k] += row.get(k, 0)
        c["reports"] += 1
        c["meta_right"] += row["meta"]
        c["review"] += bool(row["uncertain"])
        c["cpu"] += row["cpu"]
        for k, v in row.get("stages", {}).items():
            c[k] += v
    pages = sum(r["pages"] for r in rows)
    return {"rows": rows, "by_dpi": {k: dict(v) for k, v in sorted(by_dpi.items())}, "pages": pages, "elapsed": elapsed, "jobs": jobs}


def _print(result: dict) -> None:
    print(f"{'dpi':>4} {'reports':>7} {'cells right':>12} {'silent':>6} {'uncert.wrong':>12} {'corrected':>9} {'uncertain':>9} {'review':>6} {'meta':>5} {'cpu s/page':>10}  of which " + " ".join(STAGES))
    for dpi, c in result["by_dpi"].items():
        share = 100 * c["right"] / max(1, c["cells"])
        pages = max(1, c["pages"])
        stages = " ".join(f"{c.get(k, 0) / pages:.2f}" for k in STAGES)
        print(
            f"{dpi:>4} {c['reports']:>7} {share:>11.2f}% {c['silent']:>6} {c['uncertain_wrong']:>12} {c['corrected']:>9} "
            f"{c['uncertain']:>9} {c['review']:>6} {c['meta_right']:>2}/{c['reports']:<2} {c['cpu'] / pages:>10.2f}  {stages}"
        )
    print("with last year's carryover (the same agency's previous-year report, as the warehouse holds it once loaded):")
    for dpi, c in result["by_dpi"].items():
        share = 100 * c.get("carry_right", 0) / max(1, c["cells"])
        print(f"{dpi:>4} cells right {share:.2f}%  silent {c.get('carry_silent', 0)}  settled by carryover {c.get('carry_settled', 0)}  review {c.get('carry_review', 0)}")
    print(f"wall: {result['elapsed']:.0f} s for {result['pages']} pages on {result['jobs']} processes = {result['elapsed'] / max(1, result['pages']):.2f} s/page")
    for row in result["rows"]:
        if row["silent"] or not row["meta"]:
            print(f"  {row['file']}: silent {row['silent']} {row.get('silent_cells', '')} meta {row.get('meta_read', row.get('reason'))}")


def engines(pages: list[Path], truth: Path) -> None:
    """RapidOCR against Tesseract on the same page images: printed numbers found, s/page."""
    from PIL import Image

    from connectors import ocr_engine

    numbers = Counter(str(v) for v in json.loads(truth.read_text(encoding="utf-8"))["cells"].values() if isinstance(v, int))
    for page in pages:
        gray = ocr_engine.ink(Image.open(page).convert("RGB"))
        t = time.process_time()
        boxes = ocr_engine.read_page(gray)
        rapid_s = time.process_time() - t
        rapid = Counter(b.text for b in boxes if b.text.isdigit())
        t = time.perf_counter()
        tess = subprocess.run(["tesseract", str(page), "-", "-l", "chi_sim", "--psm", "6"], capture_output=True, text=True, env={"OMP_THREAD_LIMIT": "1"}).stdout
        tess_s = time.perf_counter() - t
        found = Counter(re.findall(r"\d+", tess))
        total = sum(min(rapid[k] + found[k], 10**6) for k in numbers) or 1
        print(f"{page.name}: rapidocr numbers {sum((rapid & numbers).values())} in {rapid_s:.1f} s cpu; tesseract {sum((found & numbers).values())} in {tess_s:.1f} s wall (of {total} found by either)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("material", type=Path, nargs="?")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--dpi", type=int, nargs="+")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the full result here")
    ap.add_argument("--engines", type=Path, nargs="+", help="page images to compare the engines on")
    ap.add_argument("--truth", type=Path, help="with --engines: the truth json of the report the pages are from")
    args = ap.parse_args()
    if args.engines:
        engines(args.engines, args.truth)
        return
    result = bench(args.material, args.limit, args.dpi, args.jobs)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Scanned test material for the OCR reader: reports printed, rendered and damaged like scans.

Run: `.venv/bin/python bench/ocr_material.py OUT [--reports N] [--dpi 150 200 300] [--seed S]`.
Generated reports (synth .docx → `libreoffice --headless --convert-to pdf`) and the real sample
PDFs are rendered page by page (pypdfium2) at each resolution, turned by up to 1.5°, blurred,
saved as JPEG (noise), and every other report gets a red seal stamped over part of table 三.
Each scan is written as an image-only PDF (a multi-page TIFF every fifth one) beside its truth
(`<name>.truth.json`: agency, year, version, cells).

The repository keeps what the scans are made from, not the scans (153 of them, 186 MB): the 50
generated reports as LibreOffice printed them (`bench/ocr-sources/`, written by `--sources`), so
the set is made again without LibreOffice, scan for scan the same (`--verify OUT` compares the
scans' sha256 with `bench/ocr-sources/scans.sha256`, the set the bench figures were measured on).
`tests/fixtures/ocr/` keeps one scan itself (`--keep`): one report, grayscale but for the sealed
page, small enough for the repository.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from form import catalogue as cat  # noqa: E402

SAMPLES = ROOT / "flows" / "samples"
#: The generated reports as LibreOffice printed them (kept: LibreOffice is not needed to make the set).
SOURCES = ROOT / "bench" / "ocr-sources"
MANIFEST = SOURCES / "scans.sha256"
#: The seed the kept sources and the measured set were made with.
KEPT_SEED = 15


def _office_pdfs(reports: int, seed: int, work: Path) -> list[tuple[Path, dict]]:
    """`reports` generated reports as PDFs (LibreOffice), each with its truth."""
    from synth.province import generate

    generate(work / "synth", agencies=max(3, reports // 2 + 2), years=range(2023, 2025), formats=["docx"], fault_rate=0.0, seed=seed)
    docx = sorted((work / "synth" / "reports").glob("*.docx"))[:reports]
    out = work / "pdf"
    out.mkdir()
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, docx)],
        check=True, capture_output=True, timeout=1800,
    )
    pairs = []
    for d in docx:
        truth = json.loads((work / "synth" / "truth" / f"{d.name}.json").read_text(encoding="utf-8"))
        pairs.append((out / f"{d.stem}.pdf", truth))
    return pairs


def _generated(reports: int, seed: int, work: Path) -> list[tuple[Path, dict]]:
    """The generated reports' PDFs: the kept ones where they suffice, else printed anew."""
    kept = _pdfs_in(SOURCES)
    if seed == KEPT_SEED and len(kept) >= reports:
        return kept[:reports]
    return _office_pdfs(reports, seed, work)


def write_sources(out: Path, reports: int, seed: int) -> int:
    """Print the generated reports to PDF (LibreOffice) into `out`, each beside its truth."""
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pairs = _office_pdfs(reports, seed, Path(tmp))
        for pdf, truth in pairs:
            shutil.copy(pdf, out / pdf.name)
            (out / f"{pdf.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(pairs)


def _samples() -> list[tuple[Path, dict]]:
    return _pdfs_in(SAMPLES)


def _pdfs_in(folder: Path) -> list[tuple[Path, dict]]:
    pairs = []
    for pdf in sorted(folder.glob("*.pdf")):
        truth = pdf.with_name(pdf.name + ".truth.json")
        if truth.exists():
            pairs.append((pdf, json.loads(truth.read_text(encoding="utf-8"))))
    return pairs


def _table3_page(pdf) -> tuple[int, float] | None:
    """The page table 三's heading is on and how far down (0–1), from the text layer."""
    title = cat.TABLE_TITLES[3]
    for i in range(len(pdf)):
        text = pdf[i].get_textpage()
        found = text.search(title).get_next()
        if found:
            box = text.get_charbox(found[0])
            return i, 1 - box[3] / pdf[i].get_height()
    return None


def _seal(page, at: float, rng: random.Random):
    """A red seal (ring, star and an arc of marks) over the numbers just below `at` (fraction of
    the height). Stamp ink is translucent: it darkens the paper, never covers print (multiply)."""
    from PIL import Image, ImageChops, ImageDraw

    page = page.convert("RGB")
    w, h = page.size
    r = int(w * 0.11)
    cx = int(w * rng.uniform(0.55, 0.75))
    cy = int(h * min(0.9, at + rng.uniform(0.12, 0.22)))
    layer = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(layer)
    red = (225, 40, 40)
    for k in range(max(3, r // 25)):
        draw.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=red)
    star = [
        (cx + 0.35 * r * math.cos(math.pi / 2 + i * 4 * math.pi / 5), cy - 0.35 * r * math.sin(math.pi / 2 + i * 4 * math.pi / 5))
        for i in range(5)
    ]
    draw.polygon(star, fill=red)
    for i in range(14):
        a = math.pi * (0.15 + 0.7 * i / 13)
        x, y = cx - 0.75 * r * math.cos(a), cy - 0.75 * r * math.sin(a)
        draw.rectangle((x - r * 0.06, y - r * 0.06, x + r * 0.06, y + r * 0.06), fill=red)
    return ImageChops.multiply(page, layer)


def scan(pdf_path: Path, dpi: int, rng: random.Random, seal: bool, pages: list[int] | None = None, gray: bool = False) -> list:
    """The PDF's pages as a scanner gives them: turned, blurred, JPEG-noisy, maybe sealed."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = pdfium.PdfDocument(pdf_path.read_bytes())
    where = _table3_page(pdf) if seal else None
    out = []
    for i in range(len(pdf)):
        if pages is not None and i not in pages:
            continue
        page = pdf[i].render(scale=dpi / 72).to_pil().convert("RGB")
        if where and where[0] == i:
            page = _seal(page, where[1], rng)
        elif not seal or gray:
            page = page.convert("L")
        page = page.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BILINEAR, expand=False, fillcolor="white")
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
        buf = io.BytesIO()
        page.save(buf, "JPEG", quality=rng.randint(35, 70))
        out.append(Image.open(io.BytesIO(buf.getvalue())))
    pdf.close()
    return out


def write_scan(images: list, path: Path, dpi: int) -> None:
    """An image-only PDF (or a multi-page TIFF when the name says .tif)."""
    first, rest = images[0], images[1:]
    if path.suffix == ".tif":
        first.save(path, save_all=True, append_images=rest, compression="jpeg" if first.mode != "1" else None)
    else:
        # dated as of the epoch, not of the run: the same scan is the same bytes (bench/ocr-sources/scans.sha256)
        when = time.gmtime(0)
        first.save(path, "PDF", save_all=True, append_images=rest, resolution=dpi, creationDate=when, modDate=when)


def make(out: Path, reports: int, dpis: list[int], seed: int) -> int:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pairs = _samples() + _generated(reports, seed, Path(tmp))
        n = 0
        for k, (pdf, truth) in enumerate(pairs):
            for dpi in dpis:
                seal = k % 2 == 0
                suffix = ".tif" if k % 5 == 4 else ".pdf"
                name = f"{pdf.stem}_{dpi}dpi{'_seal' if seal else ''}{suffix}"
                write_scan(scan(pdf, dpi, rng, seal), out / name, dpi)
                (out / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
                n += 1
    return n


def keep(out: Path, seed: int) -> None:
    """The small kept set (tests): one generated report, every page, at 200 dpi with a seal."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf, truth = _office_pdfs(1, seed, Path(tmp))[0]
        write_scan(scan(pdf, 200, rng, seal=True, gray=True), out / "sealed_200dpi.pdf", 200)
        (out / "sealed_200dpi.pdf.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")


def digests(folder: Path) -> dict[str, str]:
    """Every scan's sha256 (and its truth's), by file name."""
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def manifest() -> dict[str, str]:
    """The kept manifest: each file of the measured set's sha256, by file name."""
    return dict(line.split("  ", 1)[::-1] for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line)


def verify(folder: Path) -> list[str]:
    """The files of `folder` that differ from (or are missing beside) the kept manifest."""
    want = manifest()
    have = digests(folder)
    return sorted(name for name, digest in want.items() if have.get(name) != digest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, default=50)
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 200, 300])
    ap.add_argument("--seed", type=int, default=KEPT_SEED)
    ap.add_argument("--keep", action="store_true", help="write the small set tests/fixtures/ocr keeps")
    ap.add_argument("--sources", action="store_true", help="print the generated reports to PDF into OUT (LibreOffice)")
    ap.add_argument("--verify", action="store_true", help="compare the scans in OUT with the kept manifest")
    ap.add_argument("--manifest", action="store_true", help="write the manifest of the scans in OUT")
    args = ap.parse_args()
    if args.sources:
        print(f"{write_sources(args.out, args.reports, args.seed)} reports printed to {args.out}")
        return
    if args.verify:
        differ = verify(args.out)
        print(f"{len(differ)} files differ from {MANIFEST.name}" + "".join(f"\n  {n}" for n in differ))
        sys.exit(1 if differ else 0)
    if args.manifest:
        MANIFEST.write_text("".join(f"{d}  {n}\n" for n, d in digests(args.out).items()), encoding="utf-8")
        print(f"manifest of {len(digests(args.out))} files written to {MANIFEST}")
        return
    if args.keep:
        keep(args.out, args.seed)
        print(f"kept set written to {args.out}")
        return
    print(f"{make(args.out, args.reports, args.dpi, args.seed)} scans written to {args.out}")


if __name__ == "__main__":
    main()

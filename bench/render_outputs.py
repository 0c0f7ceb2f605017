"""Render the office's documents to PNG, to look at them: the 汇总 docx (LibreOffice headless →
PDF → PNG per page), the charts (already PNG) and the dashboard (headless Chromium screenshot).

Run: `.venv/bin/python bench/render_outputs.py [--agencies 400] [--years 2019-2023] [--out DIR]`.
Generates a synthetic province (three consolidated counties), loads it through the readers, the
GX checks and the loader (no Prefect), aggregates every year, writes the documents of the last
year into DIR/documents and the renderings into DIR/png, and prints each file with the time it
took (noisy on a shared machine). Needs `soffice` (libreoffice-writer) and `chromium`; a missing
one is said and its renderings skipped.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from outputs.files import write_documents  # noqa: E402
from synth.province import parse_years  # noqa: E402
from tests.warehouse.synthetic import load, write_and_check  # noqa: E402
from warehouse import migrate  # noqa: E402
from warehouse.engine import make_engine  # noqa: E402


def docx_to_png(docx: Path, png_dir: Path) -> list[Path]:
    """Every page of the docx as a PNG, through LibreOffice's PDF export and pdfium."""
    import pypdfium2 as pdfium

    soffice = shutil.which("soffice")
    if soffice is None:
        print("no soffice (apt-get install libreoffice-writer): the docx is not rendered")
        return []
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(png_dir), str(docx)],
            check=True, capture_output=True, timeout=300,
        )
    pdf = png_dir / (docx.stem + ".pdf")
    out = []
    doc = pdfium.PdfDocument(str(pdf))
    for i in range(len(doc)):
        path = png_dir / f"summary_page{i + 1}.png"
        doc[i].render(scale=1.6).to_pil().save(path)
        out.append(path)
    return out


def dashboard_to_png(page: Path, png: Path) -> Path | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium (apt-get install chromium): the dashboard is not rendered")
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
             "--window-size=1400,2600", f"--screenshot={png}", page.as_uri()],
            check=True, capture_output=True, timeout=180,
        )
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=400)
    parser.add_argument("--years", type=parse_years, default=parse_years("2019-2023"))
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="xxgk-render-")))
    args = parser.parse_args()
    out: Path = args.out
    started = time.perf_counter()
    province = write_and_check(out / "province", args.agencies, args.years, 0.15, 3, consolidated=3)
    url = f"sqlite:///{out / 'warehouse.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    load(province, engine)
    print(f"province generated, checked, loaded and aggregated: {time.perf_counter() - started:.1f} s")
    t = time.perf_counter()
    written, notes = write_documents(engine, args.years[-1], None, out / "documents")
    print(f"documents written: {time.perf_counter() - t:.2f} s")
    for w in written:
        print(f"  {w.kind:9} {w.path}")
    for note in notes:
        print(f"  note: {note}")
    png_dir = out / "png"
    png_dir.mkdir(exist_ok=True)
    for w in written:
        t = time.perf_counter()
        if w.kind == "docx":
            pages = docx_to_png(w.path, png_dir)
            print(f"docx → {len(pages)} pages: {time.perf_counter() - t:.1f} s  {png_dir}")
        elif w.kind == "chart":
            shutil.copy(w.path, png_dir / w.path.name)
        elif w.kind == "dashboard":
            shot = dashboard_to_png(w.path, png_dir / "dashboard.png")
            print(f"dashboard → {shot}: {time.perf_counter() - t:.1f} s")
    engine.dispose()


if __name__ == "__main__":
    main()

"""ingest on a mixed inbox: text reports and scans; a scan read right loads, a scan with cells
OCR cannot decide ends in `review` with the reason (slow: OCR and Prefect).

The undecided scan is the kept one saved in grey: its red seal turned grey cannot be taken out,
so the numbers under it are unreadable; the two table 四 cells inked over are unreadable too."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import ImageDraw

from connectors import ocr_engine
from synth.province import generate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not ocr_engine.available(), reason="OCR engine (rapidocr-onnxruntime) not installed"),
]

SCAN = Path(__file__).parents[1] / "fixtures" / "ocr" / "sealed_200dpi.pdf"
#: On the kept scan's third page, table 四's 行政复议 「结果纠正」 and 「其他结果」 cells (200 dpi pixels).
T4_REVIEW_CORRECTED_AND_OTHER = ((328, 1800, 374, 1856), (406, 1800, 451, 1856))


def _blotted_tiff(out: Path) -> Path:
    """The kept scan as a grey multi-page TIFF with two cells of one table 四 row inked over."""
    pdf = pdfium.PdfDocument(SCAN.read_bytes())
    pages = [pdf[i].render(scale=200 / 72).to_pil().convert("L") for i in range(len(pdf))]
    pdf.close()
    draw = ImageDraw.Draw(pages[2])
    for box in T4_REVIEW_CORRECTED_AND_OTHER:
        draw.rectangle(box, fill=30)
    pages[0].save(out, save_all=True, append_images=pages[1:], compression="jpeg")
    return out


def test_ingest_reads_scans_beside_text_and_holds_the_undecided_one(prefect_api, warehouse_url, tmp_path) -> None:
    from flows.ingest import ingest

    province = tmp_path / "province"
    generate(province, 3, range(2023, 2025), ("txt",), 0.0, seed=15)  # the kept scan's province
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for report in (province / "reports").iterdir():
        if report.name != "360000_2023.txt":  # the scan is that report
            (inbox / report.name).write_bytes(report.read_bytes())
    (inbox / "scan_2023.pdf").write_bytes(SCAN.read_bytes())
    blotted = _blotted_tiff(tmp_path / "blotted_2023.tif")
    summary = ingest(
        inbox=[str(inbox), str(blotted)],
        registry=str(province / "registry.csv"),
        warehouse_url=warehouse_url,
        archive_url=str(tmp_path / "archive"),
        outbox_dir=str(tmp_path / "outbox"),
    )
    states = {Path(f.source.path).name: f for f in summary.files}
    assert states["scan_2023.pdf"].state in ("loaded", "superseded")
    assert all(f.state in ("loaded", "superseded") for n, f in states.items() if n.endswith(".txt"))
    held = states["blotted_2023.tif"]
    assert held.state == "review", held
    assert (held.reason or "").startswith("扫描件中") and "表三「" in (held.reason or "")  # cells by their printed labels

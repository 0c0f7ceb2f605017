"""Render one quality report as a person sees it: the Word attachment through LibreOffice and the
HTML mail through Chromium, both to PNG, to look at (fonts, table, line breaks).

    .venv/bin/python bench/render_mail.py [OUT_DIR]     (default: xxgk-data/render)

Needs `soffice` (libreoffice-writer) and `chromium` with fonts-noto-cjk; says which is missing
and renders what it can. Not part of `make test`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from form.record import Finding  # noqa: E402
from mail.content import Submitted, build_report  # noqa: E402
from mail.render_docx import docx_bytes  # noqa: E402
from mail.render_html import html_body  # noqa: E402
from mail.render_text import text_body  # noqa: E402

LAST_YEAR = "/srv/xxgk/archive/2023/360908-T001_2023.docx"
FINDINGS = [
    Finding(rule="t3.balance", severity="hard", cells=["t3.new.natural", "t3.carried_in.natural"], printed=12, expected=14,
            message="表三「自然人」列：本年新收12＋上年结转3＝15，但办理结果总计13＋结转下年度2＝15……（示例）"),
    Finding(rule="carryover.requests", severity="hard", cells=["t3.carried_in.total"], printed=3, expected=5,
            message=f"表三「上年结转」总计填报为3，但上一年度年报（{LAST_YEAR}）「结转下年度继续办理」为5。",
            previous=LAST_YEAR),
    Finding(rule="timeliness.published", severity="soft", printed="2025-04-15", expected="2025-03-31",
            message="年报落款日期为2025年4月15日，晚于本级政府的发布期限2025年3月31日。"),
    Finding(rule="registry.unregistered", severity="soft", printed="某某镇人民政府",
            message="「某某镇人民政府」不在机关名录中，已暂列为未登记机关。"),
]


def report():
    sub = Submitted(42, "/srv/xxgk/inbox/2024/360908-T001_2024.docx", datetime(2025, 1, 20, 9, 30), "rejected",
                    None, "360908-T001", "某某县某某镇人民政府", 2024, FINDINGS)
    return build_report(sub, {LAST_YEAR: datetime(2024, 1, 18)})


def held_scan():
    """A scan held for review: two cells OCR could not decide, one repaired by the identities and
    one by last year's carryover."""
    from expectations.ocr_findings import ocr_findings
    from form.placing_messages import review_summary
    from form.record import OcrNote
    from tests.warehouse.builders import make_report

    notes = [
        OcrNote(cell="t3.new.natural", text="1?", conf=0.41, value=None, uncertain=True),
        OcrNote(cell="t4.review.upheld", text="", conf=0.0, value=None, uncertain=True),
        OcrNote(cell="t3.granted.natural", text="38", conf=0.62, value=33),
        OcrNote(cell="t3.carried_in.legal", text="", conf=0.0, value=2, carryover=True),
    ]
    scan = make_report("某某县某某镇人民政府", 2024, media_type="application/pdf").model_copy(update={"ocr": notes})
    reason = review_summary([n.cell for n in notes if n.uncertain])
    sub = Submitted(43, "/srv/xxgk/inbox/2024/360908-T001_2024.pdf", datetime(2025, 1, 20, 9, 30), "review",
                    reason, "360908-T001", "某某县某某镇人民政府", 2024, ocr_findings(scan))
    return build_report(sub)


def _pages(pdf: Path):
    """Each page of a PDF as an image (pypdfium2 comes with pdfplumber)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    return [document[i].render(scale=1.5).to_pil() for i in range(len(document))]


def main(out: Path, example: str = "rejected") -> int:
    out.mkdir(parents=True, exist_ok=True)
    r = held_scan() if example == "review" else report()
    (out / "report.docx").write_bytes(docx_bytes(r))
    (out / "report.html").write_text(html_body(r), encoding="utf-8")
    (out / "report.txt").write_text(text_body(r), encoding="utf-8")
    soffice, chromium = shutil.which("soffice"), shutil.which("chromium") or shutil.which("chromium-browser")
    if soffice:
        t = time.perf_counter()
        # a profile of our own: a LibreOffice already running elsewhere would otherwise take the job
        profile = (out / "lo-profile").resolve().as_uri()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(out / "report.docx")], check=True, capture_output=True, timeout=180)
        for n, page in enumerate(_pages(out / "report.pdf"), start=1):
            page.save(out / f"report-{n}.png")
            print(f"docx → {out / f'report-{n}.png'} ({time.perf_counter() - t:.1f} s)")
    else:
        print("soffice missing: apt-get install libreoffice-writer fonts-noto-cjk")
    if chromium:
        t = time.perf_counter()
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={out / 'chromium-profile'}",
                        f"--screenshot={out / 'mail.png'}", "--window-size=1000,1500", (out / "report.html").as_uri()],
                       check=True, capture_output=True, timeout=180)
        print(f"html → {out / 'mail.png'} ({time.perf_counter() - t:.1f} s)")
    else:
        print("chromium missing: apt-get install chromium fonts-noto-cjk")
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, nargs="?", default=ROOT / "xxgk-data" / "render", help="where the PNGs go")
    ap.add_argument("--example", choices=("rejected", "review"), default="rejected",
                    help="a rejected report (default), or a scan held for review with OCR repairs")
    args = ap.parse_args()
    sys.exit(main(args.out, args.example))

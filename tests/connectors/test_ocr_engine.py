"""The OCR engine as the reader drives it: the same boxes and reads as RapidOCR's own pipeline
(which normalises in float64 and is slower) at RapidOCR's padding, the same words at the reader's
narrower one, and page images read at the render size."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from connectors import ocr_engine
from connectors.ocr_reader import PAGE_SIDE, _image_pages
from tests.connectors.kept_scan import needs_engine, table_rows


@needs_engine
def test_the_page_is_read_as_rapidocr_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_engine, "REC_MIN_RATIO", 320 / 48)  # RapidOCR's padding
    gray = table_rows()
    ours = ocr_engine.read_page(gray)
    result, _ = ocr_engine._engine()(np.stack([gray] * 3, axis=-1), use_cls=False, text_score=0.0)
    theirs = sorted((str(t).strip(), round(float(s), 3), round(min(p[1] for p in q)), round(min(p[0] for p in q))) for q, t, s in result)
    assert len(ours) >= 10
    assert sorted((b.text, round(b.conf, 3), round(b.y0), round(b.x0)) for b in ours) == theirs


@needs_engine
def test_crops_padded_only_to_their_batch_read_the_same_words(monkeypatch: pytest.MonkeyPatch) -> None:
    gray = table_rows()
    crops = ocr_engine.crops_of(gray, ocr_engine.detect(gray))
    assert ocr_engine.REC_MIN_RATIO < 320 / 48  # the reader's own padding is the narrower
    narrow = ocr_engine.recognise(crops)
    monkeypatch.setattr(ocr_engine, "REC_MIN_RATIO", 320 / 48)
    padded = ocr_engine.recognise(crops)
    assert sum(c.shape[1] < 2 * c.shape[0] for c in crops) >= 10  # numbers: short crops, most of their input was padding
    assert [t for t, _ in narrow] == [t for t, _ in padded]


@needs_engine
def test_a_short_crop_read_with_doubt_is_read_again_as_rapidocr_reads_it() -> None:
    gray = table_rows(page=2)
    crops = ocr_engine.crops_of(gray, ocr_engine.detect(gray))
    narrow = ocr_engine._recognised(crops, ocr_engine.REC_MIN_RATIO)
    padded = ocr_engine._recognised(crops, ocr_engine.RAPIDOCR_RATIO)
    short = [c.shape[1] < ocr_engine.RAPIDOCR_RATIO * c.shape[0] for c in crops]
    doubtful = [i for i, (_, conf) in enumerate(narrow) if conf < ocr_engine.REREAD_BELOW and short[i]]
    assert doubtful  # this page's top has short crops read with doubt at the narrow width
    assert ocr_engine.recognise(crops) == [padded[i] if i in doubtful else narrow[i] for i in range(len(crops))]


def test_a_page_image_larger_than_a4_at_the_render_dpi_is_scaled_to_it() -> None:
    out = io.BytesIO()
    big, small = Image.new("RGB", (2481, 3508), "white"), Image.new("RGB", (1654, 2339), "white")
    big.save(out, format="TIFF", save_all=True, append_images=[small])
    first, second = _image_pages(out.getvalue())
    assert max(first.size) == PAGE_SIDE and abs(first.width / first.height - 2481 / 3508) < 0.002
    assert second.size == (1654, 2339)


def test_a_page_half_a_degree_askew_with_faint_ruling_lines_is_levelled() -> None:
    """Found on a 200 dpi scan: blur left the ruling lines a grey core (105-140) a mask at < 128
    did not see, the page stayed 0.34° askew and no row border was found across the table."""
    from connectors.ocr_layout import rules_at

    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    for k in range(20):
        y = 300 + 80 * k
        draw.rectangle((200, y, 1450, y + 1), fill=140)  # a ruling line, greyed by blur
        draw.rectangle((230, y + 25, 330, y + 55), fill=20)  # a label's ink in the row
    askew = np.asarray(page.rotate(0.5, resample=Image.Resampling.BILINEAR, fillcolor=255))
    assert rules_at(askew) == []  # askew, no row border is found
    assert len(rules_at(ocr_engine.straighten(askew))) == 20

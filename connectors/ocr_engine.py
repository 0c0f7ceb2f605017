"""The OCR engine behind the scan reader: RapidOCR (PP-OCRv4 Chinese, ONNX on CPU).

The models ship inside the `rapidocr-onnxruntime` wheel, so nothing is downloaded at run time.
Tesseract (chi_sim) was measured on the same pages and lost on numbers in tables and on speed
(bench/README.md). Each worker process holds one engine with one inference thread: pages are
spread across processes like every other reader's chunks, not across threads of one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Why scans cannot be read when the engine is not installed (the file's reason, one line).
MISSING = "scanned report: OCR engine not installed (pip install rapidocr-onnxruntime)"


@dataclass(frozen=True)
class Box:
    """A text box the detector found, in page pixels, with what the recogniser read in it."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    conf: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def available() -> bool:
    """Whether the OCR engine is installed."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    # one thread per process; keep every read (text_score 0): a low score is a candidate, not noise
    return RapidOCR(
        intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False, text_score=0.0, max_side_len=4000
    )


def ink(image) -> np.ndarray:
    """The page as one grey channel with red (seals, red ink) removed: the red channel, in which
    red prints as white and black print stays black."""
    import numpy as np

    arr = np.asarray(image)
    if arr.ndim == 3:
        return np.ascontiguousarray(arr[:, :, 0])
    return np.ascontiguousarray(arr)


#: Scans are straightened within this many degrees (a page fed askew; more is a photo to retake).
MAX_SKEW = 2.0


def straighten(gray: np.ndarray) -> np.ndarray:
    """The page rotated so its lines run level: the angle whose row profile is sharpest (ruling
    lines and text lines then fall into single rows, which the table layout relies on)."""
    import numpy as np
    from PIL import Image

    page = Image.fromarray(gray)
    small = page.reduce(2) if min(page.size) > 1000 else page
    mask = Image.fromarray(((np.asarray(small) < 128) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST)).sum(axis=1, dtype=np.float64)
        return float((rows * rows).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.21, 0.05), key=sharpness)
    if abs(best) < 0.05 or sharpness(float(best)) < 1.02 * sharpness(0.0):
        return gray
    turned = page.rotate(float(best), resample=Image.Resampling.BILINEAR, fillcolor=255)
    return np.asarray(turned)


def read_page(gray: np.ndarray) -> list[Box]:
    """Every text box on a page, top to bottom."""
    import numpy as np

    rgb = np.stack([gray] * 3, axis=-1)
    result, _ = _engine()(rgb, use_cls=False, text_score=0.0)
    boxes = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), str(text).strip(), float(score)))
    return sorted(boxes, key=lambda b: (b.cy, b.x0))


def read_crops(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """What the recogniser reads in each crop (no detection): text and confidence."""
    import numpy as np

    if not crops:
        return []
    rgb = [np.stack([c] * 3, axis=-1) for c in crops]
    result, _ = _engine().text_rec(rgb)
    return [(str(t).strip(), float(s)) for t, s in result]

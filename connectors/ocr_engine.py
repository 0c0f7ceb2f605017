"""The OCR engine behind the scan reader: RapidOCR (PP-OCRv4 Chinese, ONNX on CPU).

The models ship inside the `rapidocr-onnxruntime` wheel, so nothing is downloaded at run time.
Tesseract (chi_sim) was measured on the same pages and lost on numbers in tables and on speed
(bench/README.md). Each worker process holds one engine with one inference thread: pages are
spread across processes like every other reader's chunks, not across threads of one page.

The detector and recogniser are driven here rather than through `RapidOCR.__call__`, which
normalises the page in float64 (a quarter of the detector's time on a 200 dpi page, profiled) and stacks a
grey page into three channels; the models, their settings and the crops they read are RapidOCR's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from form.ocr_repair import LOW_CONFIDENCE

if TYPE_CHECKING:
    import numpy as np
    import onnxruntime as ort

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


#: The wheel's models RapidOCR is given (PP-OCRv4 Chinese detection and recognition).
DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"
REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"


def model_path(name: str) -> Path:
    """Where the `rapidocr-onnxruntime` wheel keeps a model."""
    import rapidocr_onnxruntime

    return Path(rapidocr_onnxruntime.__file__).parent / "models" / name


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    det, rec = model_path(DET_MODEL), model_path(REC_MODEL)
    # one thread per process; keep every read (text_score 0): a low score is a candidate, not noise
    engine = RapidOCR(
        intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False, text_score=0.0, max_side_len=4000,
        det_model_path=str(det), rec_model_path=str(rec),
    )
    # the same models run from their folded graphs (connectors/ocr_graphs.py): ~25 % less CPU each
    engine.text_det.infer.session = folded_session(det)
    engine.text_rec.session.session = folded_session(rec)
    return engine


def folded_session(model: Path) -> ort.InferenceSession:
    """An onnxruntime session of the model's folded graph, with RapidOCR's settings (one thread,
    every graph optimisation, no memory arena)."""
    import onnxruntime as ort

    from connectors.ocr_graphs import folded

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = False
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(folded(model.read_bytes()), options, providers=["CPUExecutionProvider"])


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
    # dark as the layout's ruling lines are dark (< 170): a thin line blurred by a scan keeps a core
    # of 105-130, and a mask at < 128 lost it, leaving text alone to weigh the angles (a page
    # 0.34° askew scored +1.6 % and was left so: rows 7 px apart across a table; at < 170, +58 %)
    mask = Image.fromarray(((np.asarray(small) < 170) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST)).sum(axis=1, dtype=np.float64)
        return float((rows * rows).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.21, 0.05), key=sharpness)
    if abs(best) < 0.05 or sharpness(float(best)) < 1.02 * sharpness(0.0):
        return gray
    turned = page.rotate(float(best), resample=Image.Resampling.BILINEAR, fillcolor=255)
    return np.asarray(turned)


#: The detector's input is scaled so its shorter side is at least this (RapidOCR's `limit_side_len`
#: with `limit_type` "min"): a rendered page is read at its own size, a small image enlarged.
DETECT_MIN_SIDE = 736


def detect(gray: np.ndarray) -> np.ndarray:
    """The text boxes (quadrilaterals, page pixels) the detector finds on a grey page: RapidOCR's
    own preprocessing (scaled to multiples of 32), on the whole page. Giving it less was measured
    and refused: a page downscaled to 1600 px, or only the printed part of it (white margins
    left out), reads 26–31 % faster (CPU) but moves box edges enough to change cells (one silently wrong
    more on 12 scans); bench/README.md."""
    det = _engine().text_det
    pred = det.infer(detector_input(gray))[0]
    boxes, _ = det.postprocess_op(pred, gray.shape)
    return det.filter_tag_det_res(boxes, gray.shape)


def detector_input(gray: np.ndarray) -> np.ndarray:
    """The detector's input for a grey page: scaled to multiples of 32 (and up to DETECT_MIN_SIDE),
    normalised as the model was trained ((x / 255 - 0.5) / 0.5, in float32), one grey as three channels."""
    import cv2
    import numpy as np

    h, w = gray.shape
    ratio = DETECT_MIN_SIDE / min(h, w) if min(h, w) < DETECT_MIN_SIDE else 1.0
    rh, rw = max(32, round(h * ratio / 32) * 32), max(32, round(w * ratio / 32) * 32)
    page = cv2.resize(gray, (rw, rh)) if (rh, rw) != (h, w) else gray
    x = page.astype(np.float32) * np.float32(2 / 255) - np.float32(1)
    return np.ascontiguousarray(np.broadcast_to(x, (1, 3, rh, rw)))


def crops_of(gray: np.ndarray, quads: np.ndarray) -> list[np.ndarray]:
    """Each box cut out of the page straight (RapidOCR's crop: a tall one is turned to lie flat)."""
    return _engine().get_crop_img_list(gray, list(quads))


#: The recogniser's input is 48 px high; a batch is as wide as its widest crop, and no narrower
#: than this many heights. RapidOCR pads every crop to at least 320 px (6.7 heights), its training
#: width: a table cell's number is 1-2 heights wide, so most of each input was padding. Measured on
#: the 200 dpi OCR set (bench/README.md): 4.5 heights reads cells as right (99.62 %, none silently
#: wrong) for 35 % less of the recogniser's CPU, but with less confidence on short crops (25 scans
#: held against 18); 3 heights was worse (99.58 %, 30 held), 1 height worse still (99.32 %, 41).
#: With the doubtful short crops read again at RapidOCR's width (REREAD_BELOW): 99.63 %, 17 held.
REC_HEIGHT = 48
REC_MIN_RATIO = 4.5
#: RapidOCR's own least width, in heights (320 px).
RAPIDOCR_RATIO = 320 / 48
#: A short crop read with less confidence than the repair doubts is read again at RapidOCR's
#: width: the narrow input costs some confidence on short crops, which would put doubt where there
#: was none.
REREAD_BELOW = LOW_CONFIDENCE

#: Crops recognised together (RapidOCR's batch, by width).
REC_BATCH = 6


def recognise(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """What the recogniser reads in each grey crop: text and confidence. Read at the narrow width;
    a short crop read with doubt is read again as RapidOCR reads it, and that read is kept."""
    reads = _recognised(crops, REC_MIN_RATIO)
    if REC_MIN_RATIO >= RAPIDOCR_RATIO:
        return reads
    doubtful = [i for i, (_, s) in enumerate(reads) if s < REREAD_BELOW and crops[i].shape[1] < RAPIDOCR_RATIO * crops[i].shape[0]]
    for i, read in zip(doubtful, _recognised([crops[i] for i in doubtful], RAPIDOCR_RATIO), strict=True):
        reads[i] = read
    return reads


def _recognised(crops: list[np.ndarray], least_ratio: float) -> list[tuple[str, float]]:
    """RapidOCR's recogniser (its model, resizing, normalisation and decoding) on the crops, in
    batches of like width, each batch as wide as its widest crop and no less than `least_ratio`."""
    import math

    import cv2
    import numpy as np

    rec = _engine().text_rec
    ratios = [c.shape[1] / c.shape[0] for c in crops]
    order = sorted(range(len(crops)), key=ratios.__getitem__)
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    for start in range(0, len(order), REC_BATCH):
        batch = order[start : start + REC_BATCH]
        widest = max(least_ratio, max(ratios[i] for i in batch))
        width = int(REC_HEIGHT * widest)
        # zero is mid grey after the model's normalisation ((x / 255 - 0.5) / 0.5): RapidOCR's padding
        x = np.zeros((len(batch), 3, REC_HEIGHT, width), dtype=np.float32)
        for row, i in enumerate(batch):
            w = min(width, math.ceil(REC_HEIGHT * ratios[i]))
            line = cv2.resize(crops[i], (w, REC_HEIGHT)).astype(np.float32)
            x[row, :, :, :w] = (line / 255 - 0.5) / 0.5
        preds = rec.session(x)[0]
        decoded = rec.postprocess_op(preds, False, wh_ratio_list=[ratios[i] for i in batch], max_wh_ratio=widest)
        for i, (text, score) in zip(batch, decoded, strict=True):
            out[i] = (str(text).strip(), float(score))
    return out


def read_page(gray: np.ndarray) -> list[Box]:
    """Every text box on a page, top to bottom."""
    quads = detect(gray)
    if len(quads) == 0:
        return []
    boxes = []
    for quad, (text, score) in zip(quads, recognise(crops_of(gray, quads)), strict=True):
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text, score))
    return sorted(boxes, key=lambda b: (b.cy, b.x0))


def read_crops(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """What the recogniser reads in each crop (no detection): text and confidence."""
    return recognise(crops)

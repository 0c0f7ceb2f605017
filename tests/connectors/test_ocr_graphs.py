"""The folded graphs compute what the wheel's models compute: on small graphs built here, and on
the detector and recogniser themselves over a kept scan's table rows."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from connectors import ocr_engine
from connectors.ocr_graphs import folded
from tests.connectors.kept_scan import needs_engine, table_rows


def _run(model: bytes, x: np.ndarray) -> list[np.ndarray]:
    """Every output of the model on input x."""
    return ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(None, {"x": x})


def _conv_block(*, second_user: bool = False, opset: int = 12) -> bytes:
    """x → Conv → Mul (per channel) → Add (scalar) → hard-swish written out (Add 3, Clip 0..6, Mul,
    Div 6) → y, as the Paddle export writes it; `second_user` also sends the Conv's output to y2."""
    rng = np.random.default_rng(7)
    consts = {
        "w": rng.normal(size=(4, 3, 3, 3)).astype(np.float32),
        "b": rng.normal(size=4).astype(np.float32),
        "scale": rng.normal(size=(4, 1, 1)).astype(np.float32),
        "shift": np.array([0.3], np.float32),
        "three": np.array(3.0, np.float32),
        "zero": np.array(0.0, np.float32),
        "six": np.array(6.0, np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Mul", ["scale", "c"], ["m"]),
        helper.make_node("Add", ["m", "shift"], ["a"]),
        helper.make_node("Add", ["a", "three"], ["a3"]),
        helper.make_node("Clip", ["a3", "zero", "six"], ["clipped"]),
        helper.make_node("Mul", ["a", "clipped"], ["p"]),
        helper.make_node("Div", ["p", "six"], ["y"]),
    ]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    if second_user:
        nodes.append(helper.make_node("Relu", ["c"], ["y2"]))
        outputs.append(helper.make_tensor_value_info("y2", TensorProto.FLOAT, None))
    graph = helper.make_graph(
        nodes,
        "block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        outputs,
        [numpy_helper.from_array(v, k) for k, v in consts.items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)]).SerializeToString()


def _ops(model: bytes) -> list[str]:
    return [n.op_type for n in onnx.load_from_string(model).graph.node]


def test_a_scaled_shifted_conv_and_a_written_out_hardswish_become_a_conv_and_a_hardswish() -> None:
    model = _conv_block()
    x = np.random.default_rng(1).normal(size=(1, 3, 8, 8)).astype(np.float32)
    assert _ops(folded(model)) == ["Conv", "HardSwish"]
    np.testing.assert_allclose(_run(folded(model), x)[0], _run(model, x)[0], rtol=1e-5, atol=1e-5)


def test_a_conv_whose_output_is_used_twice_keeps_its_own_weights() -> None:
    model = _conv_block(second_user=True)
    x = np.random.default_rng(2).normal(size=(1, 3, 8, 8)).astype(np.float32)
    ops = _ops(folded(model))
    assert ops.count("Mul") == 1 and ops.count("Add") == 1  # the scale and shift stay: y2 needs the raw Conv
    assert "HardSwish" in ops
    for a, b in zip(_run(folded(model), x), _run(model, x), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@needs_engine
def test_the_folded_detector_finds_the_boxes_the_wheels_model_finds() -> None:
    gray = table_rows()
    det = ocr_engine._engine().text_det
    batch = ocr_engine.detector_input(gray)
    raw = ocr_engine.model_path(ocr_engine.DET_MODEL).read_bytes()
    wheel, ours = _run(raw, batch)[0], _run(folded(raw), batch)[0]
    assert np.abs(wheel - ours).max() < 1e-3
    boxes = [det.postprocess_op(m, gray.shape)[0] for m in (wheel, ours)]
    assert len(boxes[0]) >= 10
    np.testing.assert_array_equal(boxes[0], boxes[1])


@needs_engine
def test_the_folded_recogniser_reads_what_the_wheels_model_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    gray = table_rows()
    crops = ocr_engine.crops_of(gray, ocr_engine.detect(gray))
    ours = ocr_engine._recognised(crops, ocr_engine.REC_MIN_RATIO)
    rec = ocr_engine._engine().text_rec
    wheel_session = ort.InferenceSession(
        str(ocr_engine.model_path(ocr_engine.REC_MODEL)), providers=["CPUExecutionProvider"]
    )
    monkeypatch.setattr(rec.session, "session", wheel_session)
    wheel = ocr_engine._recognised(crops, ocr_engine.REC_MIN_RATIO)
    assert len(crops) >= 10
    assert [t for t, _ in ours] == [t for t, _ in wheel]
    assert max(abs(a - b) for (_, a), (_, b) in zip(ours, wheel, strict=True)) < 2e-3

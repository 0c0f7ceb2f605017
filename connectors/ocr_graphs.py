"""RapidOCR's PP-OCRv4 graphs made cheaper to run, computing the same function.

The models were exported from Paddle step by step: every convolution is followed by a learnable
scale and shift (`Mul`, `Add` by constants) and every hard-swish is written out as four operators
(`Add 3`, `Clip 0..6`, `Mul`, `Div 6`). onnxruntime fuses neither, so each is a pass over a full
feature map and breaks its blocked-layout chain (the detector spent 36 % of its time in those
element-wise passes and 14 % reordering memory around them, profiled on a 200 dpi page). Here the
constant scale and shift are folded into the convolution's weights and bias, and the chains become
onnxruntime's `HardSwish`: the same arithmetic up to float rounding (the recogniser's
probabilities move by at most ~1e-3, no decoded character changes; the detector's map by less
than 1e-4), for ~25 % less CPU in each model (bench/README.md).

Pure: bytes of a model in, bytes of a model out; the engine builds its sessions from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import onnx

#: HardSwish is an operator from this opset on.
_OPSET = 14


def folded(model: bytes) -> bytes:
    """The model with constant scales and shifts folded into the convolutions before them and
    hard-swish chains as one operator."""
    import onnx
    from onnx import version_converter

    m = onnx.load_from_string(model)
    _constants_as_initializers(m.graph)
    if _opset(m) < _OPSET:
        m = version_converter.convert_version(m, _OPSET)
    _fold_affine_into_conv(m.graph)
    _hardswish(m.graph)
    _drop_unused(m.graph)
    return m.SerializeToString()


def _opset(m: onnx.ModelProto) -> int:
    return max((o.version for o in m.opset_import if o.domain in ("", "ai.onnx")), default=0)


def _constants_as_initializers(g: onnx.GraphProto) -> None:
    """`Constant` nodes holding a tensor become initializers (what the folds look for)."""
    for node in [n for n in g.node if n.op_type == "Constant"]:
        value = next((a.t for a in node.attribute if a.name == "value"), None)
        if value is None:
            continue
        value.name = node.output[0]
        g.initializer.append(value)
        g.node.remove(node)


class _Graph:
    """Who makes and who uses each value, and the constants by name."""

    def __init__(self, g: onnx.GraphProto) -> None:
        from onnx import numpy_helper

        self.g = g
        self.const = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.outputs = {o.name for o in g.output}
        self.users: dict[str, list] = {}
        self.maker: dict[str, object] = {}
        for n in g.node:
            for i in n.input:
                self.users.setdefault(i, []).append(n)
            for o in n.output:
                self.maker[o] = n

    def only_user(self, value: str):
        users = self.users.get(value, [])
        return users[0] if len(users) == 1 and value not in self.outputs else None

    def constant_and_other(self, node) -> tuple[object, str | None]:
        """For a binary node with exactly one constant input: that constant and the other input."""
        a, b = node.input
        if (a in self.const) == (b in self.const):
            return None, None
        return (self.const[a], b) if a in self.const else (self.const[b], a)

    def set_const(self, name: str, value) -> None:
        import numpy as np
        from onnx import numpy_helper

        self.g.initializer.append(numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))
        self.const[name] = value


def _fold_affine_into_conv(g: onnx.GraphProto) -> None:
    """Conv → Mul c → Add d (c, d scalars or one per output channel) become one Conv with
    weights W·c and bias b·c + d."""
    import numpy as np

    graph = _Graph(g)
    for k, conv in enumerate([n for n in g.node if n.op_type == "Conv"]):
        while True:
            nxt = graph.only_user(conv.output[0])
            if nxt is None or nxt.op_type not in ("Mul", "Add"):
                break
            c, other = graph.constant_and_other(nxt)
            weights = graph.const.get(conv.input[1])
            if c is None or other != conv.output[0] or weights is None or c.size not in (1, weights.shape[0]):
                break
            c = c.reshape(-1).astype(np.float32)
            out_channels = weights.shape[0]
            bias = graph.const[conv.input[2]] if len(conv.input) > 2 and conv.input[2] else np.zeros(out_channels, np.float32)
            if nxt.op_type == "Mul":
                weights = weights * c.reshape(-1, *([1] * (weights.ndim - 1)))
                bias = bias * c
            else:
                bias = bias + c
            names = (f"{conv.output[0]}.folded_w{k}", f"{conv.output[0]}.folded_b{k}")
            graph.set_const(names[0], weights)
            graph.set_const(names[1], bias)
            x = conv.input[0]
            del conv.input[:]
            conv.input.extend([x, *names])
            # the Conv now yields what the folded node yielded
            del graph.users[conv.output[0]]
            conv.output[0] = nxt.output[0]
            graph.maker[conv.output[0]] = conv
            g.node.remove(nxt)


def _hardswish(g: onnx.GraphProto) -> None:
    """x → Add 3 → Clip 0..6 → Mul by x → Div 6 becomes HardSwish(x)."""
    from onnx import helper

    graph = _Graph(g)

    def scalar(node, value: float) -> str | None:
        c, other = graph.constant_and_other(node)
        return other if c is not None and c.size == 1 and float(c.reshape(-1)[0]) == value else None

    for k, div in enumerate([n for n in g.node if n.op_type == "Div"]):
        if div.input[1] not in graph.const or scalar(div, 6.0) != div.input[0]:
            continue
        mul = graph.maker.get(div.input[0])
        if mul is None or mul.op_type != "Mul" or graph.only_user(mul.output[0]) is not div:
            continue
        clip = next((graph.maker[i] for i in mul.input if getattr(graph.maker.get(i), "op_type", "") == "Clip"), None)
        if clip is None or graph.only_user(clip.output[0]) is not mul:
            continue
        bounds = [graph.const.get(i) for i in clip.input[1:]]
        if len(bounds) != 2 or any(b is None for b in bounds) or [float(b.reshape(-1)[0]) for b in bounds] != [0.0, 6.0]:
            continue
        x = next(i for i in mul.input if i != clip.output[0])
        add = graph.maker.get(clip.input[0])
        if add is None or add.op_type != "Add" or scalar(add, 3.0) != x or graph.only_user(add.output[0]) is not clip:
            continue
        at = list(g.node).index(add)
        for node in (add, clip, mul, div):
            g.node.remove(node)
        g.node.insert(at, helper.make_node("HardSwish", [x], [div.output[0]], name=f"{div.output[0]}.hardswish{k}"))


def _drop_unused(g: onnx.GraphProto) -> None:
    used = {i for n in g.node for i in n.input}
    for t in [t for t in g.initializer if t.name not in used]:
        g.initializer.remove(t)

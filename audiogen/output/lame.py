"""MP3 frames from LAME called in this process (lameenc), for the segments of a track.

ffmpeg 7 runs demuxing, decoding, filtering, encoding and muxing each on a thread of its
own and hands every 1152-sample frame between them: a 36-minute mono encode spent 1.1 s
of its 3.8 s of CPU in the kernel (210,000 context switches). The same LAME called here
does that encode in 2.7 s of CPU, and lameenc releases the GIL, so the segments of a
track encode side by side on threads. ffmpeg still writes whatever needs its filters
(the safety limiter over music), the split parts, M4A and WAV.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Iterable
from pathlib import Path

import lameenc

from audiogen.core import ffmpeg as _ffmpeg
from audiogen.errors import EncoderError
from audiogen.output.encoder import LAME_QUALITY, OutputSpec, codec_options, input_options
from audiogen.output.mp3join import SAMPLES_PER_FRAME, read_frames


def encode_frames(chunks: Iterable[bytes], path: Path, spec: OutputSpec, *, header: bool) -> None:
    """The s16le PCM `chunks` as MP3 frames in `path`, after an empty Xing/LAME header
    frame if `header` (mp3join fills it in for the whole file)."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(spec.check())
    encoder.set_in_sample_rate(spec.sample_rate)
    # Else LAME picks a lower rate for low bitrates (MPEG-2 at 32k), as ffmpeg never does.
    encoder.set_out_sample_rate(spec.sample_rate)
    encoder.set_channels(spec.channels)
    encoder.set_quality(LAME_QUALITY)
    try:
        with path.open("wb") as out:
            if header:
                out.write(header_frame(spec))
            for chunk in chunks:
                out.write(encoder.encode(chunk))
            out.write(encoder.flush())
    except RuntimeError as exc:  # what lameenc raises when LAME fails
        raise EncoderError(f"LAME failed to encode an MP3 segment: {exc}") from exc
    except OSError as exc:
        raise EncoderError(f"cannot write {path}: {exc.strerror or exc}") from exc


@functools.cache
def header_frame(spec: OutputSpec) -> bytes:
    """The Xing/LAME header frame ffmpeg's muxer writes for `spec`, with the fields of a
    frame of silence (mp3join rewrites every one that depends on the audio): taken from
    ffmpeg itself, so the joined file's header is the one an ffmpeg encode has."""
    with tempfile.TemporaryDirectory(prefix="audiogen-header-") as folder:
        path = Path(folder) / "header.mp3"
        command = [
            *_ffmpeg.base_command(), "-loglevel", "error", *input_options(spec),
            *codec_options(spec, {}, xing=True), _ffmpeg.ffmpeg_path_arg(path),
        ]  # fmt: skip
        silence = bytes(SAMPLES_PER_FRAME * 2 * spec.channels)
        _ffmpeg.run_fed(command, [silence], what="write an MP3 header")
        with path.open("rb") as file:
            return next(read_frames(file)).data


def padding_period(spec: OutputSpec) -> int:
    """How many frames LAME's padding takes to repeat. A frame holds 144 * bitrate /
    rate bytes; where that is not whole (44.1 kHz), LAME pads a frame by one byte now
    and then, as a running remainder says, from the stream's first frame. An encode
    begun a multiple of this many frames into the track is in step with one of the
    whole track: a few frames into a silence, its frames are that encode's frames (but
    for the stuffing bits, which no decoder reads)."""
    remainder = 144 * 1000 * spec.check() % spec.sample_rate
    return spec.sample_rate // math.gcd(spec.sample_rate, remainder)

"""Encoding an MP3 on every core: the track in segments, encoded side by side, joined.

LAME runs on one core, and the encode is most of a build. So a long track is cut into
segments, each encoded from PCM rendered for it, on a pool of one thread per core, and
the frames are joined into one file (mp3join.py). Seams sit on the 1152-sample frame
grid of a single encode of the whole track, in stretches the caller says are quiet
(between cues): every segment after the first starts `PREROLL_FRAMES` early so its
encoder has settled by the seam, and the one before runs `SEARCH_FRAMES` past it so the
seam can move to where the bit reservoir allows. Decoded, the joined file has exactly
the track's samples at exactly their times; across a seam in digital silence, the same
samples as a single encode.

The voice alone is mostly digital silence, and LAME spends about 1 ms of CPU on a
second of it (2 on one of speech). So for the voice alone (`plan_silence`) every quiet
stretch with room for `MIN_SILENT_SECONDS` between its seams is a silent segment,
copied frame by frame from one stream of encoded silence instead of encoded; only the
islands of sound between them are encoded. The silence and every island begin on a
`grid` of frames in step with the padding of a single encode (lame.padding_period):
LAME then settles over a few frames of silence into the very frames a single encode
has there (all but the stuffing bits), so the joined file decodes to exactly the
samples of one encode of the whole track, sound and silence alike. Should a seam with a
silent segment still find no frame the reservoir allows, the two segments are merged
and encoded instead.
"""

from __future__ import annotations

import concurrent.futures
import functools
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audiogen.core import ffmpeg as _ffmpeg
from audiogen.core.cores import usable_cores
from audiogen.errors import EncoderError
from audiogen.output.encoder import AudioFormat, OutputSpec, codec_options, input_options
from audiogen.output.lame import encode_frames
from audiogen.output.mp3join import SAMPLES_PER_FRAME, SeamError, Segment, join

PREROLL_FRAMES = 8
SEARCH_FRAMES = 16
# Shorter tracks are encoded in one piece: starting a second ffmpeg would not pay.
MIN_SEGMENT_SECONDS = 45
# A silent segment saves the encode of its frames (1 ms a second) but costs an encoder
# more (0.4 ms) and two seams to join (0.5 ms), and the islands either side encode the
# 26 frames of preroll and search anyway: it pays from about 1.5 s between its seams.
MIN_SILENT_SECONDS = 2
# LAME's last frames of a stream differ (its reservoir drained): the silence is encoded
# this far past the longest silent segment, so none of them is ever used.
_SILENCE_SPARE_FRAMES = 16
# Kept clear of sound around a seam beyond the frames it spans: the encoder's window
# and the decoder's overlap reach about a frame either side.
_MARGIN_SAMPLES = 2 * SAMPLES_PER_FRAME

# PCM for the track's samples [start, end), as s16le chunks.
Render = Callable[[int, int], Iterable[bytes]]


@dataclass(frozen=True)
class SegmentPlan:
    """The track frames where segments after the first begin (empty: one piece), which
    segments (by index) are digital silence, copied rather than encoded, and the `grid`
    of frames in step with a single encode's padding (lame.padding_period) on which
    every segment's first frame lies."""

    seams: tuple[int, ...]
    silent: frozenset[int] = frozenset()
    grid: int = 1

    def firsts(self) -> list[int]:
        """The track frame each segment's frame 0 is: PREROLL_FRAMES before its seam,
        or for a silent segment up to a grid step more."""
        return [0] + [(seam - PREROLL_FRAMES) // self.grid * self.grid for seam in self.seams]

    def ranges(self, total: int) -> list[tuple[int, int]]:
        """The samples [start, end) each segment's encoder is fed (or, for a silent
        segment, would be)."""
        starts = [first * SAMPLES_PER_FRAME for first in self.firsts()]
        ends = [min(total, (seam + SEARCH_FRAMES + 2) * SAMPLES_PER_FRAME) for seam in self.seams]
        return list(zip(starts, [*ends, total], strict=True))

    def encoded(self, total: int) -> int:
        """How many samples the encoders are fed: those of the segments not silent."""
        ranges = self.ranges(total)
        return sum(end - start for k, (start, end) in enumerate(ranges) if k not in self.silent)

    def merged(self, index: int) -> SegmentPlan:
        """Segment `index` and the one before it as one segment, encoded."""
        seams = self.seams[: index - 1] + self.seams[index:]
        kept = self.silent - {index - 1, index}
        return SegmentPlan(seams, frozenset(k if k < index else k - 1 for k in kept), self.grid)


def plan_segments(
    total: int,
    quiet: Sequence[tuple[int, int]],
    *,
    sample_rate: int,
    count: int | None = None,
    grid: int = 1,
) -> SegmentPlan:
    """Seams for `count` segments (one per core) of about equal length, each in a quiet
    stretch [start, end) of samples; fewer where no stretch fits."""
    shortest = MIN_SEGMENT_SECONDS * sample_rate
    wanted = min(count or usable_cores(), total // shortest)
    seams: list[int] = []
    for k in range(1, max(1, wanted)):
        seam = _seam_near(total * k // wanted, quiet, grid)
        if seam is None:
            continue
        at = seam * SAMPLES_PER_FRAME
        previous = seams[-1] * SAMPLES_PER_FRAME if seams else 0
        if at - previous >= shortest and total - at >= shortest:
            seams.append(seam)
    return SegmentPlan(tuple(seams), grid=grid)


def plan_silence(
    total: int,
    quiet: Sequence[tuple[int, int]],
    *,
    sample_rate: int,
    count: int | None = None,
    grid: int = 1,
) -> SegmentPlan:
    """Seams for the voice alone: a silent segment in each quiet stretch [start, end)
    with `MIN_SILENT_SECONDS` between the first seam it has room for and the last one
    on the `grid`, and among the islands of sound between them the seams of
    `plan_segments`. Every island begins on the grid, in step with a single encode.

    No seam comes before frame PREROLL_FRAMES + 2, so the first segment is never silent
    and carries the Xing header; nor is the last, which ends the track as LAME does."""
    silences = []  # (start, end, first seam, last seam) of each silent stretch
    for start, end in quiet:
        low, high = _seam_bounds(start, end)
        high = _on_grid(high, grid, up=False)
        if (high - low) * SAMPLES_PER_FRAME >= MIN_SILENT_SECONDS * sample_rate:
            silences.append((start, end, low, high))
    # Those cut long islands for the cores; in a silent stretch, one is not needed.
    parallel = [
        seam
        for seam in plan_segments(
            total, quiet, sample_rate=sample_rate, count=count, grid=grid
        ).seams
        if not any(start <= seam * SAMPLES_PER_FRAME < end for start, end, _, _ in silences)
    ]
    starts = {low for _, _, low, _ in silences}
    seams = sorted({*parallel, *starts, *(high for _, _, _, high in silences)})
    silent = frozenset(k + 1 for k, seam in enumerate(seams) if seam in starts)
    return SegmentPlan(tuple(seams), silent, grid)


def _seam_bounds(start: int, end: int) -> tuple[int, int]:
    """The first and last frames whose seam region lies inside the quiet stretch [start,
    end) (the first past the last if none does)."""
    before = PREROLL_FRAMES * SAMPLES_PER_FRAME + _MARGIN_SAMPLES
    after = (SEARCH_FRAMES + 2) * SAMPLES_PER_FRAME + _MARGIN_SAMPLES
    return -(-(start + before) // SAMPLES_PER_FRAME), (end - after) // SAMPLES_PER_FRAME


def _on_grid(seam: int, grid: int, *, up: bool) -> int:
    """The nearest seam at or after (`up`) or before `seam` whose segment begins on the grid."""
    steps = -(-(seam - PREROLL_FRAMES) // grid) if up else (seam - PREROLL_FRAMES) // grid
    return PREROLL_FRAMES + steps * grid


def _seam_near(sample: int, quiet: Sequence[tuple[int, int]], grid: int) -> int | None:
    """The frame nearest `sample` whose seam region lies inside one quiet stretch, its
    segment beginning on the grid."""
    best: int | None = None
    for start, end in quiet:
        low, high = _seam_bounds(start, end)
        low, high = _on_grid(low, grid, up=True), _on_grid(high, grid, up=False)
        if low > high:
            continue
        near = _on_grid(sample // SAMPLES_PER_FRAME + grid // 2, grid, up=False)
        frame = min(max(near, low), high)
        if best is None or abs(frame * SAMPLES_PER_FRAME - sample) < abs(
            best * SAMPLES_PER_FRAME - sample
        ):
            best = frame
    return best


def encode_segments(
    render: Render,
    total: int,
    path: Path,
    spec: OutputSpec,
    plan: SegmentPlan,
    filters: Sequence[str],
) -> None:
    """Encode the track into `path` (an MP3), its segments side by side, and join them."""
    if spec.format is not AudioFormat.MP3:
        raise ValueError("only MP3 is encoded in segments")
    with tempfile.TemporaryDirectory(prefix="audiogen-segments-", dir=path.parent) as scratch:
        files = _Files(Path(scratch), render, total, spec, filters)
        while True:
            pieces = map(Segment, files.for_plan(plan), plan.firsts(), [0, *plan.seams])
            try:
                join(list(pieces), path, total, SEARCH_FRAMES)
                return
            except SeamError as error:
                if not plan.silent & {error.index - 1, error.index}:
                    raise
                plan = plan.merged(error.index)


def in_process(spec: OutputSpec, filters: Sequence[str]) -> bool:
    """Whether LAME in this process encodes the segments (the voice alone), not ffmpeg."""
    return not filters and spec.channels == 1


def _encoder(path: Path, spec: OutputSpec, filters: Sequence[str], *, header: bool) -> Encode:
    """What encodes one segment into `path`: LAME in this process (lame.py) for the
    voice alone, or an ffmpeg. Over a music bed ffmpeg's LAME stays: with lameenc's,
    a seam over the bed found no frame within SEARCH_FRAMES where the bit reservoir
    allowed a join (amrap-20), and the bed may go through the safety limiter anyway.
    Only the first segment carries the Xing/LAME header the joined file keeps."""
    if in_process(spec, filters):
        return functools.partial(encode_frames, path=path, spec=spec, header=header)
    command = [*_ffmpeg.base_command(), "-loglevel", "error", *input_options(spec)]
    command += ["-af", ",".join(filters)] if filters else []
    command += codec_options(spec, {}, xing=header)
    command += [_ffmpeg.ffmpeg_path_arg(path)]
    return functools.partial(_ffmpeg.run_fed, command, what="encode an MP3 segment")


# Encodes the s16le chunks it is given into one segment's file.
Encode = Callable[[Iterable[bytes]], object]
# One encode, on a thread of the pool: it stops (raising) once the event is set.
Job = Callable[[threading.Event], object]


class _Files:
    """Each segment's file: an encode of its samples (each range encoded once, however
    the plan changes), or for a silent segment the one stream of encoded silence."""

    def __init__(
        self, folder: Path, render: Render, total: int, spec: OutputSpec, filters: Sequence[str]
    ) -> None:
        self._folder = folder
        self._render = render
        self._total = total
        self._spec = spec
        self._filters = filters
        self._made: dict[tuple[int, int], Path] = {}
        self._silence = folder / "silence.mp3"

    def for_plan(self, plan: SegmentPlan) -> list[Path]:
        """Encode what the plan needs that is not encoded yet; the segments' files."""
        ranges = plan.ranges(self._total)
        wanted = [r for k, r in enumerate(ranges) if k not in plan.silent and r not in self._made]
        jobs = [self._island(r) for r in wanted]
        if plan.silent and not self._silence.exists():
            longest = max(ranges[k][1] - ranges[k][0] for k in plan.silent)
            jobs.append(self._silent(longest + _SILENCE_SPARE_FRAMES * SAMPLES_PER_FRAME))
        # The longest first, so that no long one is left to run on its own at the end.
        _run_all([job for _, job in sorted(jobs, key=lambda sized: -sized[0])])
        return [self._silence if k in plan.silent else self._made[r] for k, r in enumerate(ranges)]

    def _island(self, span: tuple[int, int]) -> tuple[int, Job]:
        path = self._made[span] = self._folder / f"{len(self._made)}.mp3"
        encode = _encoder(path, self._spec, self._filters, header=span[0] == 0)
        return span[1] - span[0], lambda stop: encode(_until(stop, self._render(*span)))

    def _silent(self, samples: int) -> tuple[int, Job]:
        """Encode `samples` of digital silence (about 1 ms of CPU a second)."""
        encode = _encoder(self._silence, self._spec, self._filters, header=False)
        width, rate = 2 * self._spec.channels, self._spec.sample_rate
        second = bytes(rate * width)  # the same block again and again
        chunks = [*[second] * (samples // rate), second[: samples % rate * width]]
        return samples, lambda stop: encode(_until(stop, chunks))


def _run_all(jobs: Sequence[Job]) -> None:
    """Run the jobs on a pool of a thread per core; if one fails (or we are
    interrupted), those running are stopped, those waiting dropped, and the first error
    is raised."""
    if not jobs:
        return
    stop = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(len(jobs), usable_cores())) as pool:
        futures = [pool.submit(job, stop) for job in jobs]
        try:
            for future in concurrent.futures.as_completed(futures):
                future.result()
        except BaseException:
            stop.set()
            for future in futures:
                future.cancel()
            raise


def _until(stop: threading.Event, chunks: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        if stop.is_set():
            raise EncoderError("stopped: another segment's encoder failed")
        yield chunk

"""Join MP3 segments encoded side by side into one gapless CBR file.

Segment k is encoded from `preroll` frames before its first kept frame, on the same
1152-sample grid as a single encode of the whole track would use (see segments.py).
Its frame i is then the track's frame `first_k - preroll + i`: the same samples, with
the same encoder delay. Joining keeps segment k's frames up to a seam frame J and
segment k+1's from J on, so the decoded track has exactly the samples of the whole,
at exactly their times: no gap, no overlap, the clock unchanged.

Two things cross a seam. The decoder's overlap-add with frame J-1 sees segment k's
frame where a single encode had its own: in silence both are zeros, over music they
differ only by quantization noise. And the bit reservoir: frame J's data may begin up to
511 bytes back, inside frames J-1, J-2... of its own stream. So J is chosen where that
reach (`main_data_begin`) is no more than what segment k's frame J had, and those bytes,
which only segment k's dropped frame J used, are overwritten with segment k+1's own.

The first frame is the Xing/LAME header of segment 0, rewritten for the whole file:
frame and byte counts, seek table, encoder padding, music length and both CRCs, as
ffmpeg's muxer writes them.
"""

from __future__ import annotations

import array
import contextlib
import functools
import itertools
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from audiogen.errors import EncoderError

SAMPLES_PER_FRAME = 1152
ENCODER_DELAY = 576  # LAME's, as ffmpeg writes it in the LAME tag
_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)
_RESERVOIR_MAX = 511
# Frames kept back while streaming, enough to hold any reservoir's reach.
_HELD_FRAMES = 8
_CRC_BLOCK = 4096
_READ_BYTES = 1 << 22


@dataclass(frozen=True)
class Frame:
    data: bytes

    @property
    def side_info(self) -> int:
        return 17 if self.data[3] >> 6 == 3 else 32

    @property
    def main_data_begin(self) -> int:
        """How many bytes back, before this frame's header, its main data begins."""
        return (self.data[4] << 1) | (self.data[5] >> 7)

    @property
    def payload(self) -> slice:
        return slice(4 + self.side_info, len(self.data))


def frame_length(header: bytes) -> int:
    """The length of the MPEG-1 Layer III frame whose header this is (0 if none)."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xFE != 0xFA:
        return 0  # not MPEG-1 Layer III, or protected by a CRC (LAME writes none)
    bitrate, rate = header[2] >> 4, (header[2] >> 2) & 3
    if bitrate in (0, 15) or rate == 3:
        return 0
    return 144 * _BITRATES[bitrate] * 1000 // _RATES[rate] + ((header[2] >> 1) & 1)


def read_frames(file: BinaryIO) -> Iterator[Frame]:
    """Every frame of a file that holds nothing else, in order."""
    while True:
        header = file.read(4)
        if not header:
            return
        length = frame_length(header)
        if length == 0:
            raise EncoderError("an MP3 segment holds something other than frames")
        yield Frame(header + file.read(length - 4))


@dataclass(frozen=True)
class Segment:
    """One encoded segment: its file, the track frame its frame 0 is (segment 0's Xing
    frame not counted), and the first track frame taken from it."""

    path: Path
    first_frame: int
    seam: int


def join(segments: Sequence[Segment], output: Path, total_samples: int, search: int) -> None:
    """Write the segments' frames, joined at their seams, as one file at `output`.

    A seam may move up to `search` frames later, to where the reservoir allows it.
    """
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(s.path.open("rb")) for s in segments]
        first = read_frames(files[0])
        xing = next(first)
        writer = _Writer(stack.enter_context(output.open("wb")), xing)
        current: Iterator[tuple[int, Frame]] = enumerate(first)
        for segment, file in zip(segments[1:], files[1:], strict=True):
            frames = enumerate(read_frames(file), start=segment.first_frame)
            head = list(itertools.islice(frames, segment.seam + search - segment.first_frame))
            seam = _copy_to_seam(current, dict(head), segment.seam, writer)
            writer.patch(_main_data_tail([f for i, f in head if i < seam], _reach(head, seam)))
            current = itertools.chain(((i, f) for i, f in head if i >= seam), frames)
        for _, frame in current:
            writer.write(frame)
        writer.close()
    _finish_header(output, xing, writer.offsets, total_samples)


def _reach(head: Sequence[tuple[int, Frame]], seam: int) -> int:
    return next(f.main_data_begin for i, f in head if i == seam)


def _copy_to_seam(
    frames: Iterator[tuple[int, Frame]], after: dict[int, Frame], seam: int, writer: _Writer
) -> int:
    """Write frames up to the first at or past `seam` where the next segment's frame
    reaches no further back than this one's; return that frame's index."""
    for index, frame in frames:
        theirs = after.get(index)
        if index >= seam and theirs is not None and theirs.main_data_begin <= frame.main_data_begin:
            return index
        if index >= seam and theirs is None:
            break
        writer.write(frame)
    raise EncoderError("no frame to join two MP3 segments at (the bit reservoir)")


def _main_data_tail(frames: Sequence[Frame], count: int) -> bytes:
    """The last `count` bytes of the frames' main data, across their payloads."""
    pieces: list[bytes] = []
    for frame in reversed(frames):
        if count <= 0:
            break
        payload = frame.data[frame.payload]
        pieces.append(payload[-count:])
        count -= len(pieces[-1])
    if count > 0:
        raise EncoderError("an MP3 segment's bit reservoir reaches before its first frame")
    return b"".join(reversed(pieces))


class _Writer:
    """Writes frames, holding back the last few so the reservoir can still be patched,
    and remembers where each frame starts (for the seek table)."""

    def __init__(self, out: BinaryIO, xing: Frame) -> None:
        self._out = out
        self._held: deque[Frame] = deque()
        self._position = len(xing.data)
        self.offsets = array.array("Q")
        out.write(xing.data)

    def write(self, frame: Frame) -> None:
        self._held.append(frame)
        if len(self._held) > _HELD_FRAMES:
            self._emit(self._held.popleft())

    def patch(self, tail: bytes) -> None:
        """Overwrite the last len(tail) bytes of main data written so far with `tail`."""
        end = len(tail)
        for k in range(len(self._held) - 1, -1, -1):
            if end <= 0:
                return
            frame = self._held[k]
            data = bytearray(frame.data)
            room = len(data) - frame.payload.start
            take = min(room, end)
            data[len(data) - take :] = tail[end - take : end]
            self._held[k] = Frame(bytes(data))
            end -= take
        if end > 0:
            raise EncoderError("an MP3 seam's bit reservoir reaches too far back")

    def close(self) -> None:
        while self._held:
            self._emit(self._held.popleft())

    def _emit(self, frame: Frame) -> None:
        self.offsets.append(self._position)
        self._out.write(frame.data)
        self._position += len(frame.data)


# --- the Xing/LAME header -----------------------------------------------------------------


def _finish_header(path: Path, xing: Frame, offsets: Sequence[int], total_samples: int) -> None:
    """Rewrite the first frame's Xing and LAME tags for the joined file."""
    size = path.stat().st_size
    data = bytearray(xing.data)
    at = 4 + xing.side_info
    if bytes(data[at : at + 4]) not in (b"Info", b"Xing") or data[at + 7] != 0x0F:
        raise EncoderError("the first MP3 segment has no Xing header with a seek table")
    frames = len(offsets)
    data[at + 8 : at + 12] = frames.to_bytes(4, "big")
    data[at + 12 : at + 16] = size.to_bytes(4, "big")
    data[at + 16 : at + 116] = _seek_table(offsets, size)
    lame = at + 120
    padding = frames * SAMPLES_PER_FRAME - ENCODER_DELAY - total_samples
    if not 0 <= padding < 4096:
        raise EncoderError(f"joined MP3 segments do not add up ({padding} samples of padding)")
    data[lame + 21 : lame + 24] = (ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
    data[lame + 28 : lame + 32] = size.to_bytes(4, "big")
    data[lame + 32 : lame + 34] = _file_crc(path, len(xing.data)).to_bytes(2, "big")
    # As ffmpeg: the first 190 bytes of the frame, with the tag CRC itself zero.
    data[lame + 34 : lame + 36] = bytes(2)
    data[lame + 34 : lame + 36] = crc16(bytes(data[:190])).to_bytes(2, "big")
    with path.open("r+b") as file:
        file.write(data)


def _seek_table(offsets: Sequence[int], size: int) -> bytes:
    """Where each percent of the duration starts, in 256ths of the file."""
    count = len(offsets)
    return bytes(min(255, offsets[i * count // 100] * 256 // size) for i in range(100))


# --- CRC-16 (the ARC variant: reflected 0x8005, from 0) -----------------------------------


@functools.cache
def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


def crc16(data: bytes, crc: int = 0) -> int:
    table = _crc_table()
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


def _file_crc(path: Path, start: int) -> int:
    """CRC-16 of the file from `start`, read a few MB at a time."""
    crc = 0
    with path.open("rb") as file:
        file.seek(start)
        while chunk := file.read(_READ_BYTES):
            crc = _crc_extend(crc, chunk)
    return crc


def _crc_extend(crc: int, data: bytes) -> int:
    """crc16(data, crc), fast: blocks of 4 KB run side by side in numpy (the CRC of
    each from zero), then are chained, shifting each total through the next block's
    length (the CRC is linear, so shifting is a fixed 16x16 bit matrix)."""
    blocks, rest = divmod(len(data), _CRC_BLOCK)
    if blocks:
        table = np.array(_crc_table(), dtype=np.uint16)
        grid = np.frombuffer(data, dtype=np.uint8, count=blocks * _CRC_BLOCK).reshape(blocks, -1)
        each = np.zeros(blocks, dtype=np.uint16)
        for column in range(_CRC_BLOCK):
            each = table[(each ^ grid[:, column]) & 0xFF] ^ (each >> 8)
        shift = _shift_matrix()
        for value in each.tolist():
            crc = _apply(shift, crc) ^ value
    return crc16(data[blocks * _CRC_BLOCK :], crc) if rest else crc


@functools.cache
def _shift_matrix() -> tuple[int, ...]:
    """For each bit of a CRC, the CRC it becomes after _CRC_BLOCK zero bytes."""
    return tuple(crc16(bytes(_CRC_BLOCK), 1 << bit) for bit in range(16))


def _apply(matrix: tuple[int, ...], crc: int) -> int:
    out = 0
    for bit in range(16):
        if crc >> bit & 1:
            out ^= matrix[bit]
    return out

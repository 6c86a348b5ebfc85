"""Join MP3 segments encoded side by side into one gapless CBR file.

Segment k is encoded from some frames (its preroll) before the first frame taken from
it, on the same 1152-sample grid as a single encode of the whole track would use (see
segments.py). Its frame i is then the track's frame `first_frame + i`: the same
samples, with the same encoder delay. Joining keeps segment k's frames up to a seam
frame J and segment k+1's from J on, so the decoded track has exactly the samples of
the whole, at exactly their times: no gap, no overlap, the clock unchanged. Several
segments may be taken from one file, at different frames (the encoded silence).

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

import functools
import itertools
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from audiogen.errors import EncoderError

SAMPLES_PER_FRAME = 1152
ENCODER_DELAY = 576  # LAME's, as ffmpeg writes it in the LAME tag
_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)
_RESERVOIR_MAX = 511
# Frames read one by one before a seam, enough to hold any reservoir's reach (511
# bytes: 7 frames of the smallest, 32 kb/s stereo).
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


class SeamError(EncoderError):
    """No frame within the search joins segment `index` to the one before it."""

    def __init__(self, index: int) -> None:
        super().__init__("no frame to join two MP3 segments at (the bit reservoir)")
        self.index = index


def join(segments: Sequence[Segment], output: Path, total_samples: int, search: int) -> None:
    """Write the segments' frames, joined at their seams, as one file at `output`.

    A seam may move up to `search` frames later, to where the reservoir allows it; where
    none does, SeamError says which. Between seams whole runs of frames are copied as
    bytes; only the few frames around each seam are read one by one. Segments may share
    a file; no more than two are open at once, however many there are.
    """
    with output.open("wb") as out:
        file = segments[0].path.open("rb")
        current = _Cursor(file, 0, 0)
        try:
            xing = next(read_frames(file))
            out.write(xing.data)
            current.offset = len(xing.data)
            count = 0
            for index, segment in enumerate(segments[1:], start=1):
                current, written = _step(current, segment, index, search, out)
                count += written
            count += current.copy_to(None, out)
        finally:
            current.close()
    _finish_header(output, xing, count, total_samples)


def _step(
    current: _Cursor, segment: Segment, index: int, search: int, out: BinaryIO
) -> tuple[_Cursor, int]:
    """Write `current`'s frames up to its seam with `segment`, the frames the seam's
    reservoir needs patched; return where `segment` goes on from, and how many frames
    were written. `current` is closed once done with."""
    file = segment.path.open("rb")
    try:
        head = _read_head(file, segment, search)
        count = current.copy_to(segment.seam - _HELD_FRAMES, out)
        near = current.frames_until(segment.seam + search)
        seam = _seam(near, head, segment.seam)
        if seam is None:
            raise SeamError(index)
        held = [frame for at, frame, _ in near if at < seam]
        tail = _main_data_tail([f for i, f, _ in head if i < seam], _reach(head, seam))
        for frame in _patched(held, tail):
            out.write(frame.data)
        following = _Cursor(file, next(offset for i, _, offset in head if i == seam), seam)
    except BaseException:
        file.close()
        raise
    current.close()
    return following, count + len(held)


class _Cursor:
    """A position in a segment's file: the byte offset of a frame and its track index."""

    def __init__(self, file: BinaryIO, offset: int, index: int) -> None:
        self._file = file
        self.offset = offset
        self.index = index

    def close(self) -> None:
        self._file.close()

    def copy_to(self, index: int | None, out: BinaryIO) -> int:
        """Copy whole frames up to track frame `index` (None: the end) as bytes; return
        how many."""
        start, count = self.offset, 0
        self._file.seek(start)
        while index is None or self.index < index:
            length = frame_length(self._file.read(4))
            if length == 0:
                break
            self._file.seek(length - 4, 1)
            self.offset += length
            self.index += 1
            count += 1
        self._file.seek(start)
        shutil.copyfileobj(_Limited(self._file, self.offset - start), out)
        return count

    def frames_until(self, index: int) -> list[tuple[int, Frame, int]]:
        """(index, frame, offset) of the frames from here up to track frame `index`."""
        self._file.seek(self.offset)
        found = []
        for frame in itertools.islice(read_frames(self._file), max(0, index - self.index)):
            found.append((self.index, frame, self.offset))
            self.index += 1
            self.offset += len(frame.data)
        return found


class _Limited:
    """The next `size` bytes of a file, for shutil.copyfileobj."""

    def __init__(self, file: BinaryIO, size: int) -> None:
        self._file = file
        self._left = size

    def read(self, size: int = -1) -> bytes:
        take = self._left if size < 0 else min(size, self._left)
        data = self._file.read(take)
        self._left -= len(data)
        return data


def _read_head(file: BinaryIO, segment: Segment, search: int) -> list[tuple[int, Frame, int]]:
    """The segment's frames up to where its seam may move to, with their offsets."""
    return _Cursor(file, 0, segment.first_frame).frames_until(segment.seam + search)


def _seam(
    near: Sequence[tuple[int, Frame, int]], head: Sequence[tuple[int, Frame, int]], seam: int
) -> int | None:
    """The first frame at or past `seam` where the next segment's frame reaches no
    further back into the reservoir than this one's (None: no such frame)."""
    theirs = {index: frame for index, frame, _ in head}
    for index, frame, _ in near:
        other = theirs.get(index)
        if index >= seam and other is not None and other.main_data_begin <= frame.main_data_begin:
            return index
    return None


def _reach(head: Sequence[tuple[int, Frame, int]], seam: int) -> int:
    return next(f.main_data_begin for i, f, _ in head if i == seam)


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


def _patched(frames: Sequence[Frame], tail: bytes) -> list[Frame]:
    """The frames with the last len(tail) bytes of their main data replaced by `tail`."""
    patched = list(frames)
    end = len(tail)
    for k in range(len(patched) - 1, -1, -1):
        if end <= 0:
            break
        data = bytearray(patched[k].data)
        take = min(len(data) - patched[k].payload.start, end)
        data[len(data) - take :] = tail[end - take : end]
        patched[k] = Frame(bytes(data))
        end -= take
    if end > 0:
        raise EncoderError("an MP3 seam's bit reservoir reaches too far back")
    return patched


# --- the Xing/LAME header -----------------------------------------------------------------


def _finish_header(path: Path, xing: Frame, frames: int, total_samples: int) -> None:
    """Rewrite the first frame's Xing and LAME tags for the joined file."""
    size = path.stat().st_size
    data = bytearray(xing.data)
    at = 4 + xing.side_info
    if bytes(data[at : at + 4]) not in (b"Info", b"Xing") or data[at + 7] != 0x0F:
        raise EncoderError("the first MP3 segment has no Xing header with a seek table")
    data[at + 8 : at + 12] = frames.to_bytes(4, "big")
    data[at + 12 : at + 16] = size.to_bytes(4, "big")
    data[at + 16 : at + 116] = _seek_table(len(xing.data), size)
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


def _seek_table(start: int, size: int) -> bytes:
    """Where each percent of the duration starts, in 256ths of the file: at a constant
    bitrate, that share of the frames' bytes."""
    return bytes(min(255, (start + i * (size - start) // 100) * 256 // size) for i in range(100))


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
    """crc16(data, crc), fast. The CRC is linear over GF(2): blocks of 4 KB are run side
    by side in numpy from zero, two bytes a step (the register absorbs a 16-bit word
    at once), then combined pairwise, each left one shifted through its right
    neighbour's length (a fixed 16x16 bit matrix per length)."""
    blocks, rest = divmod(len(data), _CRC_BLOCK)
    if blocks:
        words = np.frombuffer(data, dtype="<u2", count=blocks * _CRC_BLOCK // 2)
        grid = words.reshape(blocks, -1)
        table = _word_table()
        each = np.zeros(blocks, dtype=np.uint16)
        for column in range(grid.shape[1]):
            each = table[each ^ grid[:, column]]
        crc = _shift(crc, blocks * _CRC_BLOCK) ^ _combine(each)
    return crc16(data[blocks * _CRC_BLOCK :], crc) if rest else crc


def _combine(crcs: npt.NDArray[np.uint16]) -> int:
    """The CRC of equal blocks laid end to end, from each block's CRC (from zero)."""
    length = _CRC_BLOCK
    values = crcs.astype(np.uint32)
    while len(values) > 1:
        if len(values) % 2:  # an odd one out: a zero block in front changes nothing
            values = np.concatenate([[0], values])
        left, right = values[0::2], values[1::2]
        shifted = np.zeros_like(left)
        for bit, image in enumerate(_shift_matrix(length)):
            shifted ^= ((left >> bit) & 1) * image
        values = shifted ^ right
        length *= 2
    return int(values[0])


@functools.cache
def _word_table() -> npt.NDArray[np.uint16]:
    """The CRC register after absorbing each 16-bit word (low byte first) from zero."""
    table = np.array(_crc_table(), dtype=np.uint16)
    words = np.arange(1 << 16, dtype=np.uint32)
    first = table[words & 0xFF] ^ (words >> 8)
    return np.asarray(table[first & 0xFF] ^ (first >> 8), dtype=np.uint16)


@functools.cache
def _shift_matrix(length: int) -> tuple[int, ...]:
    """For each bit of a CRC, the CRC it becomes after `length` zero bytes."""
    if length <= _CRC_BLOCK:
        return tuple(crc16(bytes(length), 1 << bit) for bit in range(16))
    half = _shift_matrix(length // 2)
    return tuple(_apply(half, _apply(half, 1 << bit)) for bit in range(16))


def _shift(crc: int, length: int) -> int:
    """`crc` carried through `length` zero bytes (a multiple of the block)."""
    blocks = length // _CRC_BLOCK
    for bit in range(blocks.bit_length()):
        if blocks >> bit & 1:
            crc = _apply(_shift_matrix(_CRC_BLOCK << bit), crc)
    return crc


def _apply(matrix: tuple[int, ...], crc: int) -> int:
    out = 0
    for bit in range(16):
        if crc >> bit & 1:
            out ^= matrix[bit]
    return out

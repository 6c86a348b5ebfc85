"""How much a Piper worker speaks at once: phrases in order, as many as fit a budget,
and no sentence longer than a limit.

A phrase's working memory in onnxruntime grows with the audio it makes (about 20 MB a
second of speech, most of it in the decoder's last layers), so two long phrases spoken
side by side took a worker from 280 to 340 MB. Each thread takes the first phrase
still waiting whose cost fits what the phrases being spoken leave of the budget, so a
long phrase is spoken beside short ones rather than beside another long one, and no
core waits while a short phrase is left. A phrase over the budget by itself is spoken
when nothing else is.

Piper speaks a text a sentence at a time, so one long sentence alone could take a
worker past a gigabyte (150 words without a full stop: 905 MB). A sentence longer than
the limit is cut at its last comma, semicolon or colon before the limit, else at its
last space, and the pieces are spoken as sentences. Nothing shorter is touched.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_END = re.compile(r"[,;:]\s")
_WORD_END = re.compile(r"\s")
_PHONEMES = re.compile(r"\[\[.*?\]\]", re.DOTALL)


def sentences_within(text: str, limit: int) -> list[str]:
    """`text` as it is if no sentence is longer than `limit` characters, else in
    pieces no longer (but for a single word that is)."""
    sentences = _SENTENCE_END.split(text.strip())
    if all(len(sentence) <= limit for sentence in sentences):
        return [text]
    return [piece for sentence in sentences for piece in _cut(sentence, limit)]


def _cut(sentence: str, limit: int) -> list[str]:
    pieces = []
    while len(sentence) > limit and (at := _cut_point(sentence, limit)) is not None:
        pieces.append(sentence[:at].strip())
        sentence = sentence[at:].strip()
    return [*pieces, sentence]


def _cut_point(sentence: str, limit: int) -> int | None:
    """Where to cut: after the last clause mark or space at or before `limit` that is
    not inside a [[phonemes]] block."""
    inside = [block.span() for block in _PHONEMES.finditer(sentence)]
    for mark in (_CLAUSE_END, _WORD_END):
        ends = [
            m.end() for m in mark.finditer(sentence, 1, limit + 1)
            if not any(start < m.start() < end for start, end in inside)
        ]  # fmt: skip
        if ends:
            return ends[-1]
    return None


class BudgetQueue:
    """Indices of phrases to speak, handed out in order within a budget of `budget`
    (in the units of `costs`: characters times the pace's length scale)."""

    def __init__(self, costs: Sequence[float], budget: float) -> None:
        self._costs = costs
        self._budget = budget
        self._waiting = list(range(len(costs)))
        self._spending = 0.0
        self._speaking = 0
        self._changed = threading.Condition()

    def take(self) -> int | None:
        """The next phrase that fits, once one does; None when none is left."""
        with self._changed:
            while self._waiting:
                for position, index in enumerate(self._waiting):
                    if self._speaking == 0 or self._spending + self._costs[index] <= self._budget:
                        del self._waiting[position]
                        self._spending += self._costs[index]
                        self._speaking += 1
                        return index
                self._changed.wait()
            return None

    def done(self, index: int) -> None:
        """Phrase `index` is spoken: its share of the budget is free again."""
        with self._changed:
            self._spending -= self._costs[index]
            self._speaking -= 1
            self._changed.notify_all()

    def drop(self) -> None:
        """Hand out nothing more: the phrases still waiting are not wanted."""
        with self._changed:
            self._waiting.clear()
            self._changed.notify_all()

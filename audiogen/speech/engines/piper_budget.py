"""Which phrases a Piper worker speaks at once: in order, as many as fit a budget.

A phrase's working memory in onnxruntime grows with the audio it makes (about 20 MB a
second of speech, most of it in the decoder's last layers), so two long phrases spoken
side by side took a worker from 280 to 340 MB. Each thread takes the first phrase
still waiting whose cost fits what the phrases being spoken leave of the budget, so a
long phrase is spoken beside short ones rather than beside another long one, and no
core waits while a short phrase is left. A phrase over the budget by itself is spoken
when nothing else is.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence


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

"""Text helpers shared by stages: file-name stems."""

from __future__ import annotations

import difflib
import re
import unicodedata


def slug(text: str) -> str:
    """A phrase as a file name stem: "Switch sides!" -> "switch-sides"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def close_matches(wanted: str, choices: list[str]) -> list[str]:
    """Refinements of what was asked (`en-gb` -> `en-gb-x-rp`) first, then look-alikes."""
    refined = [c for c in choices if c.startswith(wanted) and c != wanted]
    similar = difflib.get_close_matches(wanted, choices, n=4, cutoff=0.6)
    return list(dict.fromkeys(refined + similar))[:5]

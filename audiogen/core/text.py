"""Text helpers shared by stages: file-name stems."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """A phrase as a file name stem: "Switch sides!" -> "switch-sides"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")

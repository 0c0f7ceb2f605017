"""Label normalisation: the form's words compared by content, not by how they were typed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Variants agencies print for the same word, applied after width folding.
_VARIANTS = (
    ("下一年度", "下年度"),
    ("上一年度", "上年度"),
)
_DROP = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def normalise_label(text: str) -> str:
    """A label reduced to its words: width folded, no spaces, line breaks or punctuation."""
    folded = _DROP.sub("", fold_width(text))
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")
    for old, new in _VARIANTS:
        kept = kept.replace(old, new)
    return kept

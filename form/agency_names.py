"""Agency names as a person compares them: 洪泽区人民政府 is 淮安市洪泽区人民政府.

Agencies print their own names differently from year to year: with or without the higher-level
region in front, 人民政府 or 政府, full-width or half-width brackets. Two names name the same agency
when their keys are equal, or when one key is the other preceded only by region names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from form.labels import normalise_label

_REGION = re.compile(r"^(.+?(?:省|自治区|特别行政区|市|自治州|地区|盟|州|县|自治县|旗|区|新区|实验区|镇|乡|街道))")
_SYNONYMS = (("人民政府", "政府"),)


def name_key(name: str) -> str:
    """The name with width, spaces, punctuation and the 人民政府/政府 variant folded."""
    key = normalise_label(name)
    for long, short in _SYNONYMS:
        key = key.replace(long, short)
    return key


def _only_regions(prefix: str) -> bool:
    while prefix:
        m = _REGION.match(prefix)
        if not m:
            return False
        prefix = prefix[m.end() :]
    return True


def same_agency(a: str, b: str) -> bool:
    """True when the two printed names name the same agency."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    # the shorter name must still say where it is (洪泽区…), not be a bare 教育局
    return long.endswith(short) and _only_regions(long[: -len(short)]) and bool(_REGION.match(short))


def matching_names(name: str, candidates: Iterable[str]) -> list[str]:
    """The candidates naming the same agency: exact key matches if any, else region-prefix ones."""
    pool = list(dict.fromkeys(candidates))
    key = name_key(name)
    exact = [c for c in pool if name_key(c) == key]
    if exact:
        return exact
    return [c for c in pool if same_agency(name, c)]

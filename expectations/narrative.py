"""Numbers a report's narrative states for its tables' totals (narrative.totals).

The narrative rarely uses the table's words: 共收到依申请公开件65件, 全市共受理政府信息公开申请
3119 件, 政府信息公开行政复议 351 件. A measure is read only where a known phrase is followed, after
at most a short connective (共计, 为, 达, a colon or spaces), by a number and 件. A measure stated
twice with different numbers is not read at all: the check compares only numbers it is sure of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from form.labels import fold_width
from form.layout import NARRATIVE_CONNECTIVES, NARRATIVE_TOTALS, NARRATIVE_UNIT, NARRATIVE_VARIANTS

#: Measure name per set of table cells the narrative's number stands for.
_NAMES: dict[tuple[str, ...], str] = {
    ("t3.new.total",): "received",
    ("t3.carried_in.total",): "carried_in",
    ("t3.processed_total.total",): "processed",
    ("t3.carried_out.total",): "carried_out",
    ("t4.review.total",): "reviews",
    ("t4.suit_direct.total", "t4.suit_after_review.total"): "suits",
}
#: Between a phrase and its number: punctuation or spaces, at most one connective word, spaces.
_GAP = rf"[\s:：,，]*(?:{'|'.join(map(re.escape, NARRATIVE_CONNECTIVES))})?[\s:：]*"
#: A count just before its unit 件, in ASCII or full-width digits: 65, 3,119 , ６５.
_COUNT = re.compile(r"([0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+|[0-9０-９]+)\s*$")
_UNIT = NARRATIVE_UNIT
_DIGITS_OR_SPACE = frozenset("0123456789０１２３４５６７８９ \u3000\u00a0\t")
#: How far before a count its phrase may start (the longest phrase plus the longest gap).
_LOOKBEHIND = 40


@dataclass(frozen=True)
class Measure:
    name: str
    cells: tuple[str, ...]
    phrases: tuple[str, ...]


@cache
def measures() -> tuple[Measure, ...]:
    """Every measure the narrative may state, with the table cells it must equal."""
    out = []
    for cells, phrases, _unit in NARRATIVE_TOTALS:
        name = _NAMES.get(tuple(cells), "+".join(cells))
        words = tuple(dict.fromkeys((*phrases, *NARRATIVE_VARIANTS.get(name, ()))))
        out.append(Measure(name, tuple(cells), words))
    return tuple(out)


@cache
def _phrase_before() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern matching a phrase and its gap at the end of a window, and phrase → measure."""
    phrase_to_measure: dict[str, str] = {}
    for m in measures():
        for p in m.phrases:
            phrase_to_measure.setdefault(p, m.name)
    # longest phrase first, so 上年结转政府信息公开申请 is not read as a bare 政府信息公开申请
    alternatives = "|".join(re.escape(p) for p in sorted(phrase_to_measure, key=len, reverse=True))
    return re.compile(rf"({alternatives}){_GAP}$"), phrase_to_measure


def stated_totals(narrative: dict[str, str]) -> dict[str, int]:
    """Measure name → the number the narrative states, for measures stated unambiguously.

    Scanning kilobytes of narrative with dozens of phrases is slow, so each 件 is found first,
    then the count just before it, then only the few characters before the count are matched
    against the phrases.
    """
    pattern, phrase_to_measure = _phrase_before()
    seen: dict[str, set[int]] = {}
    for text in narrative.values():
        at = text.find(_UNIT)
        while at >= 0:
            count = (
                _COUNT.search(text, max(0, at - 16), at) if at and text[at - 1] in _DIGITS_OR_SPACE else None
            )
            if count:
                found = pattern.search(text, max(0, count.start() - _LOOKBEHIND), count.start())
                if found:
                    value = int(fold_width(count.group(1)).replace(",", ""))
                    seen.setdefault(phrase_to_measure[found.group(1)], set()).add(value)
            at = text.find(_UNIT, at + 1)
    return {name: next(iter(values)) for name, values in seen.items() if len(values) == 1}

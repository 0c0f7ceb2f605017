"""Which report supplied last year's figures: each report paired with its agency's previous year.

Agencies print their names differently from year to year (洪泽区人民政府, then 淮安市洪泽区人民政府),
so reports are paired by `form.agency_names` — exact name keys first, else names that differ only
by leading region names — and by year − 1. When neither finds the agency, a township renamed by
撤乡设镇 or 撤镇设街道 (嘉洲镇人民政府, then 嘉洲街道办事处) is recognised by its place name, as a
reader would. More than one candidate with different content is ambiguous: the cross-year rules then say "not checkable" and list the candidates rather than
guess. Pools of thousands of reports are indexed by name key and suffix, not scanned per report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from form.agency_names import name_key, same_agency
from form.record import Report

PairingStatus = Literal["paired", "missing", "ambiguous", "unknown"]


@dataclass(frozen=True)
class Previous:
    """The previous-year report for one report, or why there is none."""

    status: PairingStatus
    report: Report | None = None
    #: source paths of the candidates when the pairing is ambiguous
    candidates: tuple[str, ...] = field(default_factory=tuple)

    @property
    def source(self) -> str | None:
        return self.report.source.path if self.report is not None else None


NO_PREVIOUS = Previous("missing")


#: A township's unit as its name key ends (人民政府 is already folded to 政府 by name_key).
_TOWNSHIP_UNITS = ("街道办事处", "街道办", "街道", "镇政府", "乡政府")


def township_stem(key: str) -> str | None:
    """The place a township-level name key names (嘉洲 of 嘉洲镇政府 / 嘉洲街道办事处); None otherwise."""
    for unit in _TOWNSHIP_UNITS:
        if key.endswith(unit) and len(key) > len(unit):
            return key[: -len(unit)]
    return None


class _YearIndex:
    """Reports of one year by name key and by every suffix of their key."""

    def __init__(self, reports: list[Report]) -> None:
        self.by_key: dict[str, list[Report]] = defaultdict(list)
        self.by_suffix: dict[str, set[str]] = defaultdict(set)
        self.by_township: dict[str, set[str]] = defaultdict(set)
        for r in reports:
            key = name_key(r.agency or "")
            if not key:
                continue
            self.by_key[key].append(r)
            stem = township_stem(key)
            if stem:
                self.by_township[stem].add(key)
            for i in range(1, len(key)):
                self.by_suffix[key[i:]].add(key)

    def matches(self, agency: str) -> list[Report]:
        """Reports naming the same agency: exact key matches if any, else region-prefix matches."""
        key = name_key(agency)
        if not key:
            return []
        if key in self.by_key:
            return list(self.by_key[key])
        # names that end with ours (we left the region out) or that ours ends with (they did)
        keys = set(self.by_suffix.get(key, ()))
        keys.update(key[i:] for i in range(1, len(key)) if key[i:] in self.by_key)
        out: list[Report] = []
        for k in sorted(keys):
            if same_agency(key, k):
                out.extend(self.by_key[k])
        stem = township_stem(key)
        if not out and stem:
            for k in sorted(self.by_township.get(stem, ())):
                out.extend(self.by_key[k])
        return out


def pair_previous(reports: Sequence[Report], pool: Sequence[Report]) -> list[Previous]:
    """For each report, the report in `pool` on the same agency's previous year (or why none)."""
    by_year: dict[int, list[Report]] = defaultdict(list)
    for p in pool:
        if p.year is not None:
            by_year[p.year].append(p)
    indexes: dict[int, _YearIndex] = {}
    out: list[Previous] = []
    for r in reports:
        if r.year is None or not r.agency:
            out.append(Previous("unknown"))
            continue
        year = r.year - 1
        if year not in by_year:
            out.append(NO_PREVIOUS)
            continue
        index = indexes.get(year) or indexes.setdefault(year, _YearIndex(by_year[year]))
        found = [p for p in index.matches(r.agency) if p is not r]
        distinct = list({p.source.sha256: p for p in found}.values())
        if not distinct:
            out.append(NO_PREVIOUS)
        elif len(distinct) == 1:
            out.append(Previous("paired", distinct[0]))
        else:
            out.append(Previous("ambiguous", candidates=tuple(sorted(p.source.path for p in distinct))))
    return out

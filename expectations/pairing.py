"""Which report supplied last year's figures: each report paired with its agency's previous year.

Agencies print their names differently from year to year (洪泽区人民政府, then 淮安市洪泽区人民政府),
so reports are paired by name and year − 1 through `form.agency_matching`, the matcher ingest
places reports with: each report of the pool is its own agency, valid in its own year, and the
matcher decides — exact name keys first, else names that differ only by leading region names,
else a township renamed by 撤乡设镇 or 撤镇设街道 recognised by its place. More than one candidate
with different content is ambiguous: the cross-year rules then say "not checkable" and list the
candidates rather than guess. Identical copies of one file are one candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

from form.agency_matching import AgencyMatcher, NameEntry
from form.record import NO_PREVIOUS, Previous, Report


def report_matcher(pool: Sequence[Report]) -> tuple[AgencyMatcher, dict[str, Report]]:
    """A matcher over the pool's printed names (a report's agency is its content hash), and its reports."""
    by_content = {p.source.sha256: p for p in pool if p.year is not None and p.agency}
    entries = (NameEntry(sha, p.agency or "", p.year, p.year) for sha, p in by_content.items())
    return AgencyMatcher(entries), by_content


def pair_previous(reports: Sequence[Report], pool: Sequence[Report]) -> list[Previous]:
    """For each report, the report in `pool` on the same agency's previous year (or why none)."""
    matcher, by_content = report_matcher(pool)
    out: list[Previous] = []
    for r in reports:
        if r.year is None or not r.agency:
            out.append(Previous("unknown"))
            continue
        match = matcher.match(r.agency, r.year - 1)
        if match.agency_id is not None:
            out.append(Previous("paired", by_content[match.agency_id]))
        elif match.method == "ambiguous":
            paths = sorted(by_content[c].source.path for c in match.candidates)
            out.append(Previous("ambiguous", candidates=tuple(paths)))
        else:
            out.append(NO_PREVIOUS)
    return out


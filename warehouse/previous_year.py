"""Last year's report of each report, from the warehouse: what cross-year rules compare with.

Names are placed by `form.agency_matching` over the registry (`warehouse.registry_matcher`), the
same matcher `xxgk check --previous` pairs reports with, so both say paired, missing, ambiguous or
unknown about the same carryover alike. A paired report is rebuilt from the facts of the
agency's loaded previous year, its source the submission the facts came from, so a finding can
name it. Anything else is "not checkable", never a pass (DESIGN decision 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from form.agency_matching import AgencyMatcher, Match
from form.record import NO_PREVIOUS, Previous, Report, Source
from warehouse.queries import facts_for, facts_of_pairs
from warehouse.records import Pair
from warehouse.registry_matcher import load_matcher
from warehouse.schema import DimSubmission
from warehouse.sql import chunks

#: a printed agency name and the report year it was printed on (None when the report gives none)
Printed = tuple[str | None, int | None]


def _matches(items: Sequence[Printed], matcher: AgencyMatcher) -> list[Match | None]:
    """The match of each printed name in its year; None where the report gives no name or year."""
    return [matcher.match(name, year) if name and year is not None else None for name, year in items]


def previous_pair(match: Match | None, year: int | None) -> Pair | None:
    """The (agency, year) whose loaded report is the previous year of a report matched so."""
    if match is None or match.agency_id is None or year is None:
        return None
    return match.agency_id, year - 1


def choose_previous(match: Match | None, loaded: Report | None) -> Previous:
    """The previous year of one report, from its match and its agency's loaded previous year.

    unknown: the report gives no name or year · ambiguous: the name fits several agencies
    (candidates: their ids) · missing: no agency, or nothing loaded for its previous year.
    """
    if match is None:
        return Previous("unknown")
    if match.method == "ambiguous":
        return Previous("ambiguous", candidates=match.candidates)
    if match.agency_id is None or loaded is None:
        return NO_PREVIOUS
    return Previous("paired", loaded)


def _loaded_sources(conn: Connection, pairs: Sequence[Pair]) -> dict[Pair, Any]:
    """The submission holding the facts of each (agency, year), a query per chunk of agencies."""
    s = DimSubmission.__table__.c
    years = sorted({y for _, y in pairs})
    sources: dict[Pair, Any] = {}
    for part in chunks(sorted({a for a, _ in pairs})):
        rows = conn.execute(
            select(
                s.agency_id, s.year, s.path, s.sha256, s.media_type, s.printed_agency, s.version, s.published
            ).where(s.agency_id.in_(part), s.year.in_(years), s.has_facts.is_(True))
        )
        sources.update(((r.agency_id, r.year), r) for r in rows)
    return sources


def _report(source: Any, cells: dict) -> Report:
    return Report(
        source=Source(path=source.path, sha256=source.sha256, media_type=source.media_type),
        agency=source.printed_agency,
        year=source.year,
        version=source.version,
        published=source.published,
        cells=cells,
    )


def previous_year_pairings(
    conn: Connection, items: Sequence[Printed], matcher: AgencyMatcher | None = None
) -> list[Previous]:
    """For each (printed agency, year): its agency's loaded report of `year - 1`, or why there is none.

    The names are matched in memory (one registry read), the sources and facts read a few queries
    per chunk of agencies, not per report: a chunk of 500 reports costs the same handful of
    queries as one. `choose_previous` decides each.
    """
    matches = _matches(items, matcher or load_matcher(conn))
    wanted = [previous_pair(m, year) for m, (_, year) in zip(matches, items, strict=True)]
    sources = _loaded_sources(conn, sorted({p for p in wanted if p is not None}))
    facts = facts_of_pairs(conn, list(sources))

    def loaded(pair: Pair | None) -> Report | None:
        """A Report of its own for each item, even where two items share a pair."""
        if pair is None or pair not in sources:
            return None
        return _report(sources[pair], {cell: value for cell, (value, _key) in facts[pair].items()})

    return [choose_previous(m, loaded(pair)) for m, pair in zip(matches, wanted, strict=True)]


def previous_year_reports(
    conn: Connection, items: Sequence[Printed], matcher: AgencyMatcher | None = None
) -> list[Report | None]:
    """The paired reports of `previous_year_pairings`, None where there is none."""
    return [p.report for p in previous_year_pairings(conn, items, matcher)]


def previous_year_report(
    conn: Connection, printed_agency: str, year: int, matcher: AgencyMatcher | None = None
) -> Report | None:
    """One report's previous year, read the simple way (a query per cell table): the bulk reads' reference.

    Pass one `registry_matcher.load_matcher(conn)` when pairing many reports.
    """
    match = (matcher or load_matcher(conn)).match(printed_agency, year)
    if match.agency_id is None:
        return None
    s = DimSubmission.__table__.c
    source = conn.execute(
        select(s.year, s.path, s.sha256, s.media_type, s.printed_agency, s.version, s.published).where(
            s.agency_id == match.agency_id, s.year == year - 1, s.has_facts.is_(True)
        )
    ).one_or_none()
    if source is None:
        return None
    return _report(source, facts_for(conn, match.agency_id, year - 1))

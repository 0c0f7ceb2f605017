"""Placing a chunk's reports: which agency and year each belongs to, and the facts it brings.

Pure, no database: `place` matches every report's printed agency name in the registry for its
year (`AgencyMatcher`) and builds its fact rows (`warehouse.facts`). A name that matches no
agency, or several, loads under a provisional agency with a soft finding; a report without an
agency name or a year, or with a value outside its cell's domain, is rejected with a hard one. A
load and a reload (and a reload's dry run) place the same way, so all three store the same state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from form import placing_messages
from form.agency_matching import AgencyMatcher, Match
from form.record import Finding
from warehouse.facts import FactRows, fact_rows
from warehouse.records import CheckedSubmission, Pair, SubmissionState, hard_summary
from warehouse.registry_matcher import provisional_id

#: dim_submission columns a reading and placing decide (`Placed.values`; what a reload may rewrite)
VALUE_FIELDS = (
    "media_type",
    "published",
    "printed_agency",
    "agency_id",
    "year",
    "version",
    "state",
    "reason",
    "match_method",
)


class Placed:
    """One submission on its way in: a new file, or a stored one being re-loaded (`stored` set)."""

    __slots__ = (
        "index",
        "item",
        "state",
        "reason",
        "findings",
        "agency_id",
        "year",
        "method",
        "received_at",
        "key",
        "facts",
        "stored",
    )

    def __init__(
        self, index: int, item: CheckedSubmission, received_at: datetime, stored: Any = None
    ) -> None:
        self.index = index
        self.item = item
        self.state: SubmissionState = item.state
        self.reason = item.reason
        self.findings: list[Finding] = list(item.findings)
        self.agency_id: str | None = None
        self.year: int | None = item.report.year if item.report else None
        self.method: str | None = None
        self.received_at = received_at
        self.key: int | None = None if stored is None else stored.submission_key
        self.facts: FactRows | None = None
        #: the dim_submission row of a stored submission (a reload)
        self.stored = stored

    @property
    def skey(self) -> int:
        """Its submission key, once it has one (stored, or inserted by this chunk)."""
        if self.key is None:
            raise RuntimeError(f"{self.item.source.path}: no submission key yet")
        return self.key

    @property
    def pair(self) -> Pair | None:
        if self.agency_id is None or self.year is None:
            return None
        return (self.agency_id, self.year)

    def reject(self, extra: list[Finding]) -> None:
        self.findings += extra
        if self.state == "loaded":
            self.state = "rejected"
            self.reason = hard_summary(self.findings)

    def values(self) -> dict[str, Any]:
        """Its `VALUE_FIELDS`: the dim_submission columns reading and placing decide (not keys, links or history)."""
        report = self.item.report
        return {
            "media_type": self.item.source.media_type,
            "published": report.published if report else None,
            "printed_agency": report.agency if report else None,
            "agency_id": self.agency_id,
            "year": self.year if self.agency_id is not None else None,
            "version": report.version if report else None,
            "state": self.state,
            "reason": self.reason,
            "match_method": self.method,
        }


def placement_finding(match: Match, printed: str, year: int) -> Finding | None:
    """The soft finding a match that is not plainly the agency of the year brings (None: it is)."""
    if match.method == "unregistered":
        return Finding(
            rule="registry.unregistered",
            severity="soft",
            printed=printed,
            message=placing_messages.unregistered(printed, year),
        )
    if match.method == "ambiguous":
        return Finding(
            rule="registry.agency_ambiguous",
            severity="soft",
            printed=printed,
            expected=",".join(match.candidates),
            message=placing_messages.ambiguous(printed, match.candidates),
        )
    if match.method == "other_year" and match.agency_id is not None:
        return Finding(
            rule="registry.name_other_year",
            severity="soft",
            printed=printed,
            message=placing_messages.name_other_year(printed, match.agency_id, year),
        )
    if match.method == "township" and match.agency_id is not None:
        return Finding(
            rule="registry.township_by_place",
            severity="soft",
            printed=printed,
            expected=match.agency_id,
            message=placing_messages.township_by_place(printed, match.agency_id, year),
        )
    return None


def unplaceable_finding(agency: str | None, year: int | None) -> Finding:
    """The hard finding of a report that names no agency or no year."""
    return Finding(
        rule="warehouse.unplaceable",
        severity="hard",
        printed=agency,
        message=placing_messages.unplaceable(agency, year),
    )


def place(placed: Sequence[Placed], matcher: AgencyMatcher) -> dict[str, str]:
    """Match each report to an agency and build its fact rows (pure); returns provisional id → name.

    Unplaceable reports (no agency or year) and values outside their cell's domain become hard
    findings here, so the state every caller stores is the same.
    """
    provisional: dict[str, str] = {}
    for p in placed:
        report = p.item.report
        if report is None:
            continue
        if not report.agency or report.year is None:
            p.year = None
            p.reject([unplaceable_finding(report.agency, report.year)])
            continue
        match = matcher.match(report.agency, report.year)
        p.method = match.method
        p.agency_id = match.agency_id or provisional_id(report.agency)
        if match.agency_id is None:
            provisional.setdefault(p.agency_id, report.agency)
        note = placement_finding(match, report.agency, report.year)
        if note is not None:
            p.findings.append(note)
        if p.state == "loaded":
            facts, problems = fact_rows(report, p.agency_id, report.year, p.key or 0)
            if problems:
                p.reject(problems)
            else:
                p.facts = facts
    return provisional

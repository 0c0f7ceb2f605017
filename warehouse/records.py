"""What the loader takes and gives back: plain records the flows build from parse + check results.

A `CheckedSubmission` is one submitted file after reading and checking: its source (path, sha256,
media type), the `Report` (None when it could not be read), its findings, and the state it ends
in — quarantined when unreadable, rejected when any finding is hard, loaded otherwise
(`CheckedSubmission.of` decides it so callers cannot disagree with the rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from form.record import Finding, Report, Source

State = Literal["loaded", "rejected", "quarantined"]
#: what happened to a submission in a load: its state, or "unchanged" for bytes already stored
Outcome = Literal["loaded", "rejected", "quarantined", "unchanged"]


def decide_state(report: Report | None, findings: list[Finding]) -> State:
    """quarantined (no report) · rejected (a hard finding) · loaded."""
    if report is None:
        return "quarantined"
    if any(f.severity == "hard" for f in findings):
        return "rejected"
    return "loaded"


def hard_summary(findings: list[Finding]) -> str | None:
    """'failed hard rules: t3.balance ×2, t4.total' — the reason stored on a rejected submission."""
    counts: dict[str, int] = {}
    for f in findings:
        if f.severity == "hard":
            counts[f.rule] = counts.get(f.rule, 0) + 1
    if not counts:
        return None
    return "failed hard rules: " + ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in counts.items())


class CheckedSubmission(BaseModel):
    """One submitted file, read and checked, ready to load."""

    source: Source
    report: Report | None = None
    findings: list[Finding] = Field(default_factory=list)
    state: State
    #: why it was quarantined (required then) or rejected (default: the hard rules it failed)
    reason: str | None = None
    #: when the file arrived; orders resubmissions (default: the time of the load; naive means UTC)
    received_at: datetime | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CheckedSubmission:
        if (self.report is None) != (self.state == "quarantined"):
            raise ValueError("a quarantined submission has no report, and only a quarantined one")
        if self.state == "quarantined" and not self.reason:
            raise ValueError("a quarantined submission needs a reason")
        if self.state == "loaded" and any(f.severity == "hard" for f in self.findings):
            raise ValueError("a submission with a hard finding cannot be loaded")
        return self

    @classmethod
    def of(
        cls,
        source: Source,
        report: Report | None,
        findings: list[Finding] | None = None,
        reason: str | None = None,
        received_at: datetime | None = None,
    ) -> CheckedSubmission:
        """Build one with its state decided from the report and findings."""
        found = list(findings or [])
        state = decide_state(report, found)
        if state == "rejected" and reason is None:
            reason = hard_summary(found)
        return cls(
            source=source, report=report, findings=found, state=state, reason=reason, received_at=received_at
        )


@dataclass(frozen=True)
class SubmissionResult:
    sha256: str
    path: str
    outcome: Outcome
    submission_key: int | None
    agency_id: str | None = None
    year: int | None = None
    #: how the printed name was placed (exact, prefix, other_year, alias, unregistered, ambiguous)
    match_method: str | None = None
    #: this submission's facts are now the ones in the fact tables for its (agency, year)
    has_facts: bool = False


@dataclass
class LoadResult:
    run_id: str
    audit_key: int
    chunk_no: int
    submissions: list[SubmissionResult] = field(default_factory=list)
    superseded: int = 0
    provisional_agencies: int = 0
    facts_written: int = 0
    facts_deleted: int = 0
    findings_written: int = 0
    seconds: float = 0.0
    #: (agency, year) whose previous-year facts changed: cross-year rules need checking again
    recheck: list[tuple[str, int]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for s in self.submissions if s.outcome == outcome)

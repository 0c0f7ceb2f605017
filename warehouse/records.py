"""What the loader takes and gives back: plain records the flows build from parse + check results.

A `CheckedSubmission` is one submitted file after reading and checking: its source (path, sha256,
media type), the `Report` (None when it could not be read), its findings, and the state it ends
in — quarantined when unreadable, rejected when any finding is hard, loaded otherwise
(`CheckedSubmission.of` decides it so callers cannot disagree with the rule).

A load or reload gives back a `LoadResult` per chunk (one `SubmissionResult` per file); a dry
run of a reload gives a `ReloadPlan` (`warehouse.reload.plan_reload`) saying, per submission and
per (agency, year), what the reload would change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from form import placing_messages
from form.record import Finding, Report, Source
from form.values import Number

#: the state a stored submission is in (flows/records.py reports more: superseded, failed, …)
SubmissionState = Literal["loaded", "rejected", "quarantined", "review"]
#: what happened to a submission in a load: its state, or "unchanged" for bytes already stored
#: (in a reload: for a stored submission the reload left exactly as it was)
LoadOutcome = Literal["loaded", "rejected", "quarantined", "review", "unchanged"]
#: (agency_id, year)
Pair = tuple[str, int]


def decide_state(report: Report | None, findings: list[Finding]) -> SubmissionState:
    """quarantined (no report) · review (a scan with a cell OCR could not decide: nothing of it is
    loaded until a person has read it) · rejected (a hard finding) · loaded."""
    if report is None:
        return "quarantined"
    if report.needs_review:
        return "review"
    if any(f.severity == "hard" for f in findings):
        return "rejected"
    return "loaded"


def hard_summary(findings: list[Finding]) -> str | None:
    """The reason stored on a rejected submission: its failed hard rules, worded for the agency
    (`form.placing_messages.hard_summary`); None without a hard finding."""
    counts: dict[str, int] = {}
    for f in findings:
        if f.severity == "hard":
            counts[f.rule] = counts.get(f.rule, 0) + 1
    return placing_messages.hard_summary(counts) if counts else None


def review_reason(report: Report) -> str:
    """Why a scan is held for review: the cells OCR could not decide, worded for the agency
    (`form.placing_messages.review_summary`), as the quality report shows it."""
    return placing_messages.review_summary([n.cell for n in report.ocr if n.uncertain])


class CheckedSubmission(BaseModel):
    """One submitted file, read and checked, ready to load."""

    source: Source
    report: Report | None = None
    findings: list[Finding] = Field(default_factory=list)
    state: SubmissionState
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
        if state == "review" and reason is None and report is not None:
            reason = review_reason(report)
        return cls(
            source=source, report=report, findings=found, state=state, reason=reason, received_at=received_at
        )


@dataclass(frozen=True)
class SubmissionResult:
    sha256: str
    path: str
    outcome: LoadOutcome
    submission_key: int | None
    agency_id: str | None = None
    year: int | None = None
    #: how the printed name was placed (exact, prefix, other_year, alias, unregistered, ambiguous)
    match_method: str | None = None
    #: this submission's facts are now the ones in the fact tables for its (agency, year)
    has_facts: bool = False
    #: the state it is in after the chunk (also for "unchanged": the stored state)
    state: SubmissionState | None = None
    #: its bytes were already stored and this chunk re-loaded them (a reload)
    reloaded: bool = False
    #: the submission that supersedes it after the chunk (None: it is its (agency, year)'s latest)
    superseded_by: int | None = None
    #: a newer file for the same (agency, year) arrived in the same run (this chunk or an earlier
    #: one), so the caller reports this file as "superseded" rather than by its state. A flag, not
    #: a LoadOutcome value: `outcome` keeps the state the file was stored in (history).
    superseded_in_run: bool = False

    @property
    def reported(self) -> str:
        """What to tell the operator: "superseded" for a file replaced in the same run, else the outcome."""
        return "superseded" if self.superseded_in_run else self.outcome


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
    recheck: list[Pair] = field(default_factory=list)
    #: load (new files) or reload (stored files read again)
    mode: str = "load"
    #: (agency, year) where anything changed: a submission arrived or was revised, facts moved
    changed: list[Pair] = field(default_factory=list)
    #: submissions whose facts their (agency, year) needs but the warehouse no longer holds (a
    #: reload demoted the newer source): reload these too; until then the pair has no facts
    reread: list[int] = field(default_factory=list)
    #: submissions from EARLIER chunks of this run that a file of this chunk superseded (their
    #: SubmissionResult, already returned, said otherwise); see also queries.superseded_in_run
    superseded_earlier: list[int] = field(default_factory=list)
    #: rows the loader's `after_chunk` added in the chunk's transaction (the quality reports queued)
    queued: int = 0

    def count(self, outcome: LoadOutcome) -> int:
        return sum(1 for s in self.submissions if s.outcome == outcome)


# ---- reload plans (dry run) --------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    """One fact cell a reload changes: printed value before and after (None: blank)."""

    cell: str
    old: Number | None
    new: Number | None
    #: changed (value differs) · added (not held before) · removed (not held after)
    kind: Literal["changed", "added", "removed"] = "changed"


@dataclass(frozen=True)
class PairPlan:
    """How the fact tables change for one (agency, year)."""

    agency_id: str
    year: int
    #: the submission whose facts the pair holds before / after (None: no facts)
    source_before: int | None
    source_after: int | None
    #: cells whose printed value differs (added and removed cells count)
    cells_changed: int
    examples: tuple[CellChange, ...] = ()
    #: the pair's facts should come from this submission, which must be re-read (see LoadResult.reread)
    reread: int | None = None


@dataclass(frozen=True)
class SubmissionPlan:
    """What a reload would do to one submitted file."""

    sha256: str
    path: str
    #: None when its bytes are not stored yet (it would be loaded as new)
    submission_key: int | None
    state_before: SubmissionState | None
    state_after: SubmissionState
    agency_before: str | None
    agency_after: str | None
    year_before: int | None
    year_after: int | None
    has_facts_before: bool
    has_facts_after: bool
    superseded_by_before: int | None
    superseded_by_after: int | None
    #: dim_submission columns that would change (state, reason, agency_id, year, version, …)
    fields_changed: tuple[str, ...]
    #: fact cells changed in the pairs this submission is the fact source of, before or after
    facts_changed: int
    examples: tuple[CellChange, ...]
    #: rule → how many findings of it appear / disappear
    findings_added: dict[str, int]
    findings_removed: dict[str, int]

    @property
    def stored(self) -> bool:
        return self.submission_key is not None

    @property
    def changed(self) -> bool:
        """Anything about the stored submission would change (always True for a new file)."""
        return (
            not self.stored
            or bool(self.fields_changed or self.facts_changed or self.findings_added or self.findings_removed)
            or self.has_facts_before != self.has_facts_after
            or self.superseded_by_before != self.superseded_by_after
        )


@dataclass
class ReloadPlan:
    """A dry run of `Loader.reload_chunk` over the same submissions: nothing written."""

    submissions: list[SubmissionPlan] = field(default_factory=list)
    #: only the pairs whose facts change
    pairs: list[PairPlan] = field(default_factory=list)
    #: (agency, year) where anything would change
    changed: list[Pair] = field(default_factory=list)
    #: (agency, year + 1) to re-check because the facts of (agency, year) would change
    recheck: list[Pair] = field(default_factory=list)
    reread: list[int] = field(default_factory=list)

    def changed_submissions(self) -> list[SubmissionPlan]:
        return [s for s in self.submissions if s.changed]

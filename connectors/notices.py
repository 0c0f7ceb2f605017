"""Who is told what after a chunk is loaded: one quality report per placed file with findings to tell.

Policy, kept out of the flow task so it can be tested without Prefect or a database:

- only a file the load placed (loaded or rejected) is told: a quarantined file has no agency to
  write to, and bytes already stored ("unchanged") were told when they first arrived;
- only hard and soft findings are worth a mail; "not checkable" alone is not;
- only an agency with a contact e-mail can be written to;
- the notice's key (file sha256 and agency) lets the outbox queue it at most once, however often
  the same bytes arrive.

Plain protocols stand for the warehouse's records (`CheckedSubmission`, `SubmissionResult`):
connectors do not import the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from connectors.quality_report import quality_report
from form.record import Finding, Report, Source

#: What the load did with a file that makes it worth a notice.
TOLD_OUTCOMES = frozenset({"loaded", "rejected"})
#: Findings an agency is told about.
TOLD_SEVERITIES = frozenset({"hard", "soft"})


class CheckedFile(Protocol):
    """One file of the chunk, read and checked (warehouse.records.CheckedSubmission)."""

    @property
    def source(self) -> Source: ...

    @property
    def report(self) -> Report | None: ...

    @property
    def findings(self) -> Sequence[Finding]: ...


class PlacedFile(Protocol):
    """What the load did with one file (warehouse.records.SubmissionResult)."""

    @property
    def sha256(self) -> str: ...

    @property
    def outcome(self) -> str: ...

    @property
    def agency_id(self) -> str | None: ...


@dataclass(frozen=True)
class Notice:
    """One mail to queue: to whom, under which key, and what it says."""

    recipient: str
    key: str
    subject: str
    body: str


def notice_key(sha256: str, agency_id: str) -> str:
    """The outbox key of a file's notice to an agency: the same bytes are told once."""
    return f"{sha256[:32]}-{agency_id}"


def _to_tell(checked: Iterable[CheckedFile], placed: Iterable[PlacedFile]) -> list[tuple[CheckedFile, PlacedFile]]:
    """Each checked file with findings worth telling, paired with how the load placed it."""
    by_sha = {p.sha256: p for p in placed if p.outcome in TOLD_OUTCOMES and p.agency_id}
    out = []
    for item in checked:
        where = by_sha.get(item.source.sha256)
        if where is not None and any(f.severity in TOLD_SEVERITIES for f in item.findings):
            out.append((item, where))
    return out


def agencies_to_tell(checked: Iterable[CheckedFile], placed: Iterable[PlacedFile]) -> list[str]:
    """The agencies whose contact e-mail the chunk's notices need, sorted."""
    return sorted({where.agency_id for _, where in _to_tell(checked, placed) if where.agency_id})


def notices(
    checked: Iterable[CheckedFile], placed: Iterable[PlacedFile], emails: Mapping[str, str]
) -> list[Notice]:
    """The notices a chunk's load calls for, one per key, in the order of `checked`.

    `emails` maps agency id → contact e-mail; an agency without one is not written to.
    """
    out: dict[str, Notice] = {}
    for item, where in _to_tell(checked, placed):
        agency_id = where.agency_id
        if agency_id is None or agency_id not in emails:
            continue
        key = notice_key(item.source.sha256, agency_id)
        if key in out:
            continue
        subject, body = quality_report(
            item.report, item.findings, file_name=item.source.path.rsplit("/", 1)[-1], state=where.outcome
        )
        out[key] = Notice(emails[agency_id], key, subject, body)
    return list(out.values())

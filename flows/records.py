"""What the flows report back: one outcome per file and a summary per run (also the --json lines)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from connectors.sniff import media_type
from warehouse.archive import sha256_of

#: the issue's states, plus "failed" for a file whose chunk failed after its retries (a system
#: fault, not a defect of the file: it stays in the archive and a re-run picks it up)
FileState = Literal["loaded", "rejected", "quarantined", "review", "unchanged", "superseded", "failed"]


class FileSource(BaseModel):
    """Where a file came from: the `source` object of `parse`, `check` and `ingest --json`."""

    path: str
    sha256: str | None = None
    media_type: str | None = None

    @classmethod
    def of_path(cls, path: Path) -> FileSource:
        """A file's hash and kind from its bytes; what cannot be known (a missing file) stays None."""
        try:
            data = path.read_bytes()
        except OSError:
            return cls(path=str(path))
        return cls(path=str(path), sha256=sha256_of(data), media_type=media_type(data))


class FileOutcome(BaseModel):
    source: FileSource
    agency: str | None = None
    year: int | None = None
    state: FileState
    reason: str | None = None
    hard_findings: int = 0
    soft_findings: int = 0
    #: the warehouse's key of the submission (not part of the --json line)
    submission_key: int | None = None

    @classmethod
    def failed(cls, path: str, reason: str, received=None) -> FileOutcome:
        report = getattr(received, "report", None)
        source = getattr(received, "source", None)
        return cls(
            source=FileSource(
                path=path,
                sha256=getattr(source, "sha256", None) or None,
                media_type=getattr(source, "media_type", None),
            ),
            agency=report.agency if report else None,
            year=report.year if report else None,
            state="failed",
            reason=reason,
        )

    def json_line(self) -> dict:
        """The `xxgk ingest --json` shape."""
        return self.model_dump(mode="json", include={"source", "agency", "year", "state", "reason"})


class Batch:
    """A chunk's small records (inbox files, `Spooled` entries, backfill targets) handed to a task
    as one value. Prefect walks lists and dataclasses item by item on every call (about 45 ms
    for 500 entries, twice per task), and Dask takes Prefect's own marker `quote` apart (a named
    tuple); a plain object both pass on untouched. Iterates like the list it holds."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable) -> None:
        self.items = list(items)

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getstate__(self) -> list:
        return self.items

    def __setstate__(self, items: list) -> None:
        self.items = items


@dataclass(frozen=True)
class Spooled:
    """A file read by a task, as the flow sees it: where its reading waits in the run's spool,
    and the few fields the flow orders chunks by and reports failures with. The report itself
    stays in the spool (warehouse/spool.py), out of Prefect's parameters."""

    key: str
    path: str
    sha256: str | None
    media_type: str | None
    agency: str | None
    year: int | None
    received_at: datetime | None

    def failed(self, reason: str) -> FileOutcome:
        return FileOutcome(
            source=FileSource(path=self.path, sha256=self.sha256 or None, media_type=self.media_type),
            agency=self.agency,
            year=self.year,
            state="failed",
            reason=reason,
        )


class IngestSummary(BaseModel):
    run_id: str
    files: list[FileOutcome] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    #: submissions of later years checked again because their previous year changed
    rechecked: int = 0
    #: quality reports queued in the outbox for agencies (one per stored submission, once per content)
    mails_queued: int = 0
    #: mails the run sent, and those still due afterwards (for `xxgk notify` or the notify deployment)
    mails_sent: int = 0
    mails_waiting: int = 0

    @classmethod
    def of(
        cls,
        run_id: str,
        files: list[FileOutcome],
        rechecked: int = 0,
        mails_queued: int = 0,
        sent: dict[str, int] | None = None,
    ) -> IngestSummary:
        counts = Counter(f.state for f in files)
        return cls(
            run_id=run_id,
            files=files,
            counts=dict(sorted(counts.items())),
            rechecked=rechecked,
            mails_queued=mails_queued,
            mails_sent=(sent or {}).get("sent", 0),
            mails_waiting=(sent or {}).get("left", 0),
        )

    def worst_agencies(self, n: int = 10) -> list[tuple[str, int]]:
        """Agencies with the most hard findings in this run."""
        per: Counter[str] = Counter()
        for f in self.files:
            if f.hard_findings:
                per[f.agency or f.source.path] += f.hard_findings
        return per.most_common(n)


class BackfillChange(BaseModel):
    path: str
    agency: str | None = None
    year: int | None = None
    state_before: str | None = None
    state_after: str | None = None
    cells_changed: int = 0
    findings_added: list[str] = Field(default_factory=list)
    findings_removed: list[str] = Field(default_factory=list)


class BackfillSummary(BaseModel):
    run_id: str
    dry_run: bool
    targets: int = 0
    changed: list[BackfillChange] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    rechecked: int = 0
    failed: list[FileOutcome] = Field(default_factory=list)

"""What a quality report tells an agency about one submission: pure data, rendered elsewhere.

Built from what the warehouse stored (the submission, every finding on it, the GX rules' and the
loader's alike, and the previous-year reports carryover findings name), so a report can be built
again at any time and its content hash says whether anything an agency would read changed.

No server path reaches an agency: the file is named as submitted (its last path segment), and
any path inside a finding's message or a quarantine reason is cut to its file name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from form import mail as words
from form.catalogue import SECTIONS, TABLE_NUMERALS, all_cells, table_name
from form.record import Finding
from form.rules import PLACEMENT_RULES, RULES, RULES_BY_ID, SEVERITY_ORDER

Status = Literal["loaded", "rejected", "quarantined", "review"]
#: findings that hold a report for review rather than advise (listed apart, whatever their severity)
REVIEW_RULES = frozenset({"ocr.uncertain"})

#: a path or URL inside free text: scheme://…, C:\…, or /a/b… (at least one inner separator)
_PATH = re.compile(
    r"(?<![\w.])(?:[A-Za-z][\w+.-]*://|[A-Za-z]:[\\/]|/)[^\s，。；、（）()「」《》\"'<>]*[\\/][^\s，。；、（）()「」《》\"'<>]*"
)


def file_name_of(path: str) -> str:
    """The file as the agency named it: the last segment of a path or URL (query dropped)."""
    bare = path.split("?", 1)[0].split("#", 1)[0].rstrip("/\\")
    return re.split(r"[\\/]", bare)[-1] or bare


def scrub_paths(text: str, known: Iterable[str] = ()) -> str:
    """`text` with every server path (the known ones, then anything shaped like a path) cut to its file name."""
    for path in sorted({p for p in known if p}, key=len, reverse=True):
        text = text.replace(path, file_name_of(path))
    return _PATH.sub(lambda m: file_name_of(m.group(0)), text)


def _reason(sub: Submitted) -> str | None:
    """Why a file was not read (explained), or why a scan waits for review (the cells OCR could
    not decide); no reason for other states."""
    if not sub.reason or sub.state not in ("quarantined", "review"):
        return None
    scrubbed = scrub_paths(sub.reason, [sub.path])
    return explain_reason(scrubbed) if sub.state == "quarantined" else scrubbed


def explain_reason(reason: str | None) -> str | None:
    """A reader's technical reason, led by what it means for the agency (form.mail.UNREADABLE_EXPLAINED)."""
    if not reason:
        return None
    lowered = reason.lower()
    for keywords, advice in words.UNREADABLE_EXPLAINED:
        if any(k.lower() in lowered for k in keywords):
            return words.UNREADABLE_REASON.format(advice=advice, technical=reason)
    return reason


def shown_date(day: date | datetime | None) -> str:
    """A date as the agency reads it (2025年1月20日); `不详` when unknown."""
    if day is None:
        return words.UNKNOWN
    return words.DATE.format(year=day.year, month=day.month, day=day.day)


class FindingLine(BaseModel):
    """One finding as the agency reads it: where, what was printed and expected, which rule."""

    rule: str
    severity: str
    statement: str
    where: str
    printed: str | None = None
    expected: str | None = None
    message: str = ""
    #: carryover: the previous-year report the expected figure came from (file name, date received)
    previous: str | None = None


class QualityReport(BaseModel):
    """One quality report: the submission's facts, its findings by severity, what passed, how to resubmit."""

    kind: Literal["quality"] = "quality"
    submission_key: int | None = None
    agency_id: str | None = None
    agency: str
    year: int | None = None
    file_name: str
    received: date | None = None
    status: Status
    reason: str | None = None
    hard: list[FindingLine] = Field(default_factory=list)
    #: a scan's cells OCR could not decide (ocr.uncertain): why the report waits for a person
    review: list[FindingLine] = Field(default_factory=list)
    soft: list[FindingLine] = Field(default_factory=list)
    unchecked: list[FindingLine] = Field(default_factory=list)
    passed: list[str] = Field(default_factory=list)

    def content_hash(self) -> str:
        """sha256 of what the agency reads: the same report twice hashes the same, any change does not."""
        data = json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    @property
    def year_words(self) -> str:
        return words.REPORT_YEAR.format(year=self.year) if self.year else ""

    def subject(self) -> str:
        """The subject line (free of line breaks: `message` builds headers from it)."""
        if self.status == "quarantined":
            return words.SUBJECT_UNREADABLE.format(file_name=self.file_name)
        if self.status == "review":
            return words.SUBJECT_REVIEW.format(agency=self.agency, year=self.year_words, n=len(self.review))
        if self.hard:
            return words.SUBJECT_REJECTED.format(agency=self.agency, year=self.year_words, hard=len(self.hard))
        if self.soft:
            return words.SUBJECT_ACCEPTED.format(agency=self.agency, year=self.year_words, soft=len(self.soft))
        return words.SUBJECT_CLEAN.format(agency=self.agency, year=self.year_words)

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) of the submission, in the order every rendering shows them."""
        out = [
            (words.FIELD_AGENCY, self.agency),
            (words.FIELD_YEAR, str(self.year) if self.year else words.UNKNOWN),
            (words.FIELD_FILE, self.file_name),
            (words.FIELD_RECEIVED, shown_date(self.received)),
            (words.FIELD_STATUS, words.STATUS_WORDS[self.status]),
        ]
        if self.status in ("quarantined", "review"):
            label = words.FIELD_REVIEW_REASON if self.status == "review" else words.FIELD_REASON
            out.append((label, self.reason or words.UNKNOWN_REASON))
        return out

    def attachment_name(self) -> str:
        return words.ATTACHMENT_NAME.format(agency=self.agency, year=self.year or words.UNKNOWN)


@dataclass(frozen=True)
class Submitted:
    """A stored submission as the report needs it (warehouse.outbox reads it)."""

    submission_key: int | None
    path: str
    received_at: datetime | None
    state: Status
    reason: str | None = None
    agency_id: str | None = None
    #: the registry's name for the agency, else the printed one
    agency_name: str | None = None
    year: int | None = None
    findings: Sequence[Finding] = field(default_factory=tuple)


_SECTION_OF_TABLE = {table: numeral for table, numeral in TABLE_NUMERALS.items()}
_RULES_ORDER = {r.id: n for n, r in enumerate((*RULES, *PLACEMENT_RULES))}


def where(cells: Sequence[str]) -> str:
    """Section, table, row and column of a finding's first cell (the catalogue's labels), and how many more."""
    return _where(tuple(cells))


@lru_cache(maxsize=4096)
def _where(cells: tuple[str, ...]) -> str:
    """`where`, remembered: a province's findings name the same cells again and again."""
    known = [c for c in cells if c in all_cells()]
    if not known:
        return words.WHERE_REPORT
    spec = all_cells()[known[0]]
    text = words.WHERE_CELL.format(
        section=_SECTION_OF_TABLE.get(spec.table, SECTIONS[0][0]),
        table=table_name(spec.table),
        row=spec.row_label,
        column=spec.column_label,
    )
    return text + (words.WHERE_MORE.format(n=len(known)) if len(known) > 1 else "")


def _shown(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _previous(path: str | None, received: Mapping[str, datetime | None]) -> str | None:
    if not path:
        return None
    name = file_name_of(path)
    day = received.get(path)
    if day is None:
        return words.PREVIOUS_UNDATED.format(file_name=name)
    return words.PREVIOUS.format(file_name=name, received=shown_date(day))


def _line(f: Finding, received: Mapping[str, datetime | None], paths: Sequence[str]) -> FindingLine:
    rule = RULES_BY_ID.get(f.rule)
    known = [*paths, *([f.previous] if f.previous else [])]
    return FindingLine(
        rule=f.rule,
        severity=f.severity,
        statement=rule.statement_zh if rule else f.rule,
        where=where(f.cells),
        printed=scrub_paths(p, known) if (p := _shown(f.printed)) else None,
        expected=scrub_paths(e, known) if (e := _shown(f.expected)) else None,
        message=scrub_paths(f.message, known),
        previous=_previous(f.previous, received),
    )


def build_report(sub: Submitted, previous_received: Mapping[str, datetime | None] | None = None) -> QualityReport:
    """The quality report of one stored submission; `previous_received` maps a previous-year
    report's stored path to the date it was received (for carryover findings)."""
    received = previous_received or {}
    ordered = sorted(
        sub.findings,
        key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), _RULES_ORDER.get(f.rule, 99), list(f.cells)),
    )
    lines = [_line(f, received, [sub.path]) for f in ordered]
    failed = {f.rule for f in sub.findings}
    # a held scan's checks ran on values OCR read (some repaired by those very checks): none is
    # called passed before people confirm the cells
    passed = [] if sub.state in ("quarantined", "review") else [r.statement_zh for r in RULES if r.id not in failed]
    return QualityReport(
        submission_key=sub.submission_key,
        agency_id=sub.agency_id,
        agency=sub.agency_name or words.UNNAMED_AGENCY,
        year=sub.year,
        file_name=file_name_of(sub.path),
        received=sub.received_at.date() if sub.received_at else None,
        status=sub.state,
        reason=_reason(sub),
        hard=[x for x in lines if x.severity == "hard" and x.rule not in REVIEW_RULES],
        review=[x for x in lines if x.rule in REVIEW_RULES],
        soft=[x for x in lines if x.severity == "soft" and x.rule not in REVIEW_RULES],
        unchecked=[x for x in lines if x.severity == "not_checkable"],
        passed=passed,
    )

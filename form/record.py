"""The `Report` record: what a reader makes of one submitted file, in the cell vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from form.catalogue import Version
from form.rules import FindingSeverity
from form.values import Number


class Source(BaseModel):
    path: str
    sha256: str
    media_type: str

    @property
    def text_path(self) -> str:
        """The path as text any database, data frame or mail can hold: a name that is not UTF-8
        reaches Python with its bad bytes as lone surrogates, kept here as `\\xff` (the `path`
        itself stays as the file system gave it)."""
        return utf8_path(self.path)


def utf8_path(path: str) -> str:
    """`path` with the lone surrogates of a non-UTF-8 name written as `\\xff` escapes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


class Problem(BaseModel):
    """A defect found while reading: a cell (or table) and the raw text behind it."""

    cell: str | None = None
    raw: str | None = None
    reason: str


#: Where a report's year was read: its title; the statistics period (统计期限自…年1月1日); the
#: year before its publication date (form.deadlines.year_published_for); the year its opening
#: text names most. Anything but the title is a soft finding (year.in_title).
YearSource = Literal["title", "period", "published", "text"]


class OcrNote(BaseModel):
    """A cell of a scanned report the OCR repair changed (`value` used) or could not decide
    (`uncertain`: the value read is kept, and the report is held for review)."""

    cell: str
    text: str
    conf: float
    value: Number | None = None
    uncertain: bool = False
    #: decided with last year's carryover (the previous report's carried-out figures), not the page alone
    carryover: bool = False
    #: uncertain because the page's layout is (a row not found, a value left over), not its arithmetic:
    #: the values may stand in the wrong cells however well the identities hold
    layout: bool = False


class Report(BaseModel):
    source: Source
    agency: str | None = None
    year: int | None = None
    year_source: YearSource | None = None
    version: Version | None = None
    published: date | None = None
    cells: dict[str, Number | None] = Field(default_factory=dict)
    problems: list[Problem] = Field(default_factory=list)
    narrative: dict[str, str] = Field(default_factory=dict)
    #: for a scanned report: the cells OCR repaired or left uncertain (empty for text reports)
    ocr: list[OcrNote] = Field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        """A scan with a cell OCR could not decide: held for review, never loaded with a guess."""
        return any(n.uncertain for n in self.ocr)

    def as_json_dict(self) -> dict:
        """The `xxgk parse --json` shape."""
        return self.model_dump(mode="json")


class Finding(BaseModel):
    """One failed (or uncheckable) rule on one report, naming the cells an agency must look at."""

    rule: str
    severity: FindingSeverity
    cells: list[str] = Field(default_factory=list)
    printed: Number | str | None = None
    expected: Number | str | None = None
    message: str = ""
    #: for cross-year rules: which report supplied last year's figure (path or agency/year)
    previous: str | None = None


PairingStatus = Literal["paired", "missing", "ambiguous", "unknown"]


@dataclass(frozen=True)
class Previous:
    """The previous-year report for one report, or why there is none (cross-year rules read it).

    Made by `expectations.pairing` from the reports at hand and by `warehouse.previous_year` from
    the warehouse, both through `form.agency_matching`.
    """

    status: PairingStatus
    report: Report | None = None
    #: when ambiguous: the candidates (report paths from a pool, agency ids from the registry)
    candidates: tuple[str, ...] = field(default_factory=tuple)

    @property
    def source(self) -> str | None:
        return self.report.source.path if self.report is not None else None


NO_PREVIOUS = Previous("missing")

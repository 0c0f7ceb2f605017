"""Checking reports against every rule, the one entry point: frame → one GX run → findings, per chunk.

`xxgk check` and the ingest flow both call `check_reports`; they differ only in where last
year's reports come from (files given on the command line, or the warehouse) and in the GX
context they pass (Data Docs on disk, or one shared in-memory context per process).
"""

from __future__ import annotations

from collections.abc import Sequence

from expectations.findings import map_findings
from expectations.frame import build_frame
from expectations.ocr_findings import ocr_findings
from expectations.validate import Validator
from form.record import Finding, Previous, Report

#: Reports per GX run when the caller does not say: large chunks amortise GX's fixed costs.
DEFAULT_CHUNK = 5000


def check_reports(
    reports: Sequence[Report],
    previous: Sequence[Previous] | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    validator: Validator | None = None,
) -> list[list[Finding]]:
    """Findings for each report (same order), one frame and one GX run per chunk.

    `previous[i]` pairs `reports[i]` with its agency's previous-year report (or says why there
    is none); without it every cross-year rule is "not checkable".
    """
    validator = validator or Validator()
    out: list[list[Finding]] = []
    for start in range(0, len(reports), max(1, chunk_size)):
        chunk = list(reports[start : start + chunk_size])
        chunk_prev = list(previous[start : start + chunk_size]) if previous is not None else None
        frame = build_frame(chunk, chunk_prev)
        found = map_findings(chunk, frame, validator.validate(frame))
        # a scan's repaired and undecided cells (empty for every other report)
        out.extend(f + ocr_findings(r) if r.ocr else f for r, f in zip(chunk, found, strict=True))
    return out

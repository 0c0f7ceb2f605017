"""The registry CSV: its rows, every problem that makes a file unusable, and warnings.

Registry CSV (UTF-8, header row, the columns of `form.registry_format`):

    agency_id     stable id, kept across renames (synth: region code, `<region>-Dnn`, `<region>-Tnnn`)
    name          the agency's name during this period
    level         province | city | county | township | department
    region_code   6-digit 行政区划 code (a township or department carries its government's)
    parent_id     the government it belongs to ('' for the province)
    email         where its quality reports go
    valid_from    first report year of this period ('' on a single row: since ever, or "as of" a reload)
    valid_to      last report year ('' while current; set when a merge or rename closed it)
    successor_id  on the period a merge closed: the agency that absorbed it
    consolidated  optional: 1 on a government whose report is its whole region's (本级/全市 汇总),
                  compared by the aggregation with its members' reports ('' or absent: no)

One row per agency and name period: a rename starts a row, a merge ends the last one. Agency ids
starting `PROVISIONAL_PREFIX` are reserved for the provisional agencies unmatched names load under.
Reading is pure; `warehouse.agency_versions` turns the rows into dim_agency versions.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from form.registry_format import (
    CONSOLIDATED_YES,
    CONSOLIDATING_PREFIX,
    LEVELS,
    REGISTRY_COLUMNS,
    REQUIRED_COLUMNS,
    email_problem,
)
from warehouse.schema import SINCE_EVER

PROVISIONAL_PREFIX = "unreg-"


class RegistryError(ValueError):
    """A registry file (or map request) the warehouse refuses, with every problem listed."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems[:20]) + (" …" if len(self.problems) > 20 else ""))



@dataclass(frozen=True)
class RegistryRow:
    """One row of the file: an agency during one name period (module doc)."""

    agency_id: str
    name: str
    level: str
    region_code: str
    parent_id: str | None = None
    email: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    successor_id: str | None = None
    #: the agency's report is its region's consolidated one (an agency-wide mark, not per period)
    consolidated: bool = False
    line: int = field(default=0, compare=False)


def _year(text: str, column: str, line: int, problems: list[str]) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        problems.append(f"line {line}: {column} {text!r} is not a year")
        return None


def parse_registry(text: str) -> tuple[list[RegistryRow], list[str]]:
    """Rows of a registry CSV and warnings; RegistryError listing every problem when it is unusable."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegistryError(
            [f"missing column(s) {', '.join(missing)}; expected {','.join(REGISTRY_COLUMNS)}"]
        )
    problems: list[str] = []
    rows: list[RegistryRow] = []
    blank = {n for n, content in enumerate(text.split("\n"), start=1) if not content.strip()}
    last = reader.line_num
    for raw in reader:
        # the record's first line in the file: a quoted field may hold line breaks, and the csv
        # module skips blank lines, so rows are not lines
        line, last = last + 1, reader.line_num
        while line < last and line in blank:
            line += 1
        cell = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cell.values()):
            continue
        email = cell.get("email", "")  # as stored: without the spaces around it
        if email and (why := email_problem(email)):
            problems.append(f"line {line}: email {email!r} {why}")
        for column in REQUIRED_COLUMNS:
            if not cell.get(column):
                problems.append(f"line {line}: {column} is empty")
        if cell.get("level") and cell["level"] not in LEVELS:
            problems.append(f"line {line}: level {cell['level']!r} is not one of {', '.join(LEVELS)}")
        region = cell.get("region_code", "")
        if region and not (len(region) == 6 and region.isdigit()):
            problems.append(f"line {line}: region_code {region!r} is not 6 digits")
        if cell.get("agency_id", "").startswith(PROVISIONAL_PREFIX):
            problems.append(
                f"line {line}: agency ids starting {PROVISIONAL_PREFIX!r} are reserved for provisional agencies"
            )
        start = _year(cell.get("valid_from", ""), "valid_from", line, problems)
        end = _year(cell.get("valid_to", ""), "valid_to", line, problems)
        consolidated = cell.get("consolidated", "").lower() in CONSOLIDATED_YES
        if consolidated and cell.get("level") not in CONSOLIDATING_PREFIX:
            problems.append(
                f"line {line}: only a {', '.join(CONSOLIDATING_PREFIX)} government's report can be consolidated"
            )
        if start is not None and end is not None and end < start:
            problems.append(f"line {line}: valid_to {end} is before valid_from {start}")
        rows.append(
            RegistryRow(
                agency_id=cell.get("agency_id", ""),
                name=cell.get("name", ""),
                level=cell.get("level", ""),
                region_code=region,
                parent_id=cell.get("parent_id") or None,
                email=cell.get("email") or None,
                valid_from=start,
                valid_to=end,
                successor_id=cell.get("successor_id") or None,
                consolidated=consolidated,
                line=line,
            )
        )
    problems += _period_problems(rows)
    if problems:
        raise RegistryError(problems)
    return rows, reference_warnings(rows)


def _period_problems(rows: list[RegistryRow]) -> list[str]:
    """Periods of one agency that are undated twice or overlap."""
    problems = []
    for agency, periods in rows_by_agency(rows).items():
        undated = [r for r in periods if r.valid_from is None]
        if len(undated) > 1:
            problems.append(
                f"agency {agency}: {len(undated)} rows without valid_from (only the first period may omit it)"
            )
            continue
        ordered = sorted(periods, key=lambda r: r.valid_from if r.valid_from is not None else SINCE_EVER)
        for before, after in zip(ordered, ordered[1:], strict=False):
            start = after.valid_from if after.valid_from is not None else SINCE_EVER
            if before.valid_to is None or before.valid_to >= start:
                problems.append(
                    f"agency {agency}: the period from line {before.line} does not end before line {after.line} starts"
                )
    return problems


def reference_warnings(rows: Sequence[RegistryRow]) -> list[str]:
    """Parents and successors the file does not hold, and successors of periods that never end."""
    known = {r.agency_id for r in rows}
    warnings = []
    for r in rows:
        if r.parent_id and r.parent_id not in known:
            warnings.append(f"line {r.line}: parent {r.parent_id} of {r.agency_id} is not in the file")
        if r.successor_id and r.successor_id not in known:
            warnings.append(f"line {r.line}: successor {r.successor_id} of {r.agency_id} is not in the file")
        if r.successor_id and r.valid_to is None:
            warnings.append(f"line {r.line}: {r.agency_id} names a successor but its period has no valid_to")
    return warnings


def read_registry(path: str | Path) -> tuple[list[RegistryRow], list[str]]:
    """A registry file (UTF-8, a BOM tolerated: spreadsheets write one)."""
    return parse_registry(Path(path).read_text(encoding="utf-8-sig"))


def rows_by_agency(rows: Iterable[RegistryRow]) -> dict[str, list[RegistryRow]]:
    """Each agency's rows (its name periods), in file order."""
    out: dict[str, list[RegistryRow]] = defaultdict(list)
    for r in rows:
        out[r.agency_id].append(r)
    return out


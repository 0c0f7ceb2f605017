"""Writing a chunk's placed submissions: their dim_submission rows, findings and the dimensions they need.

Both the loader (new files) and the reload (stored files read again, plus any new ones among
them) write through these, inside the chunk's transaction. Facts are not written here: which
submission's facts a pair holds is settled afterwards (warehouse/settling.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from form.record import Finding
from warehouse.clock import now
from warehouse.dimensions import unlisted_rule_row, year_row
from warehouse.placing import Placed
from warehouse.registry_matcher import provisional_rows
from warehouse.schema import Agency, DimAgency, DimRule, DimSubmission, DimYear, FactFinding
from warehouse.sql import chunks, upsert


def stored_keys(conn: Connection, hashes: Sequence[str]) -> dict[str, int]:
    """The submission key of each hash already stored."""
    s = DimSubmission.__table__
    wanted = list(dict.fromkeys(hashes))
    out: dict[str, int] = {}
    for part in chunks(wanted):
        out.update(conn.execute(select(s.c.sha256, s.c.submission_key).where(s.c.sha256.in_(part))).all())
    return out


def ensure_dimensions(conn: Connection, placed: Sequence[Placed], provisional: dict[str, str]) -> int:
    """Provisional agencies, years and unlisted rules the placed submissions need; returns agencies created."""
    created = insert_provisional(conn, provisional)
    years = sorted({p.year for p in placed if p.agency_id is not None and p.year is not None})
    upsert(conn, DimYear.__table__, [year_row(y) for y in years], ["year"], update=[])
    rules = set(conn.execute(select(DimRule.__table__.c.rule_id)).scalars())
    unknown: dict[str, str] = {}
    for p in placed:
        for f in p.findings:
            if f.rule not in rules:
                unknown.setdefault(f.rule, f.severity)
    upsert(
        conn,
        DimRule.__table__,
        [unlisted_rule_row(r, sev) for r, sev in unknown.items()],
        ["rule_id"],
        update=[],
    )
    return created


def insert_provisional(conn: Connection, provisional: dict[str, str]) -> int:
    """Provisional agencies (id → printed name) not in the warehouse yet; returns how many were created."""
    if not provisional:
        return 0
    a = Agency.__table__
    known: set[str] = set()
    ids = sorted(provisional)
    for part in chunks(ids):
        known.update(conn.execute(select(a.c.agency_id).where(a.c.agency_id.in_(part))).scalars())
    created_at = now()
    rows = [provisional_rows(i, provisional[i], created_at) for i in ids if i not in known]
    # do-nothing upserts: a concurrent load may have created the same provisional agency
    upsert(conn, a, [r[0] for r in rows], ["agency_id"], update=[])
    upsert(conn, DimAgency.__table__, [r[1] for r in rows], ["agency_id", "valid_from"], update=[])
    return len(rows)


def insert_submissions(conn: Connection, fresh: Sequence[Placed], audit_key: int) -> None:
    """dim_submission rows for new files (not yet superseding anything); sets each one's key."""
    if not fresh:
        return
    s = DimSubmission.__table__
    rows = [
        {
            "sha256": p.item.source.sha256,
            "path": p.item.source.text_path,  # a non-UTF-8 name fails no insert
            "received_at": p.received_at,
            **p.values(),
            "superseded_by": None,
            "superseded_at": None,
            "has_facts": False,
            "audit_key": audit_key,
        }
        for p in fresh
    ]
    conn.execute(insert(s), rows)
    keys = stored_keys(conn, [p.item.source.sha256 for p in fresh])
    for p in fresh:
        p.key = keys[p.item.source.sha256]
        for table_rows in p.facts or ():
            for row in table_rows:
                row["submission_key"] = p.key


def finding_rows(submission_key: int, findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """fact_finding rows of one submission: one per finding and named cell ('' when it names none)."""
    rows = []
    for n, f in enumerate(findings):
        for cell in dict.fromkeys(f.cells or [""]):
            rows.append(
                {
                    "submission_key": submission_key,
                    "finding_no": n,
                    "cell": cell,
                    "rule_id": f.rule,
                    "severity": f.severity,
                    "printed": None if f.printed is None else str(f.printed),
                    "expected": None if f.expected is None else str(f.expected),
                    "message": f.message,
                    "previous": f.previous,
                }
            )
    return rows


def finding_rows_of(placed: Sequence[Placed]) -> list[dict[str, Any]]:
    """fact_finding rows of every placed submission (each must have its key)."""
    return [row for p in placed for row in finding_rows(p.skey, p.findings)]


def insert_findings(conn: Connection, placed: Sequence[Placed]) -> int:
    """Store the findings of placed submissions (each with its key); returns rows written."""
    rows = finding_rows_of(placed)
    if rows:
        conn.execute(insert(FactFinding.__table__), rows)
    return len(rows)


def delete_findings(conn: Connection, keys: Sequence[int]) -> None:
    """Remove every stored finding of these submissions (a reload about to store new ones)."""
    f = FactFinding.__table__
    for part in chunks(sorted(keys)):
        conn.execute(delete(f).where(f.c.submission_key.in_(part)))

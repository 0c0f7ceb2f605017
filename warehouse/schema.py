"""The star schema as SQLAlchemy 2 models; Alembic migrations are the only way it reaches a database.

Grains (DESIGN.md): fact_application is agency × year × table-3 row × applicant type, fact_disclosure
agency × year × table-2 item × measure, fact_review_litigation agency × year × proceeding × result,
fact_finding submission × finding × cell. Facts hold the PRINTED value (a blank cell stays NULL)
and the submission it came from, so every number leads back to its file.

Agencies have a durable key (`agency.agency_id`, the registry's stable id, or `unreg-…` for a
provisional agency) that facts and submissions carry, and type-2 versions in `dim_agency`
(valid_from/valid_to in report years). Facts join the version valid in their year, so a registry
reload that splits or corrects a period never has to rewrite a fact. Fixed dimensions use the
catalogue's own ids as keys (`granted`, `natural`, `t3.row_total`), so a key never shifts when
the catalogue grows.

The three bulk fact tables carry no foreign keys and no index beyond their grain key. Their
agency, year, dimension and submission keys are guaranteed by the loader instead — it writes only
catalogue cells, syncs the fixed dimensions, and inserts the agency, year and submission rows in
the same transaction — and `warehouse.queries.orphan_facts` checks it (tested on both databases):
PostgreSQL's per-row referential triggers cost more than the insert itself (4,000 reports,
810,000 facts: 29 s with a foreign key and index on submission_key, 16 s without). A
submission's facts are found by its (agency, year) through the primary key.

Migration 0003 adds `submission_revision` (what a backfill reload changed, so rewriting a
submission in place keeps its history) and the aggregation tables `agg_*` (derived, replaced per
year by `warehouse.aggregation`, no foreign keys), and `load_audit.mode`. Migration 0004 adds
`agency.consolidated` (the registry's mark of a region's consolidated report) and `agg_finding`
(consolidated reports that differ from their members).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from form.values import AMOUNT_PRECISION

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
LABEL = String(200)
#: region code of the 'unassigned' region that provisional agencies belong to
UNASSIGNED_REGION = "000000"
#: valid_from of a version whose start the registry does not give ("since ever")
SINCE_EVER = 1900


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# ---- dimensions --------------------------------------------------------------------------------


class DimRegion(Base):
    """行政区划: a 6-digit code, its name and parent; `000000` is 'unassigned'."""

    __tablename__ = "dim_region"
    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(LABEL)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(6))


class Agency(Base):
    """The durable agency key that facts carry; its versions are in dim_agency."""

    __tablename__ = "agency"
    agency_id: Mapped[str] = mapped_column(ID, primary_key=True)
    is_registered: Mapped[bool] = mapped_column(Boolean)
    #: a provisional agency an operator mapped to a registered one (its facts moved there)
    mapped_to_id: Mapped[str | None] = mapped_column(ForeignKey("agency.agency_id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: the registry marks its report as its region's consolidated one (migration 0004)
    consolidated: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)


class DimAgency(Base):
    """One version of an agency (type 2): the name and place it had from valid_from to valid_to."""

    __tablename__ = "dim_agency"
    agency_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agency.agency_id"))
    valid_from: Mapped[int] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer)
    #: the latest version of the agency (it may still be closed by a merge: see valid_to)
    is_current: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(LABEL)
    name_key: Mapped[str] = mapped_column(LABEL)
    level: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("dim_region.region_code"))
    parent_id: Mapped[str | None] = mapped_column(ID)
    email: Mapped[str | None] = mapped_column(String(320))
    #: the agency that absorbed this one (a merge), on the version the merge closed
    successor_id: Mapped[str | None] = mapped_column(ID)
    is_registered: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        UniqueConstraint("agency_id", "valid_from"),
        Index("ix_dim_agency_name_key", "name_key"),
        Index(
            "uq_dim_agency_current",
            "agency_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )


class AgencyAlias(Base):
    """A printed name an operator tied to an agency (`xxgk registry map`); wins over every other match."""

    __tablename__ = "agency_alias"
    alias_key: Mapped[str] = mapped_column(LABEL, primary_key=True)
    alias: Mapped[str] = mapped_column(LABEL)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agency.agency_id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DimYear(Base):
    __tablename__ = "dim_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: the template version a report on this year should print (None before 2019)
    format_version: Mapped[str | None] = mapped_column(String(8))


class DimApplicantType(Base):
    __tablename__ = "dim_applicant_type"
    applicant_type_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(LABEL)
    group_label: Mapped[str | None] = mapped_column(LABEL)
    #: 总计 (total) or 小计 (entities): sums of other columns, not applicants
    is_sum: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)


class DimOutcome(Base):
    """A table-3 row: intake, a handling result (with its group), the total or the carry-out."""

    __tablename__ = "dim_outcome"
    outcome_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(LABEL)
    group_label: Mapped[str | None] = mapped_column(LABEL)
    #: intake (new, carried_in) · result · result_total (processed_total) · carried_out
    stage: Mapped[str] = mapped_column(String(16))
    #: granted · partial · denied · unable · rejected · other (results only)
    result_group: Mapped[str | None] = mapped_column(String(16))
    #: other_all: the single （六） row that stands for the three other_* items
    is_rollup: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)


class DimDisclosureItem(Base):
    """A table-2 cell: item (row) × measure (column), with the versions that print it."""

    __tablename__ = "dim_disclosure_item"
    item_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    cell_id: Mapped[str] = mapped_column(ID, unique=True)
    item_label: Mapped[str] = mapped_column(LABEL)
    measure_label: Mapped[str] = mapped_column(LABEL)
    kind: Mapped[str] = mapped_column(String(16))
    in_2019: Mapped[bool] = mapped_column(Boolean)
    in_2021: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)


class DimProceeding(Base):
    __tablename__ = "dim_proceeding"
    proceeding_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(LABEL)
    #: review (行政复议) or litigation (行政诉讼)
    kind: Mapped[str] = mapped_column(String(16))
    sort_order: Mapped[int] = mapped_column(Integer)


class DimResult(Base):
    __tablename__ = "dim_result"
    result_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(LABEL)
    is_sum: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)


class DimRule(Base):
    __tablename__ = "dim_rule"
    rule_id: Mapped[str] = mapped_column(ID, primary_key=True)
    severity: Mapped[str] = mapped_column(String(16))
    statement_zh: Mapped[str] = mapped_column(Text)
    statement_en: Mapped[str] = mapped_column(Text)
    #: form (FORMAT.md) · warehouse (registry matching) · unlisted (seen in a finding only)
    source: Mapped[str] = mapped_column(String(16))


class DimCell(Base):
    """Every cell id either version can carry, with its printed labels (findings name cells)."""

    __tablename__ = "dim_cell"
    cell_id: Mapped[str] = mapped_column(ID, primary_key=True)
    table_no: Mapped[int] = mapped_column(Integer)
    row_id: Mapped[str] = mapped_column(String(32))
    column_id: Mapped[str] = mapped_column(String(32))
    row_label: Mapped[str] = mapped_column(LABEL)
    column_label: Mapped[str] = mapped_column(LABEL)
    kind: Mapped[str] = mapped_column(String(16))


# ---- loads and submissions ---------------------------------------------------------------------


class LoadAudit(Base):
    """One row per loaded chunk (one transaction): who ran it, what it did, how long it took."""

    __tablename__ = "load_audit"
    audit_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ID)
    chunk_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    seconds: Mapped[float | None] = mapped_column(Float)
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    loaded: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    #: scans held for review (an OCR cell no identity could decide); migration 0008
    review: Mapped[int] = mapped_column(Integer, server_default="0")
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    superseded: Mapped[int] = mapped_column(Integer, default=0)
    provisional_agencies: Mapped[int] = mapped_column(Integer, default=0)
    facts_written: Mapped[int] = mapped_column(Integer, default=0)
    facts_deleted: Mapped[int] = mapped_column(Integer, default=0)
    findings_written: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    #: load (new files) or reload (stored files read again by a backfill); migration 0003
    mode: Mapped[str] = mapped_column(String(16), server_default="load")


class DimSubmission(Base):
    """Every submitted file, once (by sha256), with the state it ended in and what superseded it."""

    __tablename__ = "dim_submission"
    submission_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    published: Mapped[date | None] = mapped_column(Date)
    printed_agency: Mapped[str | None] = mapped_column(Text)
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.agency_id"))
    year: Mapped[int | None] = mapped_column(ForeignKey("dim_year.year"))
    version: Mapped[str | None] = mapped_column(String(8))
    #: loaded · rejected · quarantined · review
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    #: exact · prefix · other_year · alias · unregistered · ambiguous · mapped (None: not placed)
    match_method: Mapped[str | None] = mapped_column(String(16))
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("dim_submission.submission_key"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: the facts of (agency, year) in the fact tables are this submission's
    has_facts: Mapped[bool] = mapped_column(Boolean)
    audit_key: Mapped[int] = mapped_column(ForeignKey("load_audit.audit_key"))

    __table_args__ = (Index("ix_dim_submission_agency_year", "agency_id", "year"),)


# ---- facts -------------------------------------------------------------------------------------


class FactApplication(Base):
    __tablename__ = "fact_application"
    agency_id: Mapped[str] = mapped_column(ID, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    outcome_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    applicant_type_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int | None] = mapped_column(BigInteger)
    #: the file these figures were printed in (dim_submission.submission_key)
    submission_key: Mapped[int] = mapped_column(Integer)


class FactDisclosure(Base):
    __tablename__ = "fact_disclosure"
    agency_id: Mapped[str] = mapped_column(ID, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    item_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: counts, 万元 amounts (decimals) and signed changes, as printed
    value: Mapped[float | None] = mapped_column(Numeric(*AMOUNT_PRECISION, asdecimal=False))
    #: the file these figures were printed in (dim_submission.submission_key)
    submission_key: Mapped[int] = mapped_column(Integer)


class FactReviewLitigation(Base):
    __tablename__ = "fact_review_litigation"
    agency_id: Mapped[str] = mapped_column(ID, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    proceeding_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    result_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int | None] = mapped_column(BigInteger)
    #: the file these figures were printed in (dim_submission.submission_key)
    submission_key: Mapped[int] = mapped_column(Integer)


class FactFinding(Base):
    """One cell of one finding; a finding naming no cell has cell ''. finding_no regroups a finding."""

    __tablename__ = "fact_finding"
    submission_key: Mapped[int] = mapped_column(ForeignKey("dim_submission.submission_key"), primary_key=True)
    finding_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cell: Mapped[str] = mapped_column(ID, primary_key=True)
    rule_id: Mapped[str] = mapped_column(ForeignKey("dim_rule.rule_id"), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    printed: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    previous: Mapped[str | None] = mapped_column(Text)


class SubmissionRevision(Base):
    """One reload that changed a stored submission: what it was before, what it became (history).

    A backfill re-reads an archived file and rewrites its dim_submission row, findings and facts in
    place (keys stay stable); this row keeps what the row said before and how much changed.
    """

    __tablename__ = "submission_revision"
    revision_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_key: Mapped[int] = mapped_column(ForeignKey("dim_submission.submission_key"), index=True)
    audit_key: Mapped[int] = mapped_column(ForeignKey("load_audit.audit_key"))
    revised_at: Mapped[datetime] = mapped_column(DateTime)
    state_before: Mapped[str] = mapped_column(String(16))
    state_after: Mapped[str] = mapped_column(String(16))
    agency_before: Mapped[str | None] = mapped_column(ID)
    agency_after: Mapped[str | None] = mapped_column(ID)
    year_before: Mapped[int | None] = mapped_column(Integer)
    year_after: Mapped[int | None] = mapped_column(Integer)
    reason_before: Mapped[str | None] = mapped_column(Text)
    #: fact cells whose printed value changed in the pairs this submission holds (or held) facts for
    facts_changed: Mapped[int] = mapped_column(Integer)
    findings_added: Mapped[int] = mapped_column(Integer)
    findings_removed: Mapped[int] = mapped_column(Integer)


# ---- provincial aggregation (migration 0003) -----------------------------------------------------


class AggRun(Base):
    """The latest aggregation of a year: when, by which run, and how much it counted."""

    __tablename__ = "agg_run"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    run_id: Mapped[str | None] = mapped_column(ID)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    #: the province the 'province' scope is named by (000000 when the registry names none or several)
    province_code: Mapped[str] = mapped_column(String(6))
    agencies: Mapped[int] = mapped_column(Integer)
    reports: Mapped[int] = mapped_column(Integer)
    cells: Mapped[int] = mapped_column(Integer)


class AggCell(Base):
    """A 汇总 cell: one cell summed over a scope's loaded reports of a year (blank counts as 0)."""

    __tablename__ = "agg_cell"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: province · city · county · level · unassigned
    scope_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: a region code, or an agency level for scope 'level'
    scope_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    cell_id: Mapped[str] = mapped_column(ID, primary_key=True)
    value: Mapped[float] = mapped_column(Numeric(*AMOUNT_PRECISION, asdecimal=False))
    #: reports that carry the cell (printed or blank)
    reports: Mapped[int] = mapped_column(Integer)
    #: of those, reports that left it blank
    blanks: Mapped[int] = mapped_column(Integer)


class AggStatus(Base):
    """Completeness, lateness and pass rate of a scope in a year (counted from agg_agency)."""

    __tablename__ = "agg_status"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    scope_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope_name: Mapped[str | None] = mapped_column(LABEL)
    #: registered agencies whose registry period covers the year
    expected: Mapped[int] = mapped_column(Integer)
    #: agencies with at least one placed submission for the year (expected or not)
    submitted: Mapped[int] = mapped_column(Integer)
    #: expected agencies that submitted (completeness = this / expected)
    expected_submitted: Mapped[int] = mapped_column(Integer)
    #: submitted agencies whose latest submission loaded / was rejected
    loaded: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    #: expected agencies without any placed submission
    missing: Mapped[int] = mapped_column(Integer)
    #: submitted agencies the registry does not expect that year (provisional, outside their period)
    unexpected: Mapped[int] = mapped_column(Integer)
    #: submitted agencies published after their deadline / on time / with no date or deadline known
    late: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    undated: Mapped[int] = mapped_column(Integer)
    #: unreadable or unplaceable files awaiting a fix (any year: their year is unknown); province only
    quarantined: Mapped[int] = mapped_column(Integer)
    #: submitted agencies whose latest submission is a scan held for review; migration 0008
    review: Mapped[int] = mapped_column(Integer, server_default="0")
    completeness: Mapped[float | None] = mapped_column(Float)
    pass_rate: Mapped[float | None] = mapped_column(Float)


class AggAgency(Base):
    """Each expected or submitting agency of a year: its status, lateness and findings (agg_status's grain)."""

    __tablename__ = "agg_agency"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    agency_id: Mapped[str] = mapped_column(ID, primary_key=True)
    agency_name: Mapped[str | None] = mapped_column(LABEL)
    level: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(String(6))
    expected: Mapped[bool] = mapped_column(Boolean)
    #: loaded · rejected (state of the latest submission) · missing
    status: Mapped[str] = mapped_column(String(16))
    submissions: Mapped[int] = mapped_column(Integer)
    latest_submission_key: Mapped[int | None] = mapped_column(Integer)
    facts_submission_key: Mapped[int | None] = mapped_column(Integer)
    #: earliest publication date printed on the agency's submissions for the year
    published: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    late: Mapped[bool | None] = mapped_column(Boolean)
    #: findings on the latest submission
    hard_findings: Mapped[int] = mapped_column(Integer)
    soft_findings: Mapped[int] = mapped_column(Integer)


class AggFinding(Base):
    """A finding of the aggregation (migration 0004): a consolidated report's cell that differs
    from the sum of its members' loaded reports, with both figures."""

    __tablename__ = "agg_finding"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: the consolidating government
    agency_id: Mapped[str] = mapped_column(ID, primary_key=True)
    rule_id: Mapped[str] = mapped_column(ID, primary_key=True)
    cell_id: Mapped[str] = mapped_column(ID, primary_key=True)
    #: the consolidated report whose facts were compared
    submission_key: Mapped[int] = mapped_column(Integer)
    #: the consolidated report's figure (blank as 0) and the members' sum (blank as 0)
    printed: Mapped[float] = mapped_column(Numeric(*AMOUNT_PRECISION, asdecimal=False))
    expected: Mapped[float] = mapped_column(Numeric(*AMOUNT_PRECISION, asdecimal=False))
    #: member reports summed
    members: Mapped[int] = mapped_column(Integer)


# ---- outgoing mail (migration 0005) --------------------------------------------------------------


class Outbox(Base):
    """One mail to send: a quality report (one row per submission and content hash) or a summary.

    pending → sent, or failed (last SMTP error, attempts, when to try next) and retried with
    backoff; superseded when a newer content for the same submission was queued before it went
    out; no_address when the registry gives the agency no usable address (listed in the summary).
    """

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("submission_key", "content_hash", name="uq_outbox_submission_key"),)
    outbox_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: quality (a report to an agency) · summary (to the provincial office)
    kind: Mapped[str] = mapped_column(String(16))
    submission_key: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    agency_id: Mapped[str | None] = mapped_column(ID)
    year: Mapped[int | None] = mapped_column(Integer)
    recipient: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    #: what the mail says, as JSON (mail.content), rendered when it is sent
    content: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: where it went: smtp://host:port or the outbox folder
    sent_via: Mapped[str | None] = mapped_column(Text)
    #: times an operator asked for it again (`xxgk notify --resend`)
    resends: Mapped[int] = mapped_column(Integer, default=0)
    #: the sender holding it while `sending` (host:pid:process start, migration 0006): a dead
    #: one's rows are taken back at once instead of after the lease
    claimed_by: Mapped[str | None] = mapped_column(String(200))



class PendingRecheck(Base):
    """An (agency, year) whose previous year's facts changed after it was checked: its cross-year
    rules must be checked again (the carryover cascade).

    Written in the transaction that changed the previous year and deleted in the one that checks
    the pair again, so a run killed between the two leaves the pair here for the next run
    (migration 0007)."""

    __tablename__ = "pending_recheck"
    agency_id: Mapped[str] = mapped_column(ID, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    since: Mapped[datetime] = mapped_column(DateTime)

FACT_TABLES = (FactApplication.__table__, FactDisclosure.__table__, FactReviewLitigation.__table__)
#: the tables a load writes, in an order that satisfies foreign keys (for checksums and tests)
STAR_TABLES = (
    "dim_region",
    "agency",
    "dim_agency",
    "agency_alias",
    "dim_year",
    "dim_applicant_type",
    "dim_outcome",
    "dim_disclosure_item",
    "dim_proceeding",
    "dim_result",
    "dim_rule",
    "dim_cell",
    "dim_submission",
    "fact_application",
    "fact_disclosure",
    "fact_review_litigation",
    "fact_finding",
    "submission_revision",
)
#: the tables `warehouse.aggregation.aggregate` replaces per year
AGG_TABLES = ("agg_run", "agg_cell", "agg_status", "agg_agency", "agg_finding")
#: outgoing mail and its delivery state (migration 0005)
OUTBOX_TABLES = ("outbox",)
VIEWS = (
    "v_agency_year",
    "v_applications",
    "v_refusal_grounds",
    "v_litigation_outcomes",
    "v_submission_status",
)

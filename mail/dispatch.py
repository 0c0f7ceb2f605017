"""The outbox, driven: queue a quality report per stored submission once per content, send what is due.

`queue_reports_in` builds each submission's report from what the warehouse stored and adds it to
the outbox unless the same content was queued for it before (a rerun queues nothing; a reload
whose findings changed queues the new content). Loads and reloads call it through
`queue_chunk_reports`, the loader's `after_chunk`, so the rows commit in the load's own
transaction: a crash can neither lose a chunk's reports (the rerun sees its files "unchanged")
nor queue them twice. A quarantined file has no agency: its report goes to the
registry agency whose id or name the file name holds, when exactly one does.

`send_due` claims a page of due rows in one transaction (a lease naming the sender), renders and
hands each over and records it at once, so a crash or an SMTP failure leaves each row in a true
state: sent, failed with its error and next attempt, or still held and due again as soon as its
sender is known to be dead (delivery is at least once: see `send_due`). `limit_seconds` bounds how long one pass sends.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from form.labels import normalise_label
from mail.content import QualityReport, Submitted, build_report, file_name_of
from mail.message import BadAddress, address, quality_message
from mail.sender import is_gone, this_sender
from mail.summary import SummaryReport, build_summary, summary_message
from mail.transport import DeliveryError, Transport
from warehouse import outbox
from warehouse.crash_points import reached
from warehouse.records import LoadResult


def utc_now() -> datetime:
    """Naive UTC, as the warehouse stores times."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Identified:
    agency_id: str
    name: str
    email: str | None


def identify(file_name: str, registry: Sequence[tuple[str, str, str | None]]) -> Identified | None:
    """The registry agency a file name names: its id as a token, else the longest registry name in
    it; None when none does or two different agencies tie."""
    stem = file_name.rsplit(".", 1)[0]
    tokens = set(re.split(r"[\s_.,;()\[\]（）【】、，]+", stem)) | {stem}
    by_id = [a for a in registry if a[0] in tokens or re.search(rf"(?<![\w-]){re.escape(a[0])}(?![\w-])", stem)]
    if len({a[0] for a in by_id}) == 1:
        return Identified(*by_id[0])
    folded = normalise_label(stem)
    named = [(len(key), a) for a in registry if (key := normalise_label(a[1])) and key in folded]
    if not named:
        return None
    longest = max(n for n, _ in named)
    best = {a[0]: a for n, a in named if n == longest}
    return Identified(*next(iter(best.values()))) if len(best) == 1 else None


def reports_for(conn: Connection, submission_keys: Sequence[int]) -> list[tuple[QualityReport, str | None]]:
    """Each submission's quality report and the address it goes to (None: no address known)."""
    stored = outbox.stored_submissions(conn, submission_keys)
    previous = outbox.received_of_paths(conn, [f.previous for s in stored for f in s.findings if f.previous])
    registry = outbox.registry_agencies(conn) if any(s.state == "quarantined" for s in stored) else []
    out = []
    for s in stored:
        agency_id, name, email = s.agency_id, s.agency_name, s.email
        if s.state == "quarantined" and agency_id is None:
            found = identify(file_name_of(s.path), registry)
            if found is not None:
                agency_id, name, email = found.agency_id, found.name, found.email
        sub = Submitted(
            s.submission_key, s.path, s.received_at, s.state, s.reason,  # type: ignore[arg-type]
            agency_id, name, s.year, s.findings,
        )
        out.append((build_report(sub, previous), email))
    return out


def queue_reports_in(conn: Connection, submission_keys: Sequence[int], now: datetime | None = None) -> int:
    """Queue the quality reports of these submissions (each content once) on `conn`, inside its
    transaction: the reports are built from what that connection sees, uncommitted rows included;
    how many were added."""
    keys = sorted({k for k in submission_keys if k is not None})
    if not keys:
        return 0
    items = [
        outbox.Queued(
            "quality", report.submission_key, report.content_hash(), report.agency_id, report.year,
            email, report.subject(), report.model_dump_json(),
        )
        for report, email in reports_for(conn, keys)
    ]
    return outbox.enqueue(conn, items, now or utc_now())


def queue_chunk_reports(conn: Connection, result: LoadResult) -> int:
    """The loader's `after_chunk`: a report for each submission the chunk stored or changed
    (loaded, rejected, quarantined; not "unchanged"), queued in the chunk's own transaction."""
    return queue_reports_in(conn, [s.submission_key for s in result.submissions if s.outcome != "unchanged" and s.submission_key])


def queue_reports(engine: Engine, submission_keys: Sequence[int], now: datetime | None = None) -> int:
    """Queue the quality reports of these submissions in a transaction of its own (`xxgk notify`,
    tests); loads queue theirs inside the load (`queue_chunk_reports`)."""
    with engine.begin() as conn:
        return queue_reports_in(conn, submission_keys, now)


def queue_summary(engine: Engine, year: int, recipient: str, now: datetime | None = None) -> int:
    """Queue the provincial office's summary of a year's aggregation (once per content); 1 or 0."""
    with engine.begin() as conn:
        summary = build_summary(conn, year)
        if summary is None:
            return 0
        item = outbox.Queued(
            "summary", None, summary.content_hash(), None, year, recipient, summary.subject(), summary.model_dump_json()
        )
        return outbox.enqueue(conn, [item], now or utc_now())


@dataclass
class Sent:
    """What a send pass did."""

    sent: int = 0
    failed: int = 0
    no_address: int = 0
    errors: list[str] | None = None
    #: rows still due after the pass (a pass bounded by `limit_seconds` leaves them for the next)
    left: int = 0
    #: why the pass stopped early: the server could not be reached (the rest waits for the next pass)
    stopped: str | None = None


def message_name(row) -> str:
    """The outbox folder's file name of a row: its key, content hash and resend count (no agency or path in it)."""
    return f"{row.outbox_key:08d}-{row.content_hash[:12]}" + (f"-r{row.resends}" if row.resends else "")


def _send_one(row, transport: Transport, sender: str, cc: Sequence[str], documents: Sequence[Path]) -> outbox.Outcome:
    """Render and hand over one claimed row's mail, and say what became of it.

    Whatever one row holds (an address stored before the registry refused bad ones, a content the
    renderer trips on) ends as that row's outcome, never as an exception ending the pass."""
    try:
        return _hand_over(row, transport, sender, cc, documents)
    except Exception as exc:  # the row fails (and is retried); the other rows of the page go on
        return outbox.Outcome(row, outbox.FAILED, f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500])


def _hand_over(row, transport: Transport, sender: str, cc: Sequence[str], documents: Sequence[Path]) -> outbox.Outcome:
    try:
        if row.kind == "summary":
            summary = SummaryReport.model_validate_json(row.content)
            msg = summary_message(summary, sender=sender, to=row.recipient or "", documents=documents, key=message_name(row))
        else:
            report = QualityReport.model_validate_json(row.content)
            msg = quality_message(report, sender=sender, to=row.recipient or "", cc=cc, key=message_name(row))
    except BadAddress as exc:
        return outbox.Outcome(row, outbox.NO_ADDRESS, str(exc))
    try:
        transport.send(msg, message_name(row))
    except DeliveryError as exc:
        return outbox.Outcome(row, outbox.FAILED, str(exc), exc.unreachable)
    return outbox.Outcome(row, outbox.SENT)


def send_due(
    engine: Engine,
    transport: Transport,
    sender: str,
    cc: Sequence[str] = (),
    now: datetime | None = None,
    documents: Sequence[Path] = (),
    page: int = 200,
    limit_seconds: float | None = None,
) -> Sent:
    """Send the due rows through `transport` a page at a time (`documents`: files attached to a
    summary, e.g. the aggregation's tables, when they exist).

    Each page is claimed in one transaction (a lease naming this process: no transaction is open
    while a server answers). Through SMTP each mail is recorded in a short transaction of its own
    right after it was handed over (`outbox.unflushed`: a commit that survives this process being
    killed without waiting for a disk flush, so it costs next to nothing); into the `.eml` folder
    (`idempotent`: a row's file written again replaces itself) the page is recorded at its end.
    Delivery is at least once: a sender that dies mid-page leaves its rows due again (at once for
    the next pass on this host, which sees the process is gone; else when the lease ends), so
    through SMTP the one mail handed over but not yet recorded when it died goes out a second
    time, and in the folder the page's files are written again (still one each). Chosen over at
    most once (recording before handing over), which would lose that mail for good.
    `limit_seconds` bounds one pass: once it has passed, the rows of the page not yet tried are
    released as they were, and the rest stays due for the next pass (the notify deployment). A
    server that cannot be reached (or refuses our login) ends the pass the same way after its
    first failure, instead of every row waiting for its timeout."""
    when = now or utc_now()
    address(sender)  # a bad XXGK_MAIL_FROM is the operator's error, not every row's
    deadline = time.monotonic() + limit_seconds if limit_seconds is not None else None
    done = Sent(errors=[])
    me = this_sender()
    with engine.begin() as conn:
        outbox.retire_superseded(conn)
        outbox.release_orphans(conn, is_gone, when)
    while done.stopped is None and (deadline is None or time.monotonic() < deadline):
        with engine.begin() as conn:
            rows = outbox.claim_page(conn, when, page, me)
        if not rows:
            break
        reached("mail-claimed")
        outcomes: list[outbox.Outcome] = []
        each = not getattr(transport, "idempotent", False)  # record each mail before the next
        session = getattr(transport, "session", None)  # SMTP: one connection for the page
        with session() if session is not None else nullcontext():
            for row in rows:
                if done.stopped is not None or (deadline is not None and time.monotonic() >= deadline):
                    outcomes.append(outbox.Outcome(row, outbox.PENDING))
                    continue
                outcome = _send_one(row, transport, sender, cc, documents)
                if outcome.state == outbox.SENT:
                    reached("mail-handed")
                if each:  # a commit that survives our death, without waiting for the disk
                    with outbox.unflushed(engine) as conn:
                        outbox.mark_page(conn, [outcome], when, transport.where)
                else:
                    outcomes.append(outcome)
                if outcome.state == outbox.SENT:
                    done.sent += 1
                elif outcome.state == outbox.NO_ADDRESS:
                    done.no_address += 1
                else:
                    done.failed += 1
                    done.errors.append(outcome.error or "")
                    if outcome.unreachable:  # every next mail would wait for the same timeout
                        done.stopped = outcome.error or ""
        if outcomes:
            with engine.begin() as conn:
                outbox.mark_page(conn, outcomes, when, transport.where)
    with engine.connect() as conn:
        done.left = outbox.due_count(conn, when)
    return done

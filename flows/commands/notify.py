"""`xxgk notify [--status] [--resend AGENCY YEAR] [--json]`: the outbox of quality reports.

`xxgk notify` sends what is due (pending, and failed rows whose backoff passed) through SMTP when
XXGK_SMTP_HOST is set, else as .eml files in the outbox folder. `--status` lists the table
(newest first; never a password); `--resend AGENCY YEAR` queues the latest report of that agency
and year again and sends it. Runs without Prefect: the `notify` deployment does the same on a
schedule. Exit 3 when a send failed (it stays in the outbox and is retried).
"""

from __future__ import annotations

import argparse
import json

from flows.errors import (
    EXIT_CONFIGURATION,
    EXIT_INFRASTRUCTURE,
    EXIT_OK,
    EXIT_UNREADABLE,
    CommandError,
    shown_url,
)
from flows.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("notify", help="send the quality reports the outbox holds due; --status lists it")
    p.add_argument("--status", action="store_true", help="list the outbox (state, attempts, last error)")
    p.add_argument("--resend", nargs=2, metavar=("AGENCY", "YEAR"), help="send an agency's latest report for YEAR again")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(handler=run)


def _engine_ready(url: str):
    from warehouse import migrate
    from warehouse.engine import make_engine

    if migrate.current(url) != migrate.head():
        raise CommandError(
            f"warehouse {shown_url(url)}", "schema not at the latest revision",
            "run `xxgk warehouse upgrade`", EXIT_UNREADABLE,
        )
    return make_engine(url)


def _status(engine, as_json: bool) -> int:
    from warehouse import outbox

    with engine.connect() as conn:
        rows = outbox.status_rows(conn)
        counts = outbox.counts(conn)
    fields = ("outbox_key", "kind", "state", "agency_id", "year", "recipient", "attempts", "resends",
              "created_at", "sent_at", "next_attempt_at", "last_error", "subject")
    for row in rows:
        values = {f: getattr(row, f) for f in fields}
        if as_json:
            print(json.dumps(values, ensure_ascii=False, default=str))
        else:
            when = row.sent_at or row.next_attempt_at or row.created_at
            error = f"  {row.last_error}" if row.last_error else ""
            print(f"{row.outbox_key:>6}  {row.state:<10} {row.attempts:>2}  {row.agency_id or '-':<14} "
                  f"{row.year or '-':<5} {row.recipient or '-':<30} {when:%Y-%m-%d %H:%M}{error}")
    if not as_json:
        print(", ".join(f"{state}: {n}" for state, n in sorted(counts.items())) or "the outbox is empty")
    return EXIT_OK


def _transport(settings):
    """SMTP or the outbox folder; a wrong XXGK_SMTP_SECURITY said in one line."""
    try:
        return settings.transport()
    except ValueError as exc:
        raise CommandError("XXGK_SMTP_SECURITY", str(exc), "use starttls, ssl or none", EXIT_CONFIGURATION) from None


def run(args: argparse.Namespace) -> int:
    from mail.dispatch import send_due, utc_now
    from mail.message import BadAddress
    from warehouse import outbox

    settings = get_settings()
    engine = _engine_ready(settings.resolved_warehouse_url)
    try:
        if args.status:
            return _status(engine, args.json)
        if args.resend:
            agency, year = args.resend
            if not year.isdigit():
                raise CommandError("notify --resend", f"YEAR must be a number, not {year!r}", code=EXIT_UNREADABLE)
            with engine.begin() as conn:
                queued = outbox.resend(conn, agency, int(year), utc_now())
            if not queued:
                raise CommandError(
                    f"notify --resend {agency} {year}", "no quality report of that agency and year in the outbox",
                    "`xxgk notify --status` lists what the outbox holds", EXIT_UNREADABLE,
                )
        transport = _transport(settings)
        try:
            done = send_due(engine, transport, settings.mail_from, settings.cc)
        except BadAddress as exc:
            raise CommandError("XXGK_MAIL_FROM", str(exc), "set it to one plain address", EXIT_CONFIGURATION) from None
    finally:
        engine.dispose()
    summary = {"sent": done.sent, "failed": done.failed, "no_address": done.no_address, "via": transport.where}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"sent {done.sent} via {transport.where}; failed {done.failed}; without an address {done.no_address}")
        for error in sorted(set(done.errors or []))[:5]:
            print(f"  failed: {error}")
    return EXIT_INFRASTRUCTURE if done.failed else EXIT_OK  # the mail server failed

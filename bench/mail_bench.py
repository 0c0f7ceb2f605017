"""Quality reports per second: building and queueing them, and rendering + writing them as .eml.

Run: `.venv/bin/python bench/mail_bench.py [--reports 2000] [--chunk 500] [--smtp] [--url URL]`.
Loads synthetic reports (bench/load_bench.py's corpus, every third with a hard and a soft finding)
into a fresh SQLite warehouse (or the empty database at `--url`), gives every agency an address,
then times `queue_reports` per chunk (what the ingest task does) and one `send_due` through the
.eml folder transport (text, HTML and Word per message), or with `--smtp` through an aiosmtpd
server on 127.0.0.1 (plain SMTP, one connection per page; it shares the cores), then renders one
report's mail alone (bench/render_mail.py's report, no warehouse). Figures are noisy on a shared
machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.load_bench import corpus  # noqa: E402
from mail.dispatch import queue_reports, send_due  # noqa: E402
from mail.transport import FolderTransport, SmtpConfig, SmtpTransport  # noqa: E402
from tests.warehouse.builders import hard, soft  # noqa: E402
from warehouse import migrate  # noqa: E402
from warehouse.engine import make_engine  # noqa: E402
from warehouse.loader import Loader  # noqa: E402
from warehouse.registry import load_registry_rows  # noqa: E402


class _Accept:
    """An SMTP server's handler that takes every message and keeps nothing."""

    async def handle_DATA(self, server, session, envelope) -> str:
        return "250 OK"


def _transport(smtp: bool, folder: Path):
    """(server to stop or None, transport): the .eml folder, or a local aiosmtpd server."""
    if not smtp:
        return None, FolderTransport(folder)
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = Controller(_Accept(), hostname="127.0.0.1", port=port, data_size_limit=0)
    server.start()
    return server, SmtpTransport(SmtpConfig(host="127.0.0.1", port=port, security="none"))


def _render_ms() -> float:
    """ms to render one quality report with findings as a message's bytes, without the warehouse."""
    from bench.render_mail import report
    from mail.message import quality_message

    r = report()
    best = min(
        timeit.repeat(lambda: quality_message(r, sender="xxgk@province.example", to="gk@agency.example").as_bytes(),
                      number=100, repeat=5)
    )
    return best / 100 * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--smtp", action="store_true", help="send to an aiosmtpd server on 127.0.0.1")
    parser.add_argument("--url", help="an empty warehouse database instead of a fresh SQLite file")
    args = parser.parse_args()
    rows, subs = corpus(args.reports)
    subs = [s.model_copy(update={"findings": [hard(), soft()], "state": "rejected"}) if n % 3 == 0 else s
            for n, s in enumerate(subs)]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args.url or f"sqlite:///{tmp}/w.sqlite")
        migrate.upgrade(engine)
        with engine.begin() as conn:
            load_registry_rows(conn, rows, as_of=2019)
            conn.execute(text("UPDATE dim_agency SET email = replace(agency_id, '-', '.') || '@agency.example'"))
        results = Loader(engine, "bench").load(subs, chunk_size=args.chunk)
        started = time.perf_counter()
        queued = sum(
            queue_reports(engine, [s.submission_key for s in r.submissions if s.submission_key]) for r in results
        )
        queue_s = time.perf_counter() - started
        server, transport = _transport(args.smtp, Path(tmp) / "outbox")
        started = time.perf_counter()
        done = send_due(engine, transport, "xxgk@province.example")
        send_s = time.perf_counter() - started
        if server is not None:
            server.stop()
        again = time.perf_counter()
        rerun = sum(queue_reports(engine, [s.submission_key for s in r.submissions if s.submission_key]) for r in results)
        rerun_s = time.perf_counter() - again
        size = sum(p.stat().st_size for p in (Path(tmp) / "outbox").glob("*.eml")) / max(1, done.sent)
        engine.dispose()
    render_ms = _render_ms()
    via = "over SMTP" if args.smtp else "as .eml"
    per_mail = send_s / max(1, done.sent) * 1000
    print(f"queued {queued} reports in {queue_s:.1f} s ({queued / queue_s:.0f}/s); "
          f"a rerun queued {rerun} in {rerun_s:.1f} s")
    print(f"sent {done.sent} {via} in {send_s:.1f} s ({done.sent / send_s:.0f}/s, {per_mail:.1f} ms a mail)"
          + (f", {size / 1024:.0f} KiB each" if not args.smtp else ""))
    print(f"one mail rendered (text, HTML, Word, MIME, bytes) in {render_ms:.2f} ms, best of 5 × 100")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Quality reports per second: building and queueing them, and rendering + writing them as .eml.

Run: `.venv/bin/python bench/mail_bench.py [--reports 2000] [--chunk 500]`. Loads synthetic
reports (bench/load_bench.py's corpus, every third with a hard and a soft finding) into a fresh
SQLite warehouse, gives every agency an address, then times `queue_reports` per chunk (what the
ingest task does) and one `send_due` through the .eml folder transport (text, HTML and Word
per message; SMTP adds the server's time). Figures are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.load_bench import corpus  # noqa: E402
from mail.dispatch import queue_reports, send_due  # noqa: E402
from mail.transport import FolderTransport  # noqa: E402
from tests.warehouse.builders import hard, soft  # noqa: E402
from warehouse import migrate  # noqa: E402
from warehouse.engine import make_engine  # noqa: E402
from warehouse.loader import Loader  # noqa: E402
from warehouse.registry import load_registry_rows  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=500)
    args = parser.parse_args()
    rows, subs = corpus(args.reports)
    subs = [s.model_copy(update={"findings": [hard(), soft()], "state": "rejected"}) if n % 3 == 0 else s
            for n, s in enumerate(subs)]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/w.sqlite")
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
        started = time.perf_counter()
        done = send_due(engine, FolderTransport(Path(tmp) / "outbox"), "xxgk@province.example")
        send_s = time.perf_counter() - started
        again = time.perf_counter()
        rerun = sum(queue_reports(engine, [s.submission_key for s in r.submissions if s.submission_key]) for r in results)
        rerun_s = time.perf_counter() - again
        size = sum(p.stat().st_size for p in (Path(tmp) / "outbox").glob("*.eml")) / max(1, done.sent)
        engine.dispose()
    print(f"queued {queued} reports in {queue_s:.1f} s ({queued / queue_s:.0f}/s); "
          f"a rerun queued {rerun} in {rerun_s:.1f} s")
    print(f"sent {done.sent} as .eml in {send_s:.1f} s ({done.sent / send_s:.0f}/s), {size / 1024:.0f} KiB each")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The notify flow: send what the outbox holds due (new reports, and failed sends whose backoff passed).

Ingest sends right after it queues; this flow, scheduled, retries what failed there (a server
that was down) and sends what `xxgk notify --resend` queued again.
"""

from __future__ import annotations

from prefect import flow

from flows.settings import get_settings
from flows.tasks import prepare_warehouse, send_mail


@flow(name="notify", log_prints=False)
def notify(warehouse_url: str | None = None, outbox_dir: str | None = None) -> dict[str, int]:
    """Send every due outbox row: SMTP when XXGK_SMTP_HOST is set, else .eml files in the outbox folder."""
    settings = get_settings()
    url = warehouse_url or settings.resolved_warehouse_url
    prepare_warehouse(url)
    return send_mail(url, outbox_dir or str(settings.resolved_outbox_dir))
